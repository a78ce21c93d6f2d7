//! The 0.1 core, as a user meets it: keygen, pack, list, unpack, verify.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

#[test]
fn round_trip_small_tree() {
    let s = Session::new();
    write(&s.path("src/本社/会員.csv"), "氏名,番号\n山田太郎,0001\n".as_bytes());
    std::fs::create_dir_all(s.path("src/空のフォルダ")).unwrap();
    write(&s.path("src/empty.txt"), b"");
    let archive = s.pack(&["src"], "stick");
    let out = s.unpack(&archive, "received");
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["unpack"], &out, "unpack"));
    assert_same_tree(&s.path("src"), &s.path("received/src"));
}

// ---------------------------------------------------------------------------
// Helpers for this file.

/// Size of the large file: over 100 MiB, and not a multiple of anything tidy.
const BIG: u64 = 100 * 1024 * 1024 + 12_345;

/// Writes `len` synthetic bytes to `path` in 1 MiB pieces (no 100 MiB buffer).
fn write_big(path: &Path, seed: u64, len: u64) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::io::BufWriter::new(fs::File::create(path).unwrap());
    let mut left = len;
    let mut piece = 0u64;
    while left > 0 {
        let n = left.min(1 << 20);
        f.write_all(&synthetic_bytes(seed.wrapping_add(piece), n as usize)).unwrap();
        left -= n;
        piece += 1;
    }
    f.flush().unwrap();
}

/// Compares two files byte for byte without reading either whole into memory.
fn assert_same_file(a: &Path, b: &Path) {
    let (ma, mb) = (fs::metadata(a).unwrap(), fs::metadata(b).unwrap());
    assert_eq!(ma.len(), mb.len(), "sizes differ: {} vs {}", a.display(), b.display());
    let (mut fa, mut fb) = (fs::File::open(a).unwrap(), fs::File::open(b).unwrap());
    let (mut ba, mut bb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    let mut offset = 0u64;
    loop {
        let n = read_full(&mut fa, &mut ba);
        let m = read_full(&mut fb, &mut bb);
        assert_eq!(n, m);
        if n == 0 {
            break;
        }
        if ba[..n] != bb[..n] {
            let at = ba[..n].iter().zip(&bb[..n]).position(|(x, y)| x != y).unwrap();
            panic!("{} and {} differ at byte {}", a.display(), b.display(), offset + at as u64);
        }
        offset += n as u64;
    }
}

fn read_full(f: &mut fs::File, buf: &mut [u8]) -> usize {
    let mut got = 0;
    while got < buf.len() {
        match f.read(&mut buf[got..]).unwrap() {
            0 => break,
            n => got += n,
        }
    }
    got
}

/// Compares two trees: same paths and sizes, byte-identical files (streamed).
fn assert_same_tree_streaming(expected: &Path, actual: &Path) {
    assert_eq!(listing(expected), listing(actual), "trees differ: {} vs {}", expected.display(), actual.display());
    for e in walkdir::WalkDir::new(expected).into_iter().filter_map(|e| e.ok()) {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(expected).unwrap();
            assert_same_file(e.path(), &actual.join(rel));
        }
    }
}

/// A tree of a few hundred KiB (several age chunks), Japanese names, nested and empty folders.
fn medium_tree(s: &Session, root: &str) {
    write(&s.path(&format!("{root}/千葉支部/2026年/レセプト 11月.pdf")), &synthetic_bytes(1, 150_000));
    write(&s.path(&format!("{root}/千葉支部/会員名簿.csv")), &synthetic_bytes(2, 120_000));
    write(&s.path(&format!("{root}/本社/申請書.txt")), "申請者: 架空 花子\n".as_bytes());
    write(&s.path(&format!("{root}/本社/空.txt")), b"");
    fs::create_dir_all(s.path(&format!("{root}/本社/空のフォルダ/さらに空"))).unwrap();
}

/// True when `dest` does not exist or holds nothing at all (no files, no staging folder).
fn assert_nothing_released(dest: &Path) {
    if dest.exists() {
        let left = listing(dest);
        assert!(left.is_empty(), "{} should be empty, holds:\n{left}", dest.display());
    }
}

