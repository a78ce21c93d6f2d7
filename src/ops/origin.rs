//! Whether a missing or unknown sender signature is worth a word (issue #26):
//! the policy of the office, decided here, by the callers of the signature
//! gate (unpack, list, verify), not inside it. Where the office does not
//! sign (no `[senders]`, no `require_signature`) every archive is unsigned
//! and saying so each time teaches clerks to ignore it (the receiver guide
//! says it means phoning the sender): silent. Where signing is required the
//! gate refuses (an error). In between (senders listed, this archive not
//! vouched for): one notice that names the archive.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::keys::config::Config;
use crate::ops::{Context, Notice, Phase, Progress};

/// True when the office checks sender signatures: it lists senders or requires signatures.
pub fn office_checks_signatures(config: &Config) -> bool {
    !config.senders.is_empty() || config.signing.require_signature
}

/// `ctx` for the signature gate of `archive`: its notice names the archive,
/// or is dropped where the office does not check signatures.
pub(crate) fn gate_context(ctx: &Context, config: &Config, archive: &Path) -> Context {
    let mut gated = ctx.clone();
    gated.progress =
        Arc::new(NamedNotices { inner: ctx.progress.clone(), archive: archive.to_owned(), checks: office_checks_signatures(config) });
    gated
}

/// Passes everything through except the gate's unnamed notice.
struct NamedNotices {
    inner: Arc<dyn Progress>,
    archive: PathBuf,
    checks: bool,
}

impl Progress for NamedNotices {
    fn start(&self, phase: Phase, total: u64) {
        self.inner.start(phase, total);
    }
    fn advance(&self, bytes: u64) {
        self.inner.advance(bytes);
    }
    fn finish(&self) {
        self.inner.finish();
    }
    fn notice(&self, notice: &Notice) {
        match notice {
            Notice::SignatureNotVouched { .. } if !self.checks => {}
            Notice::SignatureNotVouched { problem } => {
                self.inner.notice(&Notice::ArchiveNotVouched { archive: self.archive.clone(), problem: problem.clone() })
            }
            other => self.inner.notice(other),
        }
    }
}
