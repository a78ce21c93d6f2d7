//! Faults while packing and unpacking (issue #3 §4): I/O errors injected with
//! strace, the file-size limit (EFBIG), SIGINT and SIGKILL, read errors on
//! the source. After each: a non-zero exit, never a success message, nothing
//! under the final name, no plaintext left in a staging folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

// ----- helpers shared with media.rs and pack_rules.rs -----

/// hakobu's clean test environment (as support::run) on any command.
pub fn with_env(mut cmd: Command, cwd: &Path) -> Command {
    cmd.current_dir(cwd)
        .env_remove("HAKOBU_IDENTITY")
        .env_remove("HAKOBU_CONFIG")
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .env("XDG_DATA_HOME", cwd.join(".no-data"))
        .env("HOME", cwd)
        .stdin(Stdio::null());
    cmd
}

/// `wrapper... hakobu args...`, e.g. under strace.
pub fn wrapped(cwd: &Path, wrapper: &[&str], args: &[&str]) -> Command {
    let mut cmd = Command::new(wrapper[0]);
    cmd.args(&wrapper[1..]).arg(hakobu_bin()).args(args);
    with_env(cmd, cwd)
}

/// Runs a command to completion within `secs`, or kills it and fails the test
/// (a FIFO among the sources must not hang pack).
pub fn output_within(mut cmd: Command, secs: u64) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!("hakobu hung for {secs} s: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Paths below `dir` (recursive) whose name starts with one of hakobu's
/// temporary prefixes: temp archives and staging folders.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy();
            n.starts_with(".hakobu-tmp-") || n.starts_with(".hakobu-staging-")
        })
        .map(|e| e.into_path())
        .collect()
}

/// Archives and sidecars directly in `dir` (anything under a final name).
pub fn archives(dir: &Path) -> Vec<PathBuf> {
    let Ok(items) = fs::read_dir(dir) else { return Vec::new() };
    items
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".age") || n.ends_with(".age.sha256")
        })
        .collect()
}

/// Asserts a failed pack left nothing: no archive, no sidecar, no temp file.
pub fn assert_no_pack_output(out: &Path, what: &str) {
    assert!(archives(out).is_empty(), "{what}: an archive was left under a final name:\n{}", listing(out));
    assert!(leftovers(out).is_empty(), "{what}: temporary files were left:\n{}", listing(out));
}

/// Asserts a failed unpack left no file and no staging folder in `dest`.
pub fn assert_nothing_released(dest: &Path, what: &str) {
    let files: Vec<_> = walkdir::WalkDir::new(dest).min_depth(1).into_iter().filter_map(|e| e.ok()).collect();
    assert!(files.is_empty(), "{what}: the destination is not empty:\n{}", listing(dest));
}

/// Asserts a failed command said nothing that looks like success.
pub fn assert_no_success_message(out: &Output, what: &str) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{what}: exit 0\n{stderr}");
    assert!(!stdout.contains(".age"), "{what}: printed an archive path: {stdout}");
    assert!(!stderr.contains("Packed ") && !stderr.contains("Unpacked "), "{what}: success message: {stderr}");
}

/// A session with `src/` holding a Japanese-named tree of `mib` MiB of
/// incompressible data (one big file) and a small file.
pub fn session_with_source(mib: usize) -> Session {
    let s = Session::new();
    write(&s.path("src/本社/大きな表.bin"), &synthetic_bytes(7, mib << 20));
    write(&s.path("src/本社/会員.csv"), "氏名,番号\n山田花子,0002\n".as_bytes());
    fs::create_dir_all(s.path("stick")).unwrap();
    s
}

fn pack_args<'a>(s: &'a Session, out: &'a str) -> Vec<&'a str> {
    // -q: the audience lines pack prints first would otherwise take the
    // per-thread write counts the strace injections aim with.
    vec!["pack", "src", "-o", out, "-r", &s.recipient, "-q"]
}

