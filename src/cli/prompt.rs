//! Asking the person at the terminal: passphrases (through pinentry when it
//! is installed, as age does) and the questions of age plugins.
//!
//! A new passphrase is always typed twice, also through pinentry: each
//! answer is its own dialog, because some pinentry programs (pinentry-curses)
//! ignore a request to repeat the entry and would accept a typo unchecked.
//! Every text handed to pinentry or the terminal goes through
//! [`render::plain`], so age's Unicode isolation marks never show.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use age::secrecy::{ExposeSecret, SecretString};
use age::Callbacks;
use hakobu::format::crypto::KEY_FILE_PASSPHRASE_TRIES;
use hakobu::ops::passphrase::{estimate_bits, is_weak, WEAK_BELOW_BITS};
use hakobu::ops::{NewSecretFor, Prompter, PASSPHRASE_TRIES};
use hakobu::{Error, Result};
use pinentry::PassphraseInput;
use subtle::ConstantTimeEq;

use crate::cli::render;
use crate::cli::term::{err_line, warn};
use crate::tr;

/// How many times a new passphrase may be typed (mismatch, or empty for a key).
const NEW_PASSPHRASE_TRIES: u32 = 3;
/// Seconds a pinentry dialog waits for the person (age's choice is 30; a new
/// passphrase takes longer to think of).
const PINENTRY_TIMEOUT: u16 = 120;

/// The terminal prompter of the CLI.
pub struct TerminalPrompter;

fn unavailable(e: pinentry::Error) -> Error {
    match e {
        pinentry::Error::Cancelled => Error::PromptCancelled,
        // Ctrl-C (rpassword sends SIGINT and returns Interrupted) or Ctrl-D at the terminal prompt.
        pinentry::Error::Io(e) if matches!(e.kind(), std::io::ErrorKind::Interrupted | std::io::ErrorKind::UnexpectedEof) => {
            Error::PromptCancelled
        }
        e => Error::PassphraseUnavailable { detail: render::plain(&e.to_string()) },
    }
}

/// The pinentry program to use: `$PINENTRY_PROGRAM`, else `pinentry` on the PATH (as age does).
fn pinentry() -> Option<PassphraseInput<'static>> {
    match std::env::var_os("PINENTRY_PROGRAM") {
        Some(program) => PassphraseInput::with_binary(program),
        None => PassphraseInput::with_default_binary(),
    }
}

/// Asks one secret once: a pinentry dialog when pinentry is installed, else
/// a prompt on the terminal without echo. `problem` (a wrong or mismatched
/// earlier answer) is shown in the dialog or printed before the prompt. An
/// empty answer is returned as it is: the caller decides what it means.
fn ask(question: &str, problem: Option<&str>) -> Result<SecretString> {
    let question = render::plain(question);
    let problem = problem.map(render::plain);
    if let Some(mut input) = pinentry() {
        let label = tr!("prompt-passphrase-label");
        // The dialog's title and buttons in the chosen language (#26), not pinentry's <OK>/<Cancel>.
        let (title, ok, cancel) = (tr!("prompt-dialog-title"), tr!("prompt-dialog-ok"), tr!("prompt-dialog-cancel"));
        input
            .with_title(&title)
            .with_ok(&ok)
            .with_cancel(&cancel)
            .with_description(&question)
            .with_prompt(&label)
            .with_timeout(PINENTRY_TIMEOUT);
        if let Some(p) = &problem {
            input.with_error(p);
        }
        return input.interact().map_err(unavailable);
    }
    if let Some(p) = &problem {
        err_line(p);
    }
    // The prompt is ours, not rpassword's: on Windows rpassword writes it as
    // bytes, which a Japanese console shows as mojibake (desktop::write_to_console).
    PROMPTING.store(true, Ordering::SeqCst);
    let typed = hakobu::ops::desktop::write_to_console(&format!("{question}: ")).and_then(|()| rpassword::read_password());
    PROMPTING.store(false, Ordering::SeqCst);
    if INTERRUPTED.swap(false, Ordering::SeqCst) {
        return Err(Error::PromptCancelled);
    }
    typed.map(SecretString::from).map_err(|e| unavailable(pinentry::Error::Io(e)))
}

/// A passphrase is being read at the terminal.
static PROMPTING: AtomicBool = AtomicBool::new(false);
/// Ctrl+C was pressed while it was.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// For the Ctrl+C handler: when a passphrase is being read, that read is
/// ended as cancelled (on Windows the read would otherwise wait for Enter:
/// desktop::end_console_read) and true is returned; else false.
pub fn interrupt_prompt() -> bool {
    if !PROMPTING.load(Ordering::SeqCst) {
        return false;
    }
    INTERRUPTED.store(true, Ordering::SeqCst);
    hakobu::ops::desktop::end_console_read();
    true
}

/// Shows a warning where the person looks: in the next pinentry dialog's
/// error line (returned) or on the terminal now (and `None` returned).
fn warning_for_next_dialog(text: String) -> Option<String> {
    // On stderr in both cases: it stays visible after a dialog closes.
    warn(&text);
    pinentry().is_some().then_some(text)
}

