//! Interoperability with the tools people already have: Go's reference
//! `age`/`age-keygen` (Debian package `age`), GNU tar, bsdtar, sha256sum.
//! A receiver with nothing but these must be able to recover an archive
//! (docs/FORMAT.md §7), and keys must travel both ways.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::*;

/// Runs `script` with `bash -c` in `cwd`.
fn bash(cwd: &Path, script: &str) -> Output {
    Command::new("bash").arg("-c").arg(script).current_dir(cwd).output().expect("run bash")
}

/// Runs `script` and insists on exit 0.
fn bash_ok(cwd: &Path, script: &str) -> Output {
    let out = bash(cwd, script);
    assert!(
        out.status.success(),
        "`{script}` failed with {:?}\n--- stdout\n{}\n--- stderr\n{}\n--- files in {}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        cwd.display(),
        listing(cwd)
    );
    out
}

/// A receiver with stock tools only: in a fresh folder `dir` of the session,
/// `extract` (a shell command) and then `sha256sum -c` must succeed and give
/// back exactly the packed `src` tree.
fn stock_recovers(s: &Session, dir: &str, extract: &str) {
    fs::create_dir(s.path(dir)).unwrap();
    bash_ok(&s.path(dir), &format!("{extract} && sha256sum -c .hakobu/SHA256SUMS"));
    assert_same_tree(&s.path("src"), &s.path(dir).join("src"));
}

/// Every tool these tests drive; in CI a missing one fails the test.
fn tools(names: &[&str]) -> bool {
    names.iter().all(|n| require(n))
}

/// Synthetic data with the names that need pax records: Japanese, and longer than 100 bytes.
fn tree(s: &Session) {
    write(&s.path("src/本社/会員.csv"), "氏名,番号\n架空太郎,0001\n".as_bytes());
    write(&s.path("src/本社/空.txt"), b"");
    fs::create_dir_all(s.path("src/空のフォルダ")).unwrap();
    let long = format!("src/長い名前/{}.pdf", "とても長いファイル名".repeat(5)); // > 100 bytes of UTF-8
    write(&s.path(&long), &synthetic_bytes(7, 200_000));
    write(&s.path("src/plain-ascii.txt"), b"ascii\n");
}

#[test]
fn stock_age_tar_and_sha256sum_recover_a_hakobu_archive() {
    if !tools(&["age", "tar", "sha256sum"]) {
        return;
    }
    let s = Session::new();
    tree(&s);
    let archive = s.pack(&["src"], "stick");
    let rec = s.path("recovery");
    fs::create_dir(&rec).unwrap();
    fs::copy(&s.key, rec.join("key.txt")).unwrap();
    fs::copy(&archive, rec.join("X.age")).unwrap();
    let out = bash_ok(&rec, "age -d -i key.txt X.age | tar -xf - && sha256sum -c .hakobu/SHA256SUMS");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(said.lines().filter(|l| l.ends_with(": OK")).count(), 4, "{said}");
    assert_same_tree(&s.path("src"), &rec.join("src"));
    assert!(rec.join(".hakobu/manifest.json").is_file());
}

#[test]
fn age_keygen_keys_work_with_hakobu() {
    if !tools(&["age-keygen"]) {
        return;
    }
    let s = Session::new();
    tree(&s);
    bash_ok(s.dir.path(), "age-keygen -o go-key.txt 2>/dev/null && age-keygen -y go-key.txt > go-recipients.txt");
    let recipient = fs::read_to_string(s.path("go-recipients.txt")).unwrap().trim().to_owned();
    fs::create_dir(s.path("stick")).unwrap();
    // -r with the string, and -R with the file.
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &recipient, "--name", "by-r", "-q"]);
    s.run_ok(&["pack", "src", "-o", "stick", "-R", "go-recipients.txt", "--name", "by-R", "-q"]);
    for name in ["by-r", "by-R"] {
        let dest = format!("received-{name}");
        s.run_ok(&["unpack", &format!("stick/{name}.age"), "-o", &dest, "-i", "go-key.txt", "-q"]);
        assert_same_tree(&s.path("src"), &s.path(&format!("{dest}/src")));
    }
    // hakobu's own key cannot open them.
    s.run_fails(3, &["unpack", "stick/by-r.age", "-o", "nope", "-i", s.key.to_str().unwrap()]);
}

