//! What a user sees (issue #12 §7–9, 12–15): one JSON object per --json
//! run, a moving read-back bar, a clean Ctrl-C, the address book's
//! warnings, `hakobu demo`, and the small things (local time, --name x.age,
//! every volume named, --help texts).

use std::fs;
use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

use hakobu::ops::pack::{execute, prepare, PackRequest};
use hakobu::ops::{Cancel, Context, Phase, Progress};

use crate::support::*;

fn json(args: &[&str], out: &Output) -> serde_json::Value {
    // Exactly one object: the whole of stdout parses as one value.
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON object ({e}): {:?}", String::from_utf8_lossy(&out.stdout)))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn run_json(s: &Session, code: i32, args: &[&str]) -> serde_json::Value {
    let out = s.run(args);
    assert_eq!(out.status.code(), Some(code), "{}", explain(s.dir.path(), args, &out, "the documented exit code"));
    let v = json(args, &out);
    assert!(v.is_object(), "{args:?}: {v}");
    v
}

fn assert_failure(v: &serde_json::Value, kind: &str, code: i32) {
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["error"]["kind"], kind, "{v}");
    assert_eq!(v["error"]["exit_code"], code, "{v}");
    assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
}

/// Every command with --json prints one object carrying `ok` on success
/// and on failure (docs/JSON.md).
#[test]
fn json_is_one_object_with_ok_on_every_outcome() {
    let s = Session::new();
    write(&s.path("src/会員/名簿.csv"), "氏名\n山田 太郎\n".as_bytes());
    fs::create_dir_all(s.path("stick")).unwrap();
    let key = s.key.to_str().unwrap();

    let packed = run_json(&s, 0, &["pack", "src", "-o", "stick", "-r", &s.recipient, "--name", "x", "--json"]);
    assert_eq!(packed["ok"], true, "{packed}");
    assert_eq!(packed["verified_readback"], true, "{packed}");
    assert_eq!(packed["recipients"][0]["via"], "recipient", "{packed}");
    let listed = run_json(&s, 0, &["list", "stick/x.age", "-i", key, "--json"]);
    assert_eq!(listed["ok"], true, "{listed}");
    assert!(listed["created"].as_str().unwrap().ends_with('Z'), "JSON keeps UTC: {listed}");
    let unpacked = run_json(&s, 0, &["unpack", "stick/x.age", "-i", key, "-o", "dest", "--json"]);
    assert_eq!(unpacked["ok"], true, "{unpacked}");
    assert_eq!(unpacked["files"], 1, "{unpacked}");
    let verified = run_json(&s, 0, &["verify", "stick/x.age", "--json"]);
    assert_eq!(verified["ok"], true, "{verified}");
    assert_eq!(verified["error"], serde_json::Value::Null, "{verified}");
    assert_eq!(verified["volumes"], serde_json::json!(["stick/x.age"]), "{verified}");
    s.run_ok(&["--config", "cfg.toml", "recipients", "add", "本社", &s.recipient]);
    let book = run_json(&s, 0, &["--config", "cfg.toml", "recipients", "list", "--json"]);
    assert_eq!(book["ok"], true, "{book}");
    let shown = run_json(&s, 0, &["recipients", "show", "本社", "--json", "--config", "cfg.toml"]);
    assert_eq!(shown["ok"], true, "{shown}");
    assert_eq!(shown["keys"][0]["kind"], "x25519", "{shown}");

    // Failures: the same shape everywhere.
    assert_failure(&run_json(&s, 5, &["list", "stick/none.age", "-i", key, "--json"]), "not-found", 5);
    let missing = run_json(&s, 2, &["recipients", "show", "支店", "--json", "--config", "cfg.toml"]);
    assert_eq!(missing["ok"], false, "{missing}");
    // A command line clap refuses is answered in JSON too.
    assert_failure(&run_json(&s, 2, &["verify", "--json", "--no-such-flag"]), "usage", 2);

    // A damaged header whose checksum file matches it: stable values, the words apart.
    let mut bytes = fs::read(s.path("stick/x.age")).unwrap();
    let stanza = bytes.windows(4).position(|w| w == b"\n-> ").expect("a stanza line") + 1;
    bytes[stanza..stanza + 2].copy_from_slice(b"?>");
    fs::write(s.path("stick/y.age"), &bytes).unwrap();
    let sum = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    fs::write(s.path("stick/y.age.sha256"), format!("{sum}  y.age\n")).unwrap();
    let damaged = run_json(&s, 1, &["verify", "stick/y.age", "--json"]);
    assert_eq!(damaged["ok"], false, "{damaged}");
    assert_eq!(damaged["checksum"], "match", "{damaged}");
    assert_eq!(damaged["header"], "damaged", "the header field holds a value, not a sentence: {damaged}");
    assert_eq!(damaged["error"]["kind"], damaged["problem_kind"], "{damaged}");
    assert_eq!(damaged["error"]["exit_code"], 1, "{damaged}");
    assert!(damaged["error"]["message"].as_str().is_some_and(|m| m.contains("header")), "{damaged}");
}

