//! The hakobu binary: parse arguments, call an operation, render its facts
//! or its error, exit with a documented code (README "Exit codes").
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::Parser;
use hakobu::error::exit;
use hakobu::ops::keygen::KeygenRequest;
use hakobu::ops::pack::PackRequest;
use hakobu::ops::unpack::UnpackRequest;

use cli::args::{Cli, Command};
use cli::commands::{self, context};
use cli::Ui;

fn main() -> ExitCode {
    cli::i18n::init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() && std::env::args_os().any(|a| a == "--json") {
                // Even a command line clap refuses answers --json with one object.
                let text = e.to_string();
                let lines: Vec<&str> =
                    text.lines().take_while(|l| !l.starts_with("Usage:")).map(str::trim).filter(|l| !l.is_empty()).collect();
                let message = lines.join(" ");
                let message = message.trim_start_matches("error: ");
                cli::term::out(&cli::render::usage_json(message).to_string());
            }
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    interrupts::install();
    let json = cli.command.wants_json();
    let op = cli.command.operation();
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
    match cli.command {
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

    pub fn install() {
        let _ = ctrlc::set_handler(|| {
            let current = CURRENT.lock().ok().and_then(|c| c.clone());
            match current {
                Some(cancel) if !cancel.is_cancelled() => cancel.cancel(),
                _ => std::process::exit(exit::INTERRUPTED.into()),
            }
        });
    }

    /// Makes Ctrl-C cancel `cancel` (the operation about to start).
    pub fn watch(cancel: &Cancel) {
        if let Ok(mut current) = CURRENT.lock() {
            *current = Some(cancel.clone());
        }
    }
}
