//! Real removable-media file systems (issue #3 §5): pack onto an exFAT or
//! FAT32 "stick" and unpack from it, fill it up, collide names on it, unpack
//! into a destination that is full.

use std::fs;

use crate::faults::{
    archives, assert_no_pack_output, assert_no_success_message, leftovers, session_with_source, spawn_slow, wait_for_entry, wrapped,
};
use crate::stick::{is_mount_point, Medium};
use crate::support::*;

/// A tree of Japanese names (NFC), nested folders, an empty folder and an empty file.
fn japanese_tree(s: &Session) {
    write(&s.path("src/千葉支部/2026年/レセプト 11月.csv"), "番号,金額\n0001,1200\n".as_bytes());
    write(&s.path("src/千葉支部/会員名簿.txt"), "山田太郎\n佐藤花子\n".as_bytes());
    write(&s.path("src/本社/報告書（最終版）.bin"), &synthetic_bytes(3, 300_000));
    write(&s.path("src/empty.txt"), b"");
    fs::create_dir_all(s.path("src/空のフォルダ")).unwrap();
}

fn pack_to(s: &Session, out: &std::path::Path) -> std::process::Output {
    s.run(&["pack", "src", "-o", out.to_str().unwrap(), "-r", &s.recipient])
}

#[test]
fn exfat_stick_round_trip_with_japanese_names() {
    let Some(stick) = Medium::exfat(32) else { return };
    let s = Session::new();
    japanese_tree(&s);
    let out = pack_to(&s, &stick.dir);
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["pack"], &out, "pack onto exFAT"));
    let archive = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(archive.starts_with(&stick.dir), "{}", archive.display());
    assert!(leftovers(&stick.dir).is_empty(), "{}", listing(&stick.dir));
    // IT's check without a key, straight from the stick.
    s.run_ok(&["verify", archive.to_str().unwrap()]);
    let un = s.unpack(&archive, "received");
    assert!(un.status.success(), "{}", explain(s.dir.path(), &["unpack"], &un, "unpack from exFAT"));
    assert_same_tree(&s.path("src"), &s.path("received/src"));
}

#[test]
fn exfat_stick_unpack_onto_the_stick() {
    // Receivers sometimes unpack on the stick itself: staging and promote on exFAT
    // (where renameat2 NOREPLACE is not supported and the fallback is used).
    let Some(stick) = Medium::exfat(32) else { return };
    let s = Session::new();
    japanese_tree(&s);
    let archive = s.pack(&["src"], "local");
    let dest = stick.path("受信");
    let args = ["unpack", archive.to_str().unwrap(), "-o", dest.to_str().unwrap(), "-i", s.key.to_str().unwrap()];
    // Refused without the flag (exFAT is a carried medium), before anything is created...
    let err = s.run_fails(4, &args);
    assert!(err.contains("\ncode: destination-removable"), "{err}");
    assert!(!dest.exists() && leftovers(&stick.dir).is_empty(), "{}", listing(&stick.dir));
    // ...and done when the user says so.
    let un = s.run(&[&args[..], &["--allow-removable-destination"]].concat());
    assert!(un.status.success(), "{}", explain(s.dir.path(), &["unpack"], &un, "unpack onto exFAT"));
    assert_same_tree(&s.path("src"), &dest.join("src"));
    assert!(leftovers(&stick.dir).is_empty(), "{}", listing(&stick.dir));
}

