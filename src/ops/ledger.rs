//! The export ledger (持出し記録, issue #16): one JSON Lines file, one record
//! a line, appended by every `pack` (and by `unpack` as a receipt).
//!
//! Each record holds `seq` (counting from 1) and `prev`, the SHA-256 (hex)
//! of the previous line's bytes without its newline; the first record
//! chains to [`GENESIS`]. So an edited record breaks the `prev` of the one
//! after it, and a deleted one leaves a gap in `seq`. Limits, stated
//! plainly: the chain cannot show the *last* record edited or the last
//! records cut off (nothing follows them), nor a ledger rewritten whole by
//! someone who recomputes every hash; keep a copy of the last line's hash
//! (`ledger verify` prints it) or a copy of the file elsewhere for that.
//!
//! No packed file's name and no personal data is ever written: counts,
//! sizes, hashes, key fingerprints, office names from the address book, the
//! sender's OS account and host, and the archive's own (neutral) file name
//! and the stick's label, which the stick shows anyway (issue #25).
//!
//! Writing: the file is opened (read and write), then locked exclusively
//! (`platform::lock_exclusive`: `flock` on unix, `LockFileEx` on Windows); the
//! last line is read to chain to, and the new record goes out in a single
//! `write` of one whole line at the end, then `sync_data`. Two packs at once therefore
//! append two whole records, one after the other.
//!
//! A torn line: a crash (power loss) in the middle of that one write can
//! leave a last line without its newline. Reading reports it
//! ([`LedgerProblem::TornTail`]). The next append repairs it: the torn
//! bytes are appended, as they were, to `<ledger>.torn` beside the ledger
//! (kept for IT, never thrown away), the ledger is cut back to its last
//! whole line, and the new record chains to that line. A torn line can
//! only be the record of a pack that did not finish appending. Only a
//! truly torn line is set aside: a whole record that chains and lacks only
//! its newline (an edit: one write puts out the line with its newline) is
//! kept and its newline restored, so its number is never reused; `verify`
//! reports a `.torn` file beside the ledger until IT moves it (issue #32).
//! A last line that is not a record does not stop an append: the record
//! chains to it (docs/LEDGER.md says why).
//!
//! Ordering with pack: [`Ledger::open`] (create, open for append, take and
//! release the lock, check free space) runs before anything is written to
//! the stick, so a ledger that cannot be written stops the pack first
//! (policy `[ledger] required`, default true); the record is appended after
//! the read-back and before the archive gets its final name, so every
//! archive under its final name has its record, and a record that cannot be
//! appended stops the pack with nothing named. A pack killed (or failing)
//! between the two leaves a record of an archive that was never saved (and a
//! chain that still verifies): the ledger may over-report, never under-report.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, IoAction, Result};

/// What the first record's `prev` holds: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The record format's version (`v`).
pub const RECORD_VERSION: u32 = 1;

/// The longest line `ledger` reads or writes (a record is about a kilobyte;
/// many recipients make it longer). Longer lines are refused.
pub const MAX_LINE: usize = 256 * 1024;

/// Free space the ledger's folder must have before a pack starts.
const MIN_FREE: u64 = 1024 * 1024;

/// The ledger's file name in the per-user data folder.
pub const DEFAULT_FILE_NAME: &str = "ledger.jsonl";

/// One line of the ledger.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    /// [`RECORD_VERSION`].
    pub v: u32,
    /// Position in the ledger, from 1.
    pub seq: u64,
    /// SHA-256 (hex) of the previous line, or [`GENESIS`].
    pub prev: String,
    /// What happened.
    #[serde(flatten)]
    pub entry: Entry,
}

/// What a record records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
// One record at a time is built or read: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Entry {
    /// An archive was packed (appended after its read-back, just before it got its final name).
    Export(Export),
    /// An archive arrived (unpack on the receiving PC, or an imported receipt file).
    Receipt(Receipt),
}

impl Entry {
    /// The archive id the record is about.
    pub fn id(&self) -> &str {
        match self {
            Entry::Export(e) => &e.id,
            Entry::Receipt(r) => &r.id,
        }
    }
    /// The record's time (UTC, RFC 3339).
    pub fn time(&self) -> &str {
        match self {
            Entry::Export(e) => &e.time,
            Entry::Receipt(r) => &r.time,
        }
    }
}

/// Who did it: the OS user and the computer's name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Person {
    pub user: Option<String>,
    pub host: Option<String>,
}

impl Person {
    /// The person running this process, as the OS knows them: the account
    /// of the process (Unix: the passwd entry of the real uid; Windows:
    /// `GetUserNameW`) and the computer's name. Never an environment
    /// variable: `set USER=総務部長` must not change the ledger (issue #25).
    pub fn current() -> Person {
        let clean = |v: String| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        Person { user: crate::platform::os_user().and_then(clean), host: crate::platform::os_host().and_then(clean) }
    }
}

/// One key the archive was addressed to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RecipientFacts {
    /// The address-book name (the receiving office), if the key has one.
    pub office: Option<String>,
    /// SHA-256 (hex) of the public key as written (`age1…`).
    pub fingerprint: String,
    /// The key's kind code (`x25519`, `ssh`, `tag`, `tagpq`, `plugin`).
    pub kind: String,
    /// Added by policy (`policy.always`): IT's escrow or audit key.
    pub escrow: bool,
}

/// One file written to the medium.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VolumeFacts {
    /// Its file name on the medium (`whca-4r49-mxey-k2f2.age`, or `….age.001`
    /// when split): neutral, as the stick itself shows it. Absent in records
    /// written before it was kept (issue #25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its ciphertext's SHA-256 (empty in records written before it was kept).
    #[serde(default)]
    pub sha256: String,
}

/// The archive as it was written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArchiveFacts {
    /// The archive's file name (`whca-4r49-mxey-k2f2.age`; for a split
    /// archive the name its volumes share, without `.001`): what the sender
    /// passes on, and what `ledger show/report` accept. Absent in older records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Total size of the archive (all volumes).
    pub bytes: u64,
    /// SHA-256 of the ciphertext (all volumes joined), as in the checksum file.
    pub sha256: String,
    /// Each volume's size, in order (one entry when not split).
    pub volumes: Vec<VolumeFacts>,
    /// Read back from the medium after writing and matched.
    pub read_back: bool,
}

/// Where the archive went.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MediumFacts {
    /// The volume label, when known (`null`: none, or it could not be read).
    pub label: Option<String>,
    /// The file system: `fat`, `exfat`, `other`, `unknown`.
    pub fs: String,
    /// Whether the medium is removable (`null`: could not tell).
    pub removable: Option<bool>,
}

/// An `Export` record: everything known about a packed archive but its contents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Export {
    /// The archive's id (the manifest's `id`, 32 hex digits).
    pub id: String,
    /// When it was saved, UTC, RFC 3339.
    pub time: String,
    pub sender: Person,
    pub recipients: Vec<RecipientFacts>,
    /// Opens with a passphrase instead of keys.
    pub passphrase: bool,
    pub files: u64,
    pub folders: u64,
    /// Sum of the packed files' sizes.
    pub data_bytes: u64,
    pub archive: ArchiveFacts,
    pub medium: MediumFacts,
    /// The hakobu version that packed it.
    pub hakobu: String,
    /// Algorithm codes used (see [`algorithms`]).
    pub algorithms: Vec<String>,
    /// `pack --purpose`.
    #[serde(default)]
    pub purpose: Option<String>,
    /// `pack --category` (data categories IT configures).
    #[serde(default)]
    pub categories: Vec<String>,
    /// A secret key file (or something like one) was seen on the medium when packing.
    #[serde(default)]
    pub key_on_medium: bool,
    /// The file list (`[{path, bytes}]` as JSON), age-encrypted (ASCII armor) to
    /// policy `[ledger] audit_recipients` only; absent without audit keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_manifest: Option<String>,
    /// Who signed the archive (issue #17): absent for an unsigned archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<SignerFacts>,
}

