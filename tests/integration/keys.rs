//! Keys and people (issue 5): the address book, IT policy (escrow),
//! passphrase-protected identities typed on a terminal, and plugins.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::*;

/// An SSH public key made for these tests (its private half was thrown away).
const SSH_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH9GbN7fxqcz5HRQ/s/UG/JJ5u4r73CeDj/D4saW37v+ test@example";
/// Recipient and identity of the fake plugin (bech32 of fixed synthetic text).
const PLUGIN_RECIPIENT: &str = "age1hakobutest1wdukuargv46xjceqw3jhxapqwfjkx6tsd9jkuaq8ch4uz";
const PLUGIN_IDENTITY: &str = "AGE-PLUGIN-HAKOBUTEST-1WDUKUARGV46XJCEQW3JHXAPQD9JX2MN5D968JVY39Y6";
/// A post-quantum recipient of age-plugin-pq's form (never used to encrypt here).
const PQ_RECIPIENT: &str = "age1pq1wdukuargv46xjceqwpcjqun9vd5hq6t9de6qggj7ph";

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A second key pair in the session folder (e.g. IT's escrow key).
fn extra_key(s: &Session, file: &str) -> String {
    let o = s.run_ok(&["keygen", "--no-passphrase", "-o", file]);
    stdout(&o).trim().to_owned()
}

/// A session with a small tree in `src` and a config at `cfg.toml`.
fn session_with_tree() -> Session {
    let s = Session::new();
    write(&s.path("src/会員/名簿.csv"), "氏名,番号\n試験太郎,0001\n".as_bytes());
    write(&s.path("src/data.bin"), &synthetic_bytes(5, 70_000));
    fs::create_dir_all(s.path("stick")).unwrap();
    s
}

fn pack_json(s: &Session, args: &[&str]) -> serde_json::Value {
    let mut all = if s.path("cfg.toml").exists() { vec!["--config", "cfg.toml"] } else { vec![] };
    all.extend_from_slice(&["pack", "src", "-o", "stick", "--json"]);
    all.extend_from_slice(args);
    let o = s.run_ok(&all);
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("pack --json printed no JSON ({e}): {}", stdout(&o)))
}

fn stick_is_empty(s: &Session) -> bool {
    fs::read_dir(s.path("stick")).unwrap().next().is_none()
}

#[test]
fn pack_to_a_name_from_the_address_book() {
    let s = session_with_tree();
    s.run_ok(&["--config", "cfg.toml", "recipients", "add", "本社", &s.recipient]);
    let o = s.run_ok(&["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "本社"]);
    // Before writing, pack says who can open it, by name.
    assert!(stderr(&o).contains("本社"), "{}", stderr(&o));
    let archive = s.path(stdout(&o).trim());
    let out = s.unpack(&archive, "received");
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["unpack"], &out, "unpack"));
    assert_same_tree(&s.path("src"), &s.path("received/src"));

    let report = pack_json(&s, &["--to", "本社", "-q"]);
    let holders = report["recipients"].as_array().expect("recipients field");
    assert_eq!(holders.len(), 1);
    assert_eq!(holders[0]["name"], "本社");
    assert_eq!(holders[0]["key"], s.recipient.as_str());
    assert_eq!(report["passphrase"], false);
}

#[test]
fn raw_key_of_a_known_name_is_shown_with_its_name() {
    let s = session_with_tree();
    s.run_ok(&["--config", "cfg.toml", "recipients", "add", "千葉支部", &s.recipient]);
    let report = pack_json(&s, &["-r", &s.recipient, "-q"]);
    assert_eq!(report["recipients"][0]["name"], "千葉支部");
    assert_eq!(report["recipients"][0]["via"], "recipient");
}

