//! `pack`: who may open the archive (address book, policy, post-quantum
//! check), a checked plan, then the engine; in two steps, so that a
//! front-end can show who will be able to open it before anything is written.

use std::path::PathBuf;

use age::secrecy::SecretString;
use serde::Serialize;

use crate::engine::pack as engine;
pub use crate::engine::pack::{PackPlan, PackReport};
use crate::error::Result;
/// `--split SIZE` as people type it (4G, 700M, bytes).
pub use crate::io::medium::{parse_size, BadSize, SizeProblem};
use crate::keys::addressbook::{self, Audience, AudienceRequest, Holder};
use crate::keys::config::Config;
use crate::ops::ledger::{self, Ledger, LedgerWritten};
use crate::ops::{output_medium, Context, NewSecretFor};

/// What pack was asked for, as typed.
#[derive(Debug, Clone, Default)]
pub struct PackRequest {
    /// Files and folders to pack.
    pub sources: Vec<PathBuf>,
    /// Folder to write the archive into (the stick).
    pub out_dir: PathBuf,
    /// Address-book names (`--to`).
    pub to: Vec<String>,
    /// Raw public keys (`-r`).
    pub recipients: Vec<String>,
    /// Recipients files (`-R`).
    pub recipients_files: Vec<PathBuf>,
    /// A passphrase instead of keys (`-p`).
    pub passphrase: bool,
    /// A label instead of a random name.
    pub name: Option<String>,
    /// ASCII-armored output.
    pub armor: bool,
    /// Skip reading the archive back from the medium.
    pub no_verify: bool,
    /// Volumes of at most this many bytes.
    pub split: Option<u64>,
    /// `--purpose`: why the data leaves (the ledger record).
    pub purpose: Option<String>,
    /// `--category`: data categories (the ledger record).
    pub categories: Vec<String>,
    /// `--sign KEY`: the signing key (else the config's `[signing] key`).
    pub sign: Option<PathBuf>,
}

/// A checked pack, not yet started: the front-end shows `holders()` and
/// the plan's notices, then calls [`execute`].
pub struct PreparedPack {
    audience: Audience,
    plan: PackPlan,
    /// The export ledger, opened and checked writable (Err: it cannot be, and policy lets a pack go without it).
    ledger: std::result::Result<Ledger, ledger::NotWritten>,
    /// Policy `[ledger] required`: a record that cannot be appended stops the pack.
    ledger_required: bool,
    purpose: Option<String>,
    categories: Vec<String>,
    audit: Option<String>,
    /// The unlocked signing key, if the archive is to be signed.
    signing_key: Option<ssh_key::PrivateKey>,
}

impl PreparedPack {
    /// Who will be able to open the archive (empty for a passphrase archive).
    pub fn holders(&self) -> &[Holder] {
        self.audience.holders()
    }

    /// True for a passphrase-only archive.
    pub fn is_passphrase(&self) -> bool {
        matches!(self.audience, Audience::Passphrase)
    }

    /// The checked plan (file counts, sizes, the archive's path).
    pub fn plan(&self) -> &PackPlan {
        &self.plan
    }
}

/// What pack produced; `--json` prints it.
#[derive(Debug, Serialize)]
pub struct PackOutcome {
    #[serde(flatten)]
    pub report: PackReport,
    /// Who can open it.
    pub recipients: Vec<Holder>,
    /// Whether it opens with a passphrase.
    pub passphrase: bool,
    /// The ledger record written (None: no ledger could be written and policy allowed that).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<LedgerWritten>,
    /// Why no record was written, when policy (`[ledger] required = false`) let the pack go on without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger_not_written: Option<ledger::NotWritten>,
    /// The signature written beside the archive (`NAME.age.sig`) and its key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureWritten>,
    /// The passphrase hakobu generated, to show once (never in JSON).
    #[serde(skip)]
    pub generated_passphrase: Option<SecretString>,
    /// Whether the archive went to a stick (a removable, FAT or exFAT
    /// medium), not a folder on this computer's disk.
    pub removable: bool,
    /// Whether the stick may be pulled out now: the archive is on a stick,
    /// and this pack left nothing readable there (its sources and the export
    /// ledger lie elsewhere; issue #25). Never true for a local folder.
    pub safe_to_remove: bool,
}