/// The signing key of a signed archive, and its name in the `[senders]` table (if listed).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SignerFacts {
    /// `SHA256:…` as ssh-keygen prints it.
    pub fingerprint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// How an arrival went.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ReceiptResult {
    /// Unpacked and every checksum matched.
    Verified,
    /// Refused (the kind code says why).
    Refused,
}

/// A `Receipt` record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Receipt {
    pub id: String,
    pub time: String,
    pub receiver: Person,
    pub result: ReceiptResult,
    /// The error's kind code when refused.
    #[serde(default)]
    pub reason: Option<String>,
    /// SHA-256 of the ciphertext, when known.
    #[serde(default)]
    pub sha256: Option<String>,
    /// `local` (this PC's unpack) or `imported` (`ledger import`).
    pub source: String,
    /// An imported receipt file's signature (issue #32): `Some(true)` signed
    /// by a key of `[senders]` (`signer` names it), `Some(false)` unsigned;
    /// absent for local receipts and for records older than the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<bool>,
    /// Who signed the imported receipt file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<SignerFacts>,
    /// The imported receipt file's own id ([`ReceiptFile::receipt_id`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_id: Option<String>,
}

/// The algorithms an archive uses, as codes: key wrapping per key kind,
/// then the payload (age: HKDF-SHA-256 and ChaCha20-Poly1305), then SHA-256.
pub fn algorithms(kinds: &[String], passphrase: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    };
    if passphrase {
        add("scrypt");
    }
    for k in kinds {
        match k.as_str() {
            "x25519" => add("x25519"),
            "ssh" => add("ssh"),
            "tag" => add("p256"),
            "tagpq" => {
                add("ml-kem-768");
                add("p256")
            }
            other => add(other),
        }
    }
    add("hkdf-sha-256");
    add("chacha20-poly1305");
    add("sha-256");
    out
}

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// What is wrong with a ledger (`ledger verify`, and any read of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum LedgerProblem {
    /// Line `line` is not a record (bad JSON, unknown version, too long).
    BadLine { line: u64 },
    /// The record on line `line` (seq `seq`, archive `id`) was altered: the
    /// next record's `prev` does not match it. `line` is the altered one.
    Altered { line: u64, seq: u64, id: String },
    /// Records `from`..=`to` (by seq) are missing before line `line`.
    Missing { line: u64, from: u64, to: u64 },
    /// The last line has no newline: a write was cut (see the module docs).
    TornTail { line: u64 },
    /// The last line is a whole record that chains, but its newline is gone
    /// (an edit, not a crash: one write puts out the line with its newline).
    /// It counts as a record; the next append restores the newline.
    MissingNewline { line: u64, seq: u64 },
    /// `<ledger>.torn` lies beside the ledger: bytes of a record a crash cut
    /// off, set aside by an append (`bytes` long). IT looks at it, then moves it away.
    TornKept { path: PathBuf, bytes: u64 },
    /// `ledger verify --head HASH`: no record of the ledger has the kept hash
    /// (the records up to it were cut off, or it is another ledger's).
    HeadNotFound { head: String },
}

impl LedgerProblem {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerProblem::BadLine { .. } => "bad-line",
            LedgerProblem::Altered { .. } => "altered",
            LedgerProblem::Missing { .. } => "missing",
            LedgerProblem::TornTail { .. } => "torn-tail",
            LedgerProblem::MissingNewline { .. } => "missing-newline",
            LedgerProblem::TornKept { .. } => "torn-kept",
            LedgerProblem::HeadNotFound { .. } => "head-not-found",
        }
    }
}

/// A ledger's state after a full read.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub path: PathBuf,
    /// Whole records read.
    pub records: u64,
    /// SHA-256 of the last whole line (what the next record chains to).
    pub head: String,
    /// Problems, in file order (empty: the chain holds).
    pub problems: Vec<LedgerProblem>,
    /// `ledger verify --head HASH`: where the kept head was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_head: Option<KeptHead>,
    /// Each line's hash and, for a record, its seq (for `--head`).
    #[serde(skip)]
    pub line_hashes: Vec<(String, Option<u64>)>,
}

/// A head hash kept elsewhere (`ledger verify --head HASH`) and the record that has it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KeptHead {
    /// The hash as given (lower case).
    pub hash: String,
    /// The line and seq of the record whose hash it is (`None`: no record has it).
    pub line: Option<u64>,
    pub seq: Option<u64>,
    /// Records after it (written since the head was kept).
    pub records_after: u64,
}

/// The name of the file a torn tail's bytes are set aside in: `<ledger>.torn`.
pub fn torn_path(ledger: &Path) -> PathBuf {
    let mut s = ledger.as_os_str().to_owned();
    s.push(".torn");
    PathBuf::from(s)
}

/// Reads the whole ledger and checks the chain. A ledger that does not
/// exist (deleted, moved, a share that is offline) or cannot be read is an
/// error, never an empty ledger: "0 records, chain intact" would vouch for
/// nothing (issue #25).
pub fn read_all(path: &Path) -> Result<(Vec<Record>, VerifyReport)> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Error::LedgerMissing { path: path.to_owned() }),
        Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(Error::Interrupted),
        Err(source) => return Err(Error::LedgerUnreadable { path: path.to_owned(), source }),
    };
    let (records, mut report) = check(path, &bytes);
    // A torn record set aside is kept for IT: the ledger is not "intact" while it lies there.
    let torn = torn_path(path);
    if let Ok(meta) = fs::symlink_metadata(&torn) {
        report.problems.push(LedgerProblem::TornKept { path: torn, bytes: meta.len() });
    }
    Ok((records, report))
}

/// Parses one line as a record of this version (what [`check`] counts as one).
fn parse_record(line: &[u8]) -> Option<Record> {
    if line.len() > MAX_LINE {
        return None;
    }
    serde_json::from_slice::<Record>(line).ok().filter(|r| r.v == RECORD_VERSION)
}

