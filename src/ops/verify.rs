//! `verify`: for IT, without a key (checksum file and header) or with one
//! (every byte and file, nothing written).

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use crate::engine::verify as engine;
pub use crate::engine::verify::{ChecksumState, ContentsState, HeaderState, Protection, VerifyReport};
use crate::error::{Error, Result};
use crate::format::crypto::{self, KeySource};
use crate::format::manifest::Manifest;
use crate::format::padding;
use crate::ops::Context;

/// Verifies `archive`; with key files, fully.
pub fn verify(ctx: &Context, archive: &Path, identities: &[PathBuf]) -> Result<VerifyReport> {
    crate::ops::open::warn_if_not_private(ctx, identities);
    let config = crate::keys::config::Config::load(ctx.config_path.as_deref(), false)?;
    // Opened once: the header, checksum, contents and signature all come
    // from these handles (issue #31).
    let set = crate::io::volumes::VolumeSet::locate(archive, &ctx.cancel)?;
    // Read before a key file's passphrase is asked for: origin first (issue
    // #17); judged over the bytes checked, once they passed.
    // Whether an unsigned archive is worth a notice is the office's policy (#26).
    let gate_ctx = crate::ops::origin::gate_context(ctx, &config, archive);
    let gate = crate::ops::signature::prepare(&gate_ctx, &config, &set)?;
    let keys =
        if identities.is_empty() { None } else { Some(KeySource::Identities(crypto::read_identities(identities, ctx.prompter.clone())?)) };
    let mut signature = None;
    let mut approve = |digest: Option<&crate::io::hashing::ArchiveDigest>, manifest: Option<&Manifest>| {
        signature = Some(gate.judge(&gate_ctx, digest, manifest)?);
        Ok(())
    };
    let mut before = crate::engine::BeforeRelease { digest: gate.wants_digest(), approve: &mut approve };
    let mut report = engine::verify(&set, archive, keys.as_ref(), ctx.progress.as_ref(), &ctx.cancel, &mut before)?;
    report.signature = signature;
    if keys.is_none() && report.ok {
        // Without a key, the checksum file only says the bytes are the ones
        // it was made over: the size, and the start of the payload, say
        // whether hakobu can have made them.
        if let Some(shape) = keyless_shape(&set) {
            if shape.plain_payload || !padding::is_hakobu_plaintext_len(shape.plaintext) {
                let e = Error::NotMadeByHakobu { path: archive.to_owned(), plaintext: shape.plaintext };
                report.ok = false;
                report.problem_kind = Some(e.kind());
                report.error = Some(e);
            }
        }
    }
    Ok(report)
}

/// What a keyless check can see of an age file's making.
struct Shape {
    /// The plaintext length its size and header imply (0 if none fits).
    plaintext: u64,
    /// Text, a document or a key right after the header: no ciphertext.
    plain_payload: bool,
}

/// The plaintext length the age file of `set` implies, from its size and
/// its header's, and whether what follows the header is plain; None where
/// the header cannot be found (the header check has said why) or the file
/// cannot be read again. Reads the header and a few KiB after it (all of it
/// when armored) through the handles the check used (issue #31: never the
/// name again), from the medium, past the page cache, as the checks before it.
fn keyless_shape(set: &crate::io::volumes::VolumeSet) -> Option<Shape> {
    /// The header is searched for this far (a hakobu header is < 1 KiB per recipient).
    const HEADER_SEARCH: usize = 1 << 20;
    /// How much of the payload is looked at.
    const PAYLOAD_LOOK: usize = 4096;
    let mut file_len = set.total_len();
    let joined = set.medium_reader(None).ok()?;
    let found = (|| {
        let mut reader = std::io::BufReader::with_capacity(8 << 10, joined);
        let armored = reader.fill_buf().ok()?.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----");
        let mut decoded: Box<dyn Read> = if armored { Box::new(age::armor::ArmoredReader::new(reader)) } else { Box::new(reader) };
        let mut head = Vec::new();
        let mut chunk = [0u8; 4096];
        let header_len = loop {
            if let Some(mac) = memchr::memmem::find(&head, b"\n--- ") {
                if let Some(end) = memchr::memchr(b'\n', &head[mac + 1..]) {
                    break mac + 1 + end + 1;
                }
            }
            let n = decoded.read(&mut chunk).ok().filter(|&n| n > 0 && head.len() < HEADER_SEARCH)?;
            head.extend_from_slice(&chunk[..n]);
        };
        while head.len() < header_len + PAYLOAD_LOOK {
            match decoded.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&chunk[..n]),
            }
        }
        let plain_payload = crate::ops::scan::age_payload_is_plain(&head);
        if armored {
            // The binary size: what the armor decodes to.
            file_len = head.len() as u64 + std::io::copy(&mut decoded, &mut std::io::sink()).ok()?;
        }
        let plaintext = padding::age_plaintext_len(file_len, header_len as u64).unwrap_or(0);
        Some(Shape { plaintext, plain_payload })
    })();
    found
}
