//! The stick check (issue #18): `hakobu verify FOLDER` on real FAT32 and
//! exFAT sticks holding good, damaged and incomplete archives beside the
//! things that must not travel (a member list, a key file, a recycle bin),
//! with the verdict, exit code and `--json` checked.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::stick::Medium;
use crate::support::*;

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn kinds_at(v: &Value, kind: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect()
}

/// Fills `stick` as the issue's "Done when" describes; returns the damaged archive's name.
fn fill(s: &Session, stick: &Path) -> String {
    write(&s.path("src/members.csv"), b"no,name,born\n0001,Yamada Taro,1970-01-01\n");
    write(&s.path("big/data.bin"), &synthetic_bytes(5, 3 << 20));
    let out = stick.to_str().unwrap();
    s.run_ok(&["pack", "src", "-o", out, "-r", &s.recipient, "--name", "good1"]);
    s.run_ok(&["pack", "src", "-o", out, "-r", &s.recipient, "--name", "good2"]);
    s.run_ok(&["pack", "src", "-o", out, "-r", &s.recipient, "--name", "damaged"]);
    let damaged = stick.join("damaged.age");
    // One byte changed in place (fusefat cannot truncate a file).
    let bytes = fs::read(&damaged).unwrap();
    let mid = bytes.len() / 2;
    let file = fs::OpenOptions::new().write(true).open(&damaged).unwrap();
    std::os::unix::fs::FileExt::write_at(&file, &[bytes[mid] ^ 0x20], mid as u64).unwrap();
    drop(file);
    // A volume set split off the stick, copied without its first volume.
    fs::create_dir(s.path("local")).unwrap();
    s.run_ok(&["pack", "big", "-o", "local", "-r", &s.recipient, "--name", "split", "--split", "1M"]);
    // (Copied by content: fusefat refuses the permission change fs::copy makes.)
    fs::write(stick.join("split.age.002"), fs::read(s.path("local/split.age.002")).unwrap()).unwrap();
    // What must not travel.
    fs::write(stick.join("members.csv"), "番号,氏名,生年月日\n0001,山田太郎,1970-01-01\n0002,佐藤花子,1985-04-12\n").unwrap();
    fs::write(stick.join("key.txt"), fs::read(&s.key).unwrap()).unwrap();
    fs::write(stick.join(".hakobu-tmp-3999999-AbCd"), synthetic_bytes(2, 1000)).unwrap();
    fs::create_dir(stick.join("$RECYCLE.BIN")).unwrap();
    fs::write(stick.join("$RECYCLE.BIN/old.xlsx"), b"PK\x03\x04 synthetic").unwrap();
    "damaged.age".into()
}

fn check_filled(s: &Session, stick: &Path) {
    let damaged = fill(s, stick);
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(6), "{}", explain(s.dir.path(), &["verify"], &out, "readable files found: exit 6"));
    let v = json_of(&out);
    assert_eq!(v["verdict"], "unsafe");
    assert_eq!(v["exit_code"], 6);
    let archives = v["archives"].as_array().unwrap();
    let result = |name: &str| {
        archives.iter().find(|a| a["path"].as_str().unwrap().ends_with(name)).unwrap_or_else(|| panic!("{name} not verified: {v}"))
    };
    assert_eq!(result("good1.age")["ok"], true);
    assert_eq!(result("good2.age")["ok"], true);
    assert_eq!(result(&damaged)["ok"], false);
    assert_eq!(result(&damaged)["problem_kind"], "sidecar-mismatch");
    assert_eq!(kinds_at(&v, "secret-key"), ["key.txt"]);
    let mut readable = kinds_at(&v, "readable-file");
    readable.sort();
    assert_eq!(readable, ["members.csv", "old.xlsx"], "{v}");
    let csv = v["findings"].as_array().unwrap().iter().find(|f| f["path"].as_str().unwrap().ends_with("members.csv")).unwrap();
    assert_eq!(csv["looks_personal"], true);
    assert_eq!(csv["file_type"], "csv");
    assert_eq!(kinds_at(&v, "temp-leftover"), [".hakobu-tmp-3999999-AbCd"]);
    assert_eq!(kinds_at(&v, "incomplete-volume-set"), ["split.age.002"]);
    assert_eq!(kinds_at(&v, "system-item"), ["$RECYCLE.BIN"]);

    // The same in words, verdict first, in both languages.
    let out = s.run(&["verify", stick.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.starts_with("NOT SAFE: a secret key is on this stick (1 found; 2 readable files)"), "{text}");
    assert!(text.contains("SECRET KEY  ") && text.contains("looks like a list of people"), "{text}");
    let out = run_env(s.dir.path(), &[("HAKOBU_LANG", "ja")], &["verify", stick.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(6));
    assert!(
        text.starts_with("安全ではありません: このUSBメモリに鍵ファイルがあります（1 件。暗号化されていないファイル 2 件）。"),
        "{text}"
    );
    assert!(text.contains("名簿のようです"), "{text}");

    // Take off what must not travel: then only the damaged archive is left to say.
    for f in ["members.csv", "key.txt", "$RECYCLE.BIN/old.xlsx"] {
        fs::remove_file(stick.join(f)).unwrap();
    }
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)["verdict"], "damaged");
    fs::remove_file(stick.join(&damaged)).unwrap();
    fs::remove_file(stick.join(format!("{damaged}.sha256"))).unwrap();
    fs::remove_file(stick.join("split.age.002")).unwrap();
    let out = s.run(&["verify", stick.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("CLEAN: nothing on this stick can be read without a key (2 archives"));
}

