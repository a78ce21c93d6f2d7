//! The command line as typed: raw input, turned into checked requests in main.rs.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// hakobu (運ぶ): carry files safely on a USB stick as one encrypted, checksummed archive.
#[derive(Parser, Debug)]
#[command(name = "hakobu", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Print nothing but errors (and the requested output).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// The address book and IT policy to use (default: $HAKOBU_CONFIG, else
    /// the config folder's hakobu/config.toml; see docs/KEYS.md). Used by
    /// pack and recipients, which also take it after their name.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Without a command: files and folders to send, or an archive (.age) to
    /// unpack, asked step by step (what a drop onto hakobu.exe passes). With
    /// nothing at all, hakobu asks what to do (the guided mode).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Without a command: send the given files to this address-book name
    /// (what the 送る menu's "hakobu で千葉支部へ送る" passes); still confirmed on screen.
    #[arg(long, value_name = "NAME")]
    pub office: Option<String>,

    /// Without a command: the kind of data sent, for the export ledger (what a
    /// shortcut made by IT may pass); asked on screen when policy requires one and none is given.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// See the whole job on made-up data: make a member list, a demo key and a
    /// stand-in stick in a throw-away folder, then pack, verify, unpack and compare.
    Demo {
        /// Keep the demo folder (the archive, the key, the unpacked copy) to look at.
        #[arg(long)]
        keep: bool,
    },
    /// Create a key for receiving archives; prints the public key to hand to IT.
    Keygen {
        /// Where to write the secret key file (default: the per-user key file).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Store the key unprotected (service accounts); by default it is
        /// encrypted with a passphrase you choose.
        #[arg(long)]
        no_passphrase: bool,
        /// Make a sender's signing key (Ed25519, OpenSSH format) instead; prints
        /// its public half (ssh-ed25519 ...) for the receivers' senders list.
        #[arg(long)]
        sign: bool,
    },
    /// Pack files and folders into an encrypted archive with a neutral name.
    Pack {
        /// Files and folders to pack.
        #[arg(required = true, value_name = "SOURCE")]
        sources: Vec<PathBuf>,
        /// The folder to write the archive into, e.g. the USB stick.
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Encrypt to everyone listed under NAME in the address book (e.g. 本社). Repeatable.
        #[arg(short = 't', long = "to", value_name = "NAME")]
        to: Vec<String>,
        /// Encrypt to this public key (age1..., ssh-ed25519 ..., ssh-rsa ...). Repeatable.
        #[arg(short, long, value_name = "RECIPIENT")]
        recipient: Vec<String>,
        /// Encrypt to every public key in this file. Repeatable.
        #[arg(short = 'R', long = "recipients-file", value_name = "FILE")]
        recipients_file: Vec<PathBuf>,
        /// Protect with a passphrase instead (asked twice; empty = generate a strong one).
        #[arg(short, long, conflicts_with_all = ["recipient", "recipients_file", "to"])]
        passphrase: bool,
        /// Name the archive LABEL.age instead of a random name (the label is visible on the stick).
        #[arg(long, value_name = "LABEL")]
        name: Option<String>,
        /// Write ASCII-armored output (larger; binary is the default).
        #[arg(short, long)]
        armor: bool,
        /// Skip reading the archive back from the medium after writing.
        #[arg(long)]
        no_verify: bool,
        /// Write volumes NAME.age.001, .002, ... of at most SIZE each (e.g. 4G, 700M,
        /// or bytes; K/M/G/T are powers of 1024). On FAT32 hakobu splits by itself.
        #[arg(long, value_name = "SIZE", value_parser = hakobu::ops::pack::parse_size)]
        split: Option<u64>,
        /// Why the data leaves the office, for the export ledger (e.g. 本社へ月次報告).
        #[arg(long, value_name = "TEXT")]
        purpose: Option<String>,
        /// A data category for the export ledger (e.g. 健診結果); repeatable.
        #[arg(long = "category", value_name = "NAME")]
        category: Vec<String>,
        /// Sign the archive with this signing key (from `keygen --sign`); default:
        /// the config's [signing] key. Writes NAME.age.sig beside the archive.
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
        /// Print the result as one JSON object.
        #[arg(long)]
        json: bool,
        /// The address book and IT policy to use (default: $HAKOBU_CONFIG, else
        /// the config folder's hakobu/config.toml; see docs/KEYS.md).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// The address book: names (offices, people) and their public keys.
    Recipients {
        #[command(subcommand)]
        action: RecipientsAction,
        /// The address book and IT policy to use (default: $HAKOBU_CONFIG, else
        /// the config folder's hakobu/config.toml; see docs/KEYS.md).
        #[arg(long, global = true, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// The export ledger (持出し記録): what was packed, when, by whom, for whom.
    Ledger {
        #[command(subcommand)]
        action: LedgerAction,
        /// The address book and IT policy to use (its [ledger] path names the ledger).
        #[arg(long, global = true, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The ledger file to read (default: policy's [ledger] path, else the per-user one).
        #[arg(long, global = true, value_name = "FILE")]
        ledger: Option<PathBuf>,
        /// Print the result as one JSON object.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Show what an archive holds (decrypts and checks it completely, writes nothing).
    List {
        /// The archive (.age file).
        archive: PathBuf,
        /// Key file to open the archive with. Repeatable.
        #[arg(short, long, value_name = "FILE")]
        identity: Vec<PathBuf>,
        /// Print the manifest as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Unpack an archive into a folder; nothing is released until every byte is verified.
    Unpack {
        /// The archive (.age file).
        archive: PathBuf,
        /// The folder to unpack into (created if missing).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Key file to open the archive with. Repeatable.
        #[arg(short, long, value_name = "FILE")]
        identity: Vec<PathBuf>,
        /// Replace existing files of the same name.
        #[arg(short, long)]
        force: bool,
        /// Unpack onto a USB stick, card or other FAT/exFAT/removable medium all the
        /// same (refused otherwise: the files would be readable by whoever holds it).
        #[arg(long)]
        allow_removable_destination: bool,
        /// Write a receipt file NAME.age.receipt beside the archive (id, time, result,
        /// checksum; no contents) for the sender's `hakobu ledger import`.
        #[arg(long)]
        receipt: bool,
        /// Print the result as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Set hakobu up: Explorer's 送る menu for this Windows user, or this PC's policy (IT).
    Setup {
        #[command(subcommand)]
        action: SetupAction,
        /// The address book (for --offices).
        #[arg(long, global = true, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Check an archive: without a key its checksum file and header; with -i every byte and file.
    Verify {
        /// Archives (.age, or the first volume .age.001) and folders: a folder
        /// (a stick's root) is scanned, every archive on it verified and
        /// everything readable on it named.
        #[arg(required = true, value_name = "ARCHIVE|FOLDER")]
        paths: Vec<PathBuf>,
        /// Key file: decrypt and check every file instead of the checksum file (nothing is written).
        #[arg(short, long, value_name = "FILE")]
        identity: Vec<PathBuf>,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// A day as YYYY-MM-DD (compared with the records' dates in local time, as shown).
fn day(text: &str) -> Result<String, String> {
    let t = text.trim();
    match t.parse::<jiff::civil::Date>() {
        Ok(d) if t.len() == 10 => Ok(d.to_string()),
        _ => Err(crate::tr!("error-bad-day")),
    }
}

/// `hakobu ledger ...`
#[derive(Subcommand, Debug)]
pub enum LedgerAction {
    /// List the records (newest last).
    List {
        /// Only records from this day on (YYYY-MM-DD, local time).
        #[arg(long, value_name = "DATE", value_parser = day)]
        since: Option<String>,
        /// Only records up to this day (YYYY-MM-DD, local time).
        #[arg(long, value_name = "DATE", value_parser = day)]
        until: Option<String>,
        /// Only archives addressed to this office (address-book name).
        #[arg(long, value_name = "NAME")]
        office: Option<String>,
        /// Only archives packed by this OS user.
        #[arg(long, value_name = "USER")]
        sender: Option<String>,
        /// Only archives with no receipt yet.
        #[arg(long)]
        not_received: bool,
        /// Only archives written to the stick with this volume label.
        #[arg(long, value_name = "LABEL")]
        medium: Option<String>,
    },
    /// Show one archive's record(s).
    Show {
        /// The archive: its id (or a prefix of 4+ hex digits), its name (NAME.age, the .age optional), a volume's name, the stick's label, or the record's number (No.12).
        id: String,
    },
    /// Check the hash chain; names the record that is missing or altered.
    Verify {
        /// A last record's hash kept elsewhere (as `ledger verify` printed it): a record must have it, so records cut off since show.
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
    },
    /// Write the ledger as a table (CSV with Japanese headers, opens in Excel).
    Export {
        /// CSV (UTF-8 with BOM); the only format for now.
        #[arg(long, required = true)]
        csv: bool,
        /// Write to this file instead of the screen.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The lost-stick report for one archive: what hakobu knows, and what it cannot.
    Report {
        /// The archive: its id (or a prefix of 4+ hex digits), its name (NAME.age, the .age optional), a volume's name, the stick's label, or the record's number (No.12).
        id: String,
        /// IT's audit key file: open the record's audit copy and list the files. Repeatable.
        #[arg(short, long, value_name = "FILE")]
        identity: Vec<PathBuf>,
    },
    /// Add a receipt file (NAME.age.receipt, from the receiving office) to the ledger.
    Import {
        /// The receipt file.
        file: PathBuf,
        /// Remove the receipt file (from the stick) once it is in the ledger, without asking.
        #[arg(long, conflicts_with = "keep")]
        remove: bool,
        /// Leave the receipt file where it is, without asking.
        #[arg(long)]
        keep: bool,
    },
}

impl Command {
    /// Whether the result was asked for as JSON.
    pub fn wants_json(&self) -> bool {
        match self {
            Command::Pack { json, .. } | Command::List { json, .. } | Command::Unpack { json, .. } | Command::Verify { json, .. } => *json,
            Command::Recipients { action: RecipientsAction::List { json } | RecipientsAction::Show { json, .. }, .. } => *json,
            Command::Ledger { json, .. } => *json,
            Command::Recipients { .. } | Command::Keygen { .. } | Command::Demo { .. } | Command::Setup { .. } => false,
        }
    }

    /// Which operation runs, for the words of its errors.
    pub fn operation(&self) -> crate::cli::render::Operation {
        use crate::cli::render::Operation;
        match self {
            Command::Pack { .. } | Command::Demo { .. } => Operation::Pack,
            Command::Unpack { .. } => Operation::Unpack,
            Command::Recipients { action: RecipientsAction::Add { .. }, .. } => Operation::RecipientsAdd,
            Command::Recipients { .. } => Operation::Recipients,
            Command::Keygen { .. } => Operation::Keygen,
            Command::Ledger { .. } => Operation::Ledger,
            Command::List { .. } | Command::Verify { .. } => Operation::Read,
            Command::Setup { .. } => Operation::Other,
        }
    }
}

/// Where keygen writes by default, as --help shows it (this machine's path).
/// `hakobu setup ...`
#[derive(Subcommand, Debug)]
pub enum SetupAction {
    /// Shortcuts in Explorer's 送る (Send to) menu: "hakobu で受け取る", "hakobu で送る",
    /// and with --offices one "hakobu で<name>へ送る" per address-book name.
    Sendto {
        /// One shortcut per name in the address book.
        #[arg(long)]
        offices: bool,
        /// Remove hakobu's shortcuts instead.
        #[arg(long, conflicts_with = "offices")]
        remove: bool,
    },
    /// The machine-wide policy: which file is in effect and why; with
    /// --install FILE (IT, as administrator; the installer runs it) FILE
    /// becomes this PC's policy, in a folder only administrators may change.
    Policy {
        /// Check FILE and make it this PC's policy (replacing the one there).
        #[arg(long, value_name = "FILE")]
        install: Option<PathBuf>,
        /// Remove this PC's policy file (the installer runs it when removed).
        #[arg(long, conflicts_with = "install")]
        remove: bool,
        /// With --remove, from the MSI: its UpgradeCode; the policy stays while
        /// another product of it is installed (an upgrade).
        #[arg(long, value_name = "GUID", requires = "remove", requires = "installer_product", hide = true)]
        installer_upgrade: Option<String>,
        /// With --remove, from the MSI: its ProductCode.
        #[arg(long, value_name = "GUID", requires = "installer_upgrade", hide = true)]
        installer_product: Option<String>,
        /// Print the result as one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RecipientsAction {
    /// List every name, its keys, and the IT policy.
    List {
        /// Print as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Show the keys of one name.
    Show {
        name: String,
        /// Print as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Add public keys under a name (created if new).
    Add {
        name: String,
        /// Public keys: age1..., "ssh-ed25519 ...", a plugin's age1....
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<String>,
    },
    /// Remove a name and its keys, or only the given keys of it (rotation).
    Remove {
        name: String,
        /// Only these keys (the name stays while it has others).
        #[arg(value_name = "KEY")]
        keys: Vec<String>,
    },
}
