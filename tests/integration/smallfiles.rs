//! Many small files (issue #6): what the per-file fast paths of pack and
//! unpack must still guarantee — every staged file durable before release,
//! clashes with existing files found, and no archive that unpack would refuse.

use std::fs;
use std::process::Command;

use crate::faults::with_env;
use crate::support::*;

/// A tree of `folders` folders with `per_folder` small files each, half of
/// them with Japanese names.
fn small_tree(s: &Session, folders: usize, per_folder: usize) {
    for d in 0..folders {
        let dir = if d % 2 == 0 { format!("src/case_{d:03}") } else { format!("src/案件_{d:03}") };
        for f in 0..per_folder {
            let name = if f % 2 == 0 { format!("note_{f:04}.dat") } else { format!("メモ_{f:04}.txt") };
            write(&s.path(&format!("{dir}/{name}")), &synthetic_bytes((d * 1000 + f) as u64, (d * 37 + f * 101) % 4096));
        }
    }
}

/// Syscalls of `hakobu args` as `strace -f` saw them: (thread id, line).
fn traced(s: &Session, syscalls: &str, args: &[&str]) -> Vec<(String, String)> {
    let trace = s.path("trace.txt");
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-o", trace.to_str().unwrap(), "-e", &format!("trace={syscalls}")]).arg(hakobu_bin()).args(args);
    let out = with_env(cmd, s.dir.path()).output().expect("run strace");
    assert!(out.status.success(), "{}", explain(s.dir.path(), args, &out, "success under strace"));
    fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("resumed>"))
        .map(|l| {
            let (tid, rest) = l.split_once(' ').unwrap_or((l, ""));
            (tid.to_owned(), rest.trim_start().to_owned())
        })
        .collect()
}

#[test]
fn unpack_syncs_every_staged_file_before_release_and_the_release_after() {
    if !require("strace") {
        return;
    }
    let s = Session::new();
    small_tree(&s, 6, 50);
    let archive = s.pack(&["src"], "stick");
    let key = s.key.to_str().unwrap();
    let calls =
        traced(&s, "openat,syncfs,fsync,fdatasync,renameat2,rename", &["unpack", archive.to_str().unwrap(), "-o", "got", "-i", key, "-q"]);
    assert_same_tree(&s.path("src"), &s.path("got/src"));

    let main = calls.first().map(|(tid, _)| tid.clone()).expect("a trace");
    // (The export ledger's receipt, opened after the release, is not a staged file.)
    let last_create = calls
        .iter()
        .rposition(|(_, l)| l.starts_with("openat(") && l.contains("O_CREAT") && !l.contains("/.no-data/"))
        .expect("files were created");
    let release = calls
        .iter()
        .position(|(_, l)| l.starts_with("rename") && l.contains(".hakobu-staging-"))
        .expect("the staged folder was moved into place");
    assert!(last_create < release, "files were created after the release");
    // The main thread itself syncs the whole file system between the last
    // file written and the release (a background sync may still be writing).
    let synced_before = calls[last_create..release].iter().any(|(tid, l)| *tid == main && l.starts_with("syncfs(") && l.ends_with("= 0"));
    assert!(synced_before, "no syncfs by the main thread between the last staged file and the release:\n{calls:#?}");
    let synced_after = calls[release..].iter().any(|(tid, l)| *tid == main && l.starts_with("syncfs(") && l.ends_with("= 0"));
    assert!(synced_after, "no syncfs after the release:\n{calls:#?}");
    // One sync of the file system, not one fsync per file (300 files here).
    let fsyncs = calls.iter().filter(|(_, l)| l.starts_with("fsync(") || l.starts_with("fdatasync(")).count();
    assert!(fsyncs < 10, "{fsyncs} fsyncs for 300 files");
}

#[test]
fn unpack_finds_a_clash_deep_inside_an_existing_folder() {
    let s = Session::new();
    small_tree(&s, 2, 6);
    let archive = s.pack(&["src"], "stick");
    // The destination already has src/case_000/ with one of the archive's files.
    write(&s.path("got/src/case_000/note_0004.dat"), b"already here\n");
    write(&s.path("got/src/keep.txt"), b"mine\n");
    let err = s.run_fails(4, &["unpack", archive.to_str().unwrap(), "-o", "got", "-i", s.key.to_str().unwrap(), "-q"]);
    assert!(err.contains("note_0004.dat") && err.contains("already exists"), "{err}");
    assert_eq!(fs::read(s.path("got/src/case_000/note_0004.dat")).unwrap(), b"already here\n");
    assert!(!s.path("got/src/案件_001").exists(), "nothing was released:\n{}", listing(&s.path("got")));
    assert!(!s.path("got/src/case_000/note_0000.dat").exists(), "nothing was released:\n{}", listing(&s.path("got")));
    // Into a folder the archive's folders do not exist in yet: everything comes out.
    s.unpack(&archive, "fresh");
    assert_same_tree(&s.path("src"), &s.path("fresh/src"));
}

#[test]
fn pack_refuses_folders_nested_deeper_than_unpack_accepts() {
    let s = Session::new();
    // 64 names deep (src + 62 folders + the file) is the deepest a receiver accepts.
    let deepest = format!("src/{}f.txt", "d/".repeat(62));
    write(&s.path(&deepest), b"deep\n");
    let archive = s.pack(&["src"], "stick");
    s.unpack(&archive, "got");
    assert_same_tree(&s.path("src"), &s.path("got/src"));

    let too_deep = format!("src/{}g.txt", "d/".repeat(63));
    write(&s.path(&too_deep), b"deeper\n");
    fs::create_dir_all(s.path("stick2")).unwrap();
    let err = s.run_fails(4, &["pack", "src", "-o", "stick2", "-r", &s.recipient, "-q"]);
    assert!(err.contains("g.txt") && err.contains("nested deeper than 64"), "{err}");
    assert!(fs::read_dir(s.path("stick2")).unwrap().next().is_none(), "pack wrote something");
}