fn strace(extra: &[&'static str]) -> Vec<&'static str> {
    // -o /dev/null: strace's own trace must not mix with hakobu's stderr.
    let mut v = vec!["strace", "-f", "-o", "/dev/null"];
    v.extend_from_slice(extra);
    v
}

/// Waits until an entry starting with `prefix` appears directly in `dir`.
pub fn wait_for_entry(dir: &Path, prefix: &str, child: &mut Child) -> PathBuf {
    let start = Instant::now();
    loop {
        if let Some(p) = fs::read_dir(dir).into_iter().flatten().flatten().find(|e| e.file_name().to_string_lossy().starts_with(prefix)) {
            return p.path();
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("hakobu ended ({status}) before {prefix}* appeared in {}", dir.display());
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{prefix}* never appeared in {}", dir.display());
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap().success();
    assert!(ok, "kill {sig} failed");
}

/// An archive of `session_with_source` in `stick/`.
fn packed(s: &Session) -> PathBuf {
    s.pack(&["src"], "stick")
}

fn unpack_args<'a>(s: &'a Session, archive: &'a Path, dest: &'a str) -> Vec<&'a str> {
    vec!["unpack", archive.to_str().unwrap(), "-o", dest, "-i", s.key.to_str().unwrap()]
}

// ----- I/O errors (EIO), fsync and rename failures, during pack -----

/// Runs pack under `strace_extra`, expects failure with `code` (None: any
/// non-zero) and checks that nothing was left on the "stick".
fn pack_fault(s: &Session, strace_extra: &[&'static str], code: Option<i32>, what: &str) -> String {
    let args = pack_args(s, "stick");
    let out = wrapped(s.dir.path(), &strace(strace_extra), &args).output().unwrap();
    if let Some(code) = code {
        assert_eq!(out.status.code(), Some(code), "{}", explain(s.dir.path(), &args, &out, what));
    }
    assert_no_success_message(&out, what);
    assert_no_pack_output(&s.path("stick"), what);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn pack_eio_on_write_leaves_no_archive() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(4);
    // Counters are per thread: the writer thread's 2nd and later writes fail.
    let err = pack_fault(&s, &["-e", "inject=write:error=EIO:when=2+"], Some(5), "EIO on write during pack");
    assert!(err.contains("input/output error"), "{err}");
    // The cause removed, the same command works (nothing lost).
    s.pack(&["src"], "stick");
}

#[test]
fn pack_eio_on_fsync_leaves_no_archive() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(1);
    let err = pack_fault(&s, &["-e", "inject=fsync,fdatasync:error=EIO"], Some(5), "EIO on fsync during pack");
    assert!(err.contains("input/output error"), "{err}");
}

#[test]
fn pack_rename_failure_leaves_no_archive() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(1);
    let err = pack_fault(&s, &["-e", "inject=rename,renameat,renameat2:error=EXDEV"], Some(5), "EXDEV on rename during pack");
    assert!(err.contains("cannot rename"), "{err}");
}

#[test]
fn pack_archive_rename_failure_removes_the_sidecar() {
    if !require("strace") {
        return;
    }
    // The checksum file reaches its final name (1st rename: it is named
    // first since issue #32), the archive does not (2nd): a checksum file
    // without its archive must not stay behind either.
    let s = session_with_source(1);
    let err = pack_fault(&s, &["-e", "inject=rename,renameat,renameat2:error=EXDEV:when=2"], Some(5), "archive rename fails");
    assert!(err.contains(".age") && !err.contains(".age.sha256"), "{err}");
}

#[test]
fn pack_read_error_on_source_names_the_file() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(1);
    let bad = s.path("src/本社/会員.csv");
    // -P limits the injection to syscalls on that one file: an honest unreadable
    // file even as root (chmod 000 does not stop root).
    let p = bad.to_str().unwrap().to_owned();
    let args = pack_args(&s, "stick");
    let out = wrapped(s.dir.path(), &["strace", "-f", "-o", "/dev/null", "-P", &p, "-e", "inject=read:error=EIO"], &args).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, "read error on a source"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("会員.csv") && err.contains("input/output error"), "{err}");
    assert_no_pack_output(&s.path("stick"), "read error on a source");
}

