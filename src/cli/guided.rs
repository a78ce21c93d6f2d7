//! The guided mode (issue #15): `hakobu` with no command at a terminal, or
//! with paths only (a drop onto hakobu.exe, the 送る menu). It asks instead
//! of taking flags, and calls the same operations as the commands: every
//! answer is a flag the command line offers (`--to`, `-p`, `-o`, `-i`,
//! `--category`, `--purpose`, `--receipt`), the policy applies the same way,
//! and unpack never gets `allow_removable_destination`, so no plaintext lands
//! on a stick. A choice the library refuses is asked again, and nothing on
//! its screens names a flag (issue #25).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use age::secrecy::ExposeSecret;
use dialoguer::console::Term;
use dialoguer::theme::Theme;
use dialoguer::{Confirm, FuzzySelect, Input, Select};
use hakobu::error::exit;
use hakobu::keys::addressbook::{self, AudienceRequest, Holder, Via};
use hakobu::keys::config::Config;
use hakobu::ops::desktop::{self, Drive};
use hakobu::ops::pack::{self, PackRequest};
use hakobu::ops::unpack::{self, UnpackRequest};
use hakobu::ops::{Cancel, Context};
use hakobu::{Error, Result};

use crate::cli::prompt::TerminalPrompter;
use crate::cli::render::{self, count_files, holder_label, number, size};
use crate::cli::term::{err_line, Bar};
use crate::cli::wrap;
use crate::cli::Ui;
use crate::tr;

/// What the guided mode was started with: the paths dropped (or none: the
/// menu), and what a 送る-menu shortcut may pass (`--office`, `--category`).
pub fn run(config: Option<PathBuf>, paths: Vec<PathBuf>, office: Option<String>, category: Option<String>) -> Result<u8> {
    let term = Term::stderr();
    if !term.is_term() || !Term::stdout().is_term() && paths.is_empty() {
        err_line(&tr!("guided-no-terminal"));
        return Ok(exit::USAGE);
    }
    crate::interrupts::last_words(tr!("guided-cancelled"));
    let g = Guided { config, office, category };
    let op = if paths.is_empty() {
        render::Operation::Other
    } else if paths.iter().all(|p| is_archive_part(p)) {
        render::Operation::Unpack
    } else {
        render::Operation::Pack
    };
    let result = if paths.is_empty() {
        g.menu()
    } else if paths.iter().all(|p| is_archive_part(p)) {
        g.unpack_all(archives_of(&paths))
    } else {
        g.pack(paths)
    };
    let _ = term.show_cursor();
    let code = match result {
        Ok(code) => code,
        Err(Error::PromptCancelled) | Err(Error::Interrupted) => {
            err_line(&tr!("guided-cancelled"));
            exit::INTERRUPTED
        }
        Err(e) => {
            show_error(&e, op);
            e.exit_code()
        }
    };
    if desktop::console_is_ours() {
        // Windows opened this window for the drop and closes it when we exit.
        err_line(&tr!("guided-press-enter"));
        let _ = term.read_line();
    }
    Ok(code)
}

/// An error in the guided mode's words: the library's facts as the command
/// line renders them, except that nothing names a command-line flag (a
/// person here answers questions; a flag is nothing they can act on).
fn show_error(e: &Error, op: render::Operation) {
    let mut m = render::error_in(e, op);
    if let Some(title) = guided_title(e) {
        m.title = title;
    }
    if let Some(hint) = guided_hint(e) {
        m.hint = Some(hint);
    }
    if names_a_flag(&m.title) {
        m.title = tr!("guided-error-generic");
    }
    m.details.retain(|d| !names_a_flag(d));
    if m.hint.as_deref().is_some_and(names_a_flag) {
        m.hint = Some(tr!("guided-hint-ask-it"));
    }
    let mut text = tr!("prefix-error", text = m.title);
    text.push('\n');
    text.push_str(&tr!("prefix-data", text = m.data));
    for detail in &m.details {
        text.push_str(&format!("\n  {detail}"));
    }
    if let Some(hint) = &m.hint {
        text.push('\n');
        text.push_str(&tr!("prefix-hint", text = hint.as_str()));
    }
    text.push('\n');
    text.push_str(&tr!("prefix-code", code = e.kind()));
    err_line(&text);
}