/// Checks the chain of a ledger's bytes.
pub fn check(path: &Path, bytes: &[u8]) -> (Vec<Record>, VerifyReport) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut prev_hash = GENESIS.to_owned();
    let mut prev_seq = 0u64;
    let mut prev_rec: Option<(u64, u64, String)> = None; // line, seq, id
    let mut rest = bytes;
    let mut line_no = 0u64;
    // Each line's hash and, for a record, its seq (`--head`).
    let mut hashes: Vec<(String, Option<u64>)> = Vec::new();
    while !rest.is_empty() {
        line_no += 1;
        let (line, torn) = match memchr::memchr(b'\n', rest) {
            Some(i) => {
                let l = &rest[..i];
                rest = &rest[i + 1..];
                (l, false)
            }
            None => {
                let l = rest;
                rest = &[];
                (l, true)
            }
        };
        let rec = parse_record(line);
        if torn {
            // A whole record that chains, only its newline gone, counts (and
            // is named); anything else is a write a crash cut off.
            match &rec {
                Some(r) if r.prev == prev_hash && r.seq == prev_seq + 1 => {
                    problems.push(LedgerProblem::MissingNewline { line: line_no, seq: r.seq })
                }
                _ => {
                    problems.push(LedgerProblem::TornTail { line: line_no });
                    break;
                }
            }
        }
        let hash = sha256_hex(line);
        hashes.push((hash.clone(), rec.as_ref().map(|r| r.seq)));
        let Some(rec) = rec else {
            problems.push(LedgerProblem::BadLine { line: line_no });
            prev_hash = hash;
            prev_rec = None;
            continue;
        };
        if rec.seq > prev_seq + 1 {
            problems.push(LedgerProblem::Missing { line: line_no, from: prev_seq + 1, to: rec.seq - 1 });
        } else if rec.prev != prev_hash {
            match &prev_rec {
                Some((l, s, id)) => problems.push(LedgerProblem::Altered { line: *l, seq: *s, id: id.clone() }),
                // The first line's prev is not genesis: it was edited, or records before it are gone.
                None if prev_seq == 0 => {
                    problems.push(LedgerProblem::Altered { line: line_no, seq: rec.seq, id: rec.entry.id().to_owned() })
                }
                None => {}
            }
        }
        prev_hash = hash;
        prev_seq = rec.seq;
        prev_rec = Some((line_no, rec.seq, rec.entry.id().to_owned()));
        records.push(rec);
    }
    let report = VerifyReport {
        path: path.to_owned(),
        records: records.len() as u64,
        head: prev_hash,
        problems,
        kept_head: None,
        line_hashes: hashes,
    };
    (records, report)
}

/// An open ledger, checked writable; [`Ledger::append`] adds a record.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    file: File,
}

impl Ledger {
    /// Creates the folder and the file if needed, opens it for append, takes
    /// and releases the lock, and checks that its folder has room: every
    /// check that can be made before a pack writes anything.
    pub fn open(path: &Path) -> Result<Ledger> {
        let unwritable = |source: io::Error| Error::LedgerUnwritable { path: path.to_owned(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(unwritable)?;
            if let Some(free) = crate::platform::free_space(dir) {
                if free < MIN_FREE {
                    return Err(unwritable(io::Error::from(io::ErrorKind::StorageFull)));
                }
            }
        }
        // Read and write, not append: on Windows an append-only handle cannot
        // cut a torn tail (`set_len` needs write access). Every writer holds
        // the exclusive lock and seeks to the end first, so records never mix.
        let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).map_err(unwritable)?;
        crate::platform::lock_exclusive(&file).map_err(unwritable)?;
        let mut ledger = Ledger { path: path.to_owned(), file };
        // The line the record will chain to can be found (else the pack stops
        // here, before it writes anything, not after).
        let probed = ledger.tail(false);
        crate::platform::unlock(&ledger.file).map_err(unwritable)?;
        probed.map_err(unwritable)?;
        Ok(ledger)
    }

    /// The ledger's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record (its `v`, `seq` and `prev` are filled in here)
    /// under the lock; returns the record as written.
    pub fn append(&mut self, entry: Entry) -> std::result::Result<Record, io::Error> {
        crate::platform::lock_exclusive(&self.file)?;
        let result = self.append_locked(entry);
        let unlocked = crate::platform::unlock(&self.file);
        let rec = result?;
        unlocked?;
        Ok(rec)
    }

    fn append_locked(&mut self, entry: Entry) -> io::Result<Record> {
        let (prev, seq) = self.tail(true)?;
        let rec = Record { v: RECORD_VERSION, seq: seq + 1, prev, entry };
        let mut line = serde_json::to_vec(&rec).map_err(io::Error::other)?;
        if line.len() > MAX_LINE {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "record too long"));
        }
        line.push(b'\n');
        // One write of one whole line, at the end (under the lock, after any repair of the tail).
        self.file.seek(SeekFrom::End(0))?;
        let n = crate::platform::retry_interrupted(|| (&self.file).write(&line))?;
        if n != line.len() {
            // A short write (disk full mid-line): cut it back so no torn line stays.
            let len = self.file.metadata()?.len();
            self.file.set_len(len - n as u64)?;
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        self.file.sync_data()?;
        Ok(rec)
    }

    /// The hash and seq of the last whole line, which the next record chains
    /// to. With `repair`, the tail is made whole first (module docs): a torn
    /// last line is set aside in `<ledger>.torn` and cut off; a whole record
    /// that chains and lacks only its newline gets its newline back (it is a
    /// record: setting it aside would reuse its number). Without `repair`
    /// (the check [`Ledger::open`] makes before a pack writes anything) the
    /// file is left as it is and the answer is what the repair would give.
    ///
    /// A last line that is not a record (an edit, an editor's stray line)
    /// does not stop the append: the new record chains to that line's bytes
    /// and takes the number after the last record's, so nothing is lost,
    /// removing the line later breaks the chain, and `ledger verify` names
    /// it (`bad-line`) until IT has looked at it (docs/LEDGER.md).
    fn tail(&mut self, repair: bool) -> io::Result<(String, u64)> {
        let len = self.file.metadata()?.len();
        if len == 0 {
            return Ok((GENESIS.to_owned(), 0));
        }
        let window = len.min((2 * MAX_LINE) as u64 + 2);
        let start = len - window;
        let mut buf = vec![0u8; window as usize];
        self.file.seek(SeekFrom::Start(start))?;
        self.file.read_exact(&mut buf)?;
        let too_long = || io::Error::new(io::ErrorKind::InvalidData, "last line too long");
        if buf[buf.len() - 1] != b'\n' {
            let cut = memchr::memrchr(b'\n', &buf).map(|i| i + 1).unwrap_or(0);
            if cut == 0 && start > 0 {
                return Err(too_long());
            }
            let before = match last_line(&buf[..cut], start) {
                Some(l) => sha256_hex(l?),
                None => GENESIS.to_owned(),
            };
            let whole = parse_record(&buf[cut..]).is_some_and(|r| r.prev == before);
            if whole {
                if repair {
                    self.file.seek(SeekFrom::End(0))?;
                    crate::platform::retry_interrupted(|| (&self.file).write_all(b"\n"))?;
                    self.file.sync_data()?;
                }
                buf.push(b'\n');
            } else {
                if repair {
                    // Torn: keep the bytes in `<ledger>.torn`, cut the ledger back.
                    let mut torn = OpenOptions::new().append(true).create(true).open(torn_path(&self.path))?;
                    torn.write_all(&buf[cut..])?;
                    torn.write_all(b"\n")?;
                    torn.sync_data()?;
                    self.file.set_len(start + cut as u64)?;
                    self.file.sync_data()?;
                }
                buf.truncate(cut);
            }
        }
        let Some(last) = last_line(&buf, start) else { return Ok((GENESIS.to_owned(), 0)) };
        let last = last?;
        let seq = match parse_record(last) {
            Some(r) => r.seq,
            // Not a record: the number goes on from the last record's (a rare path: the whole file is read).
            None => self.last_seq()?,
        };
        Ok((sha256_hex(last), seq))
    }

    /// The seq of the last record in the file (0: none), whatever lines follow it.
    fn last_seq(&mut self) -> io::Result<u64> {
        let mut bytes = Vec::new();
        self.file.seek(SeekFrom::Start(0))?;
        self.file.read_to_end(&mut bytes)?;
        let (records, _) = check(&self.path, &bytes);
        Ok(records.last().map_or(0, |r| r.seq))
    }
}