#[test]
fn pack_open_denied_on_source_names_the_file() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(1);
    // pack opens the file relative to its open folder (openat(dir, "会員.csv")),
    // or by the path it was given: -P matches either string.
    let (p, name) = ("src/本社/会員.csv", "会員.csv");
    let args = pack_args(&s, "stick");
    let out = wrapped(s.dir.path(), &["strace", "-f", "-o", "/dev/null", "-P", p, "-P", name, "-e", "inject=openat:error=EACCES"], &args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, "unreadable source"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("会員.csv") && err.contains("permission denied"), "{err}");
    assert_no_pack_output(&s.path("stick"), "unreadable source");
}

// ----- the same during unpack -----

fn unpack_fault(s: &Session, archive: &Path, strace_extra: &[&str], code: Option<i32>, what: &str) -> String {
    let args = unpack_args(s, archive, "received");
    let mut wrapper = vec!["strace", "-f", "-o", "/dev/null"];
    wrapper.extend_from_slice(strace_extra);
    let out = wrapped(s.dir.path(), &wrapper, &args).output().unwrap();
    if let Some(code) = code {
        assert_eq!(out.status.code(), Some(code), "{}", explain(s.dir.path(), &args, &out, what));
    }
    assert_no_success_message(&out, what);
    // The destination was created by this run: it must be gone or empty again.
    assert_nothing_released(&s.path("received"), what);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn unpack_eio_on_write_releases_nothing() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(2);
    let archive = packed(&s);
    // Main-thread counter: the 4th write (into the staging folder; the 3rd
    // writes the staging folder's registry entry, issue #32) fails, the
    // error message after it gets through.
    let err = unpack_fault(&s, &archive, &["-e", "inject=write:error=EIO:when=4..4"], Some(5), "EIO on write during unpack");
    assert!(err.contains("input/output error"), "{err}");
    // The message names the file as the user knows it, not its staging path.
    assert!(err.contains("received/src/") && !err.contains(".hakobu-staging-"), "{err}");
    // Nothing lost: the same archive still unpacks.
    let again = s.unpack(&archive, "received");
    assert!(again.status.success(), "{}", explain(s.dir.path(), &["unpack"], &again, "unpack after EIO"));
    assert_same_tree(&s.path("src"), &s.path("received/src"));
}

#[test]
fn unpack_eio_on_sync_releases_nothing() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(1);
    let archive = packed(&s);
    let err = unpack_fault(&s, &archive, &["-e", "inject=fsync,fdatasync,syncfs:error=EIO"], Some(5), "EIO on sync during unpack");
    assert!(err.contains("input/output error"), "{err}");
}

#[test]
fn unpack_rename_failure_releases_nothing() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(1);
    let archive = packed(&s);
    let err = unpack_fault(&s, &archive, &["-e", "inject=rename,renameat,renameat2:error=EXDEV"], Some(5), "EXDEV on rename during unpack");
    assert!(err.contains("cannot"), "{err}");
}

#[test]
fn unpack_read_error_on_archive_releases_nothing() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(2);
    let archive = packed(&s);
    let p = archive.to_str().unwrap().to_owned();
    // The 3rd and later reads of the archive fail, as when a stick is pulled.
    let err = unpack_fault(&s, &archive, &["-P", &p, "-e", "inject=read:error=EIO:when=3+"], Some(5), "EIO reading the archive");
    assert!(err.contains("input/output error"), "{err}");
}

// ----- file-size limit (FAT32's 4 GiB - 1, in miniature) -----