#[test]
fn unpack_refuses_to_put_plaintext_on_the_archives_stick() {
    // issue #12 §2: `unpack STICK/X.age -o STICK/受信` wrote the plaintext onto the stick.
    for (fs_name, stick) in [("exFAT", Medium::exfat(32)), ("FAT32", Medium::fat32(64))] {
        let Some(stick) = stick else { continue };
        let s = Session::new();
        japanese_tree(&s);
        let out = pack_to(&s, &stick.dir);
        assert!(out.status.success(), "{}", explain(s.dir.path(), &["pack"], &out, fs_name));
        let archive = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let before = listing(&stick.dir);
        let key = s.key.to_str().unwrap();
        for dest in [stick.path("受信"), stick.dir.clone(), stick.path("受信/2026年")] {
            let args = ["unpack", archive.to_str().unwrap(), "-o", dest.to_str().unwrap(), "-i", key];
            let err = s.run_fails(4, &args);
            assert!(err.contains("\ncode: destination-on-archive-medium"), "{fs_name}: {err}");
            assert!(err.contains("readable personal data") && err.contains("--allow-removable-destination"), "{err}");
            assert_eq!(listing(&stick.dir), before, "{fs_name}: something was created on the stick");
            // --json: the refusal as one object.
            let out = s.run(&[&args[..], &["--json"]].concat());
            assert_eq!(out.status.code(), Some(4));
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["error"]["kind"], "destination-on-archive-medium");
        }
        // To this computer (a local temp folder): fine.
        let un = s.unpack(&archive, "received");
        assert!(un.status.success(), "{}", explain(s.dir.path(), &["unpack"], &un, fs_name));
        assert_same_tree(&s.path("src"), &s.path("received/src"));
        // Onto the stick when the user says so explicitly. (exFAT only: fusefat,
        // the FAT32 driver of these tests, refuses to create folders with
        // Japanese names, EPERM, whatever hakobu does.)
        if fs_name == "FAT32" {
            continue;
        }
        let dest = stick.path("受信");
        let args = ["unpack", archive.to_str().unwrap(), "-o", dest.to_str().unwrap(), "-i", key, "--allow-removable-destination"];
        let un = s.run(&args);
        assert!(un.status.success(), "{}", explain(s.dir.path(), &args, &un, fs_name));
        assert_same_tree(&s.path("src"), &dest.join("src"));
    }
}

#[test]
fn fat32_stick_round_trip_with_japanese_names() {
    let Some(stick) = Medium::fat32(64) else { return };
    let s = Session::new();
    japanese_tree(&s);
    let out = pack_to(&s, &stick.dir);
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["pack"], &out, "pack onto FAT32"));
    let archive = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    s.run_ok(&["verify", archive.to_str().unwrap()]);
    let un = s.unpack(&archive, "received");
    assert!(un.status.success(), "{}", explain(s.dir.path(), &["unpack"], &un, "unpack from FAT32"));
    assert_same_tree(&s.path("src"), &s.path("received/src"));
}

#[test]
fn pack_onto_full_exfat_stick_fails_cleanly() {
    let Some(stick) = Medium::exfat(8) else { return };
    // 12 MiB of incompressible data cannot fit on an 8 MiB stick: known from
    // the free space before a byte is written (src/io/medium.rs); exit 5 and
    // code no-space, as when the stick fills while writing (issue #12 §10).
    let s = session_with_source(12);
    let out = pack_to(&s, &stick.dir);
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &["pack"], &out, "pack onto a full stick"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not enough free space") && err.contains("hint:"), "{err}");
    assert!(err.contains("\ncode: no-space"), "{err}");
    assert_no_success_message(&out, "full stick");
    assert_no_pack_output(&stick.dir, "full stick");
    // Once the cause is gone (a smaller source), the same stick takes an archive.
    fs::remove_file(s.path("src/本社/大きな表.bin")).unwrap();
    let out = pack_to(&s, &stick.dir);
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["pack"], &out, "pack after freeing space"));
    assert_eq!(archives(&stick.dir).len(), 2, "{}", listing(&stick.dir));
}

#[test]
fn pack_onto_exfat_stick_filled_meanwhile_fails_cleanly() {
    // The stick had room when pack started; another program fills it while
    // pack writes: ENOSPC in the middle of the archive, on a real exFAT.
    if !require("strace") {
        return;
    }
    let Some(stick) = Medium::exfat(16) else { return };
    let s = session_with_source(6);
    let big = s.path("src/本社/大きな表.bin");
    let args = ["pack", "src", "-o", stick.dir.to_str().unwrap(), "-r", &s.recipient];
    let mut child = spawn_slow(&s, "read", Some(&big), &args);
    wait_for_entry(&stick.dir, ".hakobu-tmp-", &mut child);
    {
        use std::io::Write;
        let mut filler = fs::File::create(stick.path("filler.bin")).unwrap();
        let block = vec![0u8; 1 << 20];
        while filler.write_all(&block).is_ok() {}
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, "stick filled during pack"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write") && err.contains(".age") && err.contains("stick is full"), "{err}");
    assert!(err.contains("\ncode: no-space"), "{err}");
    assert_no_success_message(&out, "stick filled during pack");
    assert_no_pack_output(&stick.dir, "stick filled during pack");
}

#[test]
fn pack_onto_full_fusefat_stick_says_the_stick_is_full() {
    // issue #12 §10: fusefat reports no free space (statfs: 0 blocks), so
    // nothing can be checked up front, and it refuses the write on a full
    // stick with EPERM: that said "permission denied". Now: one notice that
    // free space is unknown, then "the stick is full", code no-space, exit 5 —
    // the same as a stick known to be too small before writing.
    let Some(stick) = Medium::fat32(40) else { return };
    let s = session_with_source(48);
    let out = pack_to(&s, &stick.dir);
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &["pack"], &out, "pack onto a full FAT32 stick"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\ncode: no-space") && err.contains("stick is full"), "{err}");
    assert!(!err.contains("permission denied"), "{err}");
    assert_eq!(err.matches("does not say how much space is free").count(), 1, "said once: {err}");
    assert_no_success_message(&out, "full FAT32 stick");
    assert_no_pack_output(&stick.dir, "full FAT32 stick");
}

#[test]
fn pack_onto_fat32_file_size_limit_fails_cleanly() {
    // FAT32's 4 GiB - 1 per file, in miniature: a 2 MiB limit with SIGXFSZ
    // ignored makes the write fail with EFBIG, as on a real FAT32 stick.
    let Some(stick) = Medium::fat32(64) else { return };
    let s = session_with_source(3);
    let args = ["pack", "src", "-o", stick.dir.to_str().unwrap(), "-r", &s.recipient];
    let out = wrapped(s.dir.path(), &["sh", "-c", "trap '' XFSZ; ulimit -f 2048; exec \"$0\" \"$@\""], &args).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, "EFBIG on FAT32"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("too large for this file system") && err.contains("FAT32"), "{err}");
    assert_no_success_message(&out, "EFBIG on FAT32");
    assert_no_pack_output(&stick.dir, "EFBIG on FAT32");
}