/// The offset just after the age header's `--- <mac>` line (binary age files).
fn age_header_len(bytes: &[u8]) -> usize {
    let mut start = 0;
    for line in bytes.split(|&b| b == b'\n') {
        start += line.len() + 1;
        if line.starts_with(b"--- ") {
            return start;
        }
    }
    panic!("no age header end found");
}

/// age payload layout: 16-byte nonce, then chunks of 64 KiB plaintext + 16-byte tag.
const NONCE: usize = 16;
const CHUNK: usize = 64 * 1024 + 16;

fn sha256_hex(path: &Path) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    let mut f = fs::File::open(path).unwrap();
    std::io::copy(&mut f, &mut h).unwrap();
    hex::encode(h.finalize())
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", String::from_utf8_lossy(&out.stdout)))
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Unpacks and insists on the exit code; returns stderr.
fn unpack_fails(s: &Session, archive: &Path, dest: &str, code: i32) -> String {
    s.run_fails(code, &["unpack", archive.to_str().unwrap(), "-o", dest, "-i", s.key.to_str().unwrap(), "-q"])
}

/// Characters of generated names (see src/format/naming.rs): no 0/o, 1/l/i look-alikes.
const NAME_ALPHABET: &str = "23456789abcdefghjkmnpqrstuvwxyz";

/// `xxxx-xxxx-xxxx-xxxx.age` from the alphabet above.
fn is_neutral_name(file_name: &str) -> bool {
    let Some(stem) = file_name.strip_suffix(".age") else { return false };
    let groups: Vec<&str> = stem.split('-').collect();
    groups.len() == 4 && groups.iter().all(|g| g.len() == 4 && g.chars().all(|c| NAME_ALPHABET.contains(c)))
}

// ---------------------------------------------------------------------------
// Round trips.

#[test]
fn round_trip_japanese_tree_with_empty_parts_and_a_file_over_100_mib() {
    let s = Session::new();
    medium_tree(&s, "src");
    write(&s.path("src/ルート直下の空ファイル"), b"");
    fs::create_dir_all(s.path("src/a/b/c/d/e/深い")).unwrap();
    write(&s.path("src/a/b/c/d/e/深い/最深部.txt"), "奥\n".as_bytes());
    write_big(&s.path("src/大容量/スキャン画像.tif"), 42, BIG);

    let archive = s.pack(&["src"], "stick");
    let out = s.unpack(&archive, "received");
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["unpack"], &out, "unpack"));
    assert_same_tree_streaming(&s.path("src"), &s.path("received/src"));
    assert!(s.path("received/src/本社/空のフォルダ/さらに空").is_dir());
    assert_eq!(fs::metadata(s.path("received/src/本社/空.txt")).unwrap().len(), 0);
    assert_eq!(fs::metadata(s.path("received/src/大容量/スキャン画像.tif")).unwrap().len(), BIG);
}

#[test]
fn round_trip_several_sources_file_and_folder() {
    let s = Session::new();
    write(&s.path("単独ファイル.csv"), "番号,金額\n1,1000\n".as_bytes());
    medium_tree(&s, "フォルダ");
    let archive = s.pack(&["単独ファイル.csv", "フォルダ"], "stick");
    let out = s.unpack(&archive, "received");
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["unpack"], &out, "unpack"));
    assert_same_file(&s.path("単独ファイル.csv"), &s.path("received/単独ファイル.csv"));
    assert_same_tree_streaming(&s.path("フォルダ"), &s.path("received/フォルダ"));
    let top: Vec<String> = fs::read_dir(s.path("received")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(top.len(), 2, "only the two sources are released: {top:?}");
}

// ---------------------------------------------------------------------------
// Bad keys and damaged archives: nothing is ever released.

#[test]
fn wrong_key_exits_3_and_writes_nothing() {
    let s = Session::new();
    medium_tree(&s, "src");
    let archive = s.pack(&["src"], "stick");
    s.run_ok(&["keygen", "--no-passphrase", "-o", "other.txt"]);
    let err = s.run_fails(3, &["unpack", archive.to_str().unwrap(), "-o", "received", "-i", "other.txt"]);
    assert!(err.contains("none of the given keys"), "{err}");
    assert_nothing_released(&s.path("received"));
    // An existing destination stays as it was, too.
    fs::create_dir(s.path("existing")).unwrap();
    s.run_fails(3, &["unpack", archive.to_str().unwrap(), "-o", "existing", "-i", "other.txt"]);
    assert_nothing_released(&s.path("existing"));
}