#[test]
fn a_fat32_stick_is_checked_whole() {
    if !require("fusefat") || !require("mkfs.vfat") {
        return;
    }
    let Some(stick) = Medium::fat32(64) else { return };
    check_filled(&Session::new(), &stick.dir);
}

#[test]
fn an_exfat_stick_is_checked_whole() {
    if !require("mkfs.exfat") {
        return;
    }
    let Some(stick) = Medium::exfat(64) else { return };
    check_filled(&Session::new(), &stick.dir);
}

#[test]
fn several_archives_are_verified_in_one_call() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir(s.path("stick")).unwrap();
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &s.recipient, "--name", "a"]);
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &s.recipient, "--name", "b"]);
    let out = s.run(&["verify", "stick/a.age", "stick/b.age", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_of(&out)["archives"].as_array().unwrap().len(), 2);
    let out = s.run(&["verify", "stick/a.age", "stick/b.age", "-i", s.key.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    fs::write(s.path("stick/b.age"), b"not an archive").unwrap();
    let out = s.run(&["verify", "stick/a.age", "stick/b.age", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)["verdict"], "damaged");
}

#[cfg(unix)]
#[test]
fn links_are_never_followed_off_the_stick() {
    let s = Session::new();
    fs::create_dir_all(s.path("stick/loop")).unwrap();
    std::os::unix::fs::symlink("..", s.path("stick/loop/up")).unwrap();
    std::os::unix::fs::symlink("/etc", s.path("stick/etc")).unwrap();
    let out = s.run(&["verify", "stick", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let v = json_of(&out);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{v}");
}

#[test]
fn ten_thousand_files_are_all_found_and_the_text_stays_short() {
    let s = Session::new();
    for i in 0..10_000 {
        let dir = s.path(&format!("stick/d{:02}", i % 50));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("f{i}.txt")), b"x").unwrap();
    }
    let out = s.run(&["verify", "stick", "--json"]);
    assert_eq!(out.status.code(), Some(6));
    let v = json_of(&out);
    assert_eq!(kinds_at(&v, "readable-file").len(), 10_000);
    let out = s.run(&["verify", "stick"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().count() < 30, "{} lines", text.lines().count());
    assert!(text.contains("... and 9980 more (--json lists all)"), "{text}");
}

#[test]
fn one_archive_and_one_readable_file_are_said_in_the_singular() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    fs::create_dir(s.path("stick")).unwrap();
    s.pack(&["src"], "stick");
    let out = s.run(&["verify", s.path("stick").to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.starts_with("CLEAN: nothing on this stick can be read without a key (1 archive, intact)."), "{text}");
    write(&s.path("stick/members.csv"), "番号,氏名\n1,架空 太郎\n".as_bytes());
    let out = s.run(&["verify", s.path("stick").to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.starts_with("NOT SAFE: 1 file on this stick can be read by anyone who finds it. Move it off the stick"), "{text}");
}

/// Issue #25: the receiver's own receipt file (`unpack --receipt`) is
/// recognised by its exact format and does not make the stick unsafe; a
/// file merely named like one stays a readable finding. `ledger import
/// --remove` then takes it off the stick, `--keep` leaves it, and without a
/// terminal to ask at it stays. (Before: 「暗号化されていないファイル
/// ….age.receipt」, exit 6.)
#[test]
fn the_receivers_receipt_file_passes_the_stick_check_and_import_removes_it() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    let archive = s.pack(&["src"], "stick");
    let o = s.run(&["unpack", archive.to_str().unwrap(), "-o", "in", "-i", s.key.to_str().unwrap(), "--receipt", "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let receipt = std::path::PathBuf::from(format!("{}.receipt", archive.display()));
    assert!(receipt.is_file());
    let stick = s.path("stick");
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let v = json_of(&out);
    assert_eq!(v["verdict"], "clean");
    assert_eq!(kinds_at(&v, "receipt"), [receipt.file_name().unwrap().to_str().unwrap()]);
    let out = run_env(s.dir.path(), &[("HAKOBU_LANG", "ja")], &["verify", stick.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.starts_with("安全です") && text.contains("受領ファイル ") && !text.contains("暗号化されていないファイル "), "{text}");

    // Named like a receipt, but not one: a readable file, as before.
    fs::write(stick.join("other.age.receipt"), "番号,氏名\n1,架空 太郎\n").unwrap();
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(6));
    assert_eq!(kinds_at(&json_of(&out), "readable-file"), ["other.age.receipt"]);
    fs::remove_file(stick.join("other.age.receipt")).unwrap();

    // Imported without a terminal and without a flag: it stays, and says so.
    let o = s.run(&["ledger", "import", receipt.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("stays where it is (remove it with --remove)"));
    assert!(receipt.is_file());
    // A second receipt for the same archive (another unpack), imported with --remove: gone.
    fs::remove_file(&receipt).unwrap();
    fs::remove_dir_all(s.path("in")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    s.run_ok(&["unpack", archive.to_str().unwrap(), "-o", "in", "-i", s.key.to_str().unwrap(), "--receipt", "-q"]);
    let v: Value =
        serde_json::from_slice(&s.run_ok(&["ledger", "import", receipt.to_str().unwrap(), "--remove", "--json"]).stdout).unwrap();
    assert_eq!(v["receipt_file_removed"], true, "{v}");
    assert!(!receipt.exists(), "the imported receipt file is still on the stick");
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(kinds_at(&json_of(&out), "receipt").is_empty());
    // At a terminal, the clerk is asked (Enter: yes).
    fs::remove_dir_all(s.path("in")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    s.run_ok(&["unpack", archive.to_str().unwrap(), "-o", "in", "-i", s.key.to_str().unwrap(), "--receipt", "-q"]);
    let program = [hakobu_bin().display().to_string(), "ledger".into(), "import".into(), receipt.display().to_string()];
    let (code, screen) = drive_in_pty(s.dir.path(), &[("HAKOBU_LANG", "ja")], &program, &[("削除しますか", "\r")]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("持出し記録に取り込み済みです。[y: はい / n: いいえ、Enter: はい]"), "{screen}");
    assert!(screen.contains("を削除しました"), "{screen}");
    assert!(!receipt.exists());
    // --remove never deletes a file the ledger does not hold: it is refused before.
    fs::write(stick.join("x.age.receipt"), b"{not a receipt").unwrap();
    let out = s.run(&["ledger", "import", "stick/x.age.receipt", "--remove", "--json"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stick.join("x.age.receipt").is_file());
}

/// An age file of `plaintext` to `recipient`, made as a stock tool makes it
/// (the age crate, as `age -r` / `age -a -r` or rage), with `sha256sum`'s checksum file.
fn stock_age_file(recipient: &str, plaintext: &[u8], path: &Path, armor: bool) {
    use sha2::Digest;
    let r: age::x25519::Recipient = recipient.parse().unwrap();
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let format = if armor { age::armor::Format::AsciiArmor } else { age::armor::Format::Binary };
    let mut w = enc.wrap_output(age::armor::ArmoredWriter::wrap_output(&mut out, format).unwrap()).unwrap();
    std::io::Write::write_all(&mut w, plaintext).unwrap();
    w.finish().unwrap().finish().unwrap();
    fs::write(path, &out).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    fs::write(path.with_file_name(format!("{name}.sha256")), format!("{}  {name}\n", hex::encode(sha2::Sha256::digest(&out)))).unwrap();
}

/// Issue #32: an age file another tool made, with a checksum file made by
/// hand, passed the keyless check as an intact hakobu archive (exit 0,
/// "CLEAN"). Its size fits no hakobu archive: not intact, said as such.
#[test]
fn an_age_file_hakobu_did_not_make_is_not_an_intact_archive() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    let good = s.pack(&["src"], "stick");
    let members = "番号,氏名,生年月日\n0001,山田太郎,1970-01-01\n".repeat(20);
    stock_age_file(&s.recipient, members.as_bytes(), &s.path("stick/members.age"), false);
    let out = s.run(&["verify", "stick", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", explain(s.dir.path(), &["verify", "stick"], &out, "exit 1"));
    let v = json_of(&out);
    assert_eq!(v["verdict"], "damaged");
    let archives = v["archives"].as_array().unwrap();
    let of = |name: &str| archives.iter().find(|a| a["path"].as_str().unwrap().ends_with(name)).unwrap().clone();
    assert_eq!(of("members.age")["ok"], false, "{v}");
    assert_eq!(of("members.age")["problem_kind"], "not-made-by-hakobu", "{v}");
    assert_eq!(of(good.file_name().unwrap().to_str().unwrap())["ok"], true, "{v}");
    // The one archive's check says the same, in both languages.
    let out = s.run(&["verify", "stick/members.age"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("is an age file that hakobu did not make") && err.contains("code: not-made-by-hakobu"), "{err}");
    let out = run_env(s.dir.path(), &[("HAKOBU_LANG", "ja")], &["verify", "stick"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("members.age") && text.contains("hakobu で作ったアーカイブではありません"), "{text}");
    // Armored, as `age -a` writes it: the same.
    stock_age_file(&s.recipient, members.as_bytes(), &s.path("stick/armored.age"), true);
    let out = s.run(&["verify", "stick/armored.age", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(json_of(&out)["problem_kind"], "not-made-by-hakobu");
}
