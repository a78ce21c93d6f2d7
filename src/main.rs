//! The hakobu binary: parse arguments, call an operation, render its facts
//! or its error, exit with a documented code (README "Exit codes").
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use hakobu::error::exit;
use hakobu::ops::keygen::KeygenRequest;
use hakobu::ops::pack::PackRequest;
use hakobu::ops::unpack::UnpackRequest;

use cli::args::{Cli, Command};
use cli::commands::{self, context};
use cli::Ui;

fn main() -> ExitCode {
    cli::i18n::init();
    note_start_for_tests();
    use clap::{CommandFactory, FromArgMatches};
    let parsed = cli::help::localized(Cli::command()).try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let words = cli::render::usage_error(&e);
            match &words {
                // clap's own words are English; in Japanese hakobu says it.
                Some(words) => cli::term::usage_error(words, &e),
                None => {
                    let _ = e.print();
                }
            }
            if e.use_stderr() && std::env::args_os().any(|a| a == "--json") {
                // Even a command line clap refuses answers --json with one object.
                let text = e.to_string();
                let lines: Vec<&str> =
                    text.lines().take_while(|l| !l.starts_with("Usage:")).map(str::trim).filter(|l| !l.is_empty()).collect();
                let message = lines.join(" ");
                let message = words.as_deref().unwrap_or(message.trim_start_matches("error: "));
                cli::term::out(&cli::render::usage_json(message).to_string());
            }
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    interrupts::install();
    let json = cli.command.as_ref().is_some_and(Command::wants_json);
    let op = cli.command.as_ref().map_or(cli::render::Operation::Other, Command::operation);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // The progress bar was cleared when the operation's context was dropped.
            cli::term::error(&e, op);
            if json {
                // --json: the outcome is one JSON object on stdout, failures included.
                cli::term::out(&cli::render::error_json(&e, op).to_string());
            }
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(cli: Cli) -> hakobu::Result<u8> {
    let mut ui = Ui { quiet: cli.quiet, json: false };
    let config = cli.config;
    let Some(command) = cli.command else {
        // No command: the guided mode (a menu, or the paths dropped onto hakobu.exe).
        return cli::guided::run(config, cli.paths, cli.office, cli.category);
    };
    match command {
        Command::Demo { keep } => commands::demo::run(&context(None, ui), ui, keep)?,
        Command::Keygen { output, no_passphrase, sign } => {
            commands::keygen::run(&context(config, ui), ui, KeygenRequest { output, no_passphrase, sign })?;
        }
        Command::Pack {
            sources,
            output,
            to,
            recipient,
            recipients_file,
            passphrase,
            name,
            armor,
            no_verify,
            split,
            purpose,
            category,
            sign,
            json,
            config: own,
        } => {
            ui.json = json;
            let config = own.or(config);
            let req = PackRequest {
                sources,
                out_dir: output,
                to,
                recipients: recipient,
                recipients_files: recipients_file,
                passphrase,
                name,
                armor,
                no_verify,
                split,
                purpose,
                categories: category,
                sign,
            };
            commands::pack::run(&context(config, ui), ui, req)?;
        }
        Command::Ledger { action, config: own, ledger, json } => {
            ui.json = json;
            return commands::ledger::run(&context(own.or(config), ui), ui, ledger, action);
        }
        Command::Recipients { action, config: own } => commands::recipients::run(&context(own.or(config), ui), ui, action)?,
        Command::List { archive, identity, json } => {
            ui.json = json;
            commands::list::run(&context(config, ui), ui, &archive, &identity)?;
        }
        Command::Unpack { archive, output, identity, force, allow_removable_destination, receipt, json } => {
            ui.json = json;
            let req =
                UnpackRequest { archive, dest: output, identities: identity, force, allow_removable_destination, receipt_file: receipt };
            commands::unpack::run(&context(config, ui), ui, req)?;
        }
        Command::Setup { action, config: own } => return commands::setup::run(&context(own.or(config), ui), ui, action),
        Command::Verify { paths, identity, json } => {
            ui.json = json;
            return commands::verify::run(&context(config, ui), ui, &paths, &identity);
        }
    }
    Ok(exit::OK)
}

/// Ctrl-C and SIGTERM: the first cancels the running operation (which stops
/// at a safe point and cleans up); a second leaves at once.
mod interrupts {
    use std::sync::Mutex;

    use hakobu::error::exit;
    use hakobu::ops::Cancel;

    /// The token of the operation that is running, if any.
    static CURRENT: Mutex<Option<Cancel>> = Mutex::new(None);
    /// What to say when Ctrl-C ends the program at a question (the guided mode).
    static LAST_WORDS: Mutex<Option<String>> = Mutex::new(None);

    /// Says `text` (and shows the cursor again) when Ctrl-C ends the program between operations.
    pub fn last_words(text: String) {
        if let Ok(mut words) = LAST_WORDS.lock() {
            *words = Some(text);
        }
    }

    pub fn install() {
        let _ = ctrlc::set_handler(|| {
            // At a passphrase prompt: the prompt ends, cancelled, and says so.
            if crate::cli::prompt::interrupt_prompt() {
                return;
            }
            let current = CURRENT.lock().ok().and_then(|c| c.clone());
            match current {
                Some(cancel) if !cancel.is_cancelled() => cancel.cancel(),
                _ => {
                    if let Some(text) = LAST_WORDS.lock().ok().and_then(|w| w.clone()).filter(|t| !t.is_empty()) {
                        let _ = dialoguer::console::Term::stderr().show_cursor();
                        crate::cli::term::err_line(&format!("\n{text}"));
                    }
                    std::process::exit(exit::INTERRUPTED.into())
                }
            }
        });
        // Closing the console window: cancel, and let the cleanup finish.
        hakobu::ops::cancel::on_console_close(|| {
            let current = CURRENT.lock().ok().and_then(|c| c.clone());
            current.is_some_and(|cancel| {
                cancel.cancel();
                true
            })
        });
    }

    /// Ctrl-C no longer cancels an operation (it ended): it ends the program.
    pub fn unwatch() {
        if let Ok(mut current) = CURRENT.lock() {
            *current = None;
        }
    }

    /// Makes Ctrl-C cancel `cancel` (the operation about to start).
    pub fn watch(cancel: &Cancel) {
        if let Ok(mut current) = CURRENT.lock() {
            *current = Some(cancel.clone());
        }
    }
}

/// The installer's lane test opens a `.age` through Windows' association
/// (`wine start`), where no output can be seen: with `HAKOBU_TEST_ARGS_LOG`
/// set, the arguments hakobu was started with are appended to that file.
fn note_start_for_tests() {
    if let Some(log) = std::env::var_os("HAKOBU_TEST_ARGS_LOG") {
        let line: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{}\n", line.join("\t")).as_bytes()));
    }
}