#[test]
fn flipped_byte_in_the_middle_exits_1_and_releases_nothing() {
    let s = Session::new();
    medium_tree(&s, "src");
    let archive = s.pack(&["src"], "stick");
    let mut bytes = fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    fs::write(&archive, &bytes).unwrap();
    // Into a fresh folder, and into an existing one (where staging happens beside other files).
    let err = unpack_fails(&s, &archive, "received", 1);
    assert!(err.contains("damaged") && err.contains("No file was taken out of the archive."), "{err}");
    assert_nothing_released(&s.path("received"));
    fs::create_dir(s.path("existing")).unwrap();
    unpack_fails(&s, &archive, "existing", 1);
    assert_nothing_released(&s.path("existing"));
    // list and verify -i read through the same checks.
    s.run_fails(1, &["list", archive.to_str().unwrap(), "-i", s.key.to_str().unwrap()]);
    s.run_fails(1, &["verify", archive.to_str().unwrap(), "-i", s.key.to_str().unwrap()]);
}

#[test]
fn truncated_archives_exit_1_and_release_nothing() {
    let s = Session::new();
    medium_tree(&s, "src");
    let archive = s.pack(&["src"], "stick");
    let bytes = fs::read(&archive).unwrap();
    let header = age_header_len(&bytes);
    // At least three full chunks, so that a cut after the second is a chunk boundary inside the payload.
    assert!(bytes.len() > header + NONCE + 3 * CHUNK, "test tree too small: {} bytes", bytes.len());
    let cuts = [
        ("empty file", 0),
        ("inside the magic line", 10),
        ("inside the header", header / 2),
        ("right after the header", header),
        ("inside the nonce", header + 8),
        ("at the end of the first chunk", header + NONCE + CHUNK),
        ("one byte into the second chunk", header + NONCE + CHUNK + 1),
        ("one byte before the end of the second chunk", header + NONCE + 2 * CHUNK - 1),
        ("mid-payload", header + NONCE + CHUNK + CHUNK / 3),
        ("at a 64 KiB chunk boundary", header + NONCE + 2 * CHUNK),
        ("last byte missing", bytes.len() - 1),
    ];
    for (what, len) in cuts {
        let cut = s.path(&format!("cut-{len}.age"));
        fs::write(&cut, &bytes[..len]).unwrap();
        let dest = format!("received-{len}");
        let out = s.run(&["unpack", cut.to_str().unwrap(), "-o", &dest, "-i", s.key.to_str().unwrap(), "-q"]);
        assert_eq!(out.status.code(), Some(1), "truncated {what}: {}", explain(s.dir.path(), &["unpack"], &out, "exit 1"));
        let err = String::from_utf8_lossy(&out.stderr);
        // One line of what happened, one of what happened to the data (#26), at
        // most one of what to do, and the kind code.
        let words = err.lines().filter(|l| !l.starts_with("code: ")).count();
        assert!(err.starts_with("error: ") && words <= 3, "truncated {what}: unclear message {err}");
        assert!(err.contains("\n  No file was taken out of the archive.\n"), "truncated {what}: {err}");
        assert_eq!(err.lines().filter(|l| l.starts_with("code: ")).count(), 1, "truncated {what}: no kind code: {err}");
        // issue #12 §6: every cut says it is incomplete (its own kind code), never
        // "unsafe entry … tell IT" or "not an age file", and says to copy it again.
        assert!(err.contains("\ncode: truncated"), "truncated {what}: {err}");
        assert!(err.contains("incomplete") && err.contains("Copy the archive again"), "truncated {what}: {err}");
        assert!(!err.contains("unsafe") && !err.contains("tell IT"), "truncated {what}: {err}");
        // verify with the key says the same.
        let out = s.run(&["verify", cut.to_str().unwrap(), "-i", s.key.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "verify, truncated {what}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("\ncode: truncated"),
            "verify, truncated {what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_nothing_released(&s.path(&dest));
    }
}

// ---------------------------------------------------------------------------
// verify, list, pack --json.

#[test]
fn verify_without_key_uses_the_sidecar() {
    let s = Session::new();
    medium_tree(&s, "src");
    let archive = s.pack(&["src"], "stick");
    let a = archive.to_str().unwrap();
    let out = s.run_ok(&["verify", a]);
    let text = stdout(&out);
    assert!(text.contains("match") && text.contains("PASS"), "{text}");
    let report = json(&s.run_ok(&["verify", a, "--json"]));
    assert_eq!(report["ok"], true);
    assert_eq!(report["checksum"], "match");
    assert_eq!(report["contents"], "not-checked");
    assert_eq!(report["protection"], "keys");

    // A flipped byte: the sidecar no longer matches.
    let mut bytes = fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x80;
    let flipped = s.path("stick/flipped.age");
    fs::write(&flipped, &bytes).unwrap();
    fs::copy(format!("{a}.sha256"), s.path("stick/flipped.age.sha256")).unwrap();
    let out = s.run(&["verify", flipped.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["ok"], false);
    assert_eq!(report["checksum"], "mismatch");

    // No sidecar: without a key there is nothing to check against.
    fs::remove_file(format!("{a}.sha256")).unwrap();
    let out = s.run(&["verify", a]);
    assert_eq!(out.status.code(), Some(1), "{}", explain(s.dir.path(), &["verify"], &out, "exit 1"));
    let out = s.run(&["verify", a, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["checksum"], "missing");
}

#[test]
fn verify_with_key_checks_every_file_and_reports_json() {
    let s = Session::new();
    medium_tree(&s, "src");
    let archive = s.pack(&["src"], "stick");
    let a = archive.to_str().unwrap();
    let k = s.key.to_str().unwrap();
    let report = json(&s.run_ok(&["verify", a, "-i", k, "--json"]));
    assert_eq!(report["ok"], true);
    assert_eq!(report["checksum"], "skipped", "with a key, age's authentication covers every byte");
    assert_eq!(report["contents"], "ok");
    assert_eq!(report["files"], 4);
    assert_eq!(report["data_bytes"], 150_000 + 120_000 + "申請者: 架空 花子\n".len() as u64);
    assert!(report["id"].as_str().is_some_and(|id| id.len() == 32));
    let text = stdout(&s.run_ok(&["verify", a, "-i", k]));
    assert!(text.contains("PASS"), "{text}");
    // A sidecar that disagrees with an intact archive: with the key the
    // contents check passes (the sidecar is not read); IT's keyless check,
    // which has only the sidecar, fails.
    let sidecar = format!("{a}.sha256");
    let good = fs::read_to_string(&sidecar).unwrap();
    let flipped = if good.starts_with('0') { good.replacen('0', "1", 1) } else { format!("0{}", &good[1..]) };
    fs::write(&sidecar, flipped).unwrap();
    let report = json(&s.run_ok(&["verify", a, "-i", k, "--json"]));
    assert_eq!((report["checksum"].as_str(), report["contents"].as_str()), (Some("skipped"), Some("ok")));
    let out = s.run(&["verify", a, "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", explain(s.dir.path(), &["verify"], &out, "exit 1"));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["checksum"], "mismatch");
    assert_eq!(report["ok"], false);
    fs::write(&sidecar, good).unwrap();
    // With a key, a missing sidecar is no failure: the contents were checked.
    fs::remove_file(format!("{a}.sha256")).unwrap();
    let report = json(&s.run_ok(&["verify", a, "-i", k, "--json"]));
    assert_eq!(report["checksum"], "missing");
    assert_eq!(report["contents"], "ok");
    // verify writes no plaintext anywhere.
    let everywhere = listing(s.dir.path());
    assert_eq!(everywhere.matches("会員名簿.csv").count(), 1, "{everywhere}");
}

#[test]
fn list_shows_the_manifest_as_table_and_json() {
    let s = Session::new();
    medium_tree(&s, "src");
    let archive = s.pack(&["src"], "stick");
    let a = archive.to_str().unwrap();
    let k = s.key.to_str().unwrap();
    let table = stdout(&s.run_ok(&["list", a, "-i", k]));
    for line in ["src/千葉支部/2026年/レセプト 11月.pdf", "src/本社/空のフォルダ/さらに空/", "src/本社/空.txt"] {
        assert!(table.contains(line), "table lacks {line}:\n{table}");
    }
    // Sizes as people read them (#26); the exact 150000 bytes are in the JSON below.
    assert!(table.lines().any(|l| l.trim_start().starts_with("146.5 KiB ") && l.ends_with("レセプト 11月.pdf")), "{table}");

    let m = json(&s.run_ok(&["list", a, "-i", k, "--json"]));
    assert_eq!(m["format"], "hakobu-manifest/1");
    assert_eq!(m["totals"]["files"], 4);
    assert_eq!(m["totals"]["directories"], 6);
    let files = m["files"].as_array().unwrap();
    let pdf = files.iter().find(|f| f["path"] == "src/千葉支部/2026年/レセプト 11月.pdf").unwrap();
    assert_eq!(pdf["size"], 150_000);
    assert_eq!(pdf["sha256"], sha256_hex(&s.path("src/千葉支部/2026年/レセプト 11月.pdf")));
    // Folders come before their contents, in the order written.
    let dirs: Vec<&str> = m["directories"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(dirs[0], "src");
    for (i, d) in dirs.iter().enumerate() {
        if let Some((parent, _)) = d.rsplit_once('/') {
            assert!(dirs[..i].contains(&parent), "{d} listed before its parent");
        }
    }
}

#[test]
fn pack_json_reports_the_archive() {
    let s = Session::new();
    medium_tree(&s, "src");
    fs::create_dir(s.path("stick")).unwrap();
    let out = s.run_ok(&["pack", "src", "-o", "stick", "-r", &s.recipient, "--json"]);
    let r = json(&out);
    let path = PathBuf::from(r["path"].as_str().unwrap());
    let path = if path.is_absolute() { path } else { s.path(path.to_str().unwrap()) };
    assert!(path.is_file(), "{}", path.display());
    assert!(r["id"].as_str().is_some_and(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())));
    assert_eq!(r["bytes"], fs::metadata(&path).unwrap().len());
    assert_eq!(r["sha256"], sha256_hex(&path));
    assert_eq!(r["files"], 4);
    assert_eq!(r["data_bytes"], 150_000 + 120_000 + "申請者: 架空 花子\n".len() as u64);
    // The id is the manifest's.
    let m = json(&s.run_ok(&["list", path.to_str().unwrap(), "-i", s.key.to_str().unwrap(), "--json"]));
    assert_eq!(m["archive_id"], r["id"]);
}

// ---------------------------------------------------------------------------
// Names and the sidecar.

#[test]
fn archive_names_are_random_and_neutral() {
    let s = Session::new();
    let secret_names = ["山田太郎_会員名簿.csv", "yamada-hanako-claims.csv"];
    for n in secret_names {
        write(&s.path(&format!("src/{n}")), n.as_bytes());
    }
    let a = s.pack(&["src"], "stick");
    let b = s.pack(&["src"], "stick");
    let (na, nb) = (a.file_name().unwrap().to_str().unwrap(), b.file_name().unwrap().to_str().unwrap());
    assert!(is_neutral_name(na), "{na}");
    assert!(is_neutral_name(nb), "{nb}");
    assert_ne!(na, nb, "two packs of the same data get different names");
    for n in secret_names.iter().chain(&["src", "yamada", "hanako", "山田"]) {
        assert!(!na.contains(n), "{na} contains {n}");
        // Nor do the unencrypted bytes of the file (the age header) name anything.
        // Only the header: random ciphertext holds any 3-byte string now and then.
        let bytes = fs::read(&a).unwrap();
        let mac = bytes.windows(5).position(|w| w == b"\n--- ").expect("age header ends with its MAC line");
        let header_end = mac + 1 + bytes[mac + 1..].iter().position(|&b| b == b'\n').unwrap();
        let header = &bytes[..header_end];
        assert!(!header.windows(n.len()).any(|w| w == n.as_bytes()), "archive header contains {n}");
    }
    // The stick holds exactly two archives and their sidecars, nothing else.
    let mut names: Vec<String> = fs::read_dir(s.path("stick")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut expected = vec![na.to_owned(), format!("{na}.sha256"), nb.to_owned(), format!("{nb}.sha256")];
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn name_label_is_used_and_validated() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a");
    fs::create_dir(s.path("stick")).unwrap();
    let out = s.run_ok(&["pack", "src", "-o", "stick", "-r", &s.recipient, "--name", "2026-11-transfer", "-q"]);
    assert!(stdout(&out).trim().ends_with("2026-11-transfer.age"), "{}", stdout(&out));
    assert!(s.path("stick/2026-11-transfer.age").is_file());
    assert!(s.path("stick/2026-11-transfer.age.sha256").is_file());
    // The same label again: refused, the first archive untouched.
    let before = fs::read(s.path("stick/2026-11-transfer.age")).unwrap();
    s.run_fails(4, &["pack", "src", "-o", "stick", "-r", &s.recipient, "--name", "2026-11-transfer"]);
    assert_eq!(fs::read(s.path("stick/2026-11-transfer.age")).unwrap(), before);
    for bad in ["../escape", "sub/name", "CON", "a:b", "", "trailing."] {
        let err = s.run_fails(2, &["pack", "src", "-o", "stick", "-r", &s.recipient, "--name", bad]);
        assert!(err.contains("--name") || err.contains("name"), "--name {bad:?}: {err}");
    }
    assert!(!s.path("escape.age").exists());
    assert_eq!(fs::read_dir(s.path("stick")).unwrap().count(), 2, "{}", listing(&s.path("stick")));
}

#[test]
fn sidecar_is_checked_by_stock_sha256sum() {
    if !require("sha256sum") {
        return;
    }
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    let archive = s.pack(&["src"], "stick");
    let name = archive.file_name().unwrap().to_str().unwrap();
    let sidecar = fs::read_to_string(s.path(&format!("stick/{name}.sha256"))).unwrap();
    assert_eq!(sidecar, format!("{}  {name}\n", sha256_hex(&archive)));
    let ok = Command::new("sha256sum").arg("-c").arg(format!("{name}.sha256")).current_dir(s.path("stick")).output().unwrap();
    assert!(ok.status.success(), "sha256sum -c: {}", String::from_utf8_lossy(&ok.stderr));
    // Damage the archive: sha256sum -c notices.
    let mut bytes = fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&archive, bytes).unwrap();
    let bad = Command::new("sha256sum").arg("-c").arg(format!("{name}.sha256")).current_dir(s.path("stick")).output().unwrap();
    assert!(!bad.status.success());
}

// ---------------------------------------------------------------------------
// Refusals.

#[test]
fn unpack_refuses_to_overwrite_without_force_and_replaces_with_force() {
    let s = Session::new();
    write(&s.path("src/会員.csv"), b"new contents from the archive\n");
    write(&s.path("src/sub/b.txt"), b"b\n");
    let archive = s.pack(&["src"], "stick");
    write(&s.path("received/src/会員.csv"), b"local edits that must survive\n");
    let err = unpack_fails(&s, &archive, "received", 4);
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(fs::read(s.path("received/src/会員.csv")).unwrap(), b"local edits that must survive\n");
    assert!(!s.path("received/src/sub").exists(), "nothing else was released");
    assert_eq!(listing(&s.path("received")), "src/\nsrc/会員.csv (30 bytes)");

    let out = s.run(&["unpack", archive.to_str().unwrap(), "-o", "received", "-i", s.key.to_str().unwrap(), "--force", "-q"]);
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["unpack --force"], &out, "success"));
    assert_same_tree(&s.path("src"), &s.path("received/src"));
    assert!(!listing(&s.path("received")).contains(".hakobu-staging-"));
}

#[test]
fn pack_without_recipient_exits_2_with_a_hint() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a");
    fs::create_dir(s.path("stick")).unwrap();
    let err = s.run_fails(2, &["pack", "src", "-o", "stick"]);
    assert!(err.contains("no recipient") && err.contains("hint:") && err.contains("-r"), "{err}");
    assert_eq!(listing(&s.path("stick")), "", "nothing written");
}

// ---------------------------------------------------------------------------
// Passphrase mode, through a pseudo-terminal.

/// Runs `hakobu args` under `script` (a pseudo-terminal), answering each
/// prompt that contains `prompt` with the next of `answers`. age reads the
/// passphrase from /dev/tty with rpassword when no pinentry is found;
/// PINENTRY_PROGRAM names a missing program so that path is taken even where
/// pinentry is installed. Returns (exit code, everything the terminal showed).
fn run_in_pty(cwd: &Path, args: &[&str], prompt: &str, answers: &[&str]) -> (Option<i32>, String) {
    run_program_in_pty(cwd, hakobu_bin().to_str().unwrap(), args, prompt, answers)
}

/// [`run_in_pty`] for any program (the interop tests drive stock `age` with it).
pub fn run_program_in_pty(cwd: &Path, program: &str, args: &[&str], prompt: &str, answers: &[&str]) -> (Option<i32>, String) {
    run_program_in_pty_env(cwd, &[("HAKOBU_LANG", "en")], program, args, prompt, answers)
}

/// [`run_program_in_pty`] with extra environment variables (a language).
pub fn run_program_in_pty_env(
    cwd: &Path,
    env: &[(&str, &str)],
    program: &str,
    args: &[&str],
    prompt: &str,
    answers: &[&str],
) -> (Option<i32>, String) {
    let line: Vec<String> = std::iter::once(program.to_owned()).chain(args.iter().map(|a| a.to_string())).collect();
    let typed: Vec<String> = answers.iter().map(|a| format!("{a}\n")).collect();
    let steps: Vec<(&str, &str)> = typed.iter().map(|t| (prompt, t.as_str())).collect();
    drive_in_pty(cwd, env, &line, &steps)
}

#[test]
fn passphrase_round_trip_through_a_terminal() {
    if !require("script") {
        return;
    }
    let s = Session::new();
    medium_tree(&s, "src");
    fs::create_dir(s.path("stick")).unwrap();
    let pass = "synthetic correct horse 運ぶ";
    let (code, screen) = run_in_pty(s.dir.path(), &["pack", "src", "-o", "stick", "-p", "--name", "pp", "-q"], "assphrase", &[pass, pass]);
    assert_eq!(code, Some(0), "pack -p through a terminal:\n{screen}");
    let archive = s.path("stick/pp.age");
    assert!(archive.is_file(), "{screen}");
    // The header says passphrase (scrypt), and key files are refused with a clear message.
    let report = json(&s.run_ok(&["verify", archive.to_str().unwrap(), "--json"]));
    assert_eq!(report["protection"], "passphrase");
    let err = unpack_fails(&s, &archive, "with-key", 3);
    assert!(err.contains("passphrase"), "{err}");
    assert_nothing_released(&s.path("with-key"));

    let (code, screen) = run_in_pty(s.dir.path(), &["unpack", "stick/pp.age", "-o", "received", "-q"], "assphrase", &[pass]);
    assert_eq!(code, Some(0), "unpack with the passphrase:\n{screen}");
    assert_same_tree_streaming(&s.path("src"), &s.path("received/src"));
    assert!(!screen.contains(pass), "the passphrase was echoed:\n{screen}");
}

#[test]
fn wrong_passphrase_is_a_key_error_not_damage() {
    // Regression: age reports a wrong passphrase as a failed decryption,
    // which hakobu took for a damaged archive (exit 1, "ask for a fresh copy").
    if !require("script") {
        return;
    }
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir(s.path("stick")).unwrap();
    let pass = "synthetic passphrase";
    let (code, screen) = run_in_pty(s.dir.path(), &["pack", "src", "-o", "stick", "-p", "--name", "pp", "-q"], "assphrase", &[pass, pass]);
    assert_eq!(code, Some(0), "{screen}");
    for cmd in ["unpack", "list"] {
        let mut args = vec![cmd, "stick/pp.age", "-q"];
        if cmd == "unpack" {
            args.extend(["-o", "wrong"]);
        }
        // Three tries, as at any terminal; then a key error, not "damaged".
        let (code, screen) = run_in_pty(s.dir.path(), &args, "assphrase", &["not the right one"; 3]);
        assert_eq!(code, Some(3), "{cmd} with a wrong passphrase:\n{screen}");
        assert_eq!(screen.matches("Passphrase for this archive").count(), 3, "{cmd} did not ask three times:\n{screen}");
        assert!(screen.contains("passphrase does not open") && screen.contains("code: wrong-passphrase"), "{screen}");
        assert!(!screen.contains("damaged"), "{screen}");
    }
    assert_nothing_released(&s.path("wrong"));
}

#[test]
fn passphrase_confirmation_mismatch_writes_nothing() {
    if !require("script") {
        return;
    }
    let s = Session::new();
    write(&s.path("src/a.txt"), b"a");
    fs::create_dir(s.path("stick")).unwrap();
    // Asked again after each mismatch (issue #12); three mismatches: refused.
    let answers = ["one thing", "another", "one thing", "another", "one thing", "another"];
    let (code, screen) = run_in_pty(s.dir.path(), &["pack", "src", "-o", "stick", "-p", "-q"], "assphrase", &answers);
    assert_eq!(code, Some(3), "mismatched confirmation:\n{screen}");
    assert!(screen.contains("code: passphrases-differ"), "{screen}");
    assert_eq!(screen.matches("The two entries differ").count(), 2, "{screen}");
    assert_eq!(listing(&s.path("stick")), "");
}

#[test]
fn armored_archive_lines_are_at_most_64_columns() {
    // Regression: a flush before the final chunk made age 0.12.1's armor
    // writer wrap one line at 65 columns, which Go's age refuses.
    for size in [10, 300_000] {
        armored_archive_is_well_formed(size);
    }
}

fn armored_archive_is_well_formed(size: usize) {
    let s = Session::new();
    write(&s.path("src/scan.bin"), &synthetic_bytes(9, size));
    fs::create_dir(s.path("stick")).unwrap();
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &s.recipient, "--armor", "--name", "a", "-q"]);
    let text = fs::read_to_string(s.path("stick/a.age")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "-----BEGIN AGE ENCRYPTED FILE-----");
    assert_eq!(*lines.last().unwrap(), "-----END AGE ENCRYPTED FILE-----");
    let body = &lines[1..lines.len() - 1];
    for (i, line) in body.iter().enumerate() {
        let last = i == body.len() - 1;
        assert!(line.len() == 64 || (last && line.len() <= 64), "{size} bytes: line {} has {} columns", i + 2, line.len());
    }
    s.run_ok(&["unpack", "stick/a.age", "-o", "received", "-i", "key.txt", "-q"]);
    assert_same_tree(&s.path("src"), &s.path("received/src"));
}

