//! `unpack` and `list`: open the archive with the receiver's key, check
//! every byte, and release files only when all of them verified.

use std::path::PathBuf;

use crate::engine::unpack as engine;
pub use crate::engine::unpack::UnpackReport;
use crate::engine::{read_then_approve, BeforeRelease};
use crate::error::Result;
use crate::format::manifest::Manifest;
use crate::format::reader::NullSink;
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
    // The config holds the signature policy: one that cannot be read stops
    // the unpack (read leniently, `require_signature` would quietly be off).
    let config = crate::keys::config::Config::load(ctx.config_path.as_deref(), false)?;
    // The archive itself was refused (damaged, unsafe, not for this office's
    // key, a signature that does not hold): the receiver's ledger and the
    // sender learn it.
    let refused = |e: crate::error::Error| {
        if is_refusal_of_the_archive(&e) {
            let arrival = Arrival { id: String::new(), result: ledger::ReceiptResult::Refused, reason: Some(e.kind().to_owned()) };
            record_arrival(ctx, req, &config, arrival);
        }
        e
    };
    // Opened once: every read below goes through these handles (issue #31).
    let set = crate::io::volumes::VolumeSet::locate(&req.archive, &ctx.cancel).map_err(refused)?;
    // The sender signature is read before any passphrase is asked (issue
    // #17) and judged over the bytes decrypted, before anything is released.
    // Whether an unsigned archive is worth a notice is the office's policy (#26).
    let gate_ctx = crate::ops::origin::gate_context(ctx, &config, &req.archive);
    let gate = crate::ops::signature::prepare(&gate_ctx, &config, &set).map_err(refused)?;
    let engine_req = engine::UnpackRequest {
        archive: req.archive.clone(),
        dest: req.dest.clone(),
        force: req.force,
        staging_registry: crate::keys::config::data_dir().map(|d| d.join("staging")),
    };
    let mut signature = None;
    let unpacked = with_keys(ctx, &req.archive, &req.identities, |keys| {
        let mut approve = |digest: Option<&crate::io::hashing::ArchiveDigest>, manifest: Option<&Manifest>| {
            let check = gate.judge(&gate_ctx, digest, manifest)?;
            // Who signed is said before anything is released (issue #32).
            if let Some(n) = check.signer_notice() {
                ctx.progress.notice(&n);
            }
            signature = Some(check);
            Ok(())
        };
        let mut before = BeforeRelease { digest: gate.wants_digest(), approve: &mut approve };
        engine::unpack(&engine_req, &set, keys, ctx.progress.as_ref(), &ctx.cancel, &mut before)
    });
    let mut report = unpacked.map_err(refused)?;
    report.signature = signature;
    let arrival = Arrival { id: report.id.clone(), result: ledger::ReceiptResult::Verified, reason: None };
    let (written, receipt_file) = record_arrival(ctx, req, &config, arrival);
    report.ledger = written;
    report.receipt_file = receipt_file;
    Ok(report)
}

/// How an archive arrived, for its receipt.
struct Arrival {
    /// The archive's id; empty when it was refused before the id was read.
    id: String,
    result: ledger::ReceiptResult,
    /// The error's kind code when refused.
    reason: Option<String>,
}

/// Refusals that are about the archive (worth a receipt), not about this PC
/// (a destination that exists, a wrong passphrase the receiver will retype).
fn is_refusal_of_the_archive(e: &crate::error::Error) -> bool {
    e.exit_code() == crate::error::exit::VERIFY_FAILED
        || matches!(e, crate::error::Error::NoMatchingKey { .. } | crate::error::Error::SignatureRefused { .. })
}

