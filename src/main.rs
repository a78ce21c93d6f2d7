//! The hakobu binary: parse arguments, call the library, render the result
//! or the error, exit with a documented code (README "Exit codes").
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::Parser;
use hakobu::error::exit;
use hakobu::format::crypto::{self, KeySource};
use hakobu::keys::addressbook;
use hakobu::keys::config::Config;
use hakobu::ops::{pack, unpack, verify};
use hakobu::{Error, Result};

use cli::args::{self, Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    install_interrupt_handler();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            cli::term::error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// First Ctrl-C: stop at the next safe point and clean up. Second: leave at once.
fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        if hakobu::ops::cancel::requested() {
            std::process::exit(exit::INTERRUPTED.into());
        }
        hakobu::ops::cancel::request();
    });
}

fn run(cli: Cli) -> Result<u8> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Keygen { output, no_passphrase } => {
            let path = match output {
                Some(p) => p,
                None => hakobu::keys::keyfile::default_identity_path()
                    .ok_or_else(|| Error::Usage("no home folder known; give the key file's path with -o".into()))?,
            };
            // Before asking for a passphrase: keygen never overwrites a key,
            // and never writes one onto a medium holding archives.
            if std::fs::symlink_metadata(&path).is_ok() {
                return Err(Error::OutputExists { path });
            }
            hakobu::keys::keyfile::refuse_archive_medium(&path)?;
            let passphrase = if no_passphrase { None } else { Some(read_key_passphrase()?) };
            let protected = passphrase.is_some();
            let made = hakobu::keys::keyfile::keygen(&path, passphrase)?;
            cli::term::out(&made.recipient);
            cli::keys::keygen_notes(quiet, &made.recipient, &made.path, protected);
            Ok(exit::OK)
        }
        Command::Pack { sources, output, to, recipient, recipients_file, passphrase, name, armor, no_verify, split, json } => {
            let config = Config::load(cli.config.as_deref(), false)?;
            let audience = addressbook::resolve(
                &config,
                &addressbook::AudienceRequest { to, recipients: recipient, recipients_files: recipients_file, passphrase },
            )?;
            audience.check_post_quantum()?;
            let request = pack::PackRequest { sources, out_dir: output, name, armor, no_verify, split };
            let plan = pack::plan(&request)?;
            for w in &plan.warnings {
                cli::term::warn(w);
            }
            cli::keys::show_audience(quiet, &audience);
            let recipients = audience.recipient_set(read_new_passphrase)?;
            let bar = cli::term::Bar::new(quiet);
            let report = pack::pack(&plan, &recipients, &bar)?;
            if json {
                let mut value = serde_json::to_value(&report).expect("report serialises");
                value["recipients"] = serde_json::to_value(audience.holders()).expect("holders serialise");
                value["passphrase"] = matches!(audience, addressbook::Audience::Passphrase).into();
                cli::term::out(&value.to_string());
            } else {
                for path in &report.volumes {
                    cli::term::out(&path.display().to_string());
                }
                if report.volumes.len() > 1 {
                    cli::term::note(
                        quiet,
                        &format!(
                            "The archive is split into {} volumes; keep them together with {} (receivers give the first volume).",
                            report.volumes.len(),
                            report.sidecar.display()
                        ),
                    );
                }
                // Every file and the folder were fsynced before this point, so
                // pulling the stick out now loses nothing hakobu wrote.
                let saved = if report.verified_readback {
                    "The archive is saved and was read back from the medium unchanged"
                } else {
                    "The archive is saved (not read back: --no-verify)"
                };
                cli::term::note(
                    quiet,
                    &format!(
                        "Packed {} files ({} bytes). {saved}. Everything is flushed to the medium: you can remove the stick now (no need to \"eject\" it for hakobu's sake).",
                        report.files, report.data_bytes
                    ),
                );
            }
            Ok(exit::OK)
        }
        Command::Recipients { action } => {
            let may_be_new = matches!(action, args::RecipientsAction::Add { .. });
            let mut config = Config::load(cli.config.as_deref(), may_be_new)?;
            cli::keys::recipients(&mut config, action, quiet)?;
            Ok(exit::OK)
        }
        Command::List { archive, identity, json } => {
            let keys = key_source(&identity)?;
            let manifest =
                hakobu::format::reader::read_archive(&archive, &keys, &mut hakobu::format::reader::NullSink, &cli::term::Bar::new(quiet))?;
            if json {
                cli::term::out(&serde_json::to_string_pretty(&manifest).expect("manifest serialises"));
            } else {
                for d in &manifest.directories {
                    cli::term::out(&format!("{:>14}  {}  {}/", "", date(d.mtime), hakobu::format::paths::escape_str(&d.path)));
                }
                for f in &manifest.files {
                    cli::term::out(&format!("{:>14}  {}  {}", f.size, date(f.mtime), hakobu::format::paths::escape_str(&f.path)));
                }
                cli::term::note(
                    quiet,
                    &format!(
                        "{} files, {} folders, {} bytes; archive {} made {} by {}; every checksum matched.",
                        manifest.totals.files,
                        manifest.totals.directories,
                        manifest.totals.bytes,
                        manifest.archive_id,
                        manifest.created,
                        hakobu::format::paths::escape_str(&manifest.tool)
                    ),
                );
            }
            Ok(exit::OK)
        }
        Command::Unpack { archive, output, identity, force, json } => {
            let keys = key_source(&identity)?;
            let request = unpack::UnpackRequest { archive, dest: output, force };
            let report = unpack::unpack(&request, &keys, &cli::term::Bar::new(quiet))?;
            if json {
                cli::term::out(&serde_json::to_string(&report).expect("report serialises"));
            } else {
                cli::term::note(
                    quiet,
                    &format!(
                        "Unpacked {} files ({} bytes) into {}; every file matched its checksum.",
                        report.files,
                        report.bytes,
                        report.dest.display()
                    ),
                );
            }
            Ok(exit::OK)
        }
        Command::Verify { archive, identity, json } => {
            let keys = if identity.is_empty() { None } else { Some(KeySource::Identities(crypto::read_identities(&identity)?)) };
            let report = verify::verify(&archive, keys.as_ref(), &cli::term::Bar::new(quiet))?;
            if json {
                cli::term::out(&serde_json::to_string(&report).expect("report serialises"));
            } else {
                render_verify(&report, quiet);
            }
            Ok(if report.ok { exit::OK } else { exit::VERIFY_FAILED })
        }
    }
}

