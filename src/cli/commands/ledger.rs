//! `hakobu ledger list|show|verify|export|report|import` (issue #16).

use std::path::PathBuf;

use hakobu::error::{exit, Error, IoAction};
use hakobu::ops::ledger::{self, Filter};
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::args::LedgerAction;
use crate::cli::render;
use crate::cli::render_ledger as words;
use crate::cli::term::out;
use crate::cli::Ui;

/// Asks whether to remove the imported receipt file; `false` without a
/// terminal to ask at (stdin and stderr), or on any answer but yes.
fn ask_remove(file: &std::path::Path) -> bool {
    use std::io::{IsTerminal, Write};
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    let question = crate::tr!("ledger-ask-remove-receipt", path = render::path(file), keys = crate::tr!("guided-keys-default-yes"));
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} ").and_then(|()| err.flush());
    drop(err);
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).unwrap_or(0) == 0 {
        return false;
    }
    let a = answer.trim().to_lowercase();
    a.is_empty() || a.starts_with('y') || a.starts_with("は")
}

/// Returns the exit code (verify: 1 when the chain does not hold).
pub fn run(ctx: &Context, ui: Ui, flag: Option<PathBuf>, action: LedgerAction) -> Result<u8> {
    let path = ledger::locate_for(ctx, flag)?;
    match action {
        LedgerAction::List { since, until, office, sender, not_received, medium } => {
            let (items, chain) = ledger::list(&path, &Filter { since, until, office, sender, not_received, medium })?;
            if ui.json {
                out(&render::ok_json(serde_json::json!({ "ledger": path, "records": items, "chain_ok": chain.problems.is_empty() }))
                    .to_string());
            } else {
                for line in words::list_table(&items) {
                    out(&line);
                }
                if !chain.problems.is_empty() {
                    crate::cli::term::warn(&crate::tr!("ledger-chain-broken-warning"));
                }
            }
        }
        LedgerAction::Show { id } => {
            let (item, _) = ledger::find(&path, &id)?;
            if ui.json {
                out(&render::ok_json(&item).to_string());
            } else {
                for l in words::show(&item) {
                    out(&l);
                }
            }
        }
        LedgerAction::Verify { head } => {
            if let Some(h) = head.as_deref().filter(|h| !ledger::is_head_hash(h)) {
                return Err(Error::LedgerHeadInvalid { head: h.chars().take(80).collect() });
            }
            let report = ledger::verify(&path, head.as_deref())?;
            let code = if report.problems.is_empty() { exit::OK } else { exit::VERIFY_FAILED };
            if ui.json {
                let mut v = serde_json::to_value(&report).expect("report serialises");
                v["ok"] = serde_json::Value::Bool(report.problems.is_empty());
                v["error"] = match report.problems.first() {
                    Some(p) => {
                        let e = Error::LedgerBroken { path: path.clone(), problem: p.clone(), problems: report.problems.len() };
                        render::problem_json(&e, code, render::Operation::Other)
                    }
                    None => serde_json::Value::Null,
                };
                out(&v.to_string());
            } else {
                for l in words::verify_lines(&report) {
                    out(&l);
                }
            }
            return Ok(code);
        }
        LedgerAction::Export { csv: _, output } => {
            let (items, _) = ledger::list(&path, &Filter::default())?;
            let text = words::csv(&items);
            match output {
                Some(file) => {
                    std::fs::write(&file, text.as_bytes()).map_err(|e| Error::io(IoAction::Write, &file, e))?;
                    if ui.json {
                        out(&render::ok_json(serde_json::json!({ "file": file, "records": items.len() })).to_string());
                    }
                }
                None => {
                    use std::io::Write;
                    let mut o = std::io::stdout().lock();
                    let _ = o.write_all(text.as_bytes()).and_then(|()| o.flush());
                }
            }
        }
        LedgerAction::Report { id, identity } => {
            let report = ledger::report(&path, &id, &identity, ctx.prompter.clone())?;
            if ui.json {
                out(&render::ok_json(&report).to_string());
            } else {
                for l in words::report(&report) {
                    out(&l);
                }
            }
        }
        LedgerAction::Import { file, remove, keep } => {
            let config = hakobu::keys::config::Config::load(ctx.config_path.as_deref(), false)?;
            let policy =
                ledger::ReceiptPolicy { senders: config.senders.clone(), require_signature: config.ledger.require_signed_receipts };
            let rec = ledger::import(&path, &file, &policy)?;
            if !ui.json {
                ui.note(&crate::tr!(
                    "ledger-receipt-imported",
                    id = rec.entry.id().to_owned(),
                    path = render::path(&path),
                    seq = rec.seq.to_string()
                ));
            }
            // The receipt file has done its work: offered for removal from
            // the stick (the stick check lists it until then). `--remove`
            // and `--keep` answer for scripts; without a terminal it stays.
            let remove = remove || (!keep && !ui.json && ask_remove(&file));
            let removed = remove && ledger::remove_imported_receipt(&path, &file)?;
            if ui.json {
                let mut v = render::ok_json(&rec);
                v["receipt_file_removed"] = serde_json::Value::Bool(removed);
                out(&v.to_string());
            } else if removed {
                ui.note(&crate::tr!("ledger-receipt-file-removed", path = render::path(&file)));
            } else {
                ui.note(&crate::tr!("ledger-receipt-file-kept", path = render::path(&file)));
            }
        }
    }
    Ok(exit::OK)
}
