//! The guided mode (issue #15): `hakobu` with no command at a terminal, or
//! with paths only (a drop onto hakobu.exe, the 送る menu). It asks instead
//! of taking flags, and calls the same operations as the commands: every
//! answer is a flag the command line offers (`--to`, `-p`, `-o`, `-i`), the
//! policy applies the same way, and unpack never gets
//! `allow_removable_destination`, so no plaintext lands on a stick.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use age::secrecy::ExposeSecret;
use dialoguer::console::Term;
use dialoguer::theme::Theme;
use dialoguer::{Confirm, FuzzySelect, Input, Select};
use hakobu::error::exit;
use hakobu::keys::addressbook::Via;
use hakobu::keys::config::Config;
use hakobu::ops::desktop::{self, Drive};
use hakobu::ops::pack::{self, PackRequest};
use hakobu::ops::unpack::{self, UnpackRequest};
use hakobu::ops::{Cancel, Context};
use hakobu::{Error, Result};

use crate::cli::prompt::TerminalPrompter;
use crate::cli::render::{self, count_files, holder_label, number, size};
use crate::cli::term::{err_line, Bar};
use crate::cli::Ui;
use crate::tr;

/// What the guided mode was started with.
pub fn run(config: Option<PathBuf>, paths: Vec<PathBuf>, office: Option<String>) -> Result<u8> {
    let term = Term::stderr();
    if !term.is_term() || !Term::stdout().is_term() && paths.is_empty() {
        err_line(&tr!("guided-no-terminal"));
        return Ok(exit::USAGE);
    }
    crate::interrupts::last_words(tr!("guided-cancelled"));
    let g = Guided { config, office };
    let result = if paths.is_empty() {
        g.menu()
    } else if paths.iter().all(|p| is_archive(p)) {
        g.unpack(Some(paths[0].clone()))
    } else {
        g.pack(paths)
    };
    let _ = term.show_cursor();
    let result = match result {
        Err(Error::PromptCancelled) | Err(Error::Interrupted) => {
            err_line(&tr!("guided-cancelled"));
            Ok(exit::INTERRUPTED)
        }
        other => other,
    };
    if desktop::console_is_ours() {
        // Windows opened this window for the drop and closes it when we exit.
        if let Err(e) = &result {
            crate::cli::term::error(e, render::Operation::Other);
        }
        err_line(&tr!("guided-press-enter"));
        let _ = term.read_line();
        return Ok(match result {
            Ok(code) => code,
            Err(e) => e.exit_code(),
        });
    }
    result
}