#[test]
fn unpack_into_full_tmpfs_fails_cleanly() {
    let Some(small) = Medium::tmpfs("3m") else { return };
    let s = session_with_source(5);
    let archive = s.pack(&["src"], "stick");
    // A destination that does not exist yet (created, then removed again)...
    let dest = small.path("received");
    let args = ["unpack", archive.to_str().unwrap(), "-o", dest.to_str().unwrap(), "-i", s.key.to_str().unwrap()];
    let out = s.run(&args);
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, "unpack into a full tmpfs"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("full"), "{err}");
    assert_no_success_message(&out, "full destination");
    assert!(!dest.exists(), "the destination it created is still there:\n{}", listing(&small.dir));
    // ...and the mount point itself as destination: left empty, no staging folder.
    let args = ["unpack", archive.to_str().unwrap(), "-o", small.dir.to_str().unwrap(), "-i", s.key.to_str().unwrap()];
    let out = s.run(&args);
    assert_eq!(out.status.code(), Some(5), "{}", explain(s.dir.path(), &args, &out, "unpack into a full tmpfs"));
    assert!(listing(&small.dir).is_empty(), "files left in the full destination:\n{}", listing(&small.dir));
}

#[test]
fn exfat_unpack_of_a_single_case_name_is_fine() {
    let Some(stick) = Medium::exfat(16) else { return };
    let s = Session::new();
    write(&s.path("src/A.txt"), b"upper\n");
    let archive = s.pack(&["src"], "local");
    let dest = stick.path("in");
    let un = s.run(&[
        "unpack",
        archive.to_str().unwrap(),
        "-o",
        dest.to_str().unwrap(),
        "-i",
        s.key.to_str().unwrap(),
        "--allow-removable-destination",
    ]);
    assert!(un.status.success(), "{}", explain(s.dir.path(), &["unpack"], &un, "A.txt onto exFAT"));
    assert_eq!(fs::read(dest.join("src/A.txt")).unwrap(), b"upper\n");
}

#[test]
fn exfat_unpack_refuses_name_that_exists_in_other_case() {
    let Some(stick) = Medium::exfat(16) else { return };
    let s = Session::new();
    write(&s.path("src/A.txt"), b"from the archive\n");
    let archive = s.pack(&["src"], "local");
    // On the case-insensitive stick, `src/a.txt` is the same file as `src/A.txt`.
    write(&stick.path("in/src/a.txt"), b"already here\n");
    let dest = stick.path("in");
    let key = s.key.to_str().unwrap();
    let args = ["unpack", archive.to_str().unwrap(), "-o", dest.to_str().unwrap(), "-i", key, "--allow-removable-destination"];
    let err = s.run_fails(4, &args);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(fs::read(stick.path("in/src/a.txt")).unwrap(), b"already here\n", "the existing file was changed");
    assert!(leftovers(&stick.dir).is_empty(), "{}", listing(&stick.dir));
}