/// Titles whose command-line words name a flag, in the guided mode's words.
fn guided_title(e: &Error) -> Option<String> {
    Some(match e {
        Error::NeedsKeyFile { .. } => tr!("guided-needs-key-file"),
        Error::NeedsPassphrase { .. } => tr!("guided-needs-passphrase"),
        Error::LedgerTagRequired { .. } => tr!("guided-error-generic"),
        _ => return None,
    })
}

/// What to do next, as something a person can do on this screen.
fn guided_hint(e: &Error) -> Option<String> {
    Some(match e {
        Error::NotEnoughSpace { .. } => tr!("guided-hint-not-enough-space"),
        Error::DestinationOnArchiveMedium { .. } | Error::DestinationRemovable { .. } => tr!("guided-hint-dest-again"),
        Error::OutputExists { .. } => tr!("guided-hint-dest-again"),
        Error::NoMatchingKey { .. } | Error::NeedsKeyFile { .. } => tr!("guided-hint-other-key"),
        Error::KeyFileMissing { .. } | Error::BadKeyFile { .. } | Error::BadSigningKey { .. } => tr!("guided-hint-key-again"),
        Error::SigningKeyRequired => tr!("guided-hint-signing-key"),
        _ => return None,
    })
}

/// Whether `text` names a command-line option (`-i`, `--split`): a `-`
/// that starts a word, followed by a letter or another `-`.
fn names_a_flag(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '-' | '_' | '.' | '/' | '\\'));
        c == '-' && starts_word && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || *n == '-')
    })
}

/// A dropped archive: `.age`, or one of its volumes (`.age.001`, `.age.002` ...).
fn is_archive_part(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    name.ends_with(".age") || is_volume_name(&name)
}

/// A volume of a split archive: `x.age.001`, `x.age.002` ...
fn is_volume_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(base, number)| {
        base.to_lowercase().ends_with(".age") && number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The archives among dropped paths, each once: the volumes of a split
/// archive (all of them may be dropped) stand for its first volume.
fn archives_of(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for p in paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let archive = if is_volume_name(&name) { p.with_file_name(format!("{}.001", &name[..name.len() - 4])) } else { p.clone() };
        if !out.contains(&archive) {
            out.push(archive);
        }
    }
    out
}

/// A prompt that was interrupted (Ctrl+C in a selection) or could not be shown: cancelled.
fn cancelled(_: dialoguer::Error) -> Error {
    Error::PromptCancelled
}

