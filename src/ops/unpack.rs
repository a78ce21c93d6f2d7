//! `unpack` and `list`: open the archive with the receiver's key, check
//! every byte, and release files only when all of them verified.

use std::path::PathBuf;

use crate::engine::unpack as engine;
pub use crate::engine::unpack::UnpackReport;
use crate::error::Result;
use crate::format::manifest::Manifest;
use crate::format::reader::{read_archive, NullSink};
use crate::ops::ledger;
use crate::ops::open::with_keys;
use crate::ops::Context;

/// What unpack was asked for.
#[derive(Debug, Clone, Default)]
pub struct UnpackRequest {
    /// The archive (its first volume when split).
    pub archive: PathBuf,
    /// The folder to unpack into (created if missing).
    pub dest: PathBuf,
    /// Key files (`-i`); empty: the default key file, or a passphrase.
    pub identities: Vec<PathBuf>,
    /// Replace existing files of the same name.
    pub force: bool,
    /// Unpack onto a removable, FAT or exFAT medium (a stick) all the same;
    /// refused otherwise (`Error::DestinationOnArchiveMedium`,
    /// `Error::DestinationRemovable`). A guided front-end never sets it.
    pub allow_removable_destination: bool,
    /// Write a receipt file (`NAME.age.receipt`: id, time, result, ciphertext
    /// SHA-256; no contents) beside the archive for the sender's `ledger import`.
    pub receipt_file: bool,
}

/// Unpacks into `dest`; nothing is released before every byte is verified.
pub fn unpack(ctx: &Context, req: &UnpackRequest) -> Result<UnpackReport> {
    // Before a passphrase is asked for or anything is created.
    if !req.allow_removable_destination {
        crate::io::medium::check_unpack_destination(&req.dest, &req.archive)?;
    }
    // This PC's ledger gets a receipt after the files are released. It is not
    // opened (or created) before: a refused unpack leaves nothing behind, not
    // even an empty ledger. A receipt that cannot be added is a notice.
    // (A config that cannot be read does not stop an unpack, which never needed one.)
    let config = crate::keys::config::Config::load(ctx.config_path.as_deref(), false).unwrap_or_default();
    // The sender signature, before any passphrase or decryption (issue #17).
    let signature = crate::ops::signature::gate(ctx, &req.archive)?;
    let engine_req = engine::UnpackRequest { archive: req.archive.clone(), dest: req.dest.clone(), force: req.force };
    let mut report =
        with_keys(ctx, &req.archive, &req.identities, |keys| engine::unpack(&engine_req, keys, ctx.progress.as_ref(), &ctx.cancel))?;
    report.signature = Some(signature);
    // The ciphertext's SHA-256 as the checksum file states it (read, not recomputed).
    let sidecar = crate::io::volumes::Sidecar::read(&crate::io::volumes::sidecar_path(&req.archive));
    let sha256 = sidecar.and_then(|s| s.whole.clone().or_else(|| s.lines.first().map(|l| l.0.clone())));
    let time = ledger::now();
    let receiver = ledger::Person::current();
    let opened = ledger::locate(&config.ledger).and_then(|path| match ledger::Ledger::open(&path) {
        Ok(l) => Some(l),
        Err(e) => {
            ctx.progress.notice(&crate::ops::Notice::ReceiptNotRecorded { ledger: path, detail: e.kind().to_owned() });
            None
        }
    });
    if let Some(mut l) = opened {
        let entry = ledger::Entry::Receipt(ledger::Receipt {
            id: report.id.clone(),
            time: time.clone(),
            receiver: receiver.clone(),
            result: ledger::ReceiptResult::Verified,
            reason: None,
            sha256: sha256.clone(),
            source: "local".into(),
        });
        // The files are already released: a receipt that cannot be added is reported, not undone.
        match l.append(entry) {
            Ok(rec) => report.ledger = Some(ledger::LedgerWritten { path: l.path().to_owned(), seq: rec.seq }),
            Err(e) => ctx.progress.notice(&crate::ops::Notice::ReceiptNotRecorded { ledger: l.path().to_owned(), detail: e.to_string() }),
        }
    }
    if req.receipt_file {
        if let Some(sha256) = sha256 {
            let file = ledger::ReceiptFile {
                format: "hakobu-receipt".into(),
                v: 1,
                id: report.id.clone(),
                time,
                receiver,
                result: ledger::ReceiptResult::Verified,
                reason: None,
                sha256,
            };
            let path = ledger::receipt_path(&req.archive);
            let mut text = serde_json::to_vec(&file).expect("receipt serialises");
            text.push(b'\n');
            let written = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).and_then(|mut f| {
                use std::io::Write;
                f.write_all(&text)?;
                f.sync_all()
            });
            match written {
                Ok(()) => report.receipt_file = Some(path),
                Err(e) => ctx.progress.notice(&crate::ops::Notice::ReceiptNotRecorded { ledger: path, detail: e.to_string() }),
            }
        }
    }
    Ok(report)
}

/// Checks the sender signature, then decrypts and checks the whole archive,
/// writing nothing; returns its manifest and the signature check.
pub fn list(ctx: &Context, archive: &std::path::Path, identities: &[PathBuf]) -> Result<(Manifest, SignatureCheck)> {
    let signature = crate::ops::signature::gate(ctx, archive)?;
    let manifest =
        with_keys(ctx, archive, identities, |keys| read_archive(archive, keys, &mut NullSink, ctx.progress.as_ref(), &ctx.cancel))?;
    Ok((manifest, signature))
}

use crate::ops::signature::SignatureCheck;
