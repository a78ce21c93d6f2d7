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
    assert!(err.contains("was not made by hakobu") && err.contains("code: not-made-by-hakobu"), "{err}");
    let out = run_env(s.dir.path(), &[("HAKOBU_LANG", "ja")], &["verify", "stick"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("members.age") && text.contains("hakobu で作ったアーカイブではありません"), "{text}");
    // Armored, as `age -a` writes it: the same.
    stock_age_file(&s.recipient, members.as_bytes(), &s.path("stick/armored.age"), true);
    let out = s.run(&["verify", "stick/armored.age", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(json_of(&out)["problem_kind"], "not-made-by-hakobu");
}

/// Paths (relative to `stick`, `/`-separated) of the findings of `kind`.
fn rel_kinds(v: &Value, stick: &Path, kind: &str) -> Vec<String> {
    let mut found: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| Path::new(f["path"].as_str().unwrap()).strip_prefix(stick).unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

const MEMBERS: &str = "番号,氏名,生年月日\n0001,山田太郎,1970-01-01\n0002,佐藤花子,1985-04-12\n";

/// A Thumbs.db as Windows XP writes it, in miniature: an OLE compound file
/// whose directory holds the root, `Catalog` and one thumbnail stream.
fn thumbs_db(streams: &[&str]) -> Vec<u8> {
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header[0x1A..0x1E].copy_from_slice(&[0x3E, 0x00, 0x03, 0x00]);
    header[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    header[0x30..0x34].copy_from_slice(&0u32.to_le_bytes());
    let mut dir = vec![0u8; 512];
    for (i, (name, kind)) in std::iter::once(("Root Entry", 5u8)).chain(streams.iter().map(|s| (*s, 2u8))).enumerate() {
        let entry = &mut dir[i * 128..(i + 1) * 128];
        let units: Vec<u8> = name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
        entry[..units.len()].copy_from_slice(&units);
        entry[0x40..0x42].copy_from_slice(&(units.len() as u16).to_le_bytes());
        entry[0x42] = kind;
    }
    [header, dir, synthetic_bytes(3, 512)].concat()
}

/// Issue #32, "the stick check passes what it should stop": names of system
/// litter passed by name alone, at any depth. Now each passes only with the
/// content its system writes; the same names holding a member list are
/// readable files. (On main: exit 0, "CLEAN", every one of these passed.)
#[test]
fn system_litter_passes_only_with_its_systems_content() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    s.pack(&["src"], "stick");
    let stick = s.path("stick");
    // What the systems really write: no finding beyond "system".
    write(&stick.join("Thumbs.db"), &thumbs_db(&["Catalog", "256_1a2b3c4d5e6f7a8b"]));
    write(&stick.join("desktop.ini"), b"[.ShellClassInfo]\r\nIconResource=C:\\Windows\\system32\\imageres.dll,-3\r\n");
    write(&stick.join("._report.pdf"), &[b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ".as_slice(), &[0; 40]].concat());
    write(&stick.join(".DS_Store"), &[b"\x00\x00\x00\x01Bud1".as_slice(), &synthetic_bytes(4, 200)].concat());
    let guid: Vec<u8> = "{1F2E3D4C-5B6A-4978-8695-A4B3C2D1E0F9}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    write(&stick.join("System Volume Information/IndexerVolumeGuid"), &guid);
    write(&stick.join("System Volume Information/WPSettings.dat"), &[12, 0, 0, 0, 0x5A, 0x3C, 0x11, 0x09, 0, 0, 0, 0]);
    write(&stick.join(".fseventsd/fseventsd-uuid"), b"5C1B2A3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D");
    let plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n\t<key>Exclusions</key>\n\t<array/>\n</dict>\n</plist>\n";
    write(&stick.join(".Spotlight-V100/VolumeConfiguration.plist"), plist.as_bytes());
    write(&stick.join(".Spotlight-V100/Store-V2/1A2B/store.db"), &synthetic_bytes(6, 4096));
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(
        rel_kinds(&v, &stick, "system-item"),
        [".DS_Store", ".Spotlight-V100", "._report.pdf", ".fseventsd", "System Volume Information", "Thumbs.db", "desktop.ini"],
        "{v}"
    );

    // The same names, and the same places at any depth, holding data.
    let hidden = [
        "._x.csv",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "System Volume Information/members.csv",
        "deep/er/System Volume Information/IndexerVolumeGuid",
        "deep/.fseventsd/0000000000a1b2c3",
        ".Spotlight-V100/Store-V2/members.csv",
    ];
    for rel in hidden {
        write(&stick.join(rel), MEMBERS.as_bytes());
    }
    // An Excel file renamed Thumbs.db is an OLE file too: its streams say what it is.
    write(&stick.join("old/Thumbs.db"), &thumbs_db(&["Workbook", "\u{5}SummaryInformation"]));
    // A FIFO among them is never opened (the check would hang on it).
    let fifo = stick.join("deep/Thumbs.db");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(6), "{v}");
    assert_eq!(v["verdict"], "unsafe");
    let mut expected: Vec<String> = hidden.iter().map(|r| r.to_string()).chain(["old/Thumbs.db".into()]).collect();
    expected.sort();
    assert_eq!(rel_kinds(&v, &stick, "readable-file"), expected, "{v}");
    let csv = v["findings"].as_array().unwrap().iter().find(|f| f["path"].as_str().unwrap().ends_with("._x.csv")).unwrap();
    assert_eq!(csv["looks_personal"], true, "{v}");
    assert!(!rel_kinds(&v, &stick, "system-item").contains(&"Thumbs.db".to_string()), "{v}");
}

/// Issue #32: names of hakobu's own files passed by name alone — a CSV named
/// as a pack's temporary file, a checksum file or a signature; a key named
/// `backup.age.sig`; member rows appended as `#` lines to a real checksum
/// file; a volume holding a CSV. And a CSV or a key named `*.age` was a
/// "damaged archive" (exit 1), not readable. Now the content decides.
#[test]
fn hakobu_names_holding_other_content_are_readable_or_keys() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    let good = s.pack(&["src"], "stick");
    let stick = s.path("stick");
    write(&stick.join(".hakobu-tmp-1-abc.tmp"), MEMBERS.as_bytes());
    write(&stick.join("members.age.sha256"), MEMBERS.as_bytes());
    write(&stick.join("members.age"), MEMBERS.as_bytes());
    let key = fs::read(&s.key).unwrap();
    write(&stick.join("backup.age.sig"), &key);
    write(&stick.join("office.age"), &key);
    write(&stick.join("split.age.002"), MEMBERS.as_bytes());
    let sidecar = format!("{}.sha256", good.display());
    let mut appended = fs::read_to_string(&sidecar).unwrap();
    appended.push_str("# 0001,山田太郎,1970-01-01\n");
    fs::write(&sidecar, appended).unwrap();
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(6), "{v}");
    let good_name = good.file_name().unwrap().to_string_lossy().into_owned();
    let mut expected = [
        ".hakobu-tmp-1-abc.tmp".to_string(),
        format!("{good_name}.sha256"),
        "members.age".into(),
        "members.age.sha256".into(),
        "split.age.002".into(),
    ];
    expected.sort();
    assert_eq!(rel_kinds(&v, &stick, "readable-file"), expected, "{v}");
    assert_eq!(rel_kinds(&v, &stick, "secret-key"), ["backup.age.sig", "office.age"], "{v}");
    // Only the real archive was verified (and it is intact: the checksum line holds).
    let archives = v["archives"].as_array().unwrap();
    assert_eq!(archives.len(), 1, "{v}");
    assert_eq!(archives[0]["ok"], true, "{v}");
    let members = v["findings"].as_array().unwrap().iter().find(|f| f["path"].as_str().unwrap().ends_with("/members.age")).unwrap();
    assert_eq!(members["file_type"], "text", "{v}");
    // Words, in both languages: a key first.
    let out = run_env(s.dir.path(), &[("HAKOBU_LANG", "ja")], &["verify", stick.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.starts_with("安全ではありません: このUSBメモリに鍵ファイルがあります（2 件。暗号化されていないファイル 5 件）"), "{text}");
    assert!(text.contains("鍵ファイル ") && text.contains("backup.age.sig"), "{text}");
    // What pack itself leaves (a temporary archive: ciphertext) stays a leftover.
    for f in [".hakobu-tmp-1-abc.tmp", "members.age.sha256", "members.age", "backup.age.sig", "office.age", "split.age.002"] {
        fs::remove_file(stick.join(f)).unwrap();
    }
    fs::write(&sidecar, fs::read_to_string(&sidecar).unwrap().lines().next().unwrap().to_owned() + "\n").unwrap();
    fs::write(stick.join(".hakobu-tmp-2-xyz.tmp"), fs::read(&good).unwrap()).unwrap();
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(rel_kinds(&v, &stick, "temp-leftover"), [".hakobu-tmp-2-xyz.tmp"], "{v}");
}

/// Issue #32: a folder the check cannot read was dropped silently (exit 0,
/// "CLEAN"); a file it cannot read too. Both are findings now, and the
/// stick is not called safe. (As root, permissions do not stop reading:
/// the check runs as `nobody` there.)
#[test]
fn folders_and_files_the_check_cannot_read_are_findings() {
    use std::os::unix::fs::PermissionsExt;
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    s.pack(&["src"], "stick");
    let stick = s.path("stick");
    write(&stick.join("locked/members.csv"), MEMBERS.as_bytes());
    write(&stick.join("sealed.txt"), MEMBERS.as_bytes());
    let open = fs::Permissions::from_mode(0o755);
    for p in [s.dir.path().to_owned(), stick.clone()] {
        fs::set_permissions(&p, open.clone()).unwrap();
    }
    for f in fs::read_dir(&stick).unwrap() {
        fs::set_permissions(f.unwrap().path(), fs::Permissions::from_mode(0o644)).unwrap();
    }
    fs::set_permissions(stick.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(stick.join("sealed.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    let root = nix_is_root();
    if root && !require("setpriv") {
        return;
    }
    let check = |lang: &str, json: bool| {
        let mut cmd = if root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(hakobu_bin());
            c
        } else {
            std::process::Command::new(hakobu_bin())
        };
        cmd.args(["verify", stick.to_str().unwrap()]).args(if json { &["--json"][..] } else { &[][..] });
        cmd.current_dir(s.dir.path()).env("HOME", s.dir.path()).env("HAKOBU_LANG", lang).env("XDG_CONFIG_HOME", s.path(".no-config"));
        cmd.output().unwrap()
    };
    let out = check("en", true);
    assert_eq!(out.status.code(), Some(6), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_eq!(v["verdict"], "unsafe");
    assert_eq!(rel_kinds(&v, &stick, "unreadable"), ["locked", "sealed.txt"], "{v}");
    assert!(rel_kinds(&v, &stick, "readable-file").is_empty(), "{v}");
    let text = String::from_utf8_lossy(&check("en", false).stdout).into_owned();
    assert!(text.starts_with("NOT SAFE: 2 items on this stick could not be checked"), "{text}");
    assert!(text.contains("unchecked  ") && text.contains("sealed.txt"), "{text}");
    let text = String::from_utf8_lossy(&check("ja", false).stdout).into_owned();
    assert!(text.starts_with("安全ではありません: このUSBメモリに確認できないものが 2 件あります。"), "{text}");
    fs::set_permissions(stick.join("locked"), open).unwrap();
}

fn nix_is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Issue #32: `NAME.age.1000` was listed as a readable file by the stick
/// check while the reader took it for a volume (a set with it "had a gap").
/// docs/FORMAT.md §5.1: three digits, at most 999 — both now agree that it
/// is no volume: the set verifies without it, and it is a file like any other.
#[test]
fn a_file_numbered_past_999_is_no_volume_for_the_check_or_the_reader() {
    let s = Session::new();
    write(&s.path("big/data.bin"), &synthetic_bytes(9, 3 << 20));
    fs::create_dir(s.path("stick")).unwrap();
    s.run_ok(&["pack", "big", "-o", "stick", "-r", &s.recipient, "--name", "split", "--split", "1M"]);
    fs::write(s.path("stick/split.age.1000"), fs::read(s.path("stick/split.age.002")).unwrap()).unwrap();
    // The reader: the set is 001..004 (before: "volume 005 is missing").
    let out = s.run(&["verify", "stick/split.age.001", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(json_of(&out)["volumes"].as_array().unwrap().len(), 4);
    let out = s.run(&["unpack", "stick/split.age.001", "-o", "out", "-i", s.key.to_str().unwrap(), "-q"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Named itself, it is not a volume of the set (and not an archive).
    let out = s.run(&["verify", "stick/split.age.1000", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert_ne!(json_of(&out)["volumes"].as_array().map(Vec::len), Some(4));
    // The check: the set intact, the stray file a finding.
    let stick = s.path("stick");
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    let v = json_of(&out);
    assert_eq!(v["archives"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["archives"][0]["ok"], true, "{v}");
    assert_eq!(rel_kinds(&v, &stick, "readable-file"), ["split.age.1000"], "{v}");
}

/// Issue #32, "keys that travel unnoticed": the stick check uses the same
/// detection as pack. Every kind of key (lower case, PuTTY, DSA, PGP,
/// PKCS#12, UTF-16) on the stick is a secret key, the worst finding. (On
/// main: readable files, "NOT SAFE: 7 files", no key named.)
#[test]
fn every_kind_of_key_on_the_stick_is_a_secret_key() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    s.pack(&["src"], "stick");
    let stick = s.path("stick");
    let mut names: Vec<String> = Vec::new();
    for (name, bytes) in crate::key_detect::key_samples() {
        write(&stick.join("keys").join(name), &bytes);
        names.push(format!("keys/{name}"));
    }
    names.sort();
    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(6), "{v}");
    assert_eq!(rel_kinds(&v, &stick, "secret-key"), names, "{v}");
    assert!(rel_kinds(&v, &stick, "readable-file").is_empty(), "{v}");
    let text = String::from_utf8_lossy(&s.run(&["verify", stick.to_str().unwrap()]).stdout).into_owned();
    assert!(text.starts_with("NOT SAFE: a secret key is on this stick (7 found; no other readable file)"), "{text}");
}

/// Issue #32: without a key, an age header can be put before a member list
/// (the checksum file made to match, the size made to fit), and a volume of
/// a set swapped for a text of the same size (its checksum lines rewritten):
/// every keyless check passes. The stick check reads what follows the
/// header, and every volume's start: text is readable. (On main: CLEAN.)
#[test]
fn an_age_header_or_a_volume_holding_text_is_readable() {
    use sha2::Digest;
    let sum = |bytes: &[u8]| hex::encode(sha2::Sha256::digest(bytes));
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    let good = fs::read(s.pack(&["src"], "local")).unwrap();
    let mac = good.windows(5).position(|w| w == b"\n--- ").unwrap();
    let header = &good[..mac + 1 + good[mac + 1..].iter().position(|&b| b == b'\n').unwrap() + 1];
    // A payload of 3,104 bytes: a 16-byte nonce, 3,072 bytes (a hakobu
    // plaintext length) and one tag, as a real archive's would be.
    let mut rows = MEMBERS.repeat(40).into_bytes();
    rows.resize(3104, b'\n');
    let fake = [header, &rows].concat();
    let stick = s.path("stick");
    write(&stick.join("fake.age"), &fake);
    write(&stick.join("fake.age.sha256"), format!("{}  fake.age\n", sum(&fake)).as_bytes());
    // Checksum and size pass; what follows the header does not (main: exit 0, PASS).
    let out = s.run(&["verify", "stick/fake.age", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let v = json_of(&out);
    assert_eq!((&v["checksum"], &v["problem_kind"]), (&Value::from("match"), &Value::from("not-made-by-hakobu")), "{v}");

    // A volume set with its second volume swapped for text of the same size.
    write(&s.path("big/data.bin"), &synthetic_bytes(9, 3 << 20));
    s.run_ok(&["pack", "big", "-o", "stick", "-r", &s.recipient, "--name", "split", "--split", "1M"]);
    let second = fs::read(stick.join("split.age.002")).unwrap();
    let mut text = MEMBERS.repeat(second.len() / MEMBERS.len() + 1).into_bytes();
    text.truncate(second.len());
    fs::write(stick.join("split.age.002"), &text).unwrap();
    let volumes: Vec<Vec<u8>> = (1..=4).map(|i| fs::read(stick.join(format!("split.age.{i:03}"))).unwrap()).collect();
    let mut sidecar: String = volumes.iter().enumerate().map(|(i, v)| format!("{}  split.age.{:03}\n", sum(v), i + 1)).collect();
    sidecar.push_str(&format!("# The volumes joined (cat split.age.0* | sha256sum) give:\n# {}  split.age\n", sum(&volumes.concat())));
    fs::write(stick.join("split.age.sha256"), sidecar).unwrap();
    let out = s.run(&["verify", "stick/split.age.001", "--json"]);
    assert_eq!(out.status.code(), Some(0), "every keyless check passes: {}", String::from_utf8_lossy(&out.stdout));

    let out = s.run(&["verify", stick.to_str().unwrap(), "--json"]);
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(6), "{v}");
    assert_eq!(rel_kinds(&v, &stick, "readable-file"), ["fake.age", "split.age.002"], "{v}");
}