#[test]
fn hakobu_keys_work_with_stock_age() {
    if !tools(&["age"]) {
        return;
    }
    let s = Session::new();
    write(&s.path("note.txt"), b"synthetic\n");
    // Stock age encrypts to a hakobu recipient and decrypts with a hakobu key file.
    bash_ok(s.dir.path(), &format!("age -r {} -o note.age note.txt && age -d -i key.txt note.age > back.txt", s.recipient));
    assert_eq!(fs::read(s.path("back.txt")).unwrap(), b"synthetic\n");
}

#[test]
fn stock_age_output_is_a_tar_that_gnu_tar_lists_and_bsdtar_extracts() {
    if !tools(&["age", "tar", "bsdtar", "sha256sum"]) {
        return;
    }
    let s = Session::new();
    tree(&s);
    let archive = s.pack(&["src"], "stick");
    bash_ok(s.dir.path(), &format!("age -d -i key.txt -o plain.tar '{}'", archive.display()));
    let listed = String::from_utf8(bash_ok(s.dir.path(), "tar -tf plain.tar").stdout).unwrap();
    let names: Vec<&str> = listed.lines().collect();
    let long = format!("src/長い名前/{}.pdf", "とても長いファイル名".repeat(5));
    assert_eq!(
        names,
        [
            "src/",
            "src/plain-ascii.txt",
            "src/本社/",
            "src/本社/会員.csv",
            "src/本社/空.txt",
            "src/空のフォルダ/",
            "src/長い名前/",
            long.as_str(),
            ".hakobu/manifest.json",
            ".hakobu/SHA256SUMS",
        ],
        "folders before their contents, names sorted, manifest and sums last"
    );
    // Neutral metadata: owner 0/0 without names, modes 0644 and 0755.
    let verbose = String::from_utf8(bash_ok(s.dir.path(), "tar -tvf plain.tar --numeric-owner").stdout).unwrap();
    for line in verbose.lines() {
        assert!(line.contains(" 0/0 "), "{line}");
        assert!(line.starts_with("-rw-r--r--") || line.starts_with("drwxr-xr-x"), "{line}");
    }
    stock_recovers(&s, "bsd", "bsdtar -xf ../plain.tar");
    // The padding after the end marker is zeros only: GNU tar reads it all with -i.
    stock_recovers(&s, "gnu", "tar -xif ../plain.tar");
}

/// GNU tar stops reading at the end-of-archive marker, so with a long enough
/// Padmé tail `age` is killed by SIGPIPE: under `set -o pipefail` the pipeline
/// reports 141 even though tar extracted everything. docs/FORMAT.md §4 tells
/// receivers this, and the alternatives that exit 0; this test pins them all.
#[test]
fn stock_pipeline_under_pipefail_reports_sigpipe_and_the_documented_alternatives_pass() {
    if !tools(&["age", "tar", "bsdtar", "sha256sum"]) {
        return;
    }
    let s = Session::new();
    // 8 MiB of data makes the plaintext just over 8 MiB: Padmé rounds it up to
    // a multiple of 256 KiB, so about 250 KiB of zeros follow the end marker,
    // far more than a pipe holds.
    write(&s.path("src/scan.bin"), &synthetic_bytes(3, 8 << 20));
    let archive = s.pack(&["src"], "stick");
    for dir in ["plain", "ignore-zeros", "file", "bsdtar"] {
        fs::create_dir(s.path(dir)).unwrap();
    }
    let a = archive.display();
    let out = bash(&s.path("plain"), &format!("set -o pipefail; age -d -i ../key.txt '{a}' | tar -xf -"));
    assert_eq!(out.status.code(), Some(141), "age should die of SIGPIPE: {}", String::from_utf8_lossy(&out.stderr));
    assert_same_tree(&s.path("src"), &s.path("plain/src"));
    bash_ok(
        &s.path("ignore-zeros"),
        &format!("set -o pipefail; age -d -i ../key.txt '{a}' | tar -xif - && sha256sum -c .hakobu/SHA256SUMS"),
    );
    assert_same_tree(&s.path("src"), &s.path("ignore-zeros/src"));
    bash_ok(
        &s.path("file"),
        &format!("set -o pipefail; age -d -i ../key.txt -o x.tar '{a}' && tar -xf x.tar && rm x.tar && sha256sum -c .hakobu/SHA256SUMS"),
    );
    assert_same_tree(&s.path("src"), &s.path("file/src"));
    // bsdtar reads the padding to the end: a clean status without any option.
    bash_ok(&s.path("bsdtar"), &format!("set -o pipefail; age -d -i ../key.txt '{a}' | bsdtar -xf - && sha256sum -c .hakobu/SHA256SUMS"));
    assert_same_tree(&s.path("src"), &s.path("bsdtar/src"));
}

