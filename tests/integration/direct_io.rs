//! The archive goes to the medium and is read back from it past the page
//! cache (src/io/direct.rs): after pack and verify, no copy of it stays in
//! memory that could hide a faulty stick from the next check.

use std::path::Path;
use std::process::Command;

use crate::support::{notice, synthetic_bytes, write, Session};

/// Bytes of `file` resident in the page cache, by util-linux's `fincore`.
fn cached_bytes(file: &Path) -> u64 {
    let out =
        Command::new("fincore").args(["--bytes", "--noheadings", "--output", "RES"]).arg(file).output().expect("fincore (util-linux) runs");
    assert!(out.status.success(), "fincore: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("a byte count")
}

fn on_tmpfs(dir: &Path) -> bool {
    let out = Command::new("stat").args(["-f", "-c", "%T"]).arg(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "tmpfs"
}

#[test]
fn pack_and_verify_leave_no_cached_copy_of_the_archive() {
    let s = Session::new();
    if on_tmpfs(s.dir.path()) {
        // A tmpfs file lives in the page cache: there is no medium to reach.
        assert!(std::env::var_os("CI").is_none(), "CI must run the tests on a disk file system, not tmpfs");
        notice("NOTICE: skipping: the temp folder is on tmpfs, which has no medium behind its cache");
        return;
    }
    // Not a multiple of the 4 KiB block: the last partial block goes through the cache.
    write(&s.path("src/台帳.bin"), &synthetic_bytes(11, 9 * 1024 * 1024 + 1234));
    let archive = s.pack(&["src"], "out");
    assert!(archive.metadata().unwrap().len() > 9 * 1024 * 1024);
    assert_eq!(cached_bytes(&archive), 0, "pack (with its read-back) left the archive in the page cache");

    // Reading it normally fills the cache; verify reads the medium and leaves none.
    std::fs::read(&archive).unwrap();
    assert!(cached_bytes(&archive) > 0, "fincore sees a plain read: the check above can fail");
    s.run_ok(&["verify", archive.to_str().unwrap()]);
    assert_eq!(cached_bytes(&archive), 0, "keyless verify read the archive from the cache");
    std::fs::read(&archive).unwrap();
    s.run_ok(&["verify", archive.to_str().unwrap(), "-i", s.key.to_str().unwrap()]);
    assert_eq!(cached_bytes(&archive), 0, "verify -i read the archive from the cache");
}