/// A signature pack wrote.
#[derive(Debug, Serialize)]
pub struct SignatureWritten {
    pub path: PathBuf,
    pub signer: crate::ops::signature::Signer,
}

/// Resolves who may open the archive and checks every source; writes nothing.
pub fn prepare(ctx: &Context, req: &PackRequest) -> Result<PreparedPack> {
    let config = Config::load(ctx.config_path.as_deref(), false)?;
    let audience = addressbook::resolve(
        &config,
        &AudienceRequest {
            to: req.to.clone(),
            recipients: req.recipients.clone(),
            recipients_files: req.recipients_files.clone(),
            passphrase: req.passphrase,
        },
    )?;
    audience.check_post_quantum()?;
    let purpose = req.purpose.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned);
    let categories: Vec<String> = req.categories.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    if config.ledger.require_category && categories.is_empty() {
        return Err(crate::Error::LedgerTagRequired { field: "category" });
    }
    if config.ledger.require_purpose && purpose.is_none() {
        return Err(crate::Error::LedgerTagRequired { field: "purpose" });
    }
    // Before the walk: nothing to pack may lie on the stick the archive goes to (issue #25).
    output_medium::refuse_sources_on_stick(&req.sources, &req.out_dir)?;
    let mut plan = engine::plan(&engine::PlanRequest {
        sources: req.sources.clone(),
        out_dir: req.out_dir.clone(),
        name: req.name.clone(),
        armor: req.armor,
        no_verify: req.no_verify,
        split: req.split,
    })?;
    // Keys on that stick: one that can open the archive stops the pack here,
    // before any question (a passphrase, the guided mode's confirmation).
    let passphrase = matches!(audience, Audience::Passphrase);
    plan.warnings.extend(output_medium::keys_on_stick(ctx, &req.out_dir, audience.holders(), passphrase)?);
    for notice in &plan.warnings {
        ctx.progress.notice(notice);
    }
    // Before anything is written: a ledger that cannot be written stops the pack (policy `[ledger] required`).
    let ledger = ledger::open_configured(&config)?;
    // The audit copy of the file list, made now so an unusable audit key stops the pack before writing.
    let audit = if ledger.is_ok() && !config.ledger.audit_recipients.is_empty() {
        Some(ledger::audit_copy(ctx, &config, &plan.listing())?)
    } else {
        None
    };
    // The signing key is unlocked before anything is written: a wrong passphrase stops the pack here.
    let signing_key = match req.sign.clone().or_else(|| config.signing.key.clone()) {
        Some(p) => Some(crate::ops::signature::load_signing_key(ctx, &p)?),
        // Where IT requires signatures, an unsigned archive would be refused on arrival.
        None if config.signing.require_signature => return Err(crate::Error::SigningKeyRequired),
        None => None,
    };
    Ok(PreparedPack { audience, plan, ledger, ledger_required: config.ledger.required, purpose, categories, audit, signing_key })
}

