//! What pack refuses before it writes (issue #3 §2, §3): links, special files,
//! an output folder inside the sources, unportable or colliding names (all
//! listed at once), files that change while being read, secret keys among the
//! sources; on the stick the archive goes to (issue #25), a source refused, a
//! key that can open the archive refused and any other key warned about, and
//! "safe to remove" said only there; keygen refusing a medium that holds archives.

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::faults::{assert_no_pack_output, output_within, wait_for_entry, with_env, wrapped};
use crate::support::*;

/// Packs `src` into `stick` and expects a refusal (exit 4) that leaves nothing; returns stderr.
fn refused(s: &Session) -> String {
    fs::create_dir_all(s.path("stick")).unwrap();
    let err = s.run_fails(4, &["pack", "src", "-o", "stick", "-r", &s.recipient]);
    assert_no_pack_output(&s.path("stick"), "refused pack");
    err
}

#[cfg(unix)]
#[test]
fn pack_refuses_symlink_inside_a_folder_naming_it() {
    let s = Session::new();
    write(&s.path("secret/real.txt"), b"outside the sources\n");
    write(&s.path("src/a.txt"), b"a\n");
    std::os::unix::fs::symlink(s.path("secret/real.txt"), s.path("src/link.txt")).unwrap();
    let err = refused(&s);
    assert!(err.contains("src/link.txt") && err.contains("symbolic link"), "{err}");
}

#[cfg(unix)]
#[test]
fn pack_refuses_symlink_given_as_a_source() {
    // A link named on the command line is not followed silently either.
    let s = Session::new();
    write(&s.path("real/a.txt"), b"a\n");
    std::os::unix::fs::symlink(s.path("real"), s.path("src")).unwrap();
    let err = refused(&s);
    assert!(err.contains("src") && err.contains("symbolic link"), "{err}");
}

#[cfg(unix)]
#[test]
fn pack_refuses_fifo_without_hanging() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    let fifo = s.path("src/pipe");
    let ok = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success();
    assert!(ok, "mkfifo failed");
    fs::create_dir(s.path("stick")).unwrap();
    let args = ["pack", "src", "-o", "stick", "-r", &s.recipient];
    let mut cmd = std::process::Command::new(hakobu_bin());
    cmd.args(args);
    // Opening a FIFO for reading would block forever: it must be refused from its type alone.
    let out = output_within(with_env(cmd, s.dir.path()), 30);
    assert_eq!(out.status.code(), Some(4), "{}", explain(s.dir.path(), &args, &out, "FIFO among the sources"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("src/pipe") && err.contains("special file"), "{err}");
    assert_no_pack_output(&s.path("stick"), "FIFO");
}

#[cfg(unix)]
#[test]
fn pack_refuses_socket() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    let _listener = std::os::unix::net::UnixListener::bind(s.path("src/sock")).unwrap();
    let err = refused(&s);
    assert!(err.contains("src/sock") && err.contains("special file"), "{err}");
}

#[test]
fn pack_refuses_output_folder_inside_the_sources() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    fs::create_dir_all(s.path("src/stick")).unwrap();
    let err = s.run_fails(4, &["pack", "src", "-o", "src/stick", "-r", &s.recipient]);
    assert!(err.contains("inside") && err.contains("being packed"), "{err}");
    assert_no_pack_output(&s.path("src/stick"), "output inside sources");
    // Also when the output folder is the source itself.
    let err = s.run_fails(4, &["pack", "src", "-o", "src", "-r", &s.recipient]);
    assert!(err.contains("being packed"), "{err}");
}

#[test]
fn pack_never_writes_over_an_existing_archive() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    write(&s.path("stick/label.age"), b"an earlier archive\n");
    let err = s.run_fails(4, &["pack", "src", "-o", "stick", "--name", "label", "-r", &s.recipient]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(fs::read(s.path("stick/label.age")).unwrap(), b"an earlier archive\n");
    // issue #12 §11: pack has no --force; the hint names what works.
    assert!(err.contains("\ncode: output-exists"), "{err}");
    assert!(!err.contains("--force") && err.contains("hint:") && err.contains("--name"), "{err}");
}