/// The last whole line of `buf` (which ends with a newline, or is empty),
/// without its newline; `None` when there is none. `start` is where `buf`
/// begins in the file: a line that may begin before it is too long.
fn last_line(buf: &[u8], start: u64) -> Option<io::Result<&[u8]>> {
    let body = buf.strip_suffix(b"\n")?;
    let from = memchr::memrchr(b'\n', body).map(|i| i + 1).unwrap_or(0);
    if from == 0 && start > 0 {
        return Some(Err(io::Error::new(io::ErrorKind::InvalidData, "last line too long")));
    }
    Some(Ok(&body[from..]))
}

/// Where a record went (pack's and unpack's `--json` show it).
#[derive(Debug, Clone, Serialize)]
pub struct LedgerWritten {
    pub path: PathBuf,
    pub seq: u64,
}

/// A record pack could not write, where policy (`[ledger] required =
/// false`) let the pack go on without it: the pack says so (a notice, and
/// `ledger_not_written` in `--json`), so nobody takes the archive for recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotWritten {
    /// The ledger that could not be written (`None`: no place for one is known).
    pub path: Option<PathBuf>,
    /// Why: the error's kind code (`ledger-unwritable`, `ledger-missing`, …).
    pub reason: String,
    /// The OS's own words, when an I/O error stopped it.
    pub detail: String,
    /// What that I/O error means (the front-end words it); `None` for other errors.
    #[serde(skip)]
    pub io: Option<crate::error::IoKind>,
}

impl NotWritten {
    /// From the error that stopped the record.
    pub fn of(path: Option<PathBuf>, e: &Error) -> NotWritten {
        let (detail, io) = match e {
            Error::LedgerUnwritable { source, .. } | Error::LedgerUnreadable { source, .. } => {
                (source.to_string(), Some(crate::error::io_kind(source)))
            }
            other => (other.kind().to_owned(), None),
        };
        NotWritten { path, reason: e.kind().to_owned(), detail, io }
    }
}

/// Opens the ledger named by the config's policy, before an operation writes
/// anything: `Ok(Err(..))` when it cannot be written and policy does not
/// require it (the caller says so), an error when policy requires it.
pub fn open_configured(config: &crate::keys::config::Config) -> Result<std::result::Result<Ledger, NotWritten>> {
    match locate(&config.ledger) {
        Some(path) => match Ledger::open(&path) {
            Ok(l) => Ok(Ok(l)),
            Err(e) if config.ledger.required => Err(e),
            Err(e) => Ok(Err(NotWritten::of(Some(path), &e))),
        },
        None => {
            let e = Error::LedgerUnwritable { path: PathBuf::from(DEFAULT_FILE_NAME), source: io::Error::from(io::ErrorKind::NotFound) };
            if config.ledger.required {
                Err(e)
            } else {
                Ok(Err(NotWritten::of(None, &e)))
            }
        }
    }
}

/// The audit copy: `listing` as JSON, encrypted to policy `[ledger]
/// audit_recipients` (public keys or address-book names), ASCII-armored. IT reads it with stock age:
/// `jq -r .audit_manifest | age -d -i AUDIT-KEY`.
pub fn audit_copy(ctx: &crate::ops::Context, config: &crate::keys::config::Config, listing: &[(String, u64)]) -> Result<String> {
    let mut texts: Vec<String> = Vec::new();
    for k in &config.ledger.audit_recipients {
        match config.lookup(k) {
            Ok((_, ks)) => texts.extend(ks.iter().cloned()),
            Err(_) => texts.push(k.clone()),
        }
    }
    let recipients = crate::format::crypto::read_recipients(&texts, &[], ctx.prompter.clone())?;
    let items: Vec<serde_json::Value> = listing.iter().map(|(p, b)| serde_json::json!({ "path": p, "bytes": b })).collect();
    let plain = serde_json::to_vec(&items).expect("listing serialises");
    let enc = age::Encryptor::with_recipients(recipients.iter().map(|r| r.as_ref() as &dyn age::Recipient))
        .map_err(|e| Error::RecipientsUnusable { detail: e.to_string() })?;
    let mut out = Vec::new();
    let io_err = |e: io::Error| Error::LedgerUnwritable { path: PathBuf::from(DEFAULT_FILE_NAME), source: e };
    let armored = age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor).map_err(io_err)?;
    let mut w = enc.wrap_output(armored).map_err(io_err)?;
    w.write_all(&plain).map_err(io_err)?;
    w.finish().and_then(|a| a.finish()).map_err(io_err)?;
    Ok(String::from_utf8(out).expect("armor is ASCII"))
}

/// The receipt file of an archive: `NAME.age.receipt` beside it.
pub fn receipt_path(archive: &Path) -> PathBuf {
    let mut s = archive.as_os_str().to_owned();
    s.push(".receipt");
    PathBuf::from(s)
}

/// The default ledger: `ledger.jsonl` in hakobu's per-user data folder.
pub fn default_path() -> Option<PathBuf> {
    crate::keys::config::data_dir().map(|d| d.join(DEFAULT_FILE_NAME))
}

/// Where the ledger is: policy `[ledger] path` (a leading `~` is not expanded), else [`default_path`].
pub fn locate(policy: &crate::keys::config::LedgerPolicy) -> Option<PathBuf> {
    policy.path.clone().or_else(default_path)
}

/// A record's time (UTC, RFC 3339) in this computer's time zone: the time
/// the screen shows for it, and the day `ledger list --since/--until`
/// compare. `None` when the text is not an RFC 3339 time.
pub fn local_time(rfc3339: &str) -> Option<jiff::ZonedDateTime> {
    rfc3339.parse::<jiff::Timestamp>().ok().map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::system()))
}

/// The day (YYYY-MM-DD) a record was made on, in this computer's time zone
/// (the date shown for it); a time that does not parse gives its first ten
/// characters, as they are shown.
pub fn local_day(rfc3339: &str) -> String {
    match local_time(rfc3339) {
        Some(t) => t.date().to_string(),
        None => rfc3339.get(..10).unwrap_or("").to_owned(),
    }
}

/// Now, UTC, RFC 3339 (seconds).
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The ledger `ledger` commands read: `--ledger FILE`, else policy's `[ledger] path`, else the default.
pub fn locate_for(ctx: &crate::ops::Context, flag: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p);
    }
    let config = crate::keys::config::Config::load(ctx.config_path.as_deref(), false)?;
    locate(&config.ledger).ok_or(Error::NoConfigLocation)
}

/// `ledger verify`: the chain's state (never an error for a broken chain: the report says it).
///
/// With `head` (a last record's hash kept elsewhere, `ledger verify --head
/// HASH`): a record of this ledger must have that hash, so records cut off
/// the end since it was kept show ([`LedgerProblem::HeadNotFound`]); the
/// chain up to it is checked with the rest.
pub fn verify(path: &Path, head: Option<&str>) -> Result<VerifyReport> {
    let mut report = read_all(path)?.1;
    if let Some(head) = head {
        let hash = head.trim().to_ascii_lowercase();
        let at = report.line_hashes.iter().enumerate().find(|(_, (h, seq))| *h == hash && seq.is_some());
        let kept = match at {
            Some((i, (_, seq))) => KeptHead {
                hash: hash.clone(),
                line: Some(i as u64 + 1),
                seq: *seq,
                records_after: report.line_hashes[i + 1..].iter().filter(|(_, s)| s.is_some()).count() as u64,
            },
            None => {
                report.problems.push(LedgerProblem::HeadNotFound { head: hash.clone() });
                KeptHead { hash, line: None, seq: None, records_after: 0 }
            }
        };
        report.kept_head = Some(kept);
    }
    Ok(report)
}