/// `-i` files if given; else the default identity if it exists (falling back to a
/// passphrase prompt for passphrase archives); else the prompt.
fn key_source(identity: &[String]) -> Result<KeySource> {
    if !identity.is_empty() {
        return Ok(KeySource::Identities(crypto::read_identities(identity)?));
    }
    match hakobu::keys::keyfile::default_identity_path().filter(|p| p.is_file()) {
        Some(p) => Ok(KeySource::DefaultOrPrompt(crypto::read_identities(&[p.to_string_lossy().into_owned()])?)),
        None => Ok(KeySource::Prompt),
    }
}

fn read_new_passphrase() -> Result<age::secrecy::SecretString> {
    use age::cli_common::Passphrase;
    match age::cli_common::read_or_generate_passphrase().map_err(|e| Error::Passphrase(e.to_string()))? {
        Passphrase::Typed(p) => Ok(p),
        Passphrase::Generated(p) => {
            use age::secrecy::ExposeSecret;
            // Shown even with -q: without it the archive could never be opened.
            // Not eprintln!: a failing stderr must not panic.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("Generated passphrase (write it down and hand it over separately): {}\n", p.expose_secret()).as_bytes(),
            );
            Ok(p)
        }
    }
}

/// Asks twice for the passphrase that will protect a new key file.
fn read_key_passphrase() -> Result<age::secrecy::SecretString> {
    use age::secrecy::ExposeSecret;
    let pass = age::cli_common::read_secret(
        "Choose a passphrase to protect your new key (you will type it to open archives)",
        "Passphrase",
        Some("Type the same passphrase again"),
    )
    .map_err(|e| Error::Passphrase(format!("{e}; for a service account without a terminal use --no-passphrase")))?;
    if pass.expose_secret().is_empty() {
        return Err(Error::Usage("an empty passphrase protects nothing; choose one, or use --no-passphrase for a service account".into()));
    }
    Ok(pass)
}

fn render_verify(r: &verify::VerifyReport, quiet: bool) {
    let line = |k: &str, v: &str| cli::term::out(&format!("{k:<12} {v}"));
    line("archive", &r.archive.display().to_string());
    line("checksum", &r.checksum);
    line("header", &r.header);
    if let Some(p) = &r.protection {
        line("protection", p);
    }
    line("contents", &r.contents);
    if let (Some(files), Some(bytes)) = (r.files, r.data_bytes) {
        line("files", &format!("{files} ({bytes} bytes)"));
    }
    line("result", if r.ok { "PASS" } else { "FAIL" });
    if let Some(problem) = &r.problem {
        cli::term::note(quiet, &format!("problem: {problem}"));
    }
}

fn date(secs: u64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    humantime::format_rfc3339_seconds(t).to_string()
}