/// Paths as a console pastes them when files are dragged in: separated by
/// spaces, quoted when they hold one (no escapes: Windows paths keep their `\`).
fn split_dropped(text: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.trim().chars() {
        match c {
            '"' | '\'' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(PathBuf::from(current));
    }
    out
}

/// dialoguer's plain look, with the answer to a yes/no question in the chosen language.
///
/// Every question is cut into lines here, by the line-breaking rules
/// (cli::wrap), before dialoguer draws it: dialoguer counts the lines it
/// has drawn by their line breaks, so a question the terminal wrapped by
/// itself was cleared short and drawn twice (#26 item 3).
struct GuidedTheme;

/// Columns kept free after a question for its keys and the answer.
const ANSWER_ROOM: usize = 12;
/// Columns a typed answer (a path, a purpose) needs after its question.
const PATH_ROOM: usize = 40;

fn fit(prompt: &str) -> String {
    wrap::for_stderr(prompt, ANSWER_ROOM)
}

impl Theme for GuidedTheme {
    fn format_prompt(&self, f: &mut dyn std::fmt::Write, prompt: &str) -> std::fmt::Result {
        write!(f, "{}:", fit(prompt))
    }

    /// An answer typed after a question is a path or a sentence: when it
    /// could make the terminal wrap (which dialoguer would not count), it is
    /// typed on the line under the question.
    fn format_input_prompt(&self, f: &mut dyn std::fmt::Write, prompt: &str, default: Option<&str>) -> std::fmt::Result {
        let question = match default {
            Some(default) if prompt.is_empty() => format!("[{default}]:"),
            Some(default) => format!("{prompt} [{default}]:"),
            None => format!("{prompt}:"),
        };
        let question = fit(&question);
        match wrap::stderr_columns() {
            Some(columns) if wrap::width(question.rsplit('\n').next().unwrap_or("")) + PATH_ROOM > wrap::usable(columns) => {
                writeln!(f, "{question}")
            }
            _ => write!(f, "{question} "),
        }
    }

    fn format_input_prompt_selection(&self, f: &mut dyn std::fmt::Write, prompt: &str, sel: &str) -> std::fmt::Result {
        write!(f, "{}", fit(&format!("{prompt}: {sel}")))
    }

    fn format_select_prompt(&self, f: &mut dyn std::fmt::Write, prompt: &str) -> std::fmt::Result {
        self.format_prompt(f, prompt)
    }

    fn format_select_prompt_selection(&self, f: &mut dyn std::fmt::Write, prompt: &str, sel: &str) -> std::fmt::Result {
        write!(f, "{}", fit(&format!("{prompt}: {sel}")))
    }

    /// The question with its keys in the chosen language (dialoguer's own `[Y/n]` is English).
    fn format_confirm_prompt(&self, f: &mut dyn std::fmt::Write, prompt: &str, default: Option<bool>) -> std::fmt::Result {
        let keys = match default {
            Some(true) => tr!("guided-keys-default-yes"),
            Some(false) => tr!("guided-keys-default-no"),
            None => tr!("guided-keys"),
        };
        write!(f, "{} ", fit(&format!("{prompt} {keys}")))
    }

    fn format_confirm_prompt_selection(&self, f: &mut dyn std::fmt::Write, prompt: &str, selection: Option<bool>) -> std::fmt::Result {
        match selection {
            Some(yes) => write!(f, "{}", fit(&format!("{prompt} {}", if yes { tr!("guided-yes") } else { tr!("guided-no") }))),
            None => write!(f, "{}", fit(prompt)),
        }
    }
}

struct Guided {
    config: Option<PathBuf>,
    /// `--office NAME` (a 送る-menu shortcut for one office): no question for whom.
    office: Option<String>,
    /// `--category NAME` (a shortcut IT made for one kind of data): no question for the kind.
    category: Option<String>,
}

impl Guided {
    /// The context of one operation. Its cancel token is watched by Ctrl+C
    /// only while the operation runs ([`Guided::watch`]); at a question, Ctrl+C ends the program.
    fn context(&self) -> Context {
        Context {
            config_path: self.config.clone(),
            default_key: hakobu::keys::keyfile::default_identity_path(),
            prompter: Arc::new(TerminalPrompter),
            progress: Arc::new(Bar::new(false)),
            cancel: Cancel::new(),
        }
    }

    fn menu(&self) -> Result<u8> {
        let items = [tr!("guided-menu-send"), tr!("guided-menu-receive"), tr!("guided-menu-check")];
        let choice =
            Select::with_theme(&GuidedTheme).with_prompt(tr!("guided-title")).items(&items).default(0).interact().map_err(cancelled)?;
        match choice {
            0 => {
                let paths = ask_paths(&tr!("guided-ask-sources"))?;
                self.pack(paths)
            }
            1 => {
                let paths = ask_paths(&tr!("guided-ask-archive"))?;
                self.unpack_all(archives_of(&paths))
            }
            _ => self.verify(),
        }
    }

    /// Guided pack: what, for whom, what kind of data and why (when IT's
    /// policy requires them for the ledger), onto which stick, one
    /// confirmation, then `ops::pack` as `hakobu pack SOURCES -o STICK --to
    /// NAME --category KIND --purpose TEXT` would run it.
    fn pack(&self, sources: Vec<PathBuf>) -> Result<u8> {
        // Refused here, with pack's own reason, what pack would refuse in the sources.
        let what = pack::check_sources(&sources)?;
        err_line(&tr!(
            "guided-pack-summary",
            files = count_files(what.files),
            folders = number(what.folders),
            size = size(what.data_bytes)
        ));
        // The room the archive needs, planned while the person answers (the walk is not waited for twice).
        let bound = {
            let sources = sources.clone();
            std::thread::spawn(move || desktop::SourcesBound::of(&sources))
        };
        let config = Config::load(self.config.as_deref(), false)?;
        let Some((to, passphrase)) = self.choose_office(&config)? else {
            err_line(&tr!("guided-no-office"));
            return Ok(exit::REFUSED);
        };
        let categories = self.choose_category(&config)?;
        let purpose = if config.ledger.require_purpose {
            let text =
                Input::<String>::with_theme(&GuidedTheme).with_prompt(tr!("guided-ask-purpose")).interact_text().map_err(cancelled)?;
            Some(text)
        } else {
            None
        };

        // Onto which stick: one too small for this archive is shown, not offered.
        let keys = if passphrase {
            1
        } else {
            let request = AudienceRequest { to: to.clone(), recipients: vec![], recipients_files: vec![], passphrase };
            addressbook::resolve(&config, &request)?.holders().len()
        };
        let room = bound.join().map_err(|_| Error::Interrupted)??.for_keys(keys);
        let (out_dir, mut place, _) = choose_destination(config.policy.guided_folder, &room, &sources)?;

        let ctx = self.context();
        let mut req = PackRequest { sources, out_dir, to, passphrase, purpose, categories, ..PackRequest::default() };
        // Asked again, never sent to a flag: a signing key where IT requires
        // signatures and set none; another stick where the chosen one holds a
        // key that opens the archive, or the files being sent.
        let prepared = loop {
            match pack::prepare(&ctx, &req) {
                Ok(prepared) => break prepared,
                Err(e @ Error::SigningKeyRequired) => {
                    show_error(&e, render::Operation::Pack);
                    req.sign = Some(ask_one(&tr!("guided-ask-signing-key"), None)?);
                }
                Err(e @ (Error::BadSigningKey { .. } | Error::KeyFileMissing { .. } | Error::KeyFilePassphraseWrong))
                    if req.sign.is_some() =>
                {
                    show_error(&e, render::Operation::Pack);
                    req.sign = Some(ask_one(&tr!("guided-ask-signing-key"), None)?);
                }
                Err(e @ (Error::ArchiveKeyOnMedium { .. } | Error::SourceOnOutputMedium { .. })) => {
                    show_error(&e, render::Operation::Pack);
                    let (out_dir, again, _) = choose_destination(config.policy.guided_folder, &room, &req.sources)?;
                    (req.out_dir, place) = (out_dir, again);
                }
                Err(e) => return Err(e),
            }
        };
        err_line(&confirmation(&config, &prepared, &place));
        let go = Confirm::with_theme(&GuidedTheme).with_prompt(tr!("guided-ask-go")).default(true).interact().map_err(cancelled)?;
        if !go {
            return Err(Error::PromptCancelled);
        }
        watch(&ctx);
        let outcome = pack::execute(&ctx, prepared);
        crate::interrupts::unwatch();
        let outcome = outcome?;
        // Saved: a Ctrl+C from here on cancels nothing that was done.
        crate::interrupts::last_words(String::new());
        drop(ctx);
        if let Some(pass) = &outcome.generated_passphrase {
            err_line(&tr!("guided-generated-passphrase", passphrase = pass.expose_secret()));
        }
        let report = &outcome.report;
        // "You can remove the stick" only when it is true: a stick, holding
        // nothing readable this pack left (pack's own judgement).
        err_line(&match (report.verified_readback, outcome.safe_to_remove) {
            (true, true) => tr!("guided-pack-done"),
            (false, true) => tr!("guided-pack-done-unchecked"),
            (true, false) => tr!("guided-pack-done-folder"),
            (false, false) => tr!("guided-pack-done-folder-unchecked"),
        });
        let name = report.volumes.first().unwrap_or(&report.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        err_line(&tr!("guided-tell-receiver", name = name));
        if let Some(line) = crate::cli::render_ledger::pack_recorded(&outcome) {
            err_line(&line);
        }
        if outcome.passphrase {
            err_line(&tr!("guided-tell-passphrase"));
        }
        Ok(exit::OK)
    }

    /// For whom: the offices of the address book (IT's default first, not
    /// the keys policy adds by itself), a passphrase only where policy allows
    /// one; or the shortcut's office. Returns the names, or a passphrase
    /// (`None`: nothing to choose from).
    fn choose_office(&self, config: &Config) -> Result<Option<(Vec<String>, bool)>> {
        if let Some(office) = &self.office {
            // As `--to NAME`: an unknown name is refused with the closest known ones.
            let (name, _) = config.lookup(office)?;
            return Ok(Some((vec![name.to_owned()], false)));
        }
        let offices = desktop::offices(config);
        let mut names: Vec<String> = Vec::new();
        for n in &config.policy.default_to {
            let n = hakobu::keys::config::normalize_name(n);
            if offices.contains(&n) && !names.contains(&n) {
                names.push(n);
            }
        }
        for n in offices {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        let mut labels: Vec<String> = names
            .iter()
            .map(|n| {
                let shown = render::text(n);
                if names_default(config, n) {
                    tr!("guided-office-default", name = shown)
                } else {
                    shown
                }
            })
            .collect();
        // Policy refuses a passphrase archive when it adds escrow keys: not offered then.
        let passphrase_allowed = config.policy.allow_passphrase && config.policy.always.is_empty();
        if passphrase_allowed {
            labels.push(tr!("guided-office-passphrase"));
        }
        if labels.is_empty() {
            return Ok(None);
        }
        let pick = FuzzySelect::with_theme(&GuidedTheme)
            .with_prompt(tr!("guided-ask-office"))
            .items(&labels)
            .default(0)
            .interact()
            .map_err(cancelled)?;
        Ok(Some(if pick < names.len() { (vec![names[pick].clone()], false) } else { (Vec::new(), true) }))
    }

    /// The kind of data, for the ledger: the shortcut's, else asked from IT's
    /// list when policy requires one (typed when IT's list is empty); else none.
    fn choose_category(&self, config: &Config) -> Result<Vec<String>> {
        if let Some(kind) = self.category.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            return Ok(vec![kind.to_owned()]);
        }
        if !config.ledger.require_category {
            return Ok(Vec::new());
        }
        let list: Vec<&String> = config.ledger.categories.iter().filter(|c| !c.trim().is_empty()).collect();
        if list.is_empty() {
            let text = Input::<String>::with_theme(&GuidedTheme)
                .with_prompt(tr!("guided-ask-category-text"))
                .interact_text()
                .map_err(cancelled)?;
            return Ok(vec![text]);
        }
        let labels: Vec<String> = list.iter().map(|c| render::text(c)).collect();
        let pick = FuzzySelect::with_theme(&GuidedTheme)
            .with_prompt(tr!("guided-ask-category"))
            .items(&labels)
            .default(0)
            .interact()
            .map_err(cancelled)?;
        Ok(vec![list[pick].clone()])
    }

    /// Every dropped archive, one after another, each reported; a summary
    /// when there were several. Ctrl+C stops the rest.
    fn unpack_all(&self, archives: Vec<PathBuf>) -> Result<u8> {
        let total = archives.len();
        let mut done: Vec<PathBuf> = Vec::new();
        let mut failed = 0u64;
        let mut code = exit::OK;
        for (i, archive) in archives.into_iter().enumerate() {
            if total > 1 {
                let name = archive.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                err_line(&tr!("guided-archive-of", n = ((i + 1) as u64), total = (total as u64), name = render::text(&name)));
            }
            match self.unpack(archive) {
                Ok(dest) => {
                    done.push(dest);
                    // A Ctrl+C at a later question leaves what was unpacked, and says so.
                    crate::interrupts::last_words(tr!("guided-unpack-cancelled-rest", done = (done.len() as u64)));
                }
                Err(e @ (Error::PromptCancelled | Error::Interrupted)) => {
                    if done.is_empty() {
                        return Err(e);
                    }
                    err_line(&tr!("guided-unpack-cancelled-rest", done = (done.len() as u64)));
                    return Ok(exit::INTERRUPTED);
                }
                Err(e) => {
                    show_error(&e, render::Operation::Unpack);
                    failed += 1;
                    if code == exit::OK {
                        code = e.exit_code();
                    }
                }
            }
        }
        if total > 1 {
            err_line(&tr!("guided-unpack-all-done", done = (done.len() as u64), failed = failed));
        }
        if !done.is_empty() {
            let open = Confirm::with_theme(&GuidedTheme).with_prompt(tr!("guided-ask-open")).default(true).interact().map_err(cancelled)?;
            if open {
                for dest in &done {
                    open_folder(dest);
                }
            }
        }
        Ok(code)
    }

    /// Guided unpack of one archive: the default key (its passphrase asked),
    /// a new dated folder under Documents (never on the stick: unpack refuses
    /// that), a receipt beside the archive for the sender's ledger. A
    /// destination refused is asked again; a key that does not open it (or
    /// none) makes it ask for a key file. Returns the folder unpacked into.
    fn unpack(&self, archive: PathBuf) -> Result<PathBuf> {
        let proposed = desktop::documents_folder().map(|d| desktop::dated_folder(&d));
        let mut dest = ask_one(&tr!("guided-ask-dest"), proposed.as_deref())?;
        let mut identities: Vec<PathBuf> = Vec::new();
        // A key that does not open the archive leaves a "refused" receipt; the
        // one this session left is taken back before trying another key, so
        // that the receipt the stick carries back is the last attempt's.
        let receipt = hakobu::ops::ledger::receipt_path(&archive);
        let receipt_was_there = receipt.exists();
        loop {
            let ctx = self.context();
            let req = UnpackRequest {
                archive: archive.clone(),
                dest: dest.clone(),
                identities: identities.clone(),
                receipt_file: true,
                ..UnpackRequest::default()
            };
            watch(&ctx);
            let report = unpack::unpack(&ctx, &req);
            crate::interrupts::unwatch();
            drop(ctx);
            match report {
                Ok(report) => {
                    // Who made it was said before the files were released (a notice, issue #32).
                    err_line(&tr!("guided-unpack-done", files = count_files(report.files), dest = render::path(&dest)));
                    if let Some(receipt) = &report.receipt_file {
                        let name = receipt.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                        err_line(&tr!("guided-receipt-left", name = render::text(&name)));
                    }
                    return Ok(dest);
                }
                Err(
                    e @ (Error::DestinationOnArchiveMedium { .. }
                    | Error::DestinationRemovable { .. }
                    | Error::DestinationNotAFolder { .. }
                    | Error::DestinationIsSymlink { .. }
                    | Error::DestinationBusy { .. }
                    | Error::OutputExists { .. }),
                ) => {
                    show_error(&e, render::Operation::Unpack);
                    dest = ask_one(&tr!("guided-ask-dest"), None)?;
                }
                Err(
                    e @ (Error::NeedsKeyFile { .. }
                    | Error::NoMatchingKey { .. }
                    | Error::KeyFileMissing { .. }
                    | Error::BadKeyFile { .. }
                    | Error::KeyFileEncryptedToKeys { .. }),
                ) => {
                    show_error(&e, render::Operation::Unpack);
                    identities = vec![ask_one(&tr!("guided-ask-key"), None)?];
                    if !receipt_was_there {
                        let _ = std::fs::remove_file(&receipt);
                    }
                }
                // A key file was chosen for an archive that opens with a passphrase: ask that instead.
                Err(Error::NeedsPassphrase { .. }) if !identities.is_empty() => identities.clear(),
                Err(e) => return Err(e),
            }
        }
    }

    /// Guided verify, for IT: a folder is the stick check; an archive is
    /// checked without a key, or completely with the default key (or a key
    /// file asked for, where there is none).
    fn verify(&self) -> Result<u8> {
        let path = ask_one(&tr!("guided-ask-check"), None)?;
        let ctx = self.context();
        let identities = if path.is_dir() {
            Vec::new()
        } else {
            let items = [tr!("guided-verify-keyless"), tr!("guided-verify-full")];
            let pick = Select::with_theme(&GuidedTheme)
                .with_prompt(tr!("guided-ask-verify-mode"))
                .items(&items)
                .default(0)
                .interact()
                .map_err(cancelled)?;
            match (pick, &ctx.default_key) {
                (0, _) => Vec::new(),
                (_, Some(key)) if key.is_file() => vec![key.clone()],
                _ => vec![ask_one(&tr!("guided-ask-key"), None)?],
            }
        };
        watch(&ctx);
        let code = crate::cli::commands::verify::run(&ctx, Ui::default(), &[path], &identities);
        crate::interrupts::unwatch();
        code
    }
}

/// Whether IT's `default_to` names `name`.
fn names_default(config: &Config, name: &str) -> bool {
    config.policy.default_to.iter().any(|d| hakobu::keys::config::normalize_name(d) == name)
}

/// The confirmation: exactly who can open the archive (the offices chosen,
/// then each key IT's policy adds, named as such), what the ledger's audit
/// copy shows to whom, and where it is saved.
fn confirmation(config: &Config, prepared: &pack::PreparedPack, place: &str) -> String {
    if prepared.is_passphrase() {
        return tr!("guided-confirm-passphrase", place = place);
    }
    let who: Vec<String> = prepared
        .holders()
        .iter()
        .filter(|h| h.via != Via::Policy)
        .map(|h| h.name.as_deref().map(render::text).unwrap_or_else(|| holder_label(h)))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let who = who.join(&tr!("guided-list-separator"));
    let added: Vec<&Holder> = prepared.holders().iter().filter(|h| h.via == Via::Policy).collect();
    let mut text = if added.is_empty() {
        tr!("guided-confirm", who = who, place = place)
    } else {
        let mut t = tr!("guided-confirm-with-policy", who = who, place = place);
        for h in added {
            t.push_str(&format!("\n  {}", tr!("guided-confirm-policy-key", key = holder_label(h))));
        }
        t
    };
    if !config.ledger.audit_recipients.is_empty() {
        let names: Vec<String> = config
            .ledger
            .audit_recipients
            .iter()
            .map(|a| if a.trim().starts_with("age1") { hakobu::keys::addressbook::short_key(a) } else { render::text(a) })
            .collect();
        text.push('\n');
        text.push_str(&tr!("guided-confirm-audit", names = names.join(&tr!("guided-list-separator"))));
    }
    text
}

fn watch(ctx: &Context) {
    crate::interrupts::watch(&ctx.cancel);
}

fn ask_one(prompt: &str, default: Option<&Path>) -> Result<PathBuf> {
    let mut input = Input::<String>::with_theme(&GuidedTheme).with_prompt(prompt);
    if let Some(d) = default {
        input = input.default(d.display().to_string());
    }
    let text = input.interact_text().map_err(cancelled)?;
    split_dropped(&text).into_iter().next().ok_or(Error::PromptCancelled)
}

fn ask_paths(prompt: &str) -> Result<Vec<PathBuf>> {
    let text = Input::<String>::with_theme(&GuidedTheme).with_prompt(prompt).interact_text().map_err(cancelled)?;
    let paths = split_dropped(&text);
    if paths.is_empty() {
        return Err(Error::PromptCancelled);
    }
    Ok(paths)
}

fn drive_label(d: &Drive) -> String {
    let free = d.free.map(size).unwrap_or_else(|| "?".into());
    // 「KIOXIA、exFAT」: the label and the file system, each when known.
    let about: Vec<String> = d.label.iter().map(|l| render::text(l)).chain(d.fs.map(str::to_owned)).collect();
    if about.is_empty() {
        tr!("guided-drive-no-fs", root = render::path(&d.root), free = free)
    } else {
        tr!("guided-drive", root = render::path(&d.root), fs = about.join(tr!("guided-list-separator").as_str()), free = free)
    }
}

/// The stick to save onto (or a folder, when policy `guided_folder` allows),
/// how the confirmation names it, and whether it is a stick. A stick with too little free space
/// for this archive, or one that holds what is sent, is listed above the
/// question as unavailable, with the reason, and cannot be chosen.
fn choose_destination(folder_allowed: bool, room: &desktop::RoomNeeded, sources: &[PathBuf]) -> Result<(PathBuf, String, bool)> {
    loop {
        let mut drives: Vec<Drive> = Vec::new();
        let mut unavailable = 0;
        for d in desktop::removable_drives() {
            let why = if desktop::holds_any(&d, sources) {
                tr!("guided-drive-holds-source", drive = drive_label(&d))
            } else if room.too_small(&d) {
                tr!("guided-drive-too-small", drive = drive_label(&d), needed = size(room.on(&d)))
            } else {
                drives.push(d);
                continue;
            };
            // Greyed where the terminal shows colours; the words say it either way.
            let _ = Term::stderr().write_line(&dialoguer::console::style(why).for_stderr().dim().to_string());
            unavailable += 1;
        }
        if drives.is_empty() {
            err_line(&if unavailable == 0 { tr!("guided-no-drive") } else { tr!("guided-no-drive-usable") });
        }
        let mut items: Vec<String> = drives.iter().map(drive_label).collect();
        items.push(tr!("guided-drive-rescan"));
        if folder_allowed {
            items.push(tr!("guided-drive-folder"));
        }
        items.push(tr!("guided-cancel"));
        let pick =
            Select::with_theme(&GuidedTheme).with_prompt(tr!("guided-ask-drive")).items(&items).default(0).interact().map_err(cancelled)?;
        if pick < drives.len() {
            return Ok((drives[pick].root.clone(), items[pick].clone(), true));
        }
        match pick - drives.len() {
            0 => continue,
            1 if folder_allowed => {
                let dir = ask_one(&tr!("guided-ask-folder"), None)?;
                let shown = render::path(&dir);
                return Ok((dir, shown, false));
            }
            _ => return Err(Error::PromptCancelled),
        }
    }
}

/// Shows the folder in the file manager (Explorer; xdg-open where installed), not waiting for it.
fn open_folder(dir: &Path) {
    let program = if cfg!(windows) { "explorer" } else { "xdg-open" };
    let _ = std::process::Command::new(program)
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_paths_are_split_and_unquoted() {
        assert_eq!(split_dropped(r#""C:\会員 名簿" D:\b.txt"#), vec![PathBuf::from(r"C:\会員 名簿"), PathBuf::from(r"D:\b.txt")]);
        assert_eq!(split_dropped("  /tmp/a  "), vec![PathBuf::from("/tmp/a")]);
        assert!(split_dropped("   ").is_empty());
    }

    #[test]
    fn archives_are_told_from_sources() {
        assert!(is_archive_part(Path::new("E:/abcd.age")));
        assert!(is_archive_part(Path::new("E:/abcd.AGE.001")));
        assert!(is_archive_part(Path::new("E:/abcd.age.002")));
        assert!(!is_archive_part(Path::new("E:/名簿")));
        assert!(!is_archive_part(Path::new("E:/abcd.age.sha256")));
        assert!(!is_archive_part(Path::new("E:/abcd.age.0001")));
    }

    #[test]
    fn the_volumes_of_a_dropped_split_archive_are_one_archive() {
        let dropped = [PathBuf::from("E:/a.age.002"), PathBuf::from("E:/a.age.001"), PathBuf::from("E:/b.age")];
        assert_eq!(archives_of(&dropped), vec![PathBuf::from("E:/a.age.001"), PathBuf::from("E:/b.age")]);
    }

    #[test]
    fn flags_are_told_from_other_dashes() {
        for flagged in
            ["-i 鍵ファイル で指定してください", "このパソコンのフォルダーに --split 大きさ で保存し", "（-i 鍵ファイル）", "`--sign` で"]
        {
            assert!(names_a_flag(flagged), "{flagged}");
        }
        for plain in ["hakobu-2026-12-07", "code: secret-key-in-sources", "E:\\k7tq-4mzp.age", "/tmp/a-b", "X25519 - 2 個"] {
            assert!(!names_a_flag(plain), "{plain}");
        }
    }
}