/// A split archive: verify names every volume (text and JSON); one missing
/// volume is still one JSON object.
#[test]
fn verify_names_every_volume_and_a_missing_one_is_json() {
    let s = Session::new();
    write(&s.path("src/data.bin"), &synthetic_bytes(3, 300_000));
    fs::create_dir_all(s.path("stick")).unwrap();
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &s.recipient, "--name", "vol", "--split", "100K", "-q"]);
    let report = run_json(&s, 0, &["verify", "stick/vol.age.001", "--json"]);
    let volumes: Vec<&str> = report["volumes"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(volumes.len() >= 3, "{report}");
    assert!(volumes.iter().all(|v| v.contains("vol.age.0")), "{report}");
    let text = stdout(&s.run_ok(&["verify", "stick/vol.age.001"]));
    for v in &volumes {
        assert!(text.contains(v), "verify's text names {v}:\n{text}");
    }
    fs::remove_file(s.path("stick/vol.age.002")).unwrap();
    let missing = run_json(&s, 1, &["verify", "stick/vol.age.001", "--json"]);
    assert_failure(&missing, "bad-volumes", 1);
}

/// Records the phases and how many times each advanced.
#[derive(Default)]
struct Recorder(Mutex<Vec<(Phase, u64, usize)>>);

impl Progress for Recorder {
    fn start(&self, phase: Phase, total: u64) {
        self.0.lock().unwrap().push((phase, total, 0));
    }
    fn advance(&self, _bytes: u64) {
        if let Some(last) = self.0.lock().unwrap().last_mut() {
            last.2 += 1;
        }
    }
}

/// The read-back moves the bar as it reads (about every MiB), and the final
/// flush is a phase of its own (issue #12 §8).
#[test]
fn read_back_advances_as_it_reads_and_the_flush_is_shown() {
    let s = Session::new();
    write(&s.path("src/big.bin"), &synthetic_bytes(9, 8 << 20));
    fs::create_dir_all(s.path("stick")).unwrap();
    let recorder = Arc::new(Recorder::default());
    let ctx = Context { progress: recorder.clone(), cancel: Cancel::new(), ..Context::silent() };
    let request =
        PackRequest { sources: vec![s.path("src")], out_dir: s.path("stick"), recipients: vec![s.recipient.clone()], ..Default::default() };
    let outcome = execute(&ctx, prepare(&ctx, &request).expect("prepare")).expect("pack");
    assert!(outcome.report.verified_readback);
    let phases = recorder.0.lock().unwrap().clone();
    let flush = phases.iter().position(|p| p.0 == Phase::Flushing).unwrap_or_else(|| panic!("no flush phase: {phases:?}"));
    let back = phases.iter().position(|p| p.0 == Phase::ReadingBack).unwrap_or_else(|| panic!("no read-back: {phases:?}"));
    assert!(flush < back, "{phases:?}");
    assert_eq!(phases[flush].1, 0, "the flush's length is unknown: {phases:?}");
    assert!(phases[back].2 >= 6, "the read-back of 8 MiB advanced only {} times: {phases:?}", phases[back].2);
}

