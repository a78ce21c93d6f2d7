//! The words of sender signatures (issue #17), from the catalogue.

use hakobu::ops::signature::{SignatureCheck, SignatureProblem, Signer};
use hakobu::ops::Notice;
use hakobu::Error;

use crate::cli::render::{path, text};
use crate::tr;

/// "made by 本社 (key SHA256:…)", or why it is not known who made it.
pub fn check_line(c: &SignatureCheck) -> String {
    match (&c.signer, &c.problem) {
        (Some(s), _) if c.signed_after_packing => {
            tr!("notice-signed-after-packing", name = s.name.as_deref().map(text).unwrap_or_default(), fingerprint = s.fingerprint.clone())
        }
        (Some(s), _) => signed_by(s),
        (None, Some(p)) => problem(p),
        (None, None) => tr!("sign-not-checked"),
    }
}

fn signed_by(s: &Signer) -> String {
    match &s.name {
        Some(n) => tr!("sign-signed-by", name = text(n), fingerprint = s.fingerprint.clone()),
        None => tr!("sign-signed-by-key", fingerprint = s.fingerprint.clone()),
    }
}

/// The signature line of a result (unpack, list, verify), or none: where
/// the office does not check signatures (no `[senders]`, no
/// `require_signature`), an archive nobody vouched for is the normal case,
/// not news (issue #26); a signer that was recognised is always said.
pub fn result_line(ctx: &hakobu::ops::Context, c: &SignatureCheck) -> Option<String> {
    if c.signer.is_none() && !office_checks_signatures(ctx) {
        return None;
    }
    Some(check_line(c))
}

/// Whether this office checks sender signatures (its config lists senders
/// or requires signatures); a config that cannot be read counts as yes (the
/// operation itself said why it failed).
fn office_checks_signatures(ctx: &hakobu::ops::Context) -> bool {
    hakobu::keys::config::Config::load(ctx.config_path.as_deref(), false)
        .map_or(true, |c| hakobu::ops::origin::office_checks_signatures(&c))
}

/// One signature problem in words.
pub fn problem(p: &SignatureProblem) -> String {
    match p {
        SignatureProblem::Missing => tr!("sign-problem-missing"),
        SignatureProblem::TooLarge => tr!("sign-problem-too-large"),
        SignatureProblem::Malformed => tr!("sign-problem-malformed"),
        SignatureProblem::WrongNamespace { namespace } => tr!("sign-problem-wrong-namespace", namespace = text(namespace)),
        SignatureProblem::UnknownSigner { fingerprint } => tr!("sign-problem-unknown-signer", fingerprint = fingerprint.clone()),
        SignatureProblem::Mismatch { fingerprint } => tr!("sign-problem-mismatch", fingerprint = fingerprint.clone()),
        SignatureProblem::Unreadable { detail } => tr!("sign-problem-unreadable", detail = text(detail)),
        SignatureProblem::Stripped { packer } => tr!("sign-problem-stripped", packer = packer.clone()),
        SignatureProblem::NotThePacker { fingerprint, packer } => {
            tr!("sign-problem-not-the-packer", fingerprint = fingerprint.clone(), packer = packer.clone())
        }
        SignatureProblem::NotAccepted { signer, accepted } => {
            let accepted = accepted.iter().map(|n| text(n)).collect::<Vec<_>>().join(&tr!("sign-list-separator"));
            match signer {
                Some(s) => tr!("sign-problem-not-accepted-signer", signer = text(s), accepted = accepted),
                None => tr!("sign-problem-not-accepted-unsigned", accepted = accepted),
            }
        }
    }
}

/// The notice of an archive that policy lets pass unsigned.
pub fn notice(n: &Notice) -> Option<String> {
    match n {
        Notice::SignatureNotVouched { problem: p } => Some(tr!("notice-signature-not-vouched", problem = problem(p))),
        Notice::ArchiveNotVouched { archive, problem: p } => {
            Some(tr!("notice-archive-not-vouched", archive = path(archive), problem = problem(p)))
        }
        Notice::SignatureHolds { signer } => Some(signed_by(signer)),
        Notice::SignedAfterPacking { signer } => Some(tr!(
            "notice-signed-after-packing",
            name = signer.name.as_deref().map(text).unwrap_or_default(),
            fingerprint = signer.fingerprint.clone()
        )),
        _ => None,
    }
}

/// Titles of the signature errors.
pub fn error_title(e: &Error) -> Option<String> {
    Some(match e {
        Error::SignatureRefused { archive, problem: p, .. } => {
            tr!("error-signature-refused", archive = path(archive), problem = problem(p))
        }
        Error::BadSigningKey { path: p } => tr!("error-bad-signing-key", path = path(p)),
        Error::SigningKeyRequired => tr!("error-signing-key-required"),
        _ => return None,
    })
}

/// What to do next.
pub fn hint(e: &Error) -> Option<String> {
    match e {
        Error::SignatureRefused { required: true, problem: SignatureProblem::Missing | SignatureProblem::UnknownSigner { .. }, .. } => {
            Some(tr!("hint-signature-required"))
        }
        Error::SignatureRefused { .. } => Some(tr!("hint-signature-refused")),
        Error::BadSigningKey { .. } => Some(tr!("hint-bad-signing-key")),
        Error::SigningKeyRequired => Some(tr!("hint-signing-key-required")),
        _ => None,
    }
}
