//! google/safearchive's hostile tars (docs/SECURITY.md, G2), read from the shared
//! corpora folder at test time (never copied into the repository), each
//! wrapped as a hakobu archive whose manifest agrees with its entries, as a
//! compromised packer would. Each must be refused for the right reason, or
//! (special modes, xattrs) unpacked with the special bits and attributes
//! dropped.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use crate::craft::{seal, wrap_tar};
use crate::hostile::{assert_all_refused, unsafe_entry};
use crate::support::*;

/// The corpus folder (see `support::shared_corpus`).
fn corpus() -> Option<PathBuf> {
    shared_corpus("safearchive", "traverse.tar")
}

/// What each corpus file must come to: refused naming (entry, reason), or unpacked.
const REFUSED: &[(&str, &[u8], &str)] = &[
    // A symlink to / first, then Tmp/… through it on a case-insensitive disk.
    ("case-insensitive.tar", b"tmp", "symbolic link"),
    // A FIFO first, then devices, a symlink and a hard link.
    ("specialfiles.tar", b"fifo", "FIFO"),
    ("traverse-slash-at-the-end.tar", b"linktoroot/", "symbolic link"),
    ("traverse-via-links.tar", b"linktoroot", "symbolic link"),
    // readme.txt is harmless; /gopher.txt is the first hostile entry.
    ("traverse.tar", b"/gopher.txt", "absolute path"),
    // "3D Objects" is fine; "Androi~2" may alias another file on Windows.
    ("winshort.tar", b"Androi~2", "8.3 short name"),
];
const UNPACKED: &[&str] = &["specialmodes.tar", "xattr.tar"];

#[test]
fn every_corpus_file_has_an_expected_outcome() {
    let Some(dir) = corpus() else { return };
    for item in fs::read_dir(&dir).unwrap() {
        let name = item.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".tar") {
            assert!(
                REFUSED.iter().any(|(f, _, _)| *f == name) || UNPACKED.contains(&name.as_str()),
                "{name} in {} has no expected outcome here",
                dir.display()
            );
        }
    }
}

#[test]
fn safearchive_hostile_tars_are_refused() {
    let Some(dir) = corpus() else { return };
    let cases = REFUSED
        .iter()
        .map(|(file, entry, reason)| {
            let tar = fs::read(dir.join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
            unsafe_entry(file, wrap_tar(&tar).finish(), entry, reason)
        })
        .collect();
    assert_all_refused(cases);
}

#[test]
fn safearchive_special_modes_and_xattrs_are_dropped() {
    let Some(dir) = corpus() else { return };
    let s = Session::new();
    // Can this file system hold user xattrs at all? Otherwise "none came
    // through" would prove nothing.
    write(&s.path("probe"), b"x");
    let xattrs_work = rustix::fs::setxattr(s.path("probe"), "user.probe", b"1", rustix::fs::XattrFlags::empty()).is_ok();
    if !xattrs_work {
        eprintln!("NOTICE: {} holds no user xattrs; the xattr check below cannot fail here", s.dir.path().display());
    }
    for file in UNPACKED {
        let tar = fs::read(dir.join(file)).unwrap();
        let craft = wrap_tar(&tar);
        let expected_files = craft.files.clone();
        let expected_dirs = craft.dirs.clone();
        assert!(!expected_files.is_empty(), "{file}: no files found in the corpus tar");
        let archive = seal(&craft.finish(), &s.recipient, &s.path(&format!("{file}.age")));
        let archive = archive.to_str().unwrap();
        let key = s.key.to_str().unwrap();
        let dest = format!("out-{file}");
        s.run_ok(&["unpack", archive, "-o", &dest, "-i", key, "-q"]);
        s.run_ok(&["list", archive, "-i", key, "-q"]);
        s.run_ok(&["verify", archive, "-i", key, "-q"]);
        for f in &expected_files {
            let path = s.path(&dest).join(&f.path);
            let meta = fs::symlink_metadata(&path).unwrap_or_else(|e| panic!("{file}: {} missing: {e}", f.path));
            assert!(meta.is_file(), "{file}: {} is not a plain file", f.path);
            assert_eq!(meta.len(), f.size, "{file}: {} has the wrong size", f.path);
            assert_eq!(meta.permissions().mode() & 0o7777, 0o600, "{file}: {} kept mode bits from the archive", f.path);
            let mut names = [0u8; 1024];
            let n = rustix::fs::llistxattr(&path, &mut names[..]).unwrap_or(0);
            let listed = String::from_utf8_lossy(&names[..n]).replace('\0', " ");
            assert!(!listed.contains("user."), "{file}: {} came with xattrs: {listed}", f.path);
        }
        for d in &expected_dirs {
            let meta = fs::symlink_metadata(s.path(&dest).join(&d.path)).unwrap();
            assert!(meta.is_dir(), "{file}: {} is not a folder", d.path);
            assert_eq!(meta.permissions().mode() & 0o7777, 0o700, "{file}: folder {} kept mode bits from the archive", d.path);
        }
    }
}