/// Runs hakobu in a pty, presses Ctrl-C once `ready` is on the screen, and
/// returns the exit code and everything the terminal showed.
fn ctrl_c_in_pty(cwd: &Path, wrapper: &[&str], args: &[&str], ready: &str) -> (Option<i32>, String) {
    let line: Vec<String> = wrapper
        .iter()
        .map(|a| a.to_string())
        .chain(std::iter::once(hakobu_bin().to_str().unwrap().to_owned()))
        .chain(args.iter().map(|a| a.to_string()))
        .collect();
    let (code, screen) = crate::support::drive_in_pty(cwd, &[], &line, &[(ready, "\x03")]);
    assert!(screen.contains(ready), "{ready:?} never appeared:\n{screen:?}");
    (code, screen)
}

/// Ctrl-C during a pack at a terminal: the bar is cleared, then one line
/// says nothing was saved (issue #12 §9).
#[test]
fn ctrl_c_clears_the_bar_and_says_nothing_was_saved() {
    if !require("script") || !require("strace") {
        return;
    }
    let s = Session::new();
    // 24 reads of 1 MiB, each delayed 0.1 s: the pack runs well past the Ctrl-C.
    write(&s.path("src/本社/大きな表.bin"), &synthetic_bytes(7, 24 << 20));
    fs::create_dir_all(s.path("stick")).unwrap();
    let big = s.path("src/本社/大きな表.bin");
    let slow = ["strace", "-D", "-f", "-o", "/dev/null", "-P", big.to_str().unwrap(), "-e", "inject=read:delay_exit=100000"];
    let (code, screen) = ctrl_c_in_pty(s.dir.path(), &slow, &["pack", "src", "-o", "stick", "-r", &s.recipient], "Packing");
    assert_eq!(code, Some(130), "{screen:?}");
    let said = screen.find("error: cancelled").unwrap_or_else(|| panic!("no cancel line:\n{screen:?}"));
    assert!(screen[said..].contains("What had been written was removed: nothing was saved."), "{screen:?}");
    let last_bar = screen[..said].rfind("Packing").expect("a bar was drawn");
    assert!(screen[last_bar..said].contains("\x1b[2K"), "the bar was not cleared before the message:\n{:?}", &screen[last_bar..]);
    assert!(screen.contains("code: interrupted"), "{screen:?}");
    assert_eq!(fs::read_dir(s.path("stick")).unwrap().count(), 0, "{}", listing(&s.path("stick")));
}