/// Whether `text` is a head hash as `ledger verify` prints it (64 hex digits).
pub fn is_head_hash(text: &str) -> bool {
    is_hex(text.trim(), 64)
}

/// One archive as the ledger knows it: its export record and the receipts for it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub seq: u64,
    #[serde(flatten)]
    pub export: Export,
    /// Receipts for this id (local unpacks and imported receipt files), in ledger order.
    pub receipts: Vec<Receipt>,
}

/// `ledger list` filters (all optional).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// From this day on (YYYY-MM-DD, compared with the record's date in this
    /// computer's time zone, the date shown for it: [`local_day`]).
    pub since: Option<String>,
    /// Up to this day (inclusive).
    pub until: Option<String>,
    /// Addressed to this office (address-book name, compared after NFC).
    pub office: Option<String>,
    /// Packed by this OS user.
    pub sender: Option<String>,
    /// No verified receipt yet (a refused arrival still needs sending again).
    pub not_received: bool,
    /// Written to the medium with this volume label (compared without case, as Windows does).
    pub medium: Option<String>,
}

/// Pairs exports with their receipts. A receipt names its archive by id,
/// or, refused before the id could be read (`id` empty), by the
/// ciphertext's SHA-256 (the checksum file's), which the export recorded.
/// Receipts without an export here are left out.
pub fn items(records: &[Record]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut by_hash: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in records {
        match &r.entry {
            Entry::Export(e) => {
                at.insert(e.id.clone(), out.len());
                by_hash.insert(e.archive.sha256.to_ascii_lowercase(), out.len());
                out.push(Item { seq: r.seq, export: e.clone(), receipts: vec![] });
            }
            Entry::Receipt(rc) => {
                let found =
                    if rc.id.is_empty() { rc.sha256.as_deref().and_then(|h| by_hash.get(&h.to_ascii_lowercase())) } else { at.get(&rc.id) };
                if let Some(&i) = found {
                    out[i].receipts.push(rc.clone());
                }
            }
        }
    }
    out
}

impl Item {
    /// How the archive arrived, as the latest receipt says: `None` before any.
    pub fn arrival(&self) -> Option<&Receipt> {
        self.receipts.last()
    }

    /// Whether a receipt says it arrived and every byte verified.
    pub fn received(&self) -> bool {
        self.receipts.iter().any(|r| r.result == ReceiptResult::Verified)
    }
}

/// `ledger list`: the archives that pass the filter, oldest first.
pub fn list(path: &Path, filter: &Filter) -> Result<(Vec<Item>, VerifyReport)> {
    let (records, report) = read_all(path)?;
    let office = filter.office.as_deref().map(crate::keys::config::normalize_name);
    let all = items(&records);
    let kept =
        all.into_iter()
            .filter(|i| {
                let day = local_day(&i.export.time);
                filter.since.as_deref().is_none_or(|s| day.as_str() >= s)
                    && filter.until.as_deref().is_none_or(|u| day.as_str() <= u)
                    && office.as_deref().is_none_or(|o| {
                        i.export.recipients.iter().any(|r| {
                            r.office.as_deref().is_some_and(|n| n.split(", ").any(|n| crate::keys::config::normalize_name(n) == o))
                        })
                    })
                    && filter.sender.as_deref().is_none_or(|s| i.export.sender.user.as_deref() == Some(s))
                    && (!filter.not_received || !i.received())
                    && filter.medium.as_deref().is_none_or(|m| label_matches(i.export.medium.label.as_deref(), m))
            })
            .collect();
    Ok((kept, report))
}

/// A volume label as Windows compares it: without case, without the
/// blanks FAT pads it with.
fn label_matches(label: Option<&str>, want: &str) -> bool {
    let norm = |s: &str| s.trim().to_lowercase();
    label.is_some_and(|l| !want.trim().is_empty() && norm(l) == norm(want))
}

/// The last part of a path as typed on either system (`E:\x.age`, `/media/x.age`).
fn last_component(s: &str) -> &str {
    s.rsplit(['/', '\\']).next().unwrap_or(s)
}

/// Whether `query` names this archive: its id or an id prefix of at least
/// 4 hex digits, its record number, its file name (with or without `.age`,
/// with or without a folder; its checksum, signature or receipt file's name
/// too), a volume's name, or the label of the stick it was written to.
fn names(i: &Item, query: &str) -> bool {
    let q = query.trim();
    let lower = q.to_lowercase();
    if lower.len() >= 4 && lower.bytes().all(|b| b.is_ascii_hexdigit()) && i.export.id.to_ascii_lowercase().starts_with(&lower) {
        return true;
    }
    let number = lower.strip_prefix("no.").or_else(|| lower.strip_prefix('#')).unwrap_or(&lower).trim();
    if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) && number.parse::<u64>().ok() == Some(i.seq) {
        return true;
    }
    let file = last_component(&lower);
    let file = [".sha256", ".sig", ".receipt"].iter().find_map(|x| file.strip_suffix(x)).unwrap_or(file);
    if !file.is_empty() {
        if let Some(name) = i.export.archive.name.as_deref().map(str::to_lowercase) {
            if file == name || name.strip_suffix(".age") == Some(file) {
                return true;
            }
        }
        if i.export.archive.volumes.iter().filter_map(|v| v.name.as_deref()).any(|v| v.to_lowercase() == file) {
            return true;
        }
    }
    label_matches(i.export.medium.label.as_deref(), q)
}

/// A record that matched a query naming more than one (the front-end lists them to choose from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The record number (`No.`).
    pub seq: u64,
    pub id: String,
    /// When it was packed (UTC, RFC 3339).
    pub time: String,
    /// The archive's file name, when recorded.
    pub name: Option<String>,
    /// The stick's label, when recorded.
    pub label: Option<String>,
}

/// One archive named by [`names`]'s rules: its id (or a unique prefix of at
/// least 4 hex digits), record number, file name, a volume's name, or the
/// stick's label. None is [`Error::LedgerRecordNotFound`]; more than one
/// (a label several packs share) is [`Error::LedgerRecordAmbiguous`], which
/// lists them so that one can be chosen by number or id.
pub fn find(path: &Path, query: &str) -> Result<(Item, VerifyReport)> {
    let (records, report) = read_all(path)?;
    let mut hits: Vec<Item> = items(&records).into_iter().filter(|i| names(i, query)).collect();
    match hits.len() {
        1 => Ok((hits.remove(0), report)),
        0 => Err(Error::LedgerRecordNotFound { path: path.to_owned(), id: query.to_owned() }),
        _ => Err(Error::LedgerRecordAmbiguous {
            path: path.to_owned(),
            query: query.to_owned(),
            candidates: hits
                .into_iter()
                .map(|i| Candidate {
                    seq: i.seq,
                    id: i.export.id,
                    time: i.export.time,
                    name: i.export.archive.name,
                    label: i.export.medium.label,
                })
                .collect(),
        }),
    }
}

/// An algorithm and the standard that defines it.
#[derive(Debug, Clone, Serialize)]
pub struct Algorithm {
    /// The code in the record (`x25519`, `chacha20-poly1305`, ...).
    pub code: String,
    /// What it is used for: `key-agreement`, `key-wrapping`, `passphrase-kdf`, `key-derivation`, `encryption`, `checksum`.
    pub role: &'static str,
    /// The standard that defines it (`RFC 7748`, `FIPS 180-4`, ...).
    pub standard: &'static str,
}