/// hakobu's passphrase prompts, answered in order (for the interop tests).
pub fn run_in_pty_for_interop(cwd: &Path, args: &[&str], answers: &[&str]) -> (Option<i32>, String) {
    run_in_pty(cwd, args, "assphrase", answers)
}

/// With --json, a failure is one JSON object on stdout too: the stable kind
/// code and exit code for scripts, the words for people (and the same error on stderr).
#[test]
fn json_failures_carry_the_kind_code_on_stdout() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir(s.path("stick")).unwrap();
    let cases: [(&[&str], i32, &str); 3] = [
        (&["pack", "missing-folder", "-o", "stick", "-r", &s.recipient, "--json"], 5, "not-found"),
        (&["pack", "src", "-o", "stick", "--json"], 2, "no-recipients"),
        (&["verify", "stick/none.age", "--json"], 5, "not-found"),
    ];
    for (args, code, kind) in cases {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(code), "{}", explain(s.dir.path(), args, &out, "a refusal"));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON object ({e}): {:?}", String::from_utf8_lossy(&out.stdout)));
        assert_eq!(report["ok"], false, "{report}");
        assert_eq!(report["error"]["kind"], kind, "{args:?}: {report}");
        assert_eq!(report["error"]["exit_code"], code, "{report}");
        assert!(report["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{report}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("code: {kind}")), "{args:?}");
    }
}