#[test]
fn pack_file_size_limit_efbig_leaves_no_archive() {
    let s = session_with_source(3);
    // SIGXFSZ ignored, so the write fails with EFBIG instead of killing hakobu.
    let args = pack_args(&s, "stick");
    let out = wrapped(s.dir.path(), &["sh", "-c", "trap '' XFSZ; ulimit -f 2048; exec \"$0\" \"$@\""], &args).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, "EFBIG"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("too large for this file system"), "{err}");
    assert!(err.contains("hint: Use an exFAT stick"), "{err}");
    assert_no_success_message(&out, "EFBIG");
    assert_no_pack_output(&s.path("stick"), "EFBIG");
}

// ----- signals -----

/// Spawns hakobu under strace -D (strace becomes a detached grandchild, so
/// the child we signal is hakobu itself) with reads of `slow` delayed, so
/// that the signal lands in the middle of the work.
pub fn spawn_slow(s: &Session, slow_syscall: &str, slow_path: Option<&Path>, args: &[&str]) -> Child {
    let mut wrapper: Vec<String> = ["strace", "-D", "-f", "-o", "/dev/null"].iter().map(|x| x.to_string()).collect();
    if let Some(p) = slow_path {
        wrapper.push("-P".into());
        wrapper.push(p.to_str().unwrap().into());
    }
    wrapper.push("-e".into());
    wrapper.push(format!("inject={slow_syscall}:delay_exit=100000"));
    let w: Vec<&str> = wrapper.iter().map(String::as_str).collect();
    wrapped(s.dir.path(), &w, args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
}

fn source_big(s: &Session) -> PathBuf {
    s.path("src/本社/大きな表.bin")
}

/// A stop signal during pack: cleanup, exit 130, nothing on the stick.
fn pack_stopped_by(sig: &str) {
    if !require("strace") {
        return;
    }
    let s = session_with_source(8);
    let args = pack_args(&s, "stick");
    let mut child = spawn_slow(&s, "read", Some(&source_big(&s)), &args);
    wait_for_entry(&s.path("stick"), ".hakobu-tmp-", &mut child);
    signal(&child, sig);
    let out = child.wait_with_output().unwrap();
    let what = format!("{sig} during pack");
    assert_eq!(out.status.code(), Some(130), "{}", explain(s.dir.path(), &args, &out, &what));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert_no_success_message(&out, &what);
    assert_no_pack_output(&s.path("stick"), &what);
}

#[test]
fn pack_sigint_cleans_up_and_exits_130() {
    pack_stopped_by("-INT");
}

#[test]
fn pack_sigterm_cleans_up_and_exits_130() {
    // A logout or shutdown sends SIGTERM: the same cleanup as Ctrl-C.
    pack_stopped_by("-TERM");
}

#[test]
fn pack_sigkill_leaves_at_most_a_temp_file() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(8);
    let args = pack_args(&s, "stick");
    let mut child = spawn_slow(&s, "read", Some(&source_big(&s)), &args);
    wait_for_entry(&s.path("stick"), ".hakobu-tmp-", &mut child);
    signal(&child, "-KILL");
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    // A killed process cleans nothing: a temp file may stay, but nothing
    // under a final name that anyone could take for a complete archive.
    assert!(archives(&s.path("stick")).is_empty(), "{}", listing(&s.path("stick")));
    let temps = leftovers(&s.path("stick"));
    assert!(!temps.is_empty(), "SIGKILL cannot clean up; its temp file should be there:\n{}", listing(&s.path("stick")));
    for p in &temps {
        assert!(p.file_name().unwrap().to_string_lossy().starts_with(".hakobu-tmp-"), "{}", p.display());
    }
    // The next pack into the same folder works, and removes the dead run's
    // temp file (it holds room on the stick), saying so.
    let args = ["pack", "src", "-o", "stick", "-r", &s.recipient];
    let again = s.run(&args);
    assert!(again.status.success(), "{}", explain(s.dir.path(), &args, &again, "pack after SIGKILL"));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("left behind by an interrupted pack"), "the leftover was not reported: {err}");
    assert!(leftovers(&s.path("stick")).is_empty(), "{}", listing(&s.path("stick")));
    let made = archives(&s.path("stick")).into_iter().filter(|p| p.extension().is_some_and(|x| x == "age")).count();
    assert_eq!(made, 1, "{}", listing(&s.path("stick")));
}