/// The standard and role of an algorithm code.
pub fn algorithm(code: &str) -> Algorithm {
    let (role, standard) = match code {
        "x25519" => ("key-agreement", "RFC 7748"),
        "scrypt" => ("passphrase-kdf", "RFC 7914"),
        "hkdf-sha-256" => ("key-derivation", "RFC 5869"),
        "chacha20-poly1305" => ("encryption", "RFC 8439"),
        "sha-256" => ("checksum", "FIPS 180-4"),
        "ssh" => ("key-wrapping", "RFC 8017 (ssh-rsa, RSA-OAEP) / RFC 7748 (ssh-ed25519, via X25519)"),
        "p256" => ("key-agreement", "FIPS 186-5 / SP 800-186 (P-256)"),
        "ml-kem-768" => ("key-encapsulation", "FIPS 203"),
        _ => ("key-wrapping", "unknown (plugin)"),
    };
    Algorithm { code: code.to_owned(), role, standard }
}

/// What hakobu cannot know about a lost archive (codes; the front-end words them).
pub const UNKNOWABLE: &[&str] = &["passphrase-handover", "key-leaked-elsewhere", "copies-elsewhere", "contents-beyond-record"];

/// `ledger report ID`: the facts a lost-stick report (the PPC's form) needs that hakobu knows.
#[derive(Debug, Clone, Serialize)]
pub struct LostStickReport {
    pub id: String,
    /// The archive's file name, when recorded (what the sender passed on).
    pub archive_name: Option<String>,
    /// Each volume's file name, when recorded (one for an archive not split).
    pub volume_names: Vec<String>,
    /// When it was packed (UTC).
    pub time: String,
    pub sender: Person,
    pub purpose: Option<String>,
    /// Data categories tagged at pack time (empty: not tagged).
    pub categories: Vec<String>,
    pub files: u64,
    pub folders: u64,
    pub data_bytes: u64,
    pub archive_bytes: u64,
    pub archive_sha256: String,
    pub volumes: usize,
    /// Always true: hakobu writes nothing unencrypted to the medium but the checksum file.
    pub encrypted: bool,
    /// Opens with a passphrase (then who knows it is outside the record).
    pub passphrase: bool,
    pub algorithms: Vec<Algorithm>,
    /// Who can open it: the offices and IT's escrow keys (fingerprints).
    pub key_holders: Vec<RecipientFacts>,
    /// IT's escrow or audit key (added by policy) can open it too.
    pub escrow: bool,
    /// pack refuses a secret key among the sources (every file up to 16 KiB is scanned).
    pub secret_key_packed: bool,
    /// A secret key (or key-like file) lay on the medium when it was packed.
    pub key_on_medium: bool,
    pub medium: MediumFacts,
    pub hakobu: String,
    /// Receipts: whether (and when) it arrived.
    pub receipts: Vec<Receipt>,
    /// Whether the ledger's chain holds (if not, the record may have been altered).
    pub ledger_verified: bool,
    /// The record carries the file list encrypted to IT's audit keys.
    pub audit_copy: bool,
    /// The files, from the audit copy opened with IT's audit key (`None`: not asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_list: Option<Vec<AuditedFile>>,
    /// What hakobu cannot know ([`UNKNOWABLE`]).
    pub unknowable: Vec<&'static str>,
}

/// Builds the lost-stick report of archive `id`.
///
/// With `audit_keys` (IT's audit key files), the record's audit copy is
/// decrypted and the report lists the files; a record without one, or keys
/// that do not open it, is an error.
pub fn report(
    path: &Path,
    id: &str,
    audit_keys: &[PathBuf],
    prompter: std::sync::Arc<dyn crate::ops::Prompter>,
) -> Result<LostStickReport> {
    let (item, chain) = find(path, id)?;
    let e = item.export;
    let file_list = match (&e.audit_manifest, audit_keys.is_empty()) {
        (_, true) => None,
        (None, false) => return Err(Error::NoMatchingKey { path: path.to_owned(), tried: audit_keys.to_vec(), named: true }),
        (Some(armored), false) => Some(open_audit_copy(path, armored, audit_keys, prompter)?),
    };
    // What hakobu cannot know; how a passphrase was handed over matters only for a passphrase archive.
    let unknowable = UNKNOWABLE.iter().copied().filter(|u| e.passphrase || *u != "passphrase-handover").collect();
    Ok(LostStickReport {
        archive_name: e.archive.name.clone(),
        volume_names: e.archive.volumes.iter().filter_map(|v| v.name.clone()).collect(),
        escrow: e.recipients.iter().any(|r| r.escrow),
        id: e.id,
        time: e.time,
        sender: e.sender,
        purpose: e.purpose,
        categories: e.categories,
        files: e.files,
        folders: e.folders,
        data_bytes: e.data_bytes,
        archive_bytes: e.archive.bytes,
        archive_sha256: e.archive.sha256,
        volumes: e.archive.volumes.len(),
        encrypted: true,
        passphrase: e.passphrase,
        algorithms: e.algorithms.iter().map(|a| algorithm(a)).collect(),
        key_holders: e.recipients,
        secret_key_packed: false,
        key_on_medium: e.key_on_medium,
        medium: e.medium,
        hakobu: e.hakobu,
        receipts: item.receipts,
        ledger_verified: chain.problems.is_empty(),
        audit_copy: e.audit_manifest.is_some(),
        file_list,
        unknowable,
    })
}

/// A file named in an audit copy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuditedFile {
    pub path: String,
    pub bytes: u64,
}

/// Decrypts a record's audit copy with IT's audit key files.
fn open_audit_copy(
    ledger: &Path,
    armored: &str,
    keys: &[PathBuf],
    prompter: std::sync::Arc<dyn crate::ops::Prompter>,
) -> Result<Vec<AuditedFile>> {
    let identities = crate::format::crypto::read_identities(keys, prompter)?;
    let wrong = || Error::NoMatchingKey { path: ledger.to_owned(), tried: keys.to_vec(), named: true };
    let decryptor = age::Decryptor::new_buffered(age::armor::ArmoredReader::new(armored.as_bytes())).map_err(|_| wrong())?;
    let mut reader = decryptor.decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity)).map_err(|_| wrong())?;
    let mut plain = Vec::new();
    // The copy is one ledger line at most: a bound, not a stream.
    (&mut reader).take(MAX_LINE as u64 * 4).read_to_end(&mut plain).map_err(|_| wrong())?;
    serde_json::from_slice(&plain).map_err(|_| wrong())
}

/// The largest receipt file `ledger import` reads.
pub const MAX_RECEIPT: u64 = 16 * 1024;

/// A receipt file on the stick (`NAME.age.receipt`): id, time, result, ciphertext SHA-256.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReceiptFile {
    /// `hakobu-receipt`.
    pub format: String,
    pub v: u32,
    pub id: String,
    pub time: String,
    pub receiver: Person,
    pub result: ReceiptResult,
    #[serde(default)]
    pub reason: Option<String>,
    pub sha256: String,
    /// This receipt's own random id (32 hex digits; issue #32): the same
    /// receipt imported again is refused by it, whatever time it claims.
    /// Absent in receipt files written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_id: Option<String>,
    /// The receiving PC's signature (issue #32), when it has a signing key
    /// (`[signing] key`): an SSH signature (armored, as `ssh-keygen -Y sign`
    /// writes it) in the namespace [`RECEIPT_NAMESPACE`] over
    /// [`ReceiptFile::signed_bytes`]. Absent: an unsigned receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// The SSHSIG namespace of receipt signatures: not archives' (`hakobu`), so
