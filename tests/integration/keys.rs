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

// ----- the machine-wide policy and the config check (issue #25) -----

/// A machine policy folder holding `config.toml` (bind-mounted on /etc/hakobu by the helper).
fn machine_dir(s: &Session, text: &str) -> PathBuf {
    let dir = s.path("machine");
    write(&dir.join("config.toml"), text.as_bytes());
    dir
}

/// hakobu under the machine policy in `machine`; `None`: skipped (the helper said why).
fn under(s: &Session, machine: &Path, env: &[(&str, &str)], args: &[&str]) -> Option<Output> {
    with_machine_policy(machine, s.dir.path(), env, args)
}

fn kind_line(o: &Output) -> String {
    stderr(o).lines().find_map(|l| l.trim().strip_prefix("code: ")).unwrap_or("").to_owned()
}

#[test]
fn the_machine_policy_wins_over_the_users_config_env_and_flag() {
    let s = session_with_tree();
    let escrow = extra_key(&s, "escrow.txt");
    let mine = extra_key(&s, "mine.txt");
    let machine = machine_dir(
        &s,
        &format!(
            "[policy]\nallow_passphrase = false\nalways = [\"監査\"]\n\n[ledger]\nrequire_category = true\n\n\
             [signing]\nrequire_signature = false\n\n[recipients]\n\"監査\" = \"{escrow}\"\n"
        ),
    );
    // The clerk's own config weakens every rule and swaps the escrow key for the clerk's own.
    let user = format!(
        "[policy]\nallow_passphrase = true\nalways = []\n\n[ledger]\nrequire_category = false\nrequired = false\n\n\
         [recipients]\n\"本社\" = \"{}\"\n\"監査\" = \"{mine}\"\n",
        s.recipient
    );
    fs::write(s.path("cfg.toml"), &user).unwrap();
    write(&s.path(".no-config/hakobu/config.toml"), user.as_bytes());
    type Env<'a> = Vec<(&'a str, &'a str)>;
    let ways: [(&str, Env, Vec<&str>); 3] = [
        ("--config", vec![], vec!["--config", "cfg.toml"]),
        ("HAKOBU_CONFIG", vec![("HAKOBU_CONFIG", "cfg.toml")], vec![]),
        ("the default location", vec![], vec![]),
    ];
    for (way, env, flag) in ways {
        let args = |more: &[&str]| -> Vec<String> { flag.iter().chain(more).map(|a| a.to_string()).collect() };
        let run = |more: &[&str]| {
            let a = args(more);
            under(&s, &machine, &env, &a.iter().map(String::as_str).collect::<Vec<_>>())
        };
        let Some(o) = run(&["pack", "src", "-o", "stick", "-p"]) else { return };
        assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(4), "policy-forbids-passphrase"), "{way}: {}", stderr(&o));
        let o = run(&["pack", "src", "-o", "stick", "--to", "本社"]).unwrap();
        assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(2), "ledger-tag-required"), "{way}: {}", stderr(&o));
        assert!(stick_is_empty(&s), "{way}: a refused pack wrote something");
        let o = run(&["pack", "src", "-o", "stick", "--to", "本社", "--category", "健診結果", "--json", "-q"]).unwrap();
        assert!(o.status.success(), "{way}: {}", stderr(&o));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let holders: Vec<(String, String)> = report["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["name"].as_str().unwrap_or("").to_owned(), h["key"].as_str().unwrap().to_owned()))
            .collect();
        // 本社 from the user's book; 監査 is the machine's key, never the clerk's.
        assert_eq!(holders, vec![("本社".to_owned(), s.recipient.clone()), ("監査".to_owned(), escrow.clone())], "{way}");
        let archive = s.path(report["path"].as_str().unwrap());
        s.run_ok(&["unpack", archive.to_str().unwrap(), "-o", &format!("escrow-{}", way.len()), "-i", "escrow.txt", "-q"]);
        let o = s.run(&["unpack", archive.to_str().unwrap(), "-o", &format!("mine-{}", way.len()), "-i", "mine.txt", "-q"]);
        assert_eq!(o.status.code(), Some(3), "{way}: the clerk's own key opened the archive");
        for f in fs::read_dir(s.path("stick")).unwrap() {
            fs::remove_file(f.unwrap().path()).unwrap();
        }
    }
}