/// `recipients add`: a trimmed name, a key another office has, a key already
/// present, and a refused secret key are each said (issue #12 §12).
#[test]
fn recipients_add_says_what_it_did_and_did_not() {
    let s = Session::new();
    let cfg = ["--config", "book.toml", "recipients", "add"];
    let add = |name: &str, key: &str| s.run(&[&cfg[..], &[name, key]].concat());
    let out = add(" 千葉支部", &s.recipient);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: the name \" 千葉支部\" had spaces around it"), "{}", stderr(&out));
    assert!(fs::read_to_string(s.path("book.toml")).unwrap().contains("\"千葉支部\""));
    let out = add("埼玉支部", &s.recipient);
    assert!(out.status.success());
    assert!(stderr(&out).contains("is also 千葉支部's"), "{}", stderr(&out));
    let before = fs::read(s.path("book.toml")).unwrap();
    let out = add("埼玉支部", &s.recipient);
    assert!(out.status.success());
    assert!(stderr(&out).contains("already present under 埼玉支部"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Added 0"), "{}", stderr(&out));
    let secret = "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZ7DR0MS";
    let err = s.run_fails(2, &[&cfg[..], &["本社", secret]].concat());
    assert!(err.contains("refused") && err.contains("The address book was not changed."), "{err}");
    assert!(err.contains("code: bad-recipient") && !err.contains("QYQSZ"), "{err}");
    assert_eq!(fs::read(s.path("book.toml")).unwrap(), before, "the address book changed");
}

/// `hakobu demo` runs the job and leaves nothing; `--keep` leaves the folder
/// with the archive and an identical unpacked copy (issue #12 §15).
#[test]
fn demo_runs_the_job_and_cleans_up() {
    let s = Session::new();
    let tmp = s.path("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let t = tmp.to_str().unwrap();
    let book = s.path("user-book.toml");
    let b = book.to_str().unwrap();
    let out = run_env(s.dir.path(), &[("TMPDIR", t), ("HAKOBU_CONFIG", b)], &["demo"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    for step in ["1. ", "2. ", "3. ", "4. ", "5. ", "6. "] {
        assert!(stdout(&out).contains(step), "step {step} missing:\n{}", stdout(&out));
    }
    assert!(stdout(&out).contains("identical"), "{}", stdout(&out));
    assert_eq!(listing(&tmp), "", "the demo left files behind");
    assert!(!book.exists(), "the demo touched the user's address book");

    let out = run_env(s.dir.path(), &[("TMPDIR", t), ("HAKOBU_CONFIG", b)], &["demo", "--keep"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let kept: Vec<_> = fs::read_dir(&tmp).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(kept.len(), 1, "{}", listing(&tmp));
    let root = &kept[0];
    let archives: Vec<_> = fs::read_dir(root.join("USBメモリ")).unwrap().flatten().map(|e| e.file_name()).collect();
    // The demo signs (issue #25 §5): the archive, its checksum file and its signature.
    assert_eq!(archives.len(), 3, "the stick holds the archive, its checksum file and its signature: {archives:?}");
    assert_same_tree(&root.join("このPC"), &root.join("受け取る事務所のPC"));
    let csv = fs::read_to_string(root.join("このPC/会員名簿/名簿.csv")).unwrap();
    assert_eq!(csv.lines().count(), 21, "{csv}");
    assert!(csv.starts_with("番号,氏名,生年月日,保険者番号\n"), "{csv}");
}

/// list shows local time with its offset; --name x.age is not x.age.age;
/// --help names the real key path and shows --config only where it matters.
#[test]
fn small_things_a_user_notices() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir_all(s.path("stick")).unwrap();
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &s.recipient, "--name", "月報.age", "-q"]);
    assert!(s.path("stick/月報.age").exists(), "{}", listing(&s.path("stick")));
    let out = run_env(s.dir.path(), &[("TZ", "Asia/Tokyo")], &["list", "stick/月報.age", "-i", s.key.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("+09:00") && !stdout(&out).contains("Z  "), "{}", stdout(&out));
    assert!(stderr(&out).contains("+09:00"), "{}", stderr(&out));

    let help = |args: &[&str]| stdout(&run_env(s.dir.path(), &[("HAKOBU_IDENTITY", "/srv/keys/office.txt")], args));
    assert!(help(&["keygen", "--help"]).contains("/srv/keys/office.txt"), "{}", help(&["keygen", "--help"]));
    let unpack = help(&["unpack", "--help"]);
    assert!(unpack.contains("/srv/keys/office.txt") && unpack.contains("Without -i"), "{unpack}");
    for cmd in ["unpack", "list", "verify", "keygen"] {
        assert!(!help(&[cmd, "--help"]).contains("--config"), "{cmd} --help shows --config");
    }
    for cmd in [&["pack", "--help"][..], &["recipients", "add", "--help"]] {
        assert!(help(cmd).contains("--config"), "{cmd:?} --help lacks --config");
    }
}