/// that neither can pass for the other.
pub const RECEIPT_NAMESPACE: &str = "hakobu-receipt";

/// A clock this far ahead of the importing PC's is still taken (the
/// receiving PC's clock may run ahead: Kerberos allows 5 minutes too).
const CLOCK_SKEW: std::time::Duration = std::time::Duration::from_secs(5 * 60);

impl ReceiptFile {
    /// The bytes a receipt's signature covers: the receipt as hakobu writes
    /// it (compact JSON, fields in this struct's order) without `signature`.
    /// The importing side parses the file and writes these bytes again, so
    /// any change to a field (a time, a result) breaks the signature.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let bare = ReceiptFile { signature: None, ..self.clone() };
        serde_json::to_vec(&bare).expect("a receipt serialises")
    }

    /// Signs the receipt with the receiving PC's signing key (SHA-512, as ssh-keygen does).
    pub fn sign(&mut self, key: &ssh_key::PrivateKey) -> io::Result<()> {
        let sig = key.sign(RECEIPT_NAMESPACE, ssh_key::HashAlg::Sha512, &self.signed_bytes()).map_err(io::Error::other)?;
        self.signature = Some(sig.to_pem(ssh_key::LineEnding::LF).map_err(io::Error::other)?);
        Ok(())
    }

    /// Who signed it: `Ok(None)` unsigned; `Ok(Some(..))` a signature that
    /// holds, by a key `senders` lists (its name given); otherwise the
    /// problem code of [`Error::BadReceipt`]: `bad-signature` (does not hold,
    /// or is not a signature) or `unknown-signer` (holds, by a key not listed).
    pub fn signer(
        &self,
        senders: &std::collections::BTreeMap<String, Vec<String>>,
    ) -> std::result::Result<Option<SignerFacts>, &'static str> {
        let Some(armored) = &self.signature else { return Ok(None) };
        let sig = ssh_key::SshSig::from_pem(armored.as_bytes()).map_err(|_| "bad-signature")?;
        let key = ssh_key::PublicKey::from(sig.public_key().clone());
        key.verify(RECEIPT_NAMESPACE, &self.signed_bytes(), &sig).map_err(|_| "bad-signature")?;
        let name = senders
            .iter()
            .find(|(_, keys)| {
                keys.iter().filter_map(|k| crate::ops::signature::parse_sender_key(k)).any(|k| k.key_data() == sig.public_key())
            })
            .map(|(n, _)| n.clone())
            .ok_or("unknown-signer")?;
        Ok(Some(SignerFacts { fingerprint: key.fingerprint(ssh_key::HashAlg::Sha256).to_string(), name: Some(name) }))
    }
}

/// What `ledger import` takes from the importing PC's config (issue #32).
#[derive(Debug, Clone, Default)]
pub struct ReceiptPolicy {
    /// `[senders]`: the keys whose receipt signatures are taken.
    pub senders: std::collections::BTreeMap<String, Vec<String>>,
    /// `[ledger] require_signed_receipts`: an unsigned receipt is refused.
    pub require_signature: bool,
}

/// Writes a receipt file whole or not at all: a temporary file in the same
/// folder, synced, then renamed without replacing anything there.
pub fn write_receipt_file(path: &Path, receipt: &ReceiptFile) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut text = serde_json::to_vec(receipt).map_err(io::Error::other)?;
    text.push(b'\n');
    let mut tmp = tempfile::Builder::new().prefix(&crate::io::atomic::temp_prefix()).suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(&text)?;
    tmp.as_file().sync_all()?;
    let (_file, temp) = tmp.into_parts();
    crate::platform::rename_no_clobber(&temp, path)?;
    let _ = temp.keep();
    crate::platform::sync_dir(dir)
}

/// Parses a receipt file's bytes, checking every field as `ledger import`
/// does (the stick check uses it to tell hakobu's own receipt files from
/// anything else named like one). `Err` is the problem code of
/// [`Error::BadReceipt`]: `not-a-receipt` or `bad-field`.
pub fn parse_receipt(bytes: &[u8]) -> std::result::Result<ReceiptFile, &'static str> {
    if bytes.len() as u64 > MAX_RECEIPT {
        return Err("too-large");
    }
    let r: ReceiptFile = serde_json::from_slice(bytes).map_err(|_| "not-a-receipt")?;
    if r.format != "hakobu-receipt" || r.v != 1 {
        return Err("not-a-receipt");
    }
    // A refused archive may have been refused before its id was read: then
    // the ciphertext's hash alone names it.
    let id_unknown = r.id.is_empty() && r.result == ReceiptResult::Refused;
    if !(id_unknown || is_hex(&r.id, 32)) || !is_hex(&r.sha256, 64) {
        return Err("bad-field");
    }
    if r.receipt_id.as_deref().is_some_and(|x| !is_hex(x, 32)) || r.signature.as_deref().is_some_and(|x| x.len() > 8 * 1024) {
        return Err("bad-field");
    }
    if humantime::parse_rfc3339(&r.time).is_err()
        || !short_text(&r.receiver.user)
        || !short_text(&r.receiver.host)
        || !short_text(&r.reason)
    {
        return Err("bad-field");
    }
    Ok(r)
}

/// Reads and checks a receipt file ([`parse_receipt`]); refusals are [`Error::BadReceipt`].
pub fn read_receipt_file(file: &Path) -> Result<ReceiptFile> {
    let bad = |problem: &'static str| Error::BadReceipt { path: file.to_owned(), problem };
    let bytes = crate::io::atomic::read_small(file, MAX_RECEIPT).map_err(|e| match e.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::FileTooLarge => bad("too-large"),
        _ => Error::io(IoAction::Read, file, e),
    })?;
    parse_receipt(&bytes).map_err(bad)
}

/// Removes a receipt file from the stick once the ledger holds it: read
/// again and checked to be the receipt an `imported` record of this ledger
/// carries (same time, hash and result), so that nothing else is ever
/// deleted. Returns whether it was removed (`false`: it is not, or no
/// longer, the imported receipt, and it stays).
pub fn remove_imported_receipt(ledger_path: &Path, file: &Path) -> Result<bool> {
    let Ok(r) = read_receipt_file(file) else { return Ok(false) };
    let (records, _) = read_all(ledger_path)?;
    let imported = records.iter().any(|rec| match &rec.entry {
        Entry::Receipt(x) => {
            x.source == "imported"
                && x.time == r.time
                && x.result == r.result
                && x.sha256.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(&r.sha256))
        }
        Entry::Export(_) => false,
    });
    if !imported {
        return Ok(false);
    }
    fs::remove_file(file).map_err(|e| Error::io(IoAction::Remove, file, e))?;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = crate::platform::sync_dir(dir);
    }
    Ok(true)
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn short_text(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|t| t.chars().count() <= 128 && !t.chars().any(char::is_control))
}