#[test]
fn the_machine_signing_and_sender_policy_cannot_be_switched_off() {
    let s = session_with_tree();
    let machine = machine_dir(
        &s,
        &format!(
            "[signing]\nrequire_signature = true\n\n[senders]\n\"本社\" = \"{SSH_KEY}\"\n\n[recipients]\n\"本社\" = \"{}\"\n",
            s.recipient
        ),
    );
    fs::write(s.path("cfg.toml"), "[signing]\nrequire_signature = false\n").unwrap();
    let Some(o) = under(&s, &machine, &[], &["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "本社"]) else { return };
    assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(4), "signing-key-required"), "{}", stderr(&o));
    assert!(stick_is_empty(&s));
}

#[test]
fn recipients_add_and_remove_leave_the_machine_policy_alone() {
    let s = session_with_tree();
    let escrow = extra_key(&s, "escrow.txt");
    let other = extra_key(&s, "other.txt");
    let machine_text = format!("[policy]\nalways = [\"監査\"]\n\n[recipients]\n\"監査\" = \"{escrow}\"\n\"本社\" = \"{}\"\n", s.recipient);
    let machine = machine_dir(&s, &machine_text);
    let cfg = |more: &[&str]| -> Vec<String> { ["--config", "cfg.toml", "recipients"].iter().chain(more).map(|a| a.to_string()).collect() };
    let run = |more: &[&str]| {
        let a = cfg(more);
        under(&s, &machine, &[], &a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let user_text = "# the clerk's own offices\n";
    fs::write(s.path("cfg.toml"), user_text).unwrap();
    for attempt in [vec!["add", "監査", &other], vec!["add", "本社", &other], vec!["remove", "本社"], vec!["remove", "監査", &escrow]]
    {
        let Some(o) = run(&attempt) else { return };
        assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(4), "name-in-machine-policy"), "{attempt:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("machine-wide policy /etc/hakobu/config.toml"), "{attempt:?}: {}", stderr(&o));
        assert_eq!(fs::read_to_string(s.path("cfg.toml")).unwrap(), user_text, "{attempt:?} changed the user's config");
    }
    // A new office goes into the user's config; the machine file is untouched.
    let o = run(&["add", "千葉支部", &other]).unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fs::read_to_string(s.path("cfg.toml")).unwrap().contains(&other));
    assert_eq!(fs::read_to_string(machine.join("config.toml")).unwrap(), machine_text);
    let o = run(&["remove", "千葉支部"]).unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // Under `managed = true` users add nothing at all, and their names are not used.
    let managed = machine_dir(&s, &format!("[policy]\nmanaged = true\n\n[recipients]\n\"本社\" = \"{}\"\n", s.recipient));
    fs::write(s.path("cfg.toml"), format!("[recipients]\n\"千葉支部\" = \"{other}\"\n")).unwrap();
    let o = under(&s, &managed, &[], &["--config", "cfg.toml", "recipients", "add", "埼玉支部", &other]).unwrap();
    assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(4), "config-managed"), "{}", stderr(&o));
    let o = under(&s, &managed, &[], &["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "千葉支部"]).unwrap();
    assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(2), "unknown-name"), "{}", stderr(&o));
}