/// Asks for the passphrase if one is needed, then packs.
pub fn execute(ctx: &Context, prepared: PreparedPack) -> Result<PackOutcome> {
    let PreparedPack { audience, plan, mut ledger, ledger_required, mut purpose, mut categories, mut audit, signing_key } = prepared;
    let mut generated = None;
    let recipients = audience.recipient_set(ctx.prompter.clone(), || match ctx.prompter.new_passphrase(NewSecretFor::Archive)? {
        Some(p) => Ok(p),
        None => {
            let p = crate::format::naming::random_passphrase()?;
            generated = Some(p.clone());
            Ok(p)
        }
    })?;
    let passphrase = matches!(audience, Audience::Passphrase);
    let key_on_medium = plan
        .warnings
        .iter()
        .any(|n| matches!(n, crate::ops::Notice::DefaultKeyOnMedium { .. } | crate::ops::Notice::KeyLikeFileOnMedium { .. }));
    // Who signs (the key's fingerprint, its name in [senders]) is known
    // before the signature is made, so the record can name the signer.
    let signer = signing_key.as_ref().map(|k| {
        let config = Config::load(ctx.config_path.as_deref(), false).unwrap_or_default();
        let name = config
            .senders
            .iter()
            .find(|(_, ks)| {
                ks.iter().filter_map(|s| crate::ops::signature::parse_sender_key(s)).any(|p| p.key_data() == k.public_key().key_data())
            })
            .map(|(n, _)| n.clone());
        ledger::SignerFacts { fingerprint: k.public_key().fingerprint(ssh_key::HashAlg::Sha256).to_string(), name }
    });
    // The record goes in before the archive gets its final name: a pack
    // killed in between leaves a record without an archive, never an archive
    // without its record.
    let mut written = None;
    let mut not_written = ledger.as_ref().err().cloned();
    let mut signature = None;
    let mut record = |report: &engine::PackReport| -> Result<()> {
        if let Ok(l) = ledger.as_mut() {
            let mut entry = export_entry(
                report,
                key_on_medium,
                audience.holders(),
                passphrase,
                purpose.take(),
                std::mem::take(&mut categories),
                audit.take(),
            );
            if let ledger::Entry::Export(x) = &mut entry {
                x.signer = signer.clone();
            }
            match l.append(entry) {
                Ok(rec) => written = Some(LedgerWritten { path: l.path().to_owned(), seq: rec.seq }),
                Err(source) => {
                    let e = crate::Error::LedgerUnwritable { path: l.path().to_owned(), source };
                    if ledger_required {
                        return Err(e);
                    }
                    // Policy lets the archive be saved without its record: said below.
                    not_written = Some(ledger::NotWritten::of(Some(l.path().to_owned()), &e));
                }
            }
        }
        // The signature is made from the SHA-256 of the bytes read back from
        // the medium (with --no-verify, of the bytes written), the sum the
        // checksum file holds: nothing is read again. It is named before the archive,
        // so no archive stands under its final name without it.
        if let (Some(k), Some(facts), Some(digest)) = (&signing_key, &signer, report.signed_digest.as_ref()) {
            let (path, mut signed) = crate::ops::signature::write_signature(k, &plan.archive_path, digest)?;
            signed.name = facts.name.clone();
            signature = Some(SignatureWritten { path, signer: signed });
        }
        Ok(())
    };
    let signed_by = signing_key.as_ref().map(crate::ops::signature::public_key_text);
    let packed = engine::pack(&plan, &recipients, ctx.progress.as_ref(), &ctx.cancel, signed_by.as_deref(), &mut record);
    let report = match packed {
        Ok(report) => report,
        Err(e) => {
            // Named before the archive, which then failed to be: take it back.
            if let Some(written) = &signature {
                let _ = std::fs::remove_file(&written.path);
            }
            return Err(e);
        }
    };
    // Sources on the stick were refused while planning; the ledger is the
    // one readable file this pack may have written, if IT put it there.
    let out_dir = report.path.parent().unwrap_or(std::path::Path::new("."));
    let removable = output_medium::carried(out_dir).is_some();
    let ledger_on_stick = written.as_ref().is_some_and(|w| crate::io::medium::same_volume(&w.path, out_dir));
    // Saved without its record: said now, with -q and in every front-end, so
    // nobody takes the archive for recorded (issue #32).
    if let Some(n) = &not_written {
        ctx.progress.notice(&crate::ops::Notice::LedgerRecordNotWritten { not_written: n.clone() });
    }
    Ok(PackOutcome {
        ledger_not_written: not_written,
        removable,
        safe_to_remove: removable && !ledger_on_stick,
        signature,
        ledger: written,
        report,
        recipients: audience.holders().to_vec(),
        passphrase: matches!(audience, Audience::Passphrase),
        generated_passphrase: generated,
    })
}