/// A dropped archive: `.age`, or the first volume `.age.001`.
fn is_archive(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    name.ends_with(".age") || name.ends_with(".age.001")
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
struct GuidedTheme;

impl Theme for GuidedTheme {
    /// The question with its keys in the chosen language (dialoguer's own `[Y/n]` is English).
    fn format_confirm_prompt(&self, f: &mut dyn std::fmt::Write, prompt: &str, default: Option<bool>) -> std::fmt::Result {
        let keys = match default {
            Some(true) => tr!("guided-keys-default-yes"),
            Some(false) => tr!("guided-keys-default-no"),
            None => tr!("guided-keys"),
        };
        write!(f, "{prompt} {keys} ")
    }

    fn format_confirm_prompt_selection(&self, f: &mut dyn std::fmt::Write, prompt: &str, selection: Option<bool>) -> std::fmt::Result {
        match selection {
            Some(yes) => write!(f, "{prompt} {}", if yes { tr!("guided-yes") } else { tr!("guided-no") }),
            None => write!(f, "{prompt}"),
        }
    }
}

struct Guided {
    config: Option<PathBuf>,
    /// `--office NAME` (a 送る-menu shortcut for one office): no question for whom.
    office: Option<String>,
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
            1 => self.unpack(None),
            _ => self.verify(),
        }
    }

    /// Guided pack: what, for whom, onto which stick, one confirmation, then
    /// `ops::pack` as `hakobu pack SOURCES -o STICK --to NAME` would run it.
    fn pack(&self, sources: Vec<PathBuf>) -> Result<u8> {
        // Refused here, with pack's own reason, what pack would refuse in the sources.
        let what = pack::check_sources(&sources)?;
        err_line(&tr!(
            "guided-pack-summary",
            files = count_files(what.files),
            folders = number(what.folders),
            size = size(what.data_bytes)
        ));

        // For whom: the address book, IT's default first; a passphrase only if policy allows it.
        let config = Config::load(self.config.as_deref(), false)?;
        let mut names: Vec<String> = Vec::new();
        for n in &config.policy.default_to {
            if config.book.contains_key(n) && !names.contains(n) {
                names.push(n.clone());
            }
        }
        for n in config.book.keys() {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        let mut labels: Vec<String> = names
            .iter()
            .map(|n| if config.policy.default_to.contains(n) { tr!("guided-office-default", name = n.as_str()) } else { n.clone() })
            .collect();
        if config.policy.allow_passphrase {
            labels.push(tr!("guided-office-passphrase"));
        }
        let (to, passphrase) = if let Some(office) = &self.office {
            // As `--to NAME`: an unknown name is refused with the closest known ones.
            let (name, _) = config.lookup(office)?;
            (vec![name.to_owned()], false)
        } else {
            if labels.is_empty() {
                err_line(&tr!("guided-no-office"));
                return Ok(exit::REFUSED);
            }
            let pick = FuzzySelect::with_theme(&GuidedTheme)
                .with_prompt(tr!("guided-ask-office"))
                .items(&labels)
                .default(0)
                .interact()
                .map_err(cancelled)?;
            if pick < names.len() {
                (vec![names[pick].clone()], false)
            } else {
                (Vec::new(), true)
            }
        };

        // Onto which stick.
        let (out_dir, place) = choose_destination(Config::load(self.config.as_deref(), false)?.policy.guided_folder)?;

        let ctx = self.context();
        let req = PackRequest { sources, out_dir, to, passphrase, ..PackRequest::default() };
        let prepared = pack::prepare(&ctx, &req)?;
        let confirm = if prepared.is_passphrase() {
            tr!("guided-confirm-passphrase", place = place.as_str())
        } else {
            let who: Vec<String> = prepared
                .holders()
                .iter()
                .filter(|h| h.via != Via::Policy)
                .map(|h| h.name.clone().unwrap_or_else(|| holder_label(h)))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut text = tr!("guided-confirm", who = who.join("、"), place = place.as_str());
            for h in prepared.holders().iter().filter(|h| h.via == Via::Policy) {
                text.push_str(&format!("\n  {}{}", holder_label(h), tr!("pack-audience-policy")));
            }
            text
        };
        err_line(&confirm);
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
        err_line(&if report.verified_readback { tr!("guided-pack-done") } else { tr!("guided-pack-done-unchecked") });
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

    /// Guided unpack: the default key (its passphrase asked), a new dated
    /// folder under Documents (never on the stick: unpack refuses that).
    fn unpack(&self, archive: Option<PathBuf>) -> Result<u8> {
        let archive = match archive {
            Some(a) => a,
            None => ask_one(&tr!("guided-ask-archive"), None)?,
        };
        let proposed = desktop::documents_folder().map(|d| desktop::dated_folder(&d));
        let dest = ask_one(&tr!("guided-ask-dest"), proposed.as_deref())?;
        let ctx = self.context();
        let req = UnpackRequest { archive, dest: dest.clone(), ..UnpackRequest::default() };
        watch(&ctx);
        let report = unpack::unpack(&ctx, &req);
        crate::interrupts::unwatch();
        let report = report?;
        crate::interrupts::last_words(String::new());
        drop(ctx);
        err_line(&tr!("guided-unpack-done", files = count_files(report.files), dest = render::path(&dest)));
        let open = Confirm::with_theme(&GuidedTheme).with_prompt(tr!("guided-ask-open")).default(true).interact().map_err(cancelled)?;
        if open {
            open_folder(&dest);
        }
        Ok(exit::OK)
    }

    /// Guided verify, for IT: a folder is the stick check; an archive is
    /// checked without a key, or with the default key completely.
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
                (1, Some(key)) => vec![key.clone()],
                _ => Vec::new(),
            }
        };
        watch(&ctx);
        let code = crate::cli::commands::verify::run(&ctx, Ui::default(), &[path], &identities);
        crate::interrupts::unwatch();
        code
    }
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
/// and how the confirmation names it.
fn choose_destination(folder_allowed: bool) -> Result<(PathBuf, String)> {
    loop {
        let drives = desktop::removable_drives();
        let mut items: Vec<String> = drives.iter().map(drive_label).collect();
        if drives.is_empty() {
            err_line(&tr!("guided-no-drive"));
        }
        items.push(tr!("guided-drive-rescan"));
        if folder_allowed {
            items.push(tr!("guided-drive-folder"));
        }
        items.push(tr!("guided-cancel"));
        let pick =
            Select::with_theme(&GuidedTheme).with_prompt(tr!("guided-ask-drive")).items(&items).default(0).interact().map_err(cancelled)?;
        if pick < drives.len() {
            return Ok((drives[pick].root.clone(), items[pick].clone()));
        }
        match pick - drives.len() {
            0 => continue,
            1 if folder_allowed => {
                let dir = ask_one(&tr!("guided-ask-folder"), None)?;
                let shown = render::path(&dir);
                return Ok((dir, shown));
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
        assert!(is_archive(Path::new("E:/abcd.age")));
        assert!(is_archive(Path::new("E:/abcd.AGE.001")));
        assert!(!is_archive(Path::new("E:/名簿")));
        assert!(!is_archive(Path::new("E:/abcd.age.002")));
    }
}