#[test]
fn armored_archives_open_with_stock_age() {
    if !tools(&["age", "tar", "sha256sum"]) {
        return;
    }
    let s = Session::new();
    tree(&s);
    fs::create_dir(s.path("stick")).unwrap();
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &s.recipient, "--armor", "--name", "armored", "-q"]);
    let text = fs::read(s.path("stick/armored.age")).unwrap();
    assert!(text.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----\n"));
    stock_recovers(&s, "rec", "age -d -i ../key.txt ../stick/armored.age | tar -xf -");
    s.run_ok(&["unpack", "stick/armored.age", "-o", "received", "-i", "key.txt", "-q"]);
    assert_same_tree(&s.path("src"), &s.path("received/src"));
    s.run_ok(&["verify", "stick/armored.age"]);
}

#[test]
fn stock_tar_piped_into_age_is_refused_as_not_a_hakobu_archive() {
    if !tools(&["age", "tar"]) {
        return;
    }
    let s = Session::new();
    tree(&s);
    fs::create_dir(s.path("stick")).unwrap();
    bash_ok(s.dir.path(), &format!("tar -cf - src | age -r {} > stick/plain.age", s.recipient));
    let err = s.run_fails(1, &["unpack", "stick/plain.age", "-o", "received", "-i", "key.txt"]);
    // GNU tar writes long names as GNU long-name records, which the reader refuses
    // first; a tree of short names gets to the missing manifest.
    assert!(
        (err.contains("not a valid hakobu archive") && err.contains("manifest")) || err.contains("hakobu never writes"),
        "unclear message: {err}"
    );
    assert!(err.contains("No file was taken out of the archive."), "{err}");
    assert!(!s.path("received").exists() || listing(&s.path("received")).is_empty(), "{}", listing(&s.path("received")));
    s.run_fails(1, &["list", "stick/plain.age", "-i", "key.txt"]);
    s.run_fails(1, &["verify", "stick/plain.age", "-i", "key.txt"]);
}

#[test]
fn passphrase_archives_open_with_stock_age() {
    // hakobu writes scrypt work factor 18; Go's age must accept it (its limit is 22).
    if !tools(&["age", "tar", "sha256sum", "script"]) {
        return;
    }
    let s = Session::new();
    tree(&s);
    fs::create_dir(s.path("stick")).unwrap();
    let pass = "synthetic passphrase for interop";
    let (code, screen) =
        crate::core::run_in_pty_for_interop(s.dir.path(), &["pack", "src", "-o", "stick", "-p", "--name", "pp", "-q"], &[pass, pass]);
    assert_eq!(code, Some(0), "{screen}");
    let (code, screen) =
        crate::core::run_program_in_pty(s.dir.path(), "age", &["-d", "-o", "plain.tar", "stick/pp.age"], "passphrase", &[pass]);
    assert_eq!(code, Some(0), "stock age -d of a passphrase archive:\n{screen}");
    stock_recovers(&s, "rec", "tar -xf ../plain.tar");
}

#[test]
fn ssh_keys_work_with_hakobu_and_stock_age() {
    if !tools(&["ssh-keygen", "age", "tar", "sha256sum"]) {
        return;
    }
    let s = Session::new();
    tree(&s);
    fs::create_dir(s.path("stick")).unwrap();
    for (kind, extra) in [("ed25519", ""), ("rsa", "-b 2048")] {
        let id = format!("id_{kind}");
        bash_ok(s.dir.path(), &format!("ssh-keygen -q -t {kind} {extra} -N '' -C synthetic@example.invalid -f {id}"));
        let public = fs::read_to_string(s.path(&format!("{id}.pub"))).unwrap().trim().to_owned();
        s.run_ok(&["pack", "src", "-o", "stick", "-r", &public, "--name", &format!("by-{kind}-r"), "-q"]);
        s.run_ok(&["pack", "src", "-o", "stick", "-R", &format!("{id}.pub"), "--name", &format!("by-{kind}-R"), "-q"]);
        for how in ["r", "R"] {
            let name = format!("by-{kind}-{how}");
            s.run_ok(&["unpack", &format!("stick/{name}.age"), "-o", &format!("received-{name}"), "-i", &id, "-q"]);
            assert_same_tree(&s.path("src"), &s.path(&format!("received-{name}/src")));
        }
        stock_recovers(&s, &format!("stock-{kind}"), &format!("age -d -i ../{id} ../stick/by-{kind}-r.age | tar -xf -"));
        // The x25519 key of the session cannot open it.
        s.run_fails(3, &["unpack", &format!("stick/by-{kind}-r.age"), "-o", "nope", "-i", "key.txt"]);
    }
}
