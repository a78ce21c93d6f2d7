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
use crate::ops::{Context, NewSecretFor};

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
}

/// A checked pack, not yet started: the front-end shows `holders()` and
/// the plan's notices, then calls [`execute`].
pub struct PreparedPack {
    audience: Audience,
    plan: PackPlan,
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
    /// The passphrase hakobu generated, to show once (never in JSON).
    #[serde(skip)]
    pub generated_passphrase: Option<SecretString>,
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
    let plan = engine::plan(&engine::PlanRequest {
        sources: req.sources.clone(),
        out_dir: req.out_dir.clone(),
        name: req.name.clone(),
        armor: req.armor,
        no_verify: req.no_verify,
        split: req.split,
    })?;
    for notice in &plan.warnings {
        ctx.progress.notice(notice);
    }
    Ok(PreparedPack { audience, plan })
}

/// Asks for the passphrase if one is needed, then packs.
pub fn execute(ctx: &Context, prepared: PreparedPack) -> Result<PackOutcome> {
    let PreparedPack { audience, plan } = prepared;
    let mut generated = None;
    let recipients = audience.recipient_set(ctx.prompter.clone(), || match ctx.prompter.new_passphrase(NewSecretFor::Archive)? {
        Some(p) => Ok(p),
        None => {
            let p = crate::format::naming::random_passphrase()?;
            generated = Some(p.clone());
            Ok(p)
        }
    })?;
    let report = engine::pack(&plan, &recipients, ctx.progress.as_ref(), &ctx.cancel)?;
    Ok(PackOutcome {
        report,
        recipients: audience.holders().to_vec(),
        passphrase: matches!(audience, Audience::Passphrase),
        generated_passphrase: generated,
    })
}