#[test]
fn output_exists_hints_what_works_for_each_command() {
    // issue #12 §11: "use --force" was the hint for keygen too, which has none.
    let s = Session::new();
    s.run_ok(&["keygen", "--no-passphrase", "-o", "second-key.txt"]);
    let err = s.run_fails(4, &["keygen", "--no-passphrase", "-o", "second-key.txt"]);
    assert!(err.contains("\ncode: output-exists") && err.contains("already exists"), "{err}");
    let hint = err.lines().find(|l| l.starts_with("hint:")).unwrap_or_else(|| panic!("no hint: {err}"));
    assert!(!hint.contains("--force") && hint.contains("-o") && hint.contains("still be needed"), "{hint}");
    // The hint's advice works: another file with -o.
    s.run_ok(&["keygen", "--no-passphrase", "-o", "third-key.txt"]);
    // unpack has --force, and its hint says so.
    write(&s.path("src/a.txt"), b"a\n");
    let archive = s.pack(&["src"], "stick");
    write(&s.path("received/src/a.txt"), b"local\n");
    let err = s.run_fails(4, &["unpack", archive.to_str().unwrap(), "-o", "received", "-i", s.key.to_str().unwrap()]);
    assert!(err.contains("\ncode: output-exists"), "{err}");
    assert!(err.lines().any(|l| l.starts_with("hint:") && l.contains("--force")), "{err}");
}

#[test]
fn pack_refuses_names_colliding_by_case() {
    let s = Session::new();
    write(&s.path("src/A.txt"), b"upper\n");
    write(&s.path("src/a.txt"), b"lower\n");
    let err = refused(&s);
    assert!(err.contains("A.txt") && err.contains("a.txt") && err.contains("case-insensitive"), "{err}");
}

#[test]
fn pack_refuses_names_colliding_by_normalisation() {
    let s = Session::new();
    // が as one code point (NFC) and as か + combining dakuten (NFD, as macOS writes it).
    write(&s.path("src/\u{304c}.csv"), b"nfc\n");
    write(&s.path("src/\u{304b}\u{3099}.csv"), b"nfd\n");
    let err = refused(&s);
    assert!(err.contains("collides"), "{err}");
}

#[test]
fn pack_lists_every_unportable_name_at_once() {
    let s = Session::new();
    write(&s.path("src/ok.txt"), b"fine\n");
    write(&s.path("src/CON.txt"), b"device name\n");
    write(&s.path("src/a:b.txt"), b"colon\n");
    write(&s.path("src/末尾 "), b"trailing space\n");
    write(&s.path("src/Report.pdf"), b"1\n");
    write(&s.path("src/report.pdf"), b"2\n");
    write(&s.path("src/aux/inner.txt"), b"inside a reserved folder name\n");
    let err = refused(&s);
    assert!(err.contains("items cannot be packed safely"), "{err}");
    for name in ["CON.txt", "a:b.txt", "末尾 ", "report.pdf", "src/aux"] {
        assert!(err.contains(name), "{name} not listed:\n{err}");
    }
    assert!(!err.contains("ok.txt"), "a fine name was listed:\n{err}");
    // Children of a refused folder are not listed one by one.
    assert!(!err.contains("inner.txt"), "{err}");
}

fn refuses_secret(contents: &[u8], name: &str) {
    let s = Session::new();
    write(&s.path("src/ok.txt"), b"fine\n");
    write(&s.path(&format!("src/{name}")), contents);
    let err = refused(&s);
    assert!(err.contains(name) && err.contains("secret key"), "{err}");
}

#[test]
fn pack_refuses_age_secret_key() {
    refuses_secret(b"AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n", "notes.txt");
}

#[test]
fn pack_refuses_age_plugin_identity() {
    refuses_secret(b"# yubikey\nAGE-PLUGIN-YUBIKEY-1QQQQQQQQQQQQQQQQQQQQQQ\n", "yubikey-identity.txt");
}

#[test]
fn pack_refuses_hakobu_identity() {
    let s = Session::new();
    write(&s.path("src/ok.txt"), b"fine\n");
    // The key file exactly as `hakobu keygen` writes it, under an innocent name.
    fs::copy(&s.key, s.path("src/議事録.txt")).unwrap();
    let err = refused(&s);
    assert!(err.contains("議事録.txt") && err.contains("secret key"), "{err}");
}

