//! The properties the fuzz targets check, shared with the normal test suite:
//! `fuzz_targets/*.rs` call these on libFuzzer's inputs, and
//! `tests/integration/fuzz_corpus.rs` replays every committed corpus file
//! through the very same functions, so CI covers the corpora without
//! cargo-fuzz. Every violation is a panic, which libFuzzer reports as a crash.

#![allow(dead_code)]

use std::path::{Component, Path};
use std::sync::OnceLock;

use hakobu::format::manifest::Manifest;
use hakobu::format::paths::ArchivePath;
use hakobu::format::reader::{read_plaintext, NullSink};
use hakobu::ops::unpack::{unpack, UnpackRequest};
use hakobu::ops::Context;

/// Manifest parser: whatever it accepts is exactly its canonical form, and
/// reads back as the same manifest.
pub fn manifest_roundtrip(data: &[u8]) {
    let Ok(m) = Manifest::parse(data) else { return };
    let bytes = m.to_canonical_bytes();
    assert!(bytes == data, "accepted a manifest that is not in canonical form");
    let again = Manifest::parse(&bytes).expect("the canonical form of an accepted manifest parses");
    assert_eq!(again, m);
    // The totals were checked: they add up without overflow.
    assert_eq!(m.totals.files, m.files.len() as u64);
    assert_eq!(m.totals.directories, m.directories.len() as u64);
}

/// The path check: an accepted path is relative, has no traversal, no
/// separators or characters a receiver would reinterpret, stays below any
/// root, and is its own canonical form.
pub fn path_check(data: &[u8]) {
    let Ok(p) = ArchivePath::parse(data) else { return };
    let s = p.as_str();
    assert!(!s.is_empty(), "empty path accepted");
    assert!(!s.starts_with('/'), "absolute path accepted: {s:?}");
    assert!(!s.ends_with('/'), "trailing slash kept: {s:?}");
    assert!(!s.contains('\\'), "backslash accepted: {s:?}");
    assert!(!s.chars().any(|c| c == '\0' || c.is_control()), "control character accepted: {s:?}");
    for c in s.split('/') {
        assert!(!c.is_empty() && c != "." && c != "..", "component {c:?} accepted in {s:?}");
        assert!(!(c.len() >= 2 && c.as_bytes()[1] == b':'), "drive letter accepted: {s:?}");
    }
    let root = Path::new("/fuzz/root");
    let under = p.under(root);
    assert!(under.starts_with(root) && under != root, "{s:?} escapes the root: {}", under.display());
    for c in under.strip_prefix(root).unwrap().components() {
        assert!(matches!(c, Component::Normal(_)), "{s:?} lands as {}", under.display());
    }
    assert_eq!(ArchivePath::parse(s.as_bytes()).as_ref(), Ok(&p), "{s:?} does not parse back to itself");
    // The other accessors must not panic either.
    let _ = (p.fold_key(), p.top(), p.is_reserved(), p.to_string());
    if let Some(parent) = p.parent() {
        assert_eq!(ArchivePath::parse(parent.as_str().as_bytes()).as_ref(), Ok(&parent));
    }
}

/// The checked reading path below age: arbitrary plaintext must give a
/// manifest or an error, never a panic; an accepted stream's manifest is
/// canonical.
pub fn unpack_plaintext(data: &[u8]) {
    if let Ok(m) = read_plaintext(data, &mut NullSink) {
        assert!(Manifest::parse(&m.to_canonical_bytes()).is_ok());
    }
}

/// A fresh X25519 identity per process: the sender's side is this harness.
fn identity() -> &'static age::x25519::Identity {
    static ID: OnceLock<age::x25519::Identity> = OnceLock::new();
    ID.get_or_init(age::x25519::Identity::generate)
}

/// The whole unpack pipeline over arbitrary plaintext: encrypt it to a
/// fixed key as a sender would, unpack into a fresh folder, and check that a
/// refused archive leaves nothing behind (no staging folder, no file) and an
/// accepted one releases exactly what its manifest lists.
pub fn unpack_full(data: &[u8]) {
    let id = identity();
    let recipient = id.to_public();
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient)).expect("one recipient");
    let mut sealed = Vec::with_capacity(data.len() + 256);
    let mut w = encryptor.wrap_output(&mut sealed).expect("encrypt to memory");
    std::io::Write::write_all(&mut w, data).expect("encrypt to memory");
    w.finish().expect("encrypt to memory");

    let tmp = tempfile::Builder::new().prefix("hakobu-fuzz-").tempdir().expect("temp dir");
    let archive = tmp.path().join("input.age");
    std::fs::write(&archive, &sealed).expect("write archive");
    let dest = tmp.path().join("dest");
    let key = tmp.path().join("key.txt");
    std::fs::write(&key, format!("{}\n", age::secrecy::ExposeSecret::expose_secret(&id.to_string()))).expect("write key");
    let req = UnpackRequest { archive, dest: dest.clone(), identities: vec![key], ..Default::default() };
    let plain_verdict = read_plaintext(data, &mut NullSink).map(|m| m.archive_id);
    match unpack(&Context::silent(), &req) {
        Err(e) => {
            // DEST was created by unpack: it is removed again, or left empty.
            let left: Vec<_> = match dest.symlink_metadata() {
                Err(_) => vec![],
                Ok(_) => walkdir::WalkDir::new(&dest).min_depth(1).into_iter().map(|e| e.map(|e| e.into_path())).collect(),
            };
            assert!(left.is_empty(), "refused archive ({e}) left {} entries in DEST: {left:?}", left.len());
            // Below age the same stream must be refused too (the one checked
            // reading path); only the file system may refuse more (I/O).
            if !matches!(e, hakobu::Error::Io { .. }) {
                assert!(plain_verdict.is_err(), "unpack refused ({e}) what read_plaintext accepted");
            }
        }
        Ok(report) => {
            assert_eq!(plain_verdict.as_deref().ok(), Some(report.id.as_str()));
            let files = walkdir::WalkDir::new(&dest).min_depth(1).into_iter().filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()));
            assert_eq!(files.count() as u64, report.files, "released files differ from the manifest");
        }
    }
}