impl Prompter for TerminalPrompter {
    fn new_passphrase(&self, purpose: NewSecretFor) -> Result<Option<SecretString>> {
        let question = match purpose {
            NewSecretFor::KeyFile => tr!("prompt-new-key-passphrase"),
            NewSecretFor::SigningKey => tr!("prompt-new-signing-key-passphrase"),
            NewSecretFor::Archive => tr!("prompt-new-archive-passphrase"),
        };
        let again = tr!("prompt-again");
        let mut problem: Option<String> = None;
        let mut last = Error::EmptyPassphrase;
        for round in 1..=NEW_PASSPHRASE_TRIES {
            let next = round + 1;
            let first = ask(&question, problem.as_deref())?;
            if first.expose_secret().is_empty() {
                match purpose {
                    NewSecretFor::Archive => return Ok(None),
                    NewSecretFor::KeyFile | NewSecretFor::SigningKey => {
                        // A key's passphrase is typed at every unpack: it must be one the person chose.
                        last = Error::EmptyPassphrase;
                        problem = Some(tr!("prompt-empty-key-passphrase", next = next, tries = NEW_PASSPHRASE_TRIES));
                        continue;
                    }
                }
            }
            let bits = estimate_bits(first.expose_secret());
            let weak = is_weak(bits).then(|| warning_for_next_dialog(tr!("prompt-weak", bits = bits, recommended = WEAK_BELOW_BITS)));
            let second = ask(&again, weak.flatten().as_deref())?;
            let same: bool = first.expose_secret().as_bytes().ct_eq(second.expose_secret().as_bytes()).into();
            if same {
                return Ok(Some(first));
            }
            last = Error::PassphrasesDiffer { tries: round };
            problem = Some(tr!("prompt-differ", next = next, tries = NEW_PASSPHRASE_TRIES));
        }
        Err(match last {
            Error::PassphrasesDiffer { .. } => Error::PassphrasesDiffer { tries: NEW_PASSPHRASE_TRIES },
            e => e,
        })
    }

    fn archive_passphrase(&self, _archive: &Path, attempt: u32) -> Result<SecretString> {
        let problem = (attempt > 1).then(|| tr!("prompt-archive-retry", attempt = attempt, tries = PASSPHRASE_TRIES));
        let pass = ask(&tr!("prompt-archive-passphrase"), problem.as_deref())?;
        // An empty answer opens nothing: the person gave up (as age reads it).
        if pass.expose_secret().is_empty() {
            return Err(Error::PromptCancelled);
        }
        Ok(pass)
    }

    fn key_file_passphrase(&self, key_file: &Path, attempt: u32) -> Option<SecretString> {
        let problem = (attempt > 1).then(|| tr!("prompt-key-file-retry", attempt = attempt, tries = KEY_FILE_PASSPHRASE_TRIES));
        let question = tr!("prompt-key-file-passphrase", path = render::path(key_file));
        // An empty answer or a failure to ask: cancelled (None).
        ask(&question, problem.as_deref()).ok().filter(|p| !p.expose_secret().is_empty())
    }

    fn signing_key_passphrase(&self, key_file: &Path, attempt: u32) -> Result<Option<SecretString>> {
        let problem = (attempt > 1).then(|| tr!("prompt-signing-key-retry", attempt = attempt, tries = KEY_FILE_PASSPHRASE_TRIES));
        let question = tr!("prompt-signing-key-passphrase", path = render::path(key_file));
        match ask(&question, problem.as_deref()) {
            Ok(p) if p.expose_secret().is_empty() => Ok(None),
            Ok(p) => Ok(Some(p)),
            Err(Error::PromptCancelled) => Ok(None),
            // No terminal and no pinentry: say so, not "cancelled".
            Err(e) => Err(e),
        }
    }

    fn plugin_message(&self, message: &str) {
        let message = render::plain(message);
        // age's own warning that a passphrase-protected key file opened but
        // does not fit the archive: English under any locale, so said in
        // hakobu's words (#26 item 2); anything else as age wrote it.
        let no_match = message
            .strip_prefix("Warning: encrypted identity file '")
            .and_then(|rest| rest.strip_suffix("' didn't match file's recipients"));
        match no_match {
            Some(file) => warn(&tr!("notice-key-file-no-match", path = render::text(file))),
            None => err_line(&message),
        }
    }

    fn plugin_confirm(&self, message: &str, yes: &str, no: Option<&str>) -> Option<bool> {
        age::cli_common::UiCallbacks.confirm(&render::plain(message), &render::plain(yes), no.map(render::plain).as_deref())
    }

    fn plugin_public_string(&self, description: &str) -> Option<String> {
        age::cli_common::UiCallbacks.request_public_string(&render::plain(description))
    }

    fn plugin_secret(&self, description: &str) -> Option<SecretString> {
        ask(description, None).ok().filter(|s| !s.expose_secret().is_empty())
    }
}