#[test]
fn pack_refuses_ssh_private_keys() {
    for (marker, name) in [
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "id_ed25519"),
        ("-----BEGIN RSA PRIVATE KEY-----", "id_rsa"),
        ("-----BEGIN EC PRIVATE KEY-----", "ec.pem"),
        ("-----BEGIN PRIVATE KEY-----", "server.key"),
        ("-----BEGIN ENCRYPTED PRIVATE KEY-----", "enc.pem"),
    ] {
        refuses_secret(format!("{marker}\nAAAAsyntheticAAAA\n-----END-----\n").as_bytes(), name);
    }
}

#[test]
fn a_key_file_is_refused_while_planning_before_the_ledger_or_the_stick_is_touched() {
    let s = Session::new();
    write(&s.path("src/ok.txt"), b"fine\n");
    write(&s.path("src/deep/id_ed25519"), b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsyntheticAAAA\n-----END-----\n");
    let err = refused(&s);
    assert!(err.contains("id_ed25519") && err.contains("\ncode: secret-key-in-sources"), "{err}");
    // The ledger is opened (and created) after planning: a refusal in the
    // stream would have left it behind.
    assert!(!s.path(".no-data/hakobu/ledger.jsonl").exists(), "the ledger was opened before the refusal");
    assert!(fs::read_dir(s.path("stick")).unwrap().next().is_none(), "{}", listing(&s.path("stick")));
}

/// A passphrase-protected key file as `hakobu keygen` writes it (the library's keygen).
fn protected_key(path: &Path) {
    let pass = age::secrecy::SecretString::from("synthetic passphrase 山田".to_owned());
    hakobu::keys::keyfile::keygen(path, Some(pass)).unwrap();
    assert!(fs::read(path).unwrap().starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
}

#[test]
fn pack_refuses_a_passphrase_protected_key_file_in_the_sources_and_on_the_stick() {
    // issue #12 §3: a protected key travelling with the data defeats the point
    // if its passphrase is weak; it is a key like any other. On the stick
    // (issue #25) whose key it is cannot be told without its passphrase:
    // refused too, naming it, before anything is written.
    let s = Session::new();
    write(&s.path("src/ok.txt"), b"fine\n");
    protected_key(&s.path("src/議事録.age"));
    let err = refused(&s);
    assert!(err.contains("議事録.age") && err.contains("secret key"), "{err}");
    assert!(err.contains("\ncode: secret-key-in-sources"), "{err}");
    fs::remove_file(s.path("src/議事録.age")).unwrap();
    protected_key(&s.path("stick/鍵/office-key.txt"));
    let out = on_stick(&s, &[], &["pack", "src", "-o", "stick", "-r", &s.recipient]);
    let err = failed_with(&out, 4, "key-on-archive-medium");
    assert!(err.contains("鍵/office-key.txt") && err.contains("cannot tell whose"), "{err}");
    assert_no_pack_output(&s.path("stick"), "protected key on the stick");
}

#[test]
fn pack_warns_of_ssh_and_plugin_keys_on_the_stick_that_cannot_open_the_archive() {
    // The archive is for an age X25519 key: an SSH key or a YubiKey's plugin
    // identity cannot open it, so they are warned about, not refused.
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    write(&s.path("stick/id_ed25519"), b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsyntheticAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
    write(&s.path("stick/yubikey-identity.txt"), b"AGE-PLUGIN-YUBIKEY-1QQQQQQQQQQQQQQQQQQQQQQ\n");
    let out = on_stick(&s, &[], &["pack", "src", "-o", "stick", "-r", &s.recipient, "-q"]);
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["pack"], &out, "pack with other keys on the stick"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("id_ed25519") && err.contains("yubikey-identity.txt"), "{err}");
}

#[test]
fn pack_accepts_a_public_key_file() {
    // Public keys are not secret: a recipients file may travel.
    let s = Session::new();
    write(&s.path("src/recipients.txt"), format!("{}\n", s.recipient).as_bytes());
    s.pack(&["src"], "stick");
}

// ----- the stick the archive goes to (issue #25) -----

/// Runs hakobu with the session's `stick` folder declared a stick (the test
/// hook of src/ops/desktop.rs: it counts as a removable volume of its own).
fn on_stick(s: &Session, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    fs::create_dir_all(s.path("stick")).unwrap();
    let stick = s.path("stick");
    let mut all = vec![("HAKOBU_TEST_REMOVABLE", stick.to_str().unwrap())];
    all.extend_from_slice(env);
    run_env(s.dir.path(), &all, args)
}

/// Asserts exit `code` and the kind code; returns stderr.
fn failed_with(out: &std::process::Output, code: i32, kind: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.lines().any(|l| l.trim() == format!("code: {kind}")), "{err}");
    err
}

/// A second office's key file at `path`; returns its public key.
fn other_office_key(s: &Session, path: &str) -> String {
    fs::create_dir_all(s.path(path).parent().unwrap()).unwrap();
    let out = s.run_ok(&["keygen", "--no-passphrase", "-o", path]);
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn pack_refuses_a_source_on_the_stick_it_saves_to() {
    // `pack E:\meibo.csv -o E:\`: the unencrypted list would stay beside its archive.
    let s = Session::new();
    write(&s.path("stick/meibo.csv"), "番号,氏名\n1,架空 太郎\n".as_bytes());
    write(&s.path("stick/名簿/a.csv"), b"synthetic\n");
    fs::create_dir_all(s.path("stick/送付")).unwrap();
    for (source, out) in [("stick/meibo.csv", "stick"), ("stick/名簿", "stick/送付")] {
        let o = on_stick(&s, &[], &["pack", source, "-o", out, "-r", &s.recipient]);
        let err = failed_with(&o, 4, "source-on-output-medium");
        assert!(err.contains(source) && err.contains("Copy") && err.contains("to this PC first"), "{err}");
        assert!(!err.contains("remove the stick"), "{err}");
        assert_no_pack_output(&s.path(out), "source on the stick");
        // In Japanese: what to do first, and that nothing was saved.
        let o = on_stick(&s, &[("HAKOBU_LANG", "ja")], &["pack", source, "-o", out, "-r", &s.recipient]);
        let err = failed_with(&o, 4, "source-on-output-medium");
        assert!(err.contains("このパソコン") && err.contains("コピー") && err.contains("何も保存していません"), "{err}");
        assert!(!err.contains("取り外しても大丈夫です"), "{err}");
    }
    // Refused before any question: -p would ask for a passphrase (and, with no
    // terminal here, fail with passphrase-unavailable) had planning let it through.
    let o = on_stick(&s, &[], &["pack", "stick/meibo.csv", "-o", "stick", "-p"]);
    failed_with(&o, 4, "source-on-output-medium");
    // The same file copied to this PC first packs onto the stick.
    fs::create_dir_all(s.path("pc")).unwrap();
    fs::copy(s.path("stick/meibo.csv"), s.path("pc/meibo.csv")).unwrap();
    let o = on_stick(&s, &[], &["pack", "pc/meibo.csv", "-o", "stick", "-r", &s.recipient]);
    assert!(o.status.success(), "{}", explain(s.dir.path(), &["pack"], &o, "pack from this PC onto the stick"));
    // A local folder as output: sources on the same disk are the normal case.
    fs::create_dir_all(s.path("out")).unwrap();
    s.run_ok(&["pack", "pc/meibo.csv", "-o", "out", "-r", &s.recipient]);
}

#[test]
fn safe_to_remove_is_said_only_for_a_stick() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    fs::create_dir_all(s.path("out")).unwrap();
    // A local folder: where it was saved, nothing about removing.
    for (lang, remove, saved) in [("en", "remove the stick", "Saved in"), ("ja", "取り外しても大丈夫です", "保存先:")] {
        let o = run_env(s.dir.path(), &[("HAKOBU_LANG", lang)], &["pack", "src", "-o", "out", "-r", &s.recipient]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(!err.contains(remove) && err.contains(saved) && err.contains("out"), "{lang}: {err}");
        // On a stick: safe to remove.
        let o = on_stick(&s, &[("HAKOBU_LANG", lang)], &["pack", "src", "-o", "stick", "-r", &s.recipient]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(err.contains(remove) && !err.contains(saved), "{lang}: {err}");
    }
    // --json says so too.
    let o = s.run_ok(&["pack", "src", "-o", "out", "-r", &s.recipient, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["removable"].as_bool(), v["safe_to_remove"].as_bool()), (Some(false), Some(false)), "{v}");
    let o = on_stick(&s, &[], &["pack", "src", "-o", "stick", "-r", &s.recipient, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["removable"].as_bool(), v["safe_to_remove"].as_bool()), (Some(true), Some(true)), "{v}");
}

#[test]
fn a_key_on_this_computers_disk_is_not_on_the_medium_of_a_local_folder() {
    // The user's own key in the config folder and a local output folder share
    // a disk, not a stick: no warning, and the ledger says no key on the medium.
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    fs::create_dir_all(s.path("out")).unwrap();
    let key = s.key.to_str().unwrap();
    for lang in ["en", "ja"] {
        let o =
            run_env(s.dir.path(), &[("HAKOBU_IDENTITY", key), ("HAKOBU_LANG", lang)], &["pack", "src", "-o", "out", "-r", &s.recipient]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(!err.contains("warning") && !err.contains("注意") && !err.contains("USBメモリ（"), "{lang}: {err}");
    }
    let ledger = fs::read_to_string(s.path(".no-data/hakobu/ledger.jsonl")).unwrap();
    assert_eq!(ledger.lines().count(), 2, "{ledger}");
    for line in ledger.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["key_on_medium"], serde_json::Value::Bool(false), "{line}");
    }
}

#[test]
fn pack_refuses_a_key_that_opens_the_archive_anywhere_on_the_stick() {
    // The receiving office's own key file, in a subfolder of the stick (the
    // old scan looked at the output folder and the stick's top only).
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    fs::create_dir_all(s.path("stick/送付")).unwrap();
    write(&s.path("stick/バックアップ/古い/鍵.txt"), &fs::read(&s.key).unwrap());
    for lang in ["en", "ja"] {
        let o = on_stick(&s, &[("HAKOBU_LANG", lang)], &["pack", "src", "-o", "stick/送付", "-r", &s.recipient]);
        let err = failed_with(&o, 4, "key-on-archive-medium");
        assert!(err.contains("バックアップ/古い/鍵.txt"), "{err}");
        let words = if lang == "en" { "can open this archive" } else { "このアーカイブを開ける鍵ファイル" };
        assert!(err.contains(words), "{err}");
        assert_no_pack_output(&s.path("stick/送付"), "key on the stick");
        assert!(!s.path(".no-data/hakobu/ledger.jsonl").exists(), "a record was written for a refused pack");
    }
    // The default key file kept on the stick: refused too.
    fs::remove_dir_all(s.path("stick/バックアップ")).unwrap();
    fs::copy(&s.key, s.path("stick/identity.txt")).unwrap();
    let key = s.path("stick/identity.txt");
    let o = on_stick(&s, &[("HAKOBU_IDENTITY", key.to_str().unwrap())], &["pack", "src", "-o", "stick/送付", "-r", &s.recipient]);
    let err = failed_with(&o, 4, "key-on-archive-medium");
    assert!(err.contains("stick/identity.txt"), "{err}");
}

#[test]
fn a_key_on_the_stick_that_cannot_open_the_archive_is_a_warning_and_recorded() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    other_office_key(&s, "stick/keys/本社.txt");
    // Another office's key file as the default key, on the stick too.
    other_office_key(&s, "stick/identity.txt");
    let key = s.path("stick/identity.txt");
    let o = on_stick(&s, &[("HAKOBU_IDENTITY", key.to_str().unwrap())], &["pack", "src", "-o", "stick", "-r", &s.recipient, "-q"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning:") && err.contains("keys/本社.txt") && err.contains("secret key"),
        "no loud warning (even with -q): {err}"
    );
    assert!(err.contains("your secret key") && err.contains("stick/identity.txt"), "{err}");
    let ledger = fs::read_to_string(s.path(".no-data/hakobu/ledger.jsonl")).unwrap();
    let record: serde_json::Value = serde_json::from_str(ledger.lines().last().unwrap()).unwrap();
    assert_eq!(record["key_on_medium"], serde_json::Value::Bool(true), "{ledger}");
}

#[test]
fn the_demo_shows_no_false_warning_in_either_language() {
    // The user has a key at the default place (the config folder, on this
    // computer's disk, as the demo's folder is): the demo used to warn that it
    // was "on the same USB stick", and that nobody knew who made its archive.
    let s = Session::new();
    s.run_ok(&["keygen", "--no-passphrase"]);
    assert!(s.path(".no-config/hakobu/identity.txt").is_file(), "{}", listing(s.dir.path()));
    for lang in ["en", "ja"] {
        let out = run_env(s.dir.path(), &[("HAKOBU_LANG", lang), ("TMPDIR", s.dir.path().to_str().unwrap())], &["demo"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{lang}: {err}");
        assert!(err.trim().is_empty(), "{lang}: the demo warned: {err}");
        let said = String::from_utf8_lossy(&out.stdout);
        let signed = if lang == "en" { "signing key for the sending office" } else { "送る事務所の署名鍵" };
        assert!(said.contains(signed), "{said}");
    }
}

#[test]
fn pack_does_not_warn_without_a_key_nearby() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    let out = on_stick(&s, &[], &["pack", "src", "-o", "stick", "-r", &s.recipient]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn keygen_refuses_the_folder_that_holds_archives() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a\n");
    s.pack(&["src"], "stick");
    let err = s.run_fails(4, &["keygen", "-o", "stick/new-key.txt"]);
    assert!(err.contains("same medium as the archive"), "{err}");
    assert!(!s.path("stick/new-key.txt").exists());
    // A folder without archives is fine.
    s.run_ok(&["keygen", "--no-passphrase", "-o", "keys/new-key.txt"]);
}

// ----- files that change while being read -----

/// Starts pack with reads of `file` slowed down (strace delays each read by 0.2 s).
fn slow_pack(s: &Session, file: &Path) -> std::process::Child {
    fs::create_dir_all(s.path("stick")).unwrap();
    let p = file.to_str().unwrap().to_owned();
    let args = ["pack", "src", "-o", "stick", "-r", &s.recipient];
    // -D: strace runs as a detached grandchild, so the child is hakobu itself
    // (killing it on a hang leaves no process behind).
    wrapped(s.dir.path(), &["strace", "-D", "-f", "-o", "/dev/null", "-P", &p, "-e", "inject=read:delay_exit=200000"], &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn changed_while_read(change: impl FnOnce(&Path)) {
    if !require("strace") {
        return;
    }
    let s = Session::new();
    let big = s.path("src/growing.log");
    write(&big, &synthetic_bytes(11, 4 << 20));
    let mut child = slow_pack(&s, &big);
    // The temp archive appears once planning is done and reading starts; four
    // 1 MiB reads at 0.2 s each follow, so the change lands mid-read.
    wait_for_entry(&s.path("stick"), ".hakobu-tmp-", &mut child);
    std::thread::sleep(Duration::from_millis(300));
    change(&big);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", explain(s.dir.path(), &["pack"], &out, "source changed"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("growing.log") && err.contains("changed while it was being packed"), "{err}");
    assert_no_pack_output(&s.path("stick"), "source changed");
}

/// Like `changed_while_read`, but another file (read after the slow one) is swapped.
#[cfg(unix)]
fn swapped_while_read(swap: impl FnOnce(&Path)) {
    if !require("strace") {
        return;
    }
    let s = Session::new();
    let big = s.path("src/a-big.bin");
    write(&big, &synthetic_bytes(13, 4 << 20));
    let later = s.path("src/z/b-later.txt");
    write(&later, b"planned contents\n");
    let mut child = slow_pack(&s, &big);
    wait_for_entry(&s.path("stick"), ".hakobu-tmp-", &mut child);
    swap(&later);
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("pack hung on a swapped source");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", explain(s.dir.path(), &["pack"], &out, "source swapped"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("b-later.txt") && err.contains("changed while it was being packed"), "{err}");
    assert_no_pack_output(&s.path("stick"), "source swapped");
}

#[cfg(unix)]
#[test]
fn pack_refuses_file_replaced_by_a_symlink_while_packing() {
    // The link points at a file of the very same size: only not following it helps.
    swapped_while_read(|p| {
        let decoy = p.with_file_name("decoy");
        fs::write(&decoy, b"other contents!!\n").unwrap();
        fs::remove_file(p).unwrap();
        std::os::unix::fs::symlink(&decoy, p).unwrap();
    });
}

#[cfg(unix)]
#[test]
fn pack_refuses_folder_replaced_by_a_symlink_while_packing() {
    // O_NOFOLLOW guards only the last name; the folder above is swapped for a
    // link to a look-alike folder. The file's identity (device, inode) differs.
    swapped_while_read(|p| {
        let folder = p.parent().unwrap();
        let decoy = folder.with_file_name("decoy");
        fs::create_dir(&decoy).unwrap();
        fs::write(decoy.join("b-later.txt"), b"other contents!!\n").unwrap();
        fs::rename(folder, folder.with_file_name("moved")).unwrap();
        std::os::unix::fs::symlink(&decoy, folder).unwrap();
    });
}

#[cfg(unix)]
#[test]
fn pack_refuses_file_replaced_by_a_fifo_while_packing() {
    swapped_while_read(|p| {
        fs::remove_file(p).unwrap();
        assert!(std::process::Command::new("mkfifo").arg(p).status().unwrap().success());
    });
}

#[test]
fn pack_refuses_file_growing_while_read() {
    changed_while_read(|p| {
        use std::io::Write;
        let mut f = fs::OpenOptions::new().append(true).open(p).unwrap();
        f.write_all(&synthetic_bytes(12, 1 << 20)).unwrap();
    });
}

#[test]
fn pack_refuses_file_truncated_while_read() {
    changed_while_read(|p| {
        fs::OpenOptions::new().write(true).open(p).unwrap().set_len(1000).unwrap();
    });
}

#[test]
fn pack_refuses_file_rewritten_in_place_while_read() {
    // Same size, new contents and time: caught by the modification time.
    changed_while_read(|p| {
        let mut data = fs::read(p).unwrap();
        data[0] ^= 1;
        fs::write(p, data).unwrap();
    });
}

#[cfg(target_os = "linux")]
#[test]
fn pack_lists_non_utf8_and_control_character_names_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let s = Session::new();
    write(&s.path("src/ok.txt"), b"fine\n");
    // Shift_JIS bytes (not UTF-8) and a name carrying a terminal escape sequence.
    let sjis = s.path("src").join(std::ffi::OsStr::from_bytes(b"\x89\xef\x88\xf5.csv"));
    fs::write(&sjis, b"x\n").unwrap();
    fs::write(s.path("src/red\x1b[31m.txt"), b"y\n").unwrap();
    let err = refused(&s);
    assert!(err.contains("items cannot be packed safely"), "{err}");
    assert!(err.contains("not valid UTF-8") && err.contains("\\x89\\xef"), "the raw bytes are not shown escaped: {err}");
    assert!(err.contains("control character"), "{err}");
    assert!(!err.contains('\x1b'), "a raw escape character reached the terminal: {err:?}");
}

#[test]
fn pack_unreadable_folder_names_it() {
    if !require("strace") {
        return;
    }
    let s = Session::new();
    write(&s.path("src/ok.txt"), b"fine\n");
    write(&s.path("src/closed/inner.txt"), b"x\n");
    fs::create_dir(s.path("stick")).unwrap();
    let args = ["pack", "src", "-o", "stick", "-r", &s.recipient];
    // Root ignores permissions: strace refuses the opening of that one folder.
    let out = wrapped(s.dir.path(), &["strace", "-f", "-o", "/dev/null", "-P", "src/closed", "-e", "inject=openat:error=EACCES"], &args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, "unreadable folder"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("src/closed") && err.contains("permission denied"), "{err}");
    assert_no_pack_output(&s.path("stick"), "unreadable folder");
}