#[test]
fn unknown_name_suggests_the_closest_names() {
    let s = session_with_tree();
    s.run_ok(&["--config", "cfg.toml", "recipients", "add", "千葉支部", &s.recipient]);
    s.run_ok(&["--config", "cfg.toml", "recipients", "add", "本社", &s.recipient]);
    let err = s.run_fails(2, &["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "千葉支店"]);
    assert!(err.contains("千葉支店") && err.contains("did you mean \"千葉支部\""), "{err}");
    assert!(!err.contains("本社\""), "a far name was suggested: {err}");
    assert!(stick_is_empty(&s));
    // A name typed in another Unicode form (NFD, as macOS file names) is the same name.
    s.run_ok(&["--config", "cfg.toml", "recipients", "add", "カ\u{3099}ス支部", &s.recipient]);
    let o = s.run_ok(&["--config", "cfg.toml", "recipients", "show", "ガス支部"]);
    assert_eq!(stdout(&o).trim(), s.recipient);
}

#[test]
fn policy_escrow_key_is_added_to_every_archive() {
    let s = session_with_tree();
    let escrow = extra_key(&s, "escrow.txt");
    fs::write(
        s.path("cfg.toml"),
        format!("[policy]\nalways = [\"監査\"]\n\n[recipients]\n\"本社\" = \"{}\"\n\"監査\" = [\"{escrow}\"]\n", s.recipient),
    )
    .unwrap();
    let report = pack_json(&s, &["--to", "本社"]);
    let holders = report["recipients"].as_array().unwrap();
    assert_eq!(holders.len(), 2, "{report}");
    assert_eq!(holders[1]["name"], "監査");
    assert_eq!(holders[1]["via"], "policy");
    // Proof: the escrow key alone opens it.
    let archive = s.path(report["path"].as_str().unwrap());
    s.run_ok(&["unpack", archive.to_str().unwrap(), "-o", "recovered", "-i", "escrow.txt", "-q"]);
    assert_same_tree(&s.path("src"), &s.path("recovered/src"));
    // And it is shown before writing, marked as IT's.
    let o = s.run_ok(&["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "本社"]);
    assert!(stderr(&o).contains("監査") && stderr(&o).contains("IT policy"), "{}", stderr(&o));
    // A passphrase archive cannot carry the escrow key: refused.
    let err = s.run_fails(4, &["--config", "cfg.toml", "pack", "src", "-o", "stick", "-p"]);
    assert!(err.contains("escrow"), "{err}");
}

#[test]
fn policy_can_forbid_passphrase_archives_and_raw_keys() {
    let s = session_with_tree();
    fs::write(
        s.path("cfg.toml"),
        format!("[policy]\nallow_passphrase = false\nallow_raw_keys = false\n\n[recipients]\n\"本社\" = \"{}\"\n", s.recipient),
    )
    .unwrap();
    let err = s.run_fails(4, &["--config", "cfg.toml", "pack", "src", "-o", "stick", "-p"]);
    assert!(err.contains("passphrase"), "{err}");
    let err = s.run_fails(4, &["--config", "cfg.toml", "pack", "src", "-o", "stick", "-r", &s.recipient]);
    assert!(err.contains("--to"), "{err}");
    assert!(stick_is_empty(&s), "a refused pack wrote something:\n{}", listing(&s.path("stick")));
    // Names are still fine.
    pack_json(&s, &["--to", "本社", "-q"]);
}

#[test]
fn policy_default_destination_applies_when_none_is_given() {
    let s = session_with_tree();
    fs::write(s.path("cfg.toml"), format!("[policy]\ndefault_to = [\"本社\"]\n\n[recipients]\n\"本社\" = [\"{}\"]\n", s.recipient))
        .unwrap();
    let report = pack_json(&s, &["-q"]);
    assert_eq!(report["recipients"][0]["name"], "本社");
    assert_eq!(report["recipients"][0]["via"], "default");
    // Without a config and without recipients: the usual usage error.
    let err = s.run_fails(2, &["pack", "src", "-o", "stick"]);
    assert!(err.contains("no recipient"), "{err}");
}

#[test]
fn broken_config_is_a_clear_error_that_never_echoes_a_secret() {
    let s = session_with_tree();
    fs::write(s.path("cfg.toml"), "[policy]\nallow_passphrse = false\n").unwrap();
    let err = s.run_fails(2, &["--config", "cfg.toml", "pack", "src", "-o", "stick", "-r", &s.recipient]);
    assert!(err.contains("cfg.toml") && err.contains("allow_passphrse"), "{err}");
    let secret = "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZ7DR0MS";
    fs::write(s.path("cfg.toml"), format!("[recipients]\n\"本社\" = \"{secret}\"\n")).unwrap();
    let err = s.run_fails(2, &["--config", "cfg.toml", "recipients", "list"]);
    assert!(err.contains("SECRET") && !err.contains("QYQSZ"), "{err}");
    let err = s.run_fails(2, &["--config", "missing.toml", "recipients", "list"]);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn recipients_add_list_show_remove() {
    let s = session_with_tree();
    let other = extra_key(&s, "other.txt");
    let cfg = ["--config", "book.toml", "recipients"];
    let with = |more: &[&str]| -> Vec<String> { cfg.iter().chain(more).map(|a| a.to_string()).collect() };
    let run = |more: &[&str]| {
        let args = with(more);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        s.run_ok(&args)
    };
    run(&["add", "本社", &s.recipient, SSH_KEY]);
    run(&["add", "千葉支部", &other]);
    run(&["add", "本社", &s.recipient]); // adding a key twice keeps one
    let listed = stdout(&run(&["list"]));
    assert_eq!(listed, format!("千葉支部\t{other}\n本社\t{}\n本社\t{SSH_KEY}\n", s.recipient), "list output");
    // show prints a recipients file for -R.
    let shown = stdout(&run(&["show", "本社"]));
    assert_eq!(shown, format!("{}\n{SSH_KEY}\n", s.recipient));
    fs::write(s.path("honsha.txt"), &shown).unwrap();
    let report = pack_json(&s, &["-R", "honsha.txt", "-q"]);
    assert_eq!(report["recipients"].as_array().unwrap().len(), 2, "{report}");
    let json: serde_json::Value = serde_json::from_slice(&run(&["show", "本社", "--json"]).stdout).unwrap();
    // JSON carries stable codes, not words.
    assert_eq!(json["keys"][1]["kind"], "ssh");
    assert_eq!(json["keys"][1]["post_quantum"], false);
    let json: serde_json::Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    assert_eq!(json["recipients"]["千葉支部"][0], other.as_str());

    // Rotation: drop one key of a name, the name stays.
    run(&["remove", "本社", SSH_KEY]);
    assert_eq!(stdout(&run(&["show", "本社"])), format!("{}\n", s.recipient));
    run(&["remove", "千葉支部"]);
    assert!(!stdout(&run(&["list"])).contains("千葉支部"));
    let args = with(&["remove", "千葉支部"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    s.run_fails(2, &args);
    // A key that is not one, and a secret key, are refused and not echoed.
    let args = with(&["add", "本社", "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZ7DR0MS"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = s.run_fails(2, &args);
    assert!(err.contains("SECRET") && !err.contains("QYQSZ"), "{err}");
    let args = with(&["add", "age1notakey", &s.recipient]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = s.run_fails(2, &args);
    assert!(err.contains("looks like a key"), "{err}");
    // The file left is valid TOML that hakobu reads back.
    let text = fs::read_to_string(s.path("book.toml")).unwrap();
    assert!(text.contains("本社"), "{text}");
}

#[test]
fn recipients_edits_are_refused_for_managed_or_read_only_configs() {
    let s = session_with_tree();
    let managed = format!("[policy]\nmanaged = true\n\n[recipients]\n\"本社\" = \"{}\"\n", s.recipient);
    fs::write(s.path("cfg.toml"), &managed).unwrap();
    let err = s.run_fails(4, &["--config", "cfg.toml", "recipients", "add", "新支部", &s.recipient]);
    assert!(err.contains("managed by IT"), "{err}");
    let err = s.run_fails(4, &["--config", "cfg.toml", "recipients", "remove", "本社"]);
    assert!(err.contains("managed by IT"), "{err}");
    assert_eq!(fs::read_to_string(s.path("cfg.toml")).unwrap(), managed, "a managed file was changed");

    let plain = format!("[recipients]\n\"本社\" = \"{}\"\n", s.recipient);
    fs::write(s.path("ro.toml"), &plain).unwrap();
    let mut perms = fs::metadata(s.path("ro.toml")).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(s.path("ro.toml"), perms).unwrap();
    let err = s.run_fails(4, &["--config", "ro.toml", "recipients", "add", "新支部", &s.recipient]);
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(fs::read_to_string(s.path("ro.toml")).unwrap(), plain);
    // Reading a managed, read-only file is fine.
    let o = s.run_ok(&["--config", "ro.toml", "recipients", "list"]);
    assert!(stdout(&o).contains("本社"));
}

#[test]
fn config_is_found_by_environment_and_default_location() {
    let s = session_with_tree();
    let book = format!("[recipients]\n\"本社\" = \"{}\"\n", s.recipient);
    // HAKOBU_CONFIG.
    fs::write(s.path("env.toml"), &book).unwrap();
    let o = run_env(s.dir.path(), &[("HAKOBU_CONFIG", "env.toml")], &["recipients", "show", "本社"]);
    assert!(o.status.success(), "{}", explain(s.dir.path(), &["recipients", "show"], &o, "HAKOBU_CONFIG"));
    // $XDG_CONFIG_HOME/hakobu/config.toml (the support helpers point XDG at .no-config).
    write(&s.path(".no-config/hakobu/config.toml"), book.as_bytes());
    let o = s.run_ok(&["pack", "src", "-o", "stick", "--to", "本社", "-q"]);
    assert!(stdout(&o).trim().ends_with(".age"));
    // --config wins over both.
    let err = run_env(s.dir.path(), &[("HAKOBU_CONFIG", "env.toml")], &["--config", "none.toml", "recipients", "list"]);
    assert_eq!(err.status.code(), Some(2), "{}", stderr(&err));
}

#[test]
fn post_quantum_and_classic_recipients_are_not_mixed() {
    let s = session_with_tree();
    let err = s.run_fails(4, &["pack", "src", "-o", "stick", "-r", &s.recipient, "-r", PQ_RECIPIENT]);
    assert!(err.contains("post-quantum") && err.contains("classic"), "{err}");
    assert!(stick_is_empty(&s));
    // The kind is recognised in the address book.
    s.run_ok(&["--config", "cfg.toml", "recipients", "add", "本社PQ", PQ_RECIPIENT]);
    let o = s.run_ok(&["--config", "cfg.toml", "recipients", "show", "本社PQ", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["keys"][0]["post_quantum"], true);
}

#[test]
fn keygen_without_a_terminal_asks_for_no_passphrase_flag() {
    if !require("setsid") {
        return;
    }
    let s = Session::new();
    // setsid: no controlling terminal even when the tests run in one.
    let o = Command::new("setsid")
        .arg("-w")
        .arg(hakobu_bin())
        .args(["keygen", "-o", "svc.txt"])
        .current_dir(s.dir.path())
        .env("PINENTRY_PROGRAM", "/nonexistent/pinentry")
        .env("HOME", s.dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("--no-passphrase"), "{}", stderr(&o));
    assert!(!s.path("svc.txt").exists(), "a key file was left behind");
    // A service account's key: stdout is the recipient line alone, the
    // explanation goes to stderr, the file is a plain age identity file.
    let o = s.run_ok(&["keygen", "--no-passphrase", "-o", "svc2.txt"]);
    let out = stdout(&o);
    assert!(out.starts_with("age1") && out.lines().count() == 1, "stdout: {out:?}");
    assert!(stderr(&o).contains("Hand this line to IT") && stderr(&o).contains("NOT protected"), "{}", stderr(&o));
    assert!(fs::read_to_string(s.path("svc2.txt")).unwrap().contains("AGE-SECRET-KEY-1"));
    // keygen never overwrites a key.
    let err = s.run_fails(4, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    assert!(err.contains("already exists"), "{err}");
}

/// Runs `cmdline` under a pseudo-terminal (util-linux `script`), typing
/// `lines` into it one by one after a pause. Returns the combined output.
fn on_terminal(cwd: &Path, env: &[(&str, &str)], cmdline: &str, lines: &[&str]) -> Output {
    let mut cmd = Command::new("script");
    cmd.args(["-qec", cmdline, "/dev/null"])
        .current_dir(cwd)
        .env_remove("HAKOBU_IDENTITY")
        .env_remove("HAKOBU_CONFIG")
        // Force the plain terminal prompt (no pinentry window).
        .env("PINENTRY_PROGRAM", "/nonexistent/pinentry")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run script");
    let mut stdin = child.stdin.take().unwrap();
    let lines: Vec<String> = lines.iter().map(|l| format!("{l}\n")).collect();
    let done = Arc::new(AtomicBool::new(false));
    let done2 = done.clone();
    // Keep the terminal's input open until the program is finished: `script`
    // ends the session when its input closes.
    let typer = std::thread::spawn(move || {
        for l in lines {
            std::thread::sleep(Duration::from_millis(800));
            if stdin.write_all(l.as_bytes()).and_then(|()| stdin.flush()).is_err() {
                return;
            }
        }
        for _ in 0..600 {
            if done2.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let out = child.wait_with_output().expect("wait for script");
    done.store(true, Ordering::Relaxed);
    let _ = typer.join();
    out
}

fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

#[test]
fn protected_identity_is_unlocked_by_the_passphrase_on_a_terminal() {
    if !require("script") {
        return;
    }
    let s = session_with_tree();
    let xdg = s.path("home/.config");
    let home = s.path("home");
    let env = [("HOME", home.to_str().unwrap()), ("XDG_CONFIG_HOME", xdg.to_str().unwrap())];
    let bin = sh_quote(&hakobu_bin());
    let pass = "synthetic passphrase 7";
    let o = on_terminal(s.dir.path(), &env, &format!("{bin} keygen"), &[pass, pass]);
    let text = stdout(&o);
    assert!(o.status.success(), "keygen on a terminal failed:\n{text}");
    let recipient = text
        .lines()
        .map(|l| l.trim())
        .find(|l| l.starts_with("age1"))
        .unwrap_or_else(|| panic!("no recipient printed:\n{text}"))
        .to_owned();
    assert!(text.contains("Hand this line to IT"), "{text}");
    let key = xdg.join("hakobu/identity.txt");
    let stored = fs::read_to_string(&key).unwrap();
    assert!(stored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"), "key file is not encrypted:\n{stored}");
    assert!(!stored.contains("AGE-SECRET-KEY"), "secret key stored in the clear");

    let report = pack_json(&s, &["-r", &recipient, "-q"]);
    let archive = s.path(report["path"].as_str().unwrap());
    // No -i: the default identity, unlocked by its passphrase typed on the terminal.
    let dest = s.path("received");
    let cmd = format!("{bin} unpack {} -o {}", sh_quote(&archive), sh_quote(&dest));
    let o = on_terminal(s.dir.path(), &env, &cmd, &[pass]);
    assert!(o.status.success(), "unpack with the passphrase failed:\n{}", stdout(&o));
    assert!(stdout(&o).contains("passphrase"), "no prompt seen:\n{}", stdout(&o));
    assert_same_tree(&s.path("src"), &dest.join("src"));
    // list asks the same way.
    let o = on_terminal(s.dir.path(), &env, &format!("{bin} list {}", sh_quote(&archive)), &[pass]);
    assert!(o.status.success() && stdout(&o).contains("名簿.csv"), "list with the passphrase:\n{}", stdout(&o));
    // A wrong passphrase, three times (it is asked again): key error (3), nothing released.
    let dest2 = s.path("wrong");
    let cmd = format!("{bin} unpack {} -o {}; echo exit=$?", sh_quote(&archive), sh_quote(&dest2));
    let o = on_terminal(s.dir.path(), &env, &cmd, &["not the passphrase"; 3]);
    assert!(stdout(&o).contains("exit=3"), "wrong passphrase:\n{}", stdout(&o));
    assert!(stdout(&o).contains("try 3 of 3") && stdout(&o).contains("code: key-file-passphrase-wrong"), "{}", stdout(&o));
    assert!(!dest2.join("src").exists());
    // Stock age reads the same protected key file.
    if require("age") {
        let cmd = format!("age -d -i {} -o plain.tar {}", sh_quote(&key), sh_quote(&archive));
        let o = on_terminal(s.dir.path(), &[], &cmd, &[pass]);
        assert!(o.status.success() && s.path("plain.tar").exists(), "age -d:\n{}", stdout(&o));
    }
}

/// A folder holding the fake plugin (tests/integration/fixtures), for PATH.
fn plugin_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/integration/fixtures")
}

#[test]
fn plugin_recipients_and_identities_work_end_to_end() {
    if !require("python3") {
        return;
    }
    let s = session_with_tree();
    let escrow = extra_key(&s, "escrow.txt");
    fs::write(s.path("cfg.toml"), format!("[policy]\nalways = [\"{escrow}\"]\n\n[recipients]\n\"トークン\" = \"{PLUGIN_RECIPIENT}\"\n"))
        .unwrap();
    fs::write(s.path("token.txt"), format!("# a hardware token's identity line\n{PLUGIN_IDENTITY}\n")).unwrap();
    let path = format!("{}:{}", plugin_dir().display(), std::env::var("PATH").unwrap_or_default());
    let env = [("PATH", path.as_str())];
    let o = run_env(s.dir.path(), &env, &["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "トークン", "--json"]);
    assert!(o.status.success(), "{}", explain(s.dir.path(), &["pack --to トークン"], &o, "plugin pack"));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["recipients"][0]["kind"], "plugin");
    assert_eq!(report["recipients"][0]["plugin"], "hakobutest");
    let archive = report["path"].as_str().unwrap().to_owned();
    let o = run_env(s.dir.path(), &env, &["unpack", &archive, "-o", "received", "-i", "token.txt", "-q"]);
    assert!(o.status.success(), "{}", explain(s.dir.path(), &["unpack -i token.txt"], &o, "plugin unpack"));
    assert_same_tree(&s.path("src"), &s.path("received/src"));
    // Without the plugin installed: a key error naming it, nothing released.
    let o = run_env(s.dir.path(), &[("PATH", "/usr/bin:/bin")], &["unpack", &archive, "-o", "nothing", "-i", "token.txt"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("age-plugin-hakobutest"), "{}", stderr(&o));
    assert!(!s.path("nothing/src").exists());
    // The escrow key (added by policy) still opens it without any plugin.
    s.run_ok(&["unpack", &archive, "-o", "recovered", "-i", "escrow.txt", "-q"]);
    assert_same_tree(&s.path("src"), &s.path("recovered/src"));
}

/// A key file others may read is used, with a warning naming it (both
/// languages); the key file keygen writes is private (0600) and used silently.
#[test]
fn a_key_file_others_may_read_is_named_when_used() {
    use std::os::unix::fs::PermissionsExt;
    let s = session_with_tree();
    assert_eq!(fs::metadata(&s.key).unwrap().permissions().mode() & 0o777, 0o600);
    let archive = s.pack(&["src"], "out");
    let a = archive.to_str().unwrap();
    let o = s.run_ok(&["unpack", a, "-o", "r1", "-i", "key.txt"]);
    assert!(!stderr(&o).contains("can be read by other users"), "{}", stderr(&o));

    fs::set_permissions(&s.key, fs::Permissions::from_mode(0o640)).unwrap();
    let o = s.run_ok(&["unpack", a, "-o", "r2", "-i", "key.txt"]);
    assert!(stderr(&o).contains("warning: the key file key.txt can be read by other users of this computer"), "{}", stderr(&o));
    assert_same_tree(&s.path("src"), &s.path("r2/src"));
    let o = run_env(&s.path(""), &[("HAKOBU_LANG", "ja")], &["verify", a, "-i", "key.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("鍵ファイル key.txt は、このパソコンのほかの利用者も読めます。"), "{}", stderr(&o));
    // -q silences it, as every other notice of that kind.
    let o = s.run_ok(&["unpack", a, "-o", "r3", "-i", "key.txt", "-q"]);
    assert!(!stderr(&o).contains("key.txt"), "{}", stderr(&o));
}