/// Appends a receipt to this PC's ledger and, when asked, writes the receipt
/// file beside the archive. Neither stops anything: what fails is a notice.
fn record_arrival(
    ctx: &Context,
    req: &UnpackRequest,
    config: &crate::keys::config::Config,
    arrival: Arrival,
) -> (Option<ledger::LedgerWritten>, Option<PathBuf>) {
    // The ciphertext's SHA-256 as the checksum file states it (read, not recomputed).
    let sidecar = crate::io::volumes::Sidecar::read(&crate::io::volumes::sidecar_path(&req.archive));
    let sha256 = sidecar.and_then(|s| s.whole.clone().or_else(|| s.lines.first().map(|l| l.0.clone())));
    let time = ledger::now();
    let receiver = ledger::Person::current();
    let mut written = None;
    let opened = ledger::locate(&config.ledger).and_then(|path| match ledger::Ledger::open(&path) {
        Ok(l) => Some(l),
        Err(e) => {
            ctx.progress.notice(&crate::ops::Notice::ReceiptNotRecorded { ledger: path, detail: e.kind().to_owned() });
            None
        }
    });
    if let Some(mut l) = opened {
        let entry = ledger::Entry::Receipt(ledger::Receipt {
            id: arrival.id.clone(),
            time: time.clone(),
            receiver: receiver.clone(),
            result: arrival.result,
            reason: arrival.reason.clone(),
            sha256: sha256.clone(),
            source: "local".into(),
            signed: None,
            signer: None,
            receipt_id: None,
        });
        match l.append(entry) {
            Ok(rec) => written = Some(ledger::LedgerWritten { path: l.path().to_owned(), seq: rec.seq }),
            Err(e) => ctx.progress.notice(&crate::ops::Notice::ReceiptNotRecorded { ledger: l.path().to_owned(), detail: e.to_string() }),
        }
    }
    let mut receipt_file = None;
    // Without the checksum file the sender's side could not match the receipt to its record.
    if let (true, Some(sha256)) = (req.receipt_file, sha256) {
        let mut file = ledger::ReceiptFile {
            format: "hakobu-receipt".into(),
            v: 1,
            id: arrival.id,
            time,
            receiver,
            result: arrival.result,
            reason: arrival.reason,
            sha256,
            receipt_id: crate::format::naming::random_id().ok(),
            signature: None,
        };
        // Signed with this PC's signing key when it has one (issue #32), so
        // the sender's side can tell it from a receipt anyone could type. Only
        // a key usable without a question: the files are already released,
        // and the only question there is is worded for signing an archive. A
        // key that cannot be used so leaves it unsigned (the importing side
        // shows it as unsigned, or refuses it where policy requires signatures).
        if let Some(key_path) = &config.signing.key {
            let quiet = Context { prompter: std::sync::Arc::new(crate::ops::NoPrompter), ..ctx.clone() };
            if let Ok(key) = crate::ops::signature::load_signing_key(&quiet, key_path) {
                let _ = file.sign(&key);
            }
        }
        let path = ledger::receipt_path(&req.archive);
        match ledger::write_receipt_file(&path, &file) {
            Ok(()) => receipt_file = Some(path),
            Err(e) => ctx.progress.notice(&crate::ops::Notice::ReceiptNotRecorded { ledger: path, detail: e.to_string() }),
        }
    }
    (written, receipt_file)
}

/// Decrypts and checks the whole archive, writing nothing, and judges its
/// sender signature over the bytes decrypted; returns its manifest and the
/// signature check.
pub fn list(ctx: &Context, archive: &std::path::Path, identities: &[PathBuf]) -> Result<(Manifest, SignatureCheck)> {
    let config = crate::keys::config::Config::load(ctx.config_path.as_deref(), false)?;
    let set = crate::io::volumes::VolumeSet::locate(archive, &ctx.cancel)?;
    let gate_ctx = crate::ops::origin::gate_context(ctx, &config, archive);
    let gate = crate::ops::signature::prepare(&gate_ctx, &config, &set)?;
    let mut signature = None;
    let manifest = with_keys(ctx, archive, identities, |keys| {
        let mut approve = |digest: Option<&crate::io::hashing::ArchiveDigest>, manifest: Option<&Manifest>| {
            signature = Some(gate.judge(&gate_ctx, digest, manifest)?);
            Ok(())
        };
        let mut before = BeforeRelease { digest: gate.wants_digest(), approve: &mut approve };
        read_then_approve(&set, archive, keys, &mut NullSink, ctx.progress.as_ref(), &ctx.cancel, false, &mut before)
    })?;
    Ok((manifest, signature.expect("judged before the manifest is returned")))
}

use crate::ops::signature::SignatureCheck;