#[test]
fn on_a_real_exfat_stick_sources_and_keys_that_open_the_archive_are_refused() {
    // issue #25 on a real volume (its own device id): nothing of the stick is
    // packed onto it, a key that opens the archive anywhere on it refuses the
    // pack, another office's key is a loud warning, and the user's key on
    // this computer's disk is not "on the stick".
    let Some(stick) = Medium::exfat(16) else { return };
    let s = Session::new();
    write(&s.path("src/a.txt"), b"data\n");
    let out_dir = stick.path("送付");
    fs::create_dir(&out_dir).unwrap();
    let out_arg = out_dir.to_str().unwrap();
    // A list on the stick itself.
    write(&stick.path("meibo.csv"), "番号,氏名\n1,架空\n".as_bytes());
    let err = s.run_fails(4, &["pack", stick.path("meibo.csv").to_str().unwrap(), "-o", out_arg, "-r", &s.recipient]);
    assert!(err.contains("code: source-on-output-medium") && err.contains("meibo.csv"), "{err}");
    fs::remove_file(stick.path("meibo.csv")).unwrap();
    // The receiving office's own key, deep in a folder of the stick.
    write(&stick.path("古い/バックアップ/my-key.txt"), &fs::read(&s.key).unwrap());
    let err = s.run_fails(4, &["pack", "src", "-o", out_arg, "-r", &s.recipient, "-q"]);
    assert!(err.contains("code: key-on-archive-medium") && err.contains("古い/バックアップ/my-key.txt"), "{err}");
    assert!(leftovers(&stick.dir).is_empty() && fs::read_dir(&out_dir).unwrap().next().is_none(), "{}", listing(&stick.dir));
    fs::remove_dir_all(stick.path("古い")).unwrap();
    // Another office's key: packed, with a warning even with -q.
    let other = s.path("other.txt");
    s.run_ok(&["keygen", "--no-passphrase", "-o", other.to_str().unwrap()]);
    fs::copy(&other, stick.path("本社の鍵.txt")).unwrap();
    let mut cmd = std::process::Command::new(crate::support::hakobu_bin());
    cmd.args(["pack", "src", "-o", out_arg, "-r", &s.recipient, "-q"]);
    let out = crate::faults::with_env(cmd, s.dir.path()).env("HAKOBU_IDENTITY", &s.key).output().unwrap();
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["pack"], &out, "pack with another key on the stick"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning:") && err.contains("本社の鍵.txt") && err.contains("secret key"),
        "no loud warning (even with -q): {err}"
    );
    // The default key lies on this computer's disk, not on the stick.
    assert!(!err.contains("your secret key"), "{err}");
}

#[test]
fn keygen_refuses_a_stick_that_holds_archives() {
    let Some(stick) = Medium::exfat(16) else { return };
    let s = Session::new();
    write(&s.path("src/a.txt"), b"data\n");
    let out = pack_to(&s, &stick.dir);
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["pack"], &out, "pack"));
    // Into the folder holding the archive, and into another folder of the same stick.
    for key in [stick.path("key.txt"), stick.path("keys/office.txt")] {
        let err = s.run_fails(4, &["keygen", "-o", key.to_str().unwrap()]);
        assert!(err.contains("same medium as the archive"), "{err}");
        assert!(!key.exists(), "a key was written to the stick: {}", key.display());
    }
}

#[test]
fn medium_guard_unmounts_and_detaches_on_panic() {
    // The guard must clean up when a test fails half-way, or a red test would
    // leave mounts and loop devices behind for everyone on the machine.
    let seen = std::sync::Mutex::new(None);
    let result = std::panic::catch_unwind(|| {
        let Some(stick) = Medium::exfat(8) else { return };
        let Some(small) = Medium::tmpfs("1m") else { return };
        *seen.lock().unwrap() = Some((stick.dir.clone(), stick.loop_device().unwrap().to_owned(), small.dir.clone()));
        panic!("a failing test, on purpose");
    });
    let Some((stick_dir, loop_dev, tmpfs_dir)) = seen.into_inner().unwrap() else { return };
    assert!(result.is_err());
    assert!(!is_mount_point(&stick_dir), "exFAT still mounted at {}", stick_dir.display());
    assert!(!is_mount_point(&tmpfs_dir), "tmpfs still mounted at {}", tmpfs_dir.display());
    let attached = std::process::Command::new("losetup").args(["-a"]).output().unwrap();
    let attached = String::from_utf8_lossy(&attached.stdout);
    let holder = stick_dir.parent().unwrap().to_string_lossy().into_owned();
    assert!(!attached.contains(&holder), "{loop_dev} still attached: {attached}");
    assert!(!stick_dir.exists(), "the image folder was not removed");
}