#[test]
#[cfg(target_os = "linux")]
fn pack_keeps_the_temp_file_of_a_pack_still_running() {
    // Two packs into one folder: the second must not take the first's
    // temp file for a leftover. The owner's process id is in the name.
    let s = session_with_source(1);
    fs::create_dir_all(s.path("stick")).unwrap();
    let mut gone = Command::new("true").spawn().unwrap();
    let dead_pid = gone.id();
    gone.wait().unwrap();
    let live = s.path(&format!("stick/.hakobu-tmp-{}-live00.tmp", std::process::id()));
    let dead = s.path(&format!("stick/.hakobu-tmp-{dead_pid}-dead00.tmp"));
    fs::write(&live, b"still being written").unwrap();
    fs::write(&dead, b"left by a killed pack").unwrap();
    s.pack(&["src"], "stick");
    assert!(live.exists(), "the temp file of a running pack was removed:\n{}", listing(&s.path("stick")));
    assert!(!dead.exists(), "the dead run's temp file is still there:\n{}", listing(&s.path("stick")));
}

/// A stop signal during unpack: cleanup, exit 130, nothing released.
fn unpack_stopped_by(sig: &str) {
    if !require("strace") {
        return;
    }
    let s = session_with_source(8);
    let archive = packed(&s);
    fs::create_dir(s.path("received")).unwrap();
    let args = unpack_args(&s, &archive, "received");
    let mut child = spawn_slow(&s, "write", None, &args);
    wait_for_entry(&s.path("received"), ".hakobu-staging-", &mut child);
    signal(&child, sig);
    let out = child.wait_with_output().unwrap();
    let what = format!("{sig} during unpack");
    assert_eq!(out.status.code(), Some(130), "{}", explain(s.dir.path(), &args, &out, &what));
    assert_no_success_message(&out, &what);
    assert_nothing_released(&s.path("received"), &what);
}

#[test]
fn unpack_sigint_cleans_up_and_exits_130() {
    unpack_stopped_by("-INT");
}

#[test]
fn unpack_sigterm_cleans_up_and_exits_130() {
    unpack_stopped_by("-TERM");
}

#[test]
fn unpack_sigkill_leftover_is_detected_and_removed_by_next_run() {
    if !require("strace") {
        return;
    }
    let s = session_with_source(8);
    let archive = packed(&s);
    fs::create_dir(s.path("received")).unwrap();
    let args = unpack_args(&s, &archive, "received");
    let mut child = spawn_slow(&s, "write", None, &args);
    let staging = wait_for_entry(&s.path("received"), ".hakobu-staging-", &mut child);
    // Let it write some plaintext into the staging folder first.
    std::thread::sleep(Duration::from_millis(400));
    signal(&child, "-KILL");
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(staging.is_dir(), "SIGKILL cannot clean up; the staging folder should be there:\n{}", listing(&s.path("received")));
    // Only the staging folder: nothing was released under a final name.
    let top: Vec<_> = fs::read_dir(s.path("received")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(top, vec![staging.clone()], "{}", listing(&s.path("received")));

    let again = s.run(&unpack_args(&s, &archive, "received"));
    assert!(again.status.success(), "{}", explain(s.dir.path(), &args, &again, "unpack after SIGKILL"));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("left behind by an interrupted unpack"), "the leftover was not reported: {err}");
    assert!(!staging.exists(), "the leftover staging folder is still there");
    assert!(leftovers(&s.path("received")).is_empty(), "{}", listing(&s.path("received")));
    assert_same_tree(&s.path("src"), &s.path("received/src"));
}