/// The ledger record of a saved archive: facts only, no file names.
fn export_entry(
    report: &PackReport,
    key_on_medium: bool,
    holders: &[Holder],
    passphrase: bool,
    purpose: Option<String>,
    categories: Vec<String>,
    audit_manifest: Option<String>,
) -> ledger::Entry {
    let recipients: Vec<ledger::RecipientFacts> = holders
        .iter()
        .map(|h| ledger::RecipientFacts {
            office: h.name.clone(),
            fingerprint: ledger::sha256_hex(h.key.as_bytes()),
            kind: h.kind.code().to_owned(),
            escrow: h.via == addressbook::Via::Policy,
        })
        .collect();
    let kinds: Vec<String> = recipients.iter().map(|r| r.kind.clone()).collect();
    // The names on the stick are neutral (random, or the sender's --name label): issue #25.
    let file_name = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let volumes = report
        .volume_bytes
        .iter()
        .zip(&report.volume_sha256)
        .enumerate()
        .map(|(n, (&bytes, sha256))| ledger::VolumeFacts {
            name: report.volumes.get(n).and_then(|v| file_name(v)),
            bytes,
            sha256: sha256.clone(),
        })
        .collect();
    let name = file_name(&report.sidecar).and_then(|s| s.strip_suffix(".sha256").map(str::to_owned)).or_else(|| file_name(&report.path));
    let dir = report.path.parent().map(|d| d.to_owned()).unwrap_or_default();
    let fs = match crate::platform::fs_kind(&dir) {
        crate::platform::FsKind::Fat => "fat",
        crate::platform::FsKind::ExFat => "exfat",
        crate::platform::FsKind::Other => "other",
        crate::platform::FsKind::Unknown => "unknown",
    };
    ledger::Entry::Export(ledger::Export {
        id: report.id.clone(),
        time: ledger::now(),
        sender: ledger::Person::current(),
        recipients,
        passphrase,
        files: report.files,
        folders: report.directories,
        data_bytes: report.data_bytes,
        archive: ledger::ArchiveFacts {
            name,
            bytes: report.bytes,
            sha256: report.sha256.clone(),
            volumes,
            read_back: report.verified_readback,
        },
        medium: ledger::MediumFacts {
            label: crate::platform::volume_label(&dir),
            fs: fs.to_owned(),
            removable: crate::platform::removable(&dir),
        },
        hakobu: env!("CARGO_PKG_VERSION").to_owned(),
        algorithms: ledger::algorithms(&kinds, passphrase),
        purpose,
        categories,
        key_on_medium,
        audit_manifest,
        signer: None,
    })
}

/// What a front-end shows before asking anything else: what will be packed.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SourceSummary {
    pub files: u64,
    pub folders: u64,
    pub data_bytes: u64,
}

/// Checks the sources as pack plans them (names, links, files named like key
/// files, folders that cannot be read), before a destination is known;
/// writes nothing. (A key under another name is found only while packing.)
/// The guided mode uses it to refuse early, with pack's own reason.
pub fn check_sources(sources: &[PathBuf]) -> Result<SourceSummary> {
    let plan = plan_sources(sources)?;
    Ok(SourceSummary { files: plan.file_count, folders: plan.folder_count(), data_bytes: plan.data_bytes })
}

/// Plans `sources` as pack does, before a destination is chosen (writes nothing).
pub(crate) fn plan_sources(sources: &[PathBuf]) -> Result<engine::PackPlan> {
    // Any existing folder outside the sources stands in for the destination: a file system's root.
    let root = sources
        .first()
        .and_then(|s| std::fs::canonicalize(s).ok())
        .and_then(|p| p.ancestors().last().map(|r| r.to_owned()))
        .unwrap_or_else(std::env::temp_dir);
    engine::plan(&engine::PlanRequest { sources: sources.to_vec(), out_dir: root, name: None, armor: false, no_verify: false, split: None })
}