/// `ledger import FILE`: checks a receipt file and appends it as a receipt
/// record. Refused, changing nothing: too large, not JSON of the receipt's
/// shape, an id or hash that is not hex, a time that is not RFC 3339 or is
/// ahead of this PC's clock (`future-time`), a signature that does not hold
/// (`bad-signature`) or by a key `[senders]` does not list
/// (`unknown-signer`), no signature where policy requires signatures
/// (`unsigned`), an id this ledger has no export of, a hash that differs
/// from the export's, or a receipt this ledger already holds — the same
/// receiving PC and account, result and reason for the same archive, at
/// whatever time (`already-imported`). An unsigned receipt that policy lets
/// in is recorded as such (`signed: false`).
pub fn import(ledger_path: &Path, file: &Path, policy: &ReceiptPolicy) -> Result<Record> {
    let bad = |problem: &'static str| Error::BadReceipt { path: file.to_owned(), problem };
    let r = read_receipt_file(file)?;
    let time = humantime::parse_rfc3339(&r.time).map_err(|_| bad("bad-field"))?;
    if time > std::time::SystemTime::now() + CLOCK_SKEW {
        return Err(bad("future-time"));
    }
    let signer = r.signer(&policy.senders).map_err(bad)?;
    if signer.is_none() && policy.require_signature {
        return Err(bad("unsigned"));
    }
    let id_unknown = r.id.is_empty();
    let (records, _) = read_all(ledger_path)?;
    let all = items(&records);
    let found = if id_unknown {
        all.iter().find(|i| i.export.archive.sha256.eq_ignore_ascii_case(&r.sha256))
    } else {
        all.iter().find(|i| i.export.id.eq_ignore_ascii_case(&r.id))
    };
    let Some(item) = found else {
        return Err(bad("unknown-id"));
    };
    if !item.export.archive.sha256.eq_ignore_ascii_case(&r.sha256) {
        return Err(bad("hash-mismatch"));
    }
    // The same receipt told twice: by its own id when it has one (another
    // time written in changes nothing; a second unpack makes another id), else
    // (older receipt files, or an id stripped) the same receiver, result and
    // reason for this archive.
    let duplicate = |x: &Receipt| match &r.receipt_id {
        Some(rid) => x.receipt_id.as_deref().is_some_and(|y| y.eq_ignore_ascii_case(rid)),
        None => x.time == r.time || (x.receiver == r.receiver && x.result == r.result && x.reason == r.reason),
    };
    if item.receipts.iter().any(|x| x.source == "imported" && duplicate(x)) {
        return Err(bad("already-imported"));
    }
    let mut ledger = Ledger::open(ledger_path)?;
    let entry = Entry::Receipt(Receipt {
        id: item.export.id.clone(),
        time: r.time,
        receiver: r.receiver,
        result: r.result,
        reason: r.reason,
        sha256: Some(r.sha256.to_ascii_lowercase()),
        source: "imported".into(),
        signed: Some(signer.is_some()),
        signer,
        receipt_id: r.receipt_id.map(|x| x.to_ascii_lowercase()),
    });
    ledger.append(entry).map_err(|source| Error::LedgerUnwritable { path: ledger_path.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(id: &str) -> Entry {
        Entry::Receipt(Receipt {
            id: id.into(),
            time: now(),
            receiver: Person::default(),
            result: ReceiptResult::Verified,
            reason: None,
            sha256: None,
            source: "local".into(),
            signed: None,
            signer: None,
            receipt_id: None,
        })
    }

    #[test]
    fn algorithms_name_scrypt_for_a_passphrase_and_the_key_kinds() {
        assert_eq!(algorithms(&[], true), ["scrypt", "hkdf-sha-256", "chacha20-poly1305", "sha-256"]);
        assert_eq!(algorithms(&["x25519".into(), "x25519".into(), "tagpq".into()], false)[..3], ["x25519", "ml-kem-768", "p256"]);
        assert_eq!(algorithm("scrypt").standard, "RFC 7914");
    }

    #[test]
    fn chain_verifies_and_names_an_edit_and_a_gap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.jsonl");
        let mut l = Ledger::open(&path).unwrap();
        for i in 0..5 {
            let r = l.append(receipt(&format!("id{i}"))).unwrap();
            assert_eq!(r.seq, i + 1);
        }
        let (recs, rep) = read_all(&path).unwrap();
        assert_eq!(recs.len(), 5);
        assert!(rep.problems.is_empty(), "{:?}", rep.problems);
        assert_eq!(recs[0].prev, GENESIS);

        let text = fs::read_to_string(&path).unwrap();
        let edited = text.replacen("\"id2\"", "\"idX\"", 1);
        let (_, rep) = check(&path, edited.as_bytes());
        assert_eq!(rep.problems, vec![LedgerProblem::Altered { line: 3, seq: 3, id: "idX".into() }]);

        let lines: Vec<&str> = text.lines().collect();
        let deleted = [lines[0], lines[1], lines[3], lines[4]].join("\n") + "\n";
        let (_, rep) = check(&path, deleted.as_bytes());
        assert_eq!(rep.problems, vec![LedgerProblem::Missing { line: 3, from: 3, to: 3 }]);
    }

    #[test]
    fn a_torn_tail_is_reported_then_repaired_by_the_next_append() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.jsonl");
        let mut l = Ledger::open(&path).unwrap();
        l.append(receipt("a")).unwrap();
        OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"v\":1,\"seq\":2,\"pr").unwrap();
        let (_, rep) = read_all(&path).unwrap();
        assert_eq!(rep.problems, vec![LedgerProblem::TornTail { line: 2 }]);
        let r = l.append(receipt("b")).unwrap();
        assert_eq!(r.seq, 2);
        let (recs, rep) = read_all(&path).unwrap();
        // The chain holds; the set-aside bytes are reported until IT moves them.
        let torn_file = dir.path().join("l.jsonl.torn");
        assert_eq!(rep.problems, vec![LedgerProblem::TornKept { path: torn_file.clone(), bytes: 19 }]);
        assert_eq!(recs.len(), 2);
        let torn = fs::read_to_string(&torn_file).unwrap();
        assert!(torn.starts_with("{\"v\":1,\"seq\":2,\"pr"));
    }

    #[test]
    fn a_whole_record_without_its_newline_is_kept_and_the_next_chains_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.jsonl");
        let mut l = Ledger::open(&path).unwrap();
        l.append(receipt("a")).unwrap();
        l.append(receipt("b")).unwrap();
        let text = fs::read(&path).unwrap();
        fs::write(&path, &text[..text.len() - 1]).unwrap();
        let (recs, rep) = read_all(&path).unwrap();
        assert_eq!((recs.len(), rep.problems.clone()), (2, vec![LedgerProblem::MissingNewline { line: 2, seq: 2 }]));
        let mut l = Ledger::open(&path).unwrap();
        assert_eq!(l.append(receipt("c")).unwrap().seq, 3);
        let (recs, rep) = read_all(&path).unwrap();
        assert!(rep.problems.is_empty(), "{:?}", rep.problems);
        assert_eq!(recs.iter().map(|r| r.entry.id()).collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn a_line_that_is_not_a_record_is_chained_to_not_a_stop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.jsonl");
        let mut l = Ledger::open(&path).unwrap();
        l.append(receipt("a")).unwrap();
        OpenOptions::new().append(true).open(&path).unwrap().write_all(b"not a record\n").unwrap();
        let mut l = Ledger::open(&path).unwrap();
        let r = l.append(receipt("b")).unwrap();
        assert_eq!((r.seq, r.prev.as_str()), (2, sha256_hex(b"not a record").as_str()));
        let (recs, rep) = read_all(&path).unwrap();
        assert_eq!((recs.len(), rep.problems), (2, vec![LedgerProblem::BadLine { line: 2 }]));
    }
}