// ----- a medium that returns other bytes than were written -----

#[test]
fn pack_read_back_mismatch_leaves_no_archive() {
    if !require("strace") {
        return;
    }
    // pack drops the page cache (fadvise) before reading the archive back;
    // strace holds that call for 2 s, and meanwhile one byte of the written
    // file changes, as on a fake-capacity or failing stick.
    let s = session_with_source(2);
    let args = pack_args(&s, "stick");
    let mut child = wrapped(s.dir.path(), &strace(&["-e", "inject=fadvise64:delay_exit=2000000"]), &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let temp = wait_for_entry(&s.path("stick"), ".hakobu-tmp-", &mut child);
    // Written completely once its size stops changing.
    let mut last = 0;
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let len = fs::metadata(&temp).map(|m| m.len()).unwrap_or(0);
        if len > 0 && len == last {
            break;
        }
        last = len;
        assert!(start.elapsed() < Duration::from_secs(30), "the temp archive never stopped growing");
    }
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = fs::OpenOptions::new().write(true).open(&temp).unwrap();
        f.seek(SeekFrom::Start(last / 2)).unwrap();
        f.write_all(b"\x55").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", explain(s.dir.path(), &args, &out, "read-back mismatch"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("faulty or fake") && err.contains("nothing was saved"), "{err}");
    assert_no_success_message(&out, "read-back mismatch");
    assert_no_pack_output(&s.path("stick"), "read-back mismatch");
}

// ----- ENOSPC at every single write (docs/SECURITY.md, D1) -----

#[test]
fn pack_enospc_at_every_write_leaves_no_archive() {
    if !require("strace") {
        return;
    }
    // 13 MiB: the archive goes out in 4 MiB direct writes, so several of them.
    let s = session_with_source(13);
    let args = pack_args(&s, "stick");
    for k in 1..=64 {
        // Only the k-th write of each thread fails; the archive writer thread is
        // the only one writing until the end, so this walks through its writes.
        let when = format!("inject=write:error=ENOSPC:when={k}");
        let out = wrapped(s.dir.path(), &["strace", "-f", "-o", "/dev/null", "-e", &when], &args).output().unwrap();
        if !archives(&s.path("stick")).is_empty() {
            // k is past the last write of the archive: it was written whole.
            let failures = k - 1;
            eprintln!("pack: {failures} single-write failures before success");
            assert!(failures >= 3, "only {failures} writes failed before pack succeeded");
            return;
        }
        let what = format!("ENOSPC at write {k}");
        assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, &what));
        assert_no_success_message(&out, &what);
        assert_no_pack_output(&s.path("stick"), &what);
    }
    panic!("pack never succeeded: more than 64 writes?");
}

#[test]
fn unpack_enospc_at_every_write_releases_nothing() {
    if !require("strace") {
        return;
    }
    let s = Session::new();
    // Several files, so failures land in different files and folders.
    for i in 0..4 {
        write(&s.path(&format!("src/フォルダ{i}/データ{i}.bin")), &synthetic_bytes(i, 150_000));
    }
    let archive = packed(&s);
    let args = unpack_args(&s, &archive, "received");
    for k in 1..=200 {
        let when = format!("inject=write:error=ENOSPC:when={k}");
        let out = wrapped(s.dir.path(), &["strace", "-f", "-o", "/dev/null", "-e", &when], &args).output().unwrap();
        if out.status.success() {
            let failures = k - 1;
            eprintln!("unpack: {failures} single-write failures before success");
            assert!(failures >= 4, "only {failures} writes failed before unpack succeeded");
            assert_same_tree(&s.path("src"), &s.path("received/src"));
            return;
        }
        let what = format!("ENOSPC at write {k}");
        assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, &what));
        assert_no_success_message(&out, &what);
        assert_nothing_released(&s.path("received"), &what);
    }
    panic!("unpack never succeeded: more than 200 writes?");
}