#[test]
fn recipients_list_says_which_policy_is_in_effect_and_why() {
    let s = session_with_tree();
    let escrow = extra_key(&s, "escrow.txt");
    let mine = extra_key(&s, "mine.txt");
    let machine =
        machine_dir(&s, &format!("[policy]\nallow_passphrase = false\nalways = [\"監査\"]\n\n[recipients]\n\"監査\" = \"{escrow}\"\n"));
    fs::write(
        s.path("cfg.toml"),
        format!("[policy]\nallow_passphrase = true\n\n[recipients]\n\"監査\" = \"{mine}\"\n\"本社\" = \"{}\"\n", s.recipient),
    )
    .unwrap();
    let Some(o) = under(&s, &machine, &[], &["--config", "cfg.toml", "recipients", "list"]) else { return };
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("本社\t{}\n監査\t{escrow}\n", s.recipient));
    let err = stderr(&o);
    for want in [
        "Machine policy: /etc/hakobu/config.toml",
        "cfg.toml",
        "Not used from",
        "[policy]",
        "監査",
        "passphrase-only archives are not allowed",
    ] {
        assert!(err.contains(want), "no {want:?} in:\n{err}");
    }
    let o = under(&s, &machine, &[("HAKOBU_LANG", "ja")], &["--config", "cfg.toml", "recipients", "list"]).unwrap();
    let err = stderr(&o);
    assert!(err.contains("パソコン全体の運用ルール: /etc/hakobu/config.toml") && err.contains("使っていません"), "{err}");
    let o = under(&s, &machine, &[], &["--config", "cfg.toml", "recipients", "list", "--json"]).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["machine"]["path"], "/etc/hakobu/config.toml", "{json}");
    assert_eq!(json["machine"]["ignored"], serde_json::json!(["policy"]));
    assert_eq!(json["machine"]["shadowed"], serde_json::json!(["監査"]));
    assert_eq!(json["policy"]["allow_passphrase"], false);
    assert_eq!(json["recipients"]["監査"][0], escrow.as_str());
    // Without a machine policy: no such lines.
    let o = s.run_ok(&["--config", "cfg.toml", "recipients", "list", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(json["machine"].is_null(), "{json}");
}

#[test]
fn a_broken_machine_policy_stops_everything_naming_its_file() {
    let s = session_with_tree();
    let machine = machine_dir(&s, "[policy]\nallow_passphrse = false\n");
    fs::write(s.path("cfg.toml"), format!("[recipients]\n\"本社\" = \"{}\"\n", s.recipient)).unwrap();
    let Some(o) = under(&s, &machine, &[], &["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "本社"]) else { return };
    assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(2), "bad-config"), "{}", stderr(&o));
    assert!(stderr(&o).contains("/etc/hakobu/config.toml") && stderr(&o).contains("allow_passphrse"), "{}", stderr(&o));
    assert!(stick_is_empty(&s));
}

#[test]
fn policy_names_are_checked_when_the_config_is_loaded() {
    let s = session_with_tree();
    let cases = [
        ("policy.always", "[policy]\nalways = [\"情報システム\"]\n"),
        ("policy.default_to", "[policy]\ndefault_to = [\"情報システム\"]\n"),
        ("ledger.audit_recipients", "[ledger]\naudit_recipients = [\"情報システム\"]\n"),
    ];
    for (setting, table) in cases {
        fs::write(
            s.path("cfg.toml"),
            format!("{table}\n[recipients]\n\"本社\" = \"{}\"\n\"情報システム部\" = \"{}\"\n", s.recipient, s.recipient),
        )
        .unwrap();
        for lang in ["en", "ja"] {
            let o =
                run_env(s.dir.path(), &[("HAKOBU_LANG", lang)], &["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "本社"]);
            assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(2), "config-unknown-name"), "{setting}: {}", stderr(&o));
            let err = stderr(&o);
            // The setting, the name and the file: never a flag nobody typed.
            assert!(err.contains(setting) && err.contains("情報システム") && err.contains("cfg.toml"), "{setting} {lang}:\n{err}");
            assert!(err.contains("情報システム部"), "{setting} {lang}: no suggestion:\n{err}");
            assert!(!err.contains("-r") && !err.contains("-r:"), "{setting} {lang}: blames -r:\n{err}");
            let want = if lang == "ja" {
                "情報システム担当に連絡してください"
            } else {
                "neither a name in that file's [recipients] nor a public key"
            };
            assert!(err.contains(want), "{setting} {lang}:\n{err}");
        }
        // recipients add may still fix it by adding the name.
        s.run_ok(&["--config", "cfg.toml", "recipients", "add", "情報システム", &s.recipient]);
        s.run_ok(&["--config", "cfg.toml", "recipients", "list"]);
        assert!(stick_is_empty(&s));
    }
    // In the machine file too, a name must be in the machine file's own book:
    // a user's config cannot supply the escrow key the machine policy names.
    let machine = machine_dir(&s, "[policy]\nalways = [\"監査\"]\n");
    fs::write(s.path("cfg.toml"), format!("[recipients]\n\"監査\" = \"{}\"\n", s.recipient)).unwrap();
    let Some(o) = under(&s, &machine, &[], &["--config", "cfg.toml", "recipients", "list"]) else { return };
    assert_eq!((o.status.code(), kind_line(&o).as_str()), (Some(2), "config-unknown-name"), "{}", stderr(&o));
    assert!(stderr(&o).contains("/etc/hakobu/config.toml") && stderr(&o).contains("policy.always"), "{}", stderr(&o));
}

#[test]
fn recipients_add_and_remove_keep_it_comments_and_order() {
    let s = session_with_tree();
    let k1 = extra_key(&s, "k1.txt");
    let k2 = extra_key(&s, "k2.txt");
    let annotated = format!(
        "# 情報システム担当が配る設定ファイル（2026年度）\n\n[policy]\nallow_passphrase = false   # パスフレーズだけは禁止\n\n\
         # 事務所の一覧\n[recipients]\n# 本社: 総務課の二人\n\"本社\" = [\n    \"{}\",   # 山田\n]\n\"千葉支部\" = \"{k1}\"   # 千葉の窓口\n\n\
         # 埼玉は来年度から\n\"埼玉支部\" = \"{k1}\"\n\n[ledger]\nrequire_purpose = true   # 目的は必ず\n",
        s.recipient
    );
    fs::write(s.path("cfg.toml"), &annotated).unwrap();
    let cfg = |more: &[&str]| {
        let mut a = vec!["--config", "cfg.toml", "recipients"];
        a.extend_from_slice(more);
        s.run_ok(&a);
        fs::read_to_string(s.path("cfg.toml")).unwrap()
    };
    let text = cfg(&["add", "本社", &k2]);
    for kept in [
        "# 情報システム担当が配る設定ファイル（2026年度）",
        "# パスフレーズだけは禁止",
        "# 事務所の一覧",
        "# 本社: 総務課の二人",
        "# 山田",
        "# 千葉の窓口",
        "# 埼玉は来年度から",
        "# 目的は必ず",
    ] {
        assert!(text.contains(kept), "add dropped {kept:?}:\n{text}");
    }
    assert!(text.contains(&k2), "{text}");
    // A comment after a key stays on that key's line (not on the key added after it).
    let yamada = text.lines().find(|l| l.contains("# 山田")).unwrap();
    assert!(yamada.contains(&s.recipient) && !yamada.contains(&k2), "{text}");
    let text = cfg(&["add", "茨城支部", &k2]);
    let order: Vec<usize> = ["[policy]", "[recipients]", "\"本社\"", "\"千葉支部\"", "\"埼玉支部\"", "茨城支部", "[ledger]"]
        .iter()
        .map(|t| text.find(t).unwrap_or_else(|| panic!("{t} missing:\n{text}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "order changed {order:?}:\n{text}");
    let text = cfg(&["remove", "千葉支部"]);
    assert!(!text.contains("千葉支部") && !text.contains("# 千葉の窓口"), "{text}");
    assert!(text.contains("# 埼玉は来年度から") && text.contains("# 本社: 総務課の二人"), "{text}");
    let text = cfg(&["remove", "本社", &k2]);
    assert!(text.contains("# 山田") && text.matches(&k2).count() == 1, "{text}");
    let yamada = text.lines().find(|l| l.contains("# 山田")).unwrap();
    assert!(yamada.contains(&s.recipient), "{text}");
    assert!(text.contains("# 目的は必ず") && text.contains("require_purpose = true"), "{text}");
    // And hakobu reads it back as before.
    let listed = stdout(&s.run_ok(&["--config", "cfg.toml", "recipients", "list"]));
    assert_eq!(listed, format!("埼玉支部\t{k1}\n本社\t{}\n茨城支部\t{k2}\n", s.recipient), "{text}");
}

#[test]
fn the_it_guides_machine_policy_example_works_as_the_machine_policy() {
    let guide = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ja/情報システム担当へ.md")).unwrap();
    let section = &guide[guide.find("## 8. 運用ルールをパソコン全体に効かせる（管理者）").expect("section 8")..];
    let block = section.split("```toml\n").nth(1).and_then(|b| b.split("\n```").next()).expect("a toml block in section 8");
    let s = session_with_tree();
    let machine = machine_dir(&s, block);
    fs::write(s.path("cfg.toml"), format!("[policy]\nallow_passphrase = true\n\n[recipients]\n\"茨城支部\" = \"{}\"\n", s.recipient))
        .unwrap();
    let Some(o) = under(&s, &machine, &[("HAKOBU_LANG", "ja")], &["--config", "cfg.toml", "recipients", "list"]) else { return };
    assert!(o.status.success(), "{}", stderr(&o));
    // What the guide says `recipients list` shows.
    assert!(stderr(&o).starts_with("パソコン全体の運用ルール: /etc/hakobu/config.toml（"), "{}", stderr(&o));
    for name in ["本社", "千葉支部", "監査", "情報システム", "茨城支部"] {
        assert!(stdout(&o).contains(&format!("{name}\t")), "{name}: {}", stdout(&o));
    }
    let o = under(&s, &machine, &[], &["--config", "cfg.toml", "pack", "src", "-o", "stick", "-p"]).unwrap();
    assert_eq!(kind_line(&o), "policy-forbids-passphrase", "{}", stderr(&o));
    let o = under(&s, &machine, &[], &["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "茨城支部"]).unwrap();
    assert_eq!(kind_line(&o), "ledger-tag-required", "{}", stderr(&o));
    let o = under(
        &s,
        &machine,
        &[],
        &["--config", "cfg.toml", "pack", "src", "-o", "stick", "--to", "茨城支部", "--category", "健診結果", "-q"],
    )
    .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn recipients_list_warns_when_users_can_change_the_machine_policy() {
    use std::os::unix::fs::PermissionsExt;
    let s = session_with_tree();
    let machine = machine_dir(&s, &format!("[recipients]\n\"本社\" = \"{}\"\n", s.recipient));
    let Some(o) = under(&s, &machine, &[], &["recipients", "list", "--json"]) else { return };
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["machine"]["changeable_by_users"], false, "{json}");
    assert!(!stderr(&under(&s, &machine, &[], &["recipients", "list"]).unwrap()).contains("WARNING"));
    // World-writable: anyone could have written these rules.
    fs::set_permissions(machine.join("config.toml"), fs::Permissions::from_mode(0o666)).unwrap();
    let o = under(&s, &machine, &[], &["recipients", "list", "--json"]).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["machine"]["changeable_by_users"], true, "{json}");
    let o = under(&s, &machine, &[], &["recipients", "list"]).unwrap();
    assert!(stderr(&o).contains("WARNING: users other than the administrators can change /etc/hakobu/config.toml"), "{}", stderr(&o));
    let o = under(&s, &machine, &[("HAKOBU_LANG", "ja")], &["recipients", "list"]).unwrap();
    assert!(stderr(&o).contains("管理者以外の利用者も変えられます"), "{}", stderr(&o));
    // The same for the folder.
    fs::set_permissions(machine.join("config.toml"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(&machine, fs::Permissions::from_mode(0o777)).unwrap();
    let o = under(&s, &machine, &[], &["recipients", "list", "--json"]).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["machine"]["changeable_by_users"], true, "{json}");
}
