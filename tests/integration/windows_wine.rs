//! The Windows lane (#13): `hakobu.exe` (the x86_64-pc-windows-gnu build)
//! under Wine, on real files: a stick as drive `E:` (a FAT32 image through
//! fusefat, or a size-limited tmpfs), Japanese names, interop with the Linux
//! build and stock `age`. scripts/test builds the exe and the test-only
//! ProcessPrng shim (tests/windows/) and names them in HAKOBU_WINDOWS_EXE;
//! in CI a missing exe or Wine fails these tests, never skips them.
//! What Wine cannot show is listed in docs/WINDOWS.md.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::stick::Medium;
use crate::support::*;

/// Debian's 64-bit Wine loader (not on PATH: `dpkg -L wine64`).
pub(crate) const WINE64: &str = "/usr/lib/wine/wine64";

pub(crate) struct Wine {
    pub(crate) exe: PathBuf,
    pub(crate) prefix: PathBuf,
}

/// The exe and a Wine prefix made once for the whole test run; `None`
/// (after a loud notice) outside CI when the lane was not built.
pub(crate) fn wine() -> Option<&'static Wine> {
    static WINE: OnceLock<Option<Wine>> = OnceLock::new();
    WINE.get_or_init(|| {
        let exe = std::env::var_os("HAKOBU_WINDOWS_EXE").map(PathBuf::from);
        let ready = exe.as_ref().is_some_and(|e| e.is_file()) && Path::new(WINE64).is_file();
        if !ready {
            if std::env::var_os("CI").is_some() {
                panic!("the Windows lane needs HAKOBU_WINDOWS_EXE (set by scripts/test) and {WINE64}; got {exe:?}");
            }
            notice("NOTICE: SKIPPING the Windows lane: run scripts/test (it builds hakobu.exe and installs Wine)");
            return None;
        }
        let exe = exe.unwrap();
        assert!(exe.with_file_name("bcryptprimitives.dll").is_file(), "the ProcessPrng shim must sit beside {}", exe.display());
        // One prefix under target/tmp, made on the first run and reused
        // (about 700 MB, and its creation is the slowest step of the lane).
        let prefix = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wine-prefix");
        if !prefix.join("system.reg").is_file() {
            let boot = Command::new(WINE64)
                .args(["wineboot", "-i"])
                .env("WINEPREFIX", &prefix)
                .env("WINEDEBUG", "-all")
                .stdin(Stdio::null())
                .output()
                .expect("start wine");
            assert!(prefix.join("system.reg").is_file(), "wineboot made no prefix: {}", String::from_utf8_lossy(&boot.stderr));
        }
        // Drive E: is a removable drive, as a USB stick is on Windows
        // (GetDriveTypeW: DRIVE_REMOVABLE); Wine's default is a fixed disk.
        let reg = Command::new(WINE64)
            .args(["reg", "add", r"HKLM\Software\Wine\Drives", "/v", "e:", "/d", "floppy", "/f"])
            .env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .stdin(Stdio::null())
            .output()
            .expect("run wine reg");
        assert!(reg.status.success(), "wine reg add failed: {}", String::from_utf8_lossy(&reg.stderr));
        // Wine's mount manager learns the drives (and their types) when it
        // starts, from the links in dosdevices: E: must exist then, or it is
        // taken for a fixed disk however often its link is pointed elsewhere
        // (a fresh prefix failed the first tests so). Give it a link, then end
        // the server (which writes the registry out) so the next process
        // starts the mount manager anew.
        let placeholder = prefix.join("e-placeholder");
        fs::create_dir_all(&placeholder).unwrap();
        let link = prefix.join("dosdevices/e:");
        if fs::symlink_metadata(&link).is_err() {
            std::os::unix::fs::symlink(&placeholder, &link).unwrap();
        }
        for args in [&["-k"][..], &["-w"][..]] {
            let _ = Command::new("/usr/lib/wine/wineserver64").args(args).env("WINEPREFIX", &prefix).stdin(Stdio::null()).output();
        }
        Some(Wine { exe, prefix })
    })
    .as_ref()
}

impl Wine {
    /// Runs hakobu.exe in `cwd` (seen by Windows as `Z:\…`).
    fn run(&self, cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
        self.command(cwd, env, args).output().expect("run hakobu.exe under wine")
    }

    /// hakobu.exe in `cwd`, ready to run or spawn.
    fn command(&self, cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> Command {
        let mut cmd = Command::new(WINE64);
        cmd.arg(&self.exe)
            .args(args)
            .current_dir(cwd)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("HAKOBU_LANG", "en")
            .env_remove("HAKOBU_IDENTITY")
            .env_remove("HAKOBU_CONFIG")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    fn run_ok(&self, cwd: &Path, args: &[&str]) -> Output {
        let out = self.run(cwd, &[], args);
        assert!(out.status.success(), "{}", explain(cwd, args, &out, "hakobu.exe: expected success"));
        out
    }

    /// Makes `dir` the drive `E:` for as long as the guard lives (one test at a time).
    pub(crate) fn drive_e(&self, dir: &Path) -> MutexGuard<'static, ()> {
        static DRIVE: Mutex<()> = Mutex::new(());
        let guard = DRIVE.lock().unwrap_or_else(|e| e.into_inner());
        let link = self.prefix.join("dosdevices/e:");
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(dir, &link).unwrap();
        guard
    }
}

/// `Z:\…` for a Linux path (Wine's mapping of `/`).
fn z(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn first_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or_default().trim().to_string()
}

/// Synthetic member data with Japanese names, and a key made by hakobu.exe.
fn setup(w: &Wine, d: &Path) -> String {
    write(&d.join("データ/会員名簿.csv"), "番号,氏名,生年月日\n0001,山田太郎,1970-01-01\n".as_bytes());
    write(&d.join("データ/健診/結果 2026.txt"), b"synthetic results\n");
    write(&d.join("データ/big.bin"), &synthetic_bytes(3, 3 << 20));
    let out = w.run_ok(d, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A temporary folder with [`setup`]'s data and key in it, and the public key.
fn workspace(w: &Wine) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let public = setup(w, dir.path());
    (dir, public)
}

/// DLLs every Windows 10/11 has (the exe may import these and nothing else).
const SYSTEM_DLLS: [&str; 13] = [
    "kernel32.dll",
    "advapi32.dll",
    "api-ms-win-core-synch-l1-2-0.dll",
    "bcrypt.dll",
    "bcryptprimitives.dll",
    "msvcrt.dll",
    "ntdll.dll",
    "userenv.dll",
    "ws2_32.dll",
    "shell32.dll",
    "combase.dll",
    "ole32.dll",
    // Windows Installer: `setup policy --remove` asks whether another hakobu MSI is installed (#30).
    "msi.dll",
];

#[test]
fn the_exe_is_self_contained() {
    // One hakobu.exe, nothing beside it: every DLL it imports comes with Windows.
    let Some(w) = wine() else { return };
    let out =
        Command::new("x86_64-w64-mingw32-objdump").arg("-p").arg(&w.exe).output().expect("x86_64-w64-mingw32-objdump (binutils-mingw-w64)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let imports: Vec<String> = text.lines().filter_map(|l| l.trim().strip_prefix("DLL Name: ")).map(|d| d.to_ascii_lowercase()).collect();
    assert!(imports.iter().any(|d| d == "kernel32.dll"), "no imports read:\n{text}");
    let foreign: Vec<&String> = imports.iter().filter(|d| !SYSTEM_DLLS.contains(&d.as_str()) && !d.starts_with("api-ms-win-")).collect();
    assert!(foreign.is_empty(), "hakobu.exe needs DLLs Windows does not have: {foreign:?}");
}

#[test]
fn the_library_unit_tests_pass_on_windows() {
    // The library's own tests, built for Windows by scripts/test: the
    // Win32 calls of platform::windows and the unbuffered handles of
    // io::direct, on the edges (empty, one byte, a block and one more…).
    let Some(w) = wine() else { return };
    let tests = w.exe.with_file_name("hakobu-unit-tests.exe");
    assert!(tests.is_file(), "scripts/test builds {}", tests.display());
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(WINE64)
        .arg(&tests)
        .arg("--test-threads=2")
        .current_dir(dir.path())
        .env("WINEPREFIX", &w.prefix)
        .env("WINEDEBUG", "-all")
        .stdin(Stdio::null())
        .output()
        .expect("run the unit tests under wine");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "unit tests under Wine failed:\n{text}\n{}", stderr(&out));
    let passed: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("test result: ok. ")?.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no test result line:\n{text}"));
    assert!(passed >= 50, "only {passed} unit tests ran:\n{text}");
    for must in [
        "io::direct::tests::the_unbuffered_handle_opens_for_writing_and_reading ... ok",
        "platform::windows::tests::",
        "io::atomic::tests::a_temporary_file_is_hidden_and_the_saved_file_is_not ... ok",
        // Issue #31: an archive is read through the handles opened when it was found.
        "platform::windows::tests::a_reopened_handle_reads_the_same_file_from_its_own_position ... ok",
        "io::volumes::tests::writer_splits_at_the_limit_and_reader_joins ... ok",
    ] {
        assert!(text.contains(must), "{must:?} did not run:\n{text}");
    }
}

#[test]
fn the_archive_is_written_and_read_back_past_the_cache() {
    // FILE_FLAG_NO_BUFFERING handles (ReOpenFile) for the writing, the
    // read-back and verify. Wine 8 maps the flag to nothing (its page cache
    // is Linux's), so what shows here is that hakobu asks for it, through
    // Wine's trace of the call, and that the bytes come through all the same.
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    fs::create_dir(d.join("out")).unwrap();
    let traced = [("WINEDEBUG", "trace+file")];
    let unbuffered = |o: &Output, access: &str| {
        stderr(o).lines().filter(|l| l.contains("ReOpenFile") && l.contains(access) && l.contains("attributes 0x20000000")).count()
    };
    let out = w.run(d, &traced, &["pack", "データ", "-o", "out", "-r", &public, "--split", "1M", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out).lines().filter(|l| !l.contains(":trace:")).collect::<Vec<_>>().join("\n"));
    let is_volume = |name: String| name.rsplit_once(".age.").is_some_and(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()));
    let volumes =
        fs::read_dir(d.join("out")).unwrap().filter(|f| is_volume(f.as_ref().unwrap().file_name().to_string_lossy().into_owned())).count();
    assert!(volumes >= 3, "{volumes} volumes");
    // GENERIC_WRITE for each volume written, GENERIC_READ for each read back.
    assert_eq!(unbuffered(&out, "access 0x40000000"), volumes, "unbuffered writes");
    assert_eq!(unbuffered(&out, "access 0x80000000"), volumes, "unbuffered read-backs");
    let first = first_line(&out);
    let out = w.run(d, &traced, &["verify", &first, "-i", "key.txt"]);
    assert!(out.status.success(), "verify failed");
    assert!(unbuffered(&out, "access 0x80000000") >= volumes, "verify read past the cache");
    // And what was written that way unpacks on Linux, byte for byte.
    let linux_path = format!("out/{}", first.rsplit('\\').next().unwrap());
    run_ok(d, &["unpack", &linux_path, "-o", "linux", "-i", "key.txt"]);
    assert_same_tree(&d.join("データ"), &d.join("linux/データ"));
}

/// #31 item 6: hakobu.exe's pack of a large archive onto a FAT32 `E:`
/// (fusefat) failed its read-back, and with `--no-verify` left wrong bytes
/// on the image. fusefat keeps a view of a file per open (its length, its
/// clusters), and the tail of each file went through the original handle
/// after the unbuffered twin had written the rest: fusefat then began the
/// file anew, zeros where the twin's bytes had been (docs/WINDOWS.md has
/// the evidence). Every byte now goes through the one unbuffered handle.
#[test]
fn a_large_archive_packs_onto_a_fat32_e_and_reads_back() {
    let Some(w) = wine() else { return };
    if !require("fusefat") || !require("mkfs.vfat") {
        return;
    }
    let Some(stick) = Medium::fat32(256) else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 72 MiB and a little: the archive ends in a partial sector.
    write(&d.join("スキャン/健診票.bin"), &synthetic_bytes(31, (72 << 20) + 1234));
    let out = w.run_ok(d, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    let public = first_line(&out);
    let _e = w.drive_e(&stick.dir);
    // One file, then volumes of 16 MiB (whole sectors but the last).
    for (name, split) in [("large", None), ("volumes", Some("16M"))] {
        let mut args = vec!["pack", "スキャン", "-o", "E:\\", "-r", &public, "--name", name, "-q"];
        args.extend(split.iter().flat_map(|s| ["--split", *s]));
        let out = w.run(d, &[], &args);
        assert!(out.status.success(), "{}", explain(d, &args, &out, "a large pack onto a FAT32 E:"));
    }
    let large = fs::metadata(stick.dir.join("large.age")).unwrap().len();
    assert!(large >= 70_000_000 && large % 4096 != 0, "{large} bytes: not a large archive ending in a partial sector");
    assert!(stick.dir.join("volumes.age.005").is_file(), "{}", listing(&stick.dir));
    assert!(leftovers_on(&stick.dir).is_empty(), "{}", listing(&stick.dir));
    // What reached the image, read by Linux hakobu through the mount.
    for archive in ["large.age", "volumes.age"] {
        let path = stick.dir.join(archive);
        run_ok(d, &["verify", path.to_str().unwrap(), "-i", "key.txt"]);
    }
    let path = stick.dir.join("large.age");
    run_ok(d, &["unpack", path.to_str().unwrap(), "-o", "linux", "-i", "key.txt"]);
    assert_same_tree(&d.join("スキャン"), &d.join("linux/スキャン"));
}

/// The unbuffered writer's edges (empty, a block and one byte more, a chunk
/// and a bit…) on a fusefat file system: every length that ends in a partial
/// block came back wrong there before every byte went through one handle.
#[test]
fn the_unbuffered_writer_round_trips_on_fat32() {
    let Some(w) = wine() else { return };
    if !require("fusefat") || !require("mkfs.vfat") {
        return;
    }
    let tests = w.exe.with_file_name("hakobu-unit-tests.exe");
    assert!(tests.is_file(), "scripts/test builds {}", tests.display());
    let Some(stick) = Medium::fat32(64) else { return };
    let name = "io::direct::tests::round_trips_lengths_around_block_and_chunk_edges";
    let out = Command::new(WINE64)
        .arg(&tests)
        .args([name, "--exact"])
        .current_dir(&stick.dir)
        .env("WINEPREFIX", &w.prefix)
        .env("WINEDEBUG", "-all")
        .stdin(Stdio::null())
        .output()
        .expect("run the unit tests under wine");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains(&format!("{name} ... ok")), "on fusefat:\n{text}\n{}", stderr(&out));
}

/// The evidence that the driver, not Wine or Windows' rules, loses a file
/// written through two opens (tests/windows/twoopens.c, a plain mingw
/// program): the pattern hakobu.exe used (blocks through an unbuffered
/// twin, the tail through the original handle) reads back wrong on a
/// fusefat `E:` and right on a Linux folder, and the pattern it uses now
/// (all through the twin, the end set on it) reads back right on both.
/// Should fusefat learn to share one view between opens, the first
/// assertion fails: then docs/WINDOWS.md's note on it can go.
#[test]
fn fusefat_loses_a_file_written_through_two_opens_and_one_open_is_right() {
    let Some(w) = wine() else { return };
    if !require("fusefat") || !require("mkfs.vfat") {
        return;
    }
    let tool = w.exe.with_file_name("twoopens.exe");
    assert!(tool.is_file(), "scripts/test builds {}", tool.display());
    let Some(stick) = Medium::fat32(64) else { return };
    let dir = tempfile::tempdir().unwrap();
    let _e = w.drive_e(&stick.dir);
    let run = |path: &str, mode: &str| {
        let out = Command::new(WINE64)
            .arg(&tool)
            .args([path, "3", "1234", mode])
            .current_dir(dir.path())
            .env("WINEPREFIX", &w.prefix)
            .env("WINEDEBUG", "-all")
            .stdin(Stdio::null())
            .output()
            .expect("run twoopens.exe");
        (out.status.code(), String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let (code, said) = run(r"E:\two-opens", "1");
    assert_eq!(code, Some(1), "two opens on fusefat: {said}");
    assert!(said.contains("first wrong byte: 0") || said.contains("first wrong byte: 1"), "{said}");
    let (code, said) = run(&z(&dir.path().join("two-opens")), "1");
    assert_eq!(code, Some(0), "two opens on a Linux folder: {said}");
    for path in [r"E:\one-open".to_string(), z(&dir.path().join("one-open"))] {
        let (code, said) = run(&path, "2");
        assert_eq!(code, Some(0), "one open, {path}: {said}");
    }
}

/// The owner and DACL of a file as SDDL, read by the test-only sddl.exe.
fn sddl(w: &Wine, cwd: &Path, file: &Path) -> String {
    let tool = w.exe.with_file_name("sddl.exe");
    assert!(tool.is_file(), "scripts/test builds {}", tool.display());
    let out = Command::new(WINE64)
        .arg(&tool)
        .arg(z(file))
        .current_dir(cwd)
        .env("WINEPREFIX", &w.prefix)
        .env("WINEDEBUG", "-all")
        .stdin(Stdio::null())
        .output()
        .expect("run sddl.exe");
    assert!(out.status.success(), "sddl.exe: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_key_file_is_its_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let Some(w) = wine() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The tool sees Everyone (WD) on an ordinary file, so it would see it on a key.
    fs::write(d.join("ordinary.txt"), b"x").unwrap();
    fs::set_permissions(d.join("ordinary.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    assert!(sddl(w, d, &d.join("ordinary.txt")).contains(";;;WD)"), "the check cannot see Everyone");

    let out = w.run_ok(d, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    let public = first_line(&out);
    let acl = sddl(w, d, &d.join("key.txt"));
    let owner = acl.strip_prefix("O:").and_then(|a| a.split("D:").next()).unwrap_or_else(|| panic!("{acl}"));
    assert!(acl.contains(&format!("(A;;FA;;;{owner})")), "the owner has no full access: {acl}");
    // SYSTEM and Administrators keep access, as for any file (WINDOWS.md).
    for other in [";;;WD)", ";;;BU)", ";;;AU)"] {
        assert!(!acl.contains(other), "the key file grants {other} access: {acl}");
    }
    // Wine keeps the ACL as Unix mode bits: nothing for others.
    let mode = fs::metadata(d.join("key.txt")).unwrap().permissions().mode();
    assert_eq!(mode & 0o007, 0, "mode {mode:o}");
    // And the key still opens what is packed for it.
    fs::write(d.join("note.txt"), b"synthetic\n").unwrap();
    fs::create_dir(d.join("out")).unwrap();
    let out = w.run_ok(d, &["pack", "note.txt", "-o", "out", "-r", &public, "--name", "k"]);
    assert!(first_line(&out).ends_with("k.age"));
    w.run_ok(d, &["list", "out\\k.age", "-i", "key.txt"]);
}

#[test]
fn keygen_pack_verify_unpack_on_drive_e_with_japanese_names() {
    let Some(w) = wine() else { return };
    if !require("fusefat") || !require("mkfs.vfat") {
        return;
    }
    let Some(stick) = Medium::fat32(64) else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    assert!(public.starts_with("age1"), "{public}");
    let _e = w.drive_e(&stick.dir);

    let out = w.run(d, &[], &["pack", "データ", "-o", "E:\\", "-r", &public, "--split", "1M"]);
    assert!(out.status.success(), "{}", explain(d, &["pack"], &out, "pack onto E:"));
    let first = first_line(&out);
    assert!(first.starts_with("E:\\") && first.ends_with(".age.001"), "{first}");
    assert!(stderr(&out).contains("you can remove the stick now"), "{}", stderr(&out));
    let volumes: Vec<_> =
        fs::read_dir(&stick.dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains(".age.0")).collect();
    assert!(volumes.len() >= 3, "{}", listing(&stick.dir));
    assert!(leftovers_on(&stick.dir).is_empty(), "{}", listing(&stick.dir));

    // IT, without a key, then with it.
    let out = w.run_ok(d, &["verify", &first]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("checksum     match") && text.contains("result       PASS"), "{text}");
    assert!(!text.contains("\\\\"), "a doubled backslash in a path:\n{text}");
    let out = w.run_ok(d, &["verify", &first, "-i", "key.txt"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("contents     ok"));
    // The whole stick, as IT checks it at the door: only the archive's files.
    let out = w.run_ok(d, &["verify", "E:\\"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("CLEAN: "), "{}", String::from_utf8_lossy(&out.stdout));
    fs::write(stick.dir.join("list.csv"), "no,name\n1,synthetic\n").unwrap();
    let out = w.run(d, &[], &["verify", "E:\\", "--json"]);
    assert_eq!(out.status.code(), Some(6), "{}", String::from_utf8_lossy(&out.stdout));
    fs::remove_file(stick.dir.join("list.csv")).unwrap();

    // The receiver, in Japanese.
    let out = w.run(d, &[("HAKOBU_LANG", "ja")], &["unpack", &first, "-o", "受信", "-i", "key.txt"]);
    assert!(out.status.success(), "{}", explain(d, &["unpack"], &out, "unpack from E:"));
    assert!(stderr(&out).contains("に展開しました。"), "{}", stderr(&out));
    assert_same_tree(&d.join("データ"), &d.join("受信/データ"));

    // No clobber: the same unpack again is refused, nothing replaced.
    let out = w.run(d, &[], &["unpack", &first, "-o", "受信", "-i", "key.txt"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("code: output-exists"), "{}", stderr(&out));
    // Nor onto the stick itself (plaintext would travel).
    let out = w.run(d, &[], &["unpack", &first, "-o", "E:\\open", "-i", "key.txt"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("code: destination-on-archive-medium"), "{}", stderr(&out));
    assert!(!stick.dir.join("open/データ").exists());
}

#[test]
fn a_stick_too_small_is_refused_before_writing_and_names_are_not_clobbered() {
    let Some(w) = wine() else { return };
    let Some(stick) = Medium::tmpfs("2m") else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    let _e = w.drive_e(&stick.dir);
    let out = w.run(d, &[], &["pack", "データ", "-o", "E:\\", "-r", &public]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("code: no-space") && stderr(&out).contains("not enough free space in E:\\"), "{}", stderr(&out));
    assert_eq!(fs::read_dir(&stick.dir).unwrap().count(), 0, "{}", listing(&stick.dir));

    // A name already taken is never replaced.
    fs::remove_file(d.join("データ/big.bin")).unwrap();
    w.run_ok(d, &["pack", "データ", "-o", "E:\\", "-r", &public, "--name", "same"]);
    let before = fs::read(stick.dir.join("same.age")).unwrap();
    let out = w.run(d, &[], &["pack", "データ", "-o", "E:\\", "-r", &public, "--name", "same"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("code: output-exists"), "{}", stderr(&out));
    assert_eq!(fs::read(stick.dir.join("same.age")).unwrap(), before);
}

#[test]
fn a_dead_packs_leftover_is_removed_by_the_next_pack() {
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    fs::create_dir(d.join("stick")).unwrap();
    // What a killed hakobu.exe leaves: a temp file named with its process id
    // (a Windows pid no process has; OpenProcess says so).
    let leftover = d.join("stick/.hakobu-tmp-4000000-x7Qa1");
    fs::write(&leftover, synthetic_bytes(1, 4096)).unwrap();
    let out = w.run_ok(d, &["pack", "データ", "-o", &z(&d.join("stick")), "-r", &public]);
    assert!(stderr(&out).contains("left behind by an interrupted pack"), "{}", stderr(&out));
    assert!(!leftover.exists(), "{}", listing(&d.join("stick")));
}

#[test]
fn archives_cross_between_windows_linux_and_stock_age() {
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    fs::create_dir(d.join("stick")).unwrap();

    // hakobu.exe → Linux hakobu and stock age + tar.
    let out = w.run_ok(d, &["pack", "データ", "-o", &z(&d.join("stick")), "-r", &public, "--name", "from-windows"]);
    assert!(first_line(&out).ends_with("from-windows.age"), "{}", first_line(&out));
    run_ok(d, &["unpack", "stick/from-windows.age", "-o", "linux", "-i", "key.txt"]);
    assert_same_tree(&d.join("データ"), &d.join("linux/データ"));
    if require("age") {
        let shell = "age -d -i key.txt stick/from-windows.age | tar -tf - > listed.txt";
        let ok = Command::new("sh").args(["-c", shell]).current_dir(d).status().unwrap().success();
        assert!(ok, "stock age could not open the exe's archive");
        let listed = fs::read_to_string(d.join("listed.txt")).unwrap();
        assert!(listed.contains("データ/会員名簿.csv"), "{listed}");
    }

    // Linux hakobu → hakobu.exe.
    run_ok(d, &["pack", "データ", "-o", "stick", "-r", &public, "--name", "from-linux"]);
    let out = w.run(d, &[], &["unpack", &z(&d.join("stick/from-linux.age")), "-o", "windows", "-i", "key.txt"]);
    assert!(out.status.success(), "{}", explain(d, &["unpack"], &out, "exe unpacks a Linux archive"));
    assert_same_tree(&d.join("データ"), &d.join("windows/データ"));
}

fn leftovers_on(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".hakobu-"))
        .collect()
}

#[test]
fn packs_at_once_append_whole_chained_records_to_one_ledger() {
    let Some(w) = wine() else { return };
    let Some(stick) = Medium::tmpfs("16m") else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    fs::remove_file(d.join("データ/big.bin")).unwrap();
    // A ledger IT names in the policy (a shared folder in an office; here Z:).
    let ledger = z(&d.join("記録/ledger.jsonl"));
    let config = format!("[ledger]\npath = '{ledger}'\n");
    fs::write(d.join("config.toml"), config).unwrap();
    let config = z(&d.join("config.toml"));
    let env = [("HAKOBU_CONFIG", config.as_str())];
    fs::create_dir(d.join("out")).unwrap();
    let out_dir = z(&d.join("out"));

    // LockFileEx serialises the appends: four packs at once, four whole records.
    let packs: Vec<_> = (0..4)
        .map(|i| {
            let name = format!("p{i}");
            w.command(d, &env, &["pack", "データ", "-o", &out_dir, "-r", &public, "--name", &name, "-q"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for p in packs {
        let out = p.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", explain(d, &["pack"], &out, "a pack at the same time as three others"));
    }
    let out = w.run(d, &env, &["ledger", "verify", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!((v["ok"].as_bool(), v["records"].as_u64()), (Some(true), Some(4)), "{v}");

    // Onto the removable E:, the record says so; the stick holds no trace of the ledger.
    let _e = w.drive_e(&stick.dir);
    let out = w.command(d, &env, &["pack", "データ", "-o", "E:\\", "-r", &public, "--name", "onto-e", "-q"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = w.run(d, &env, &["ledger", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let records = v["records"].as_array().unwrap();
    assert_eq!(records.len(), 5, "{v}");
    let last = &records[4];
    assert_eq!(last["medium"]["removable"], true, "{last}");
    // (The label is not asserted: Wine's wineserver keeps a drive's label
    // from an earlier mapping of E: while the lane remaps it; tested on an
    // exFAT stick on Linux instead.)
    let mut on_stick: Vec<_> = fs::read_dir(&stick.dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    on_stick.sort();
    assert_eq!(on_stick, ["onto-e.age", "onto-e.age.sha256"], "{on_stick:?}");
}

/// A key file others may read is named when used, in both languages; one
/// only its owner (and SYSTEM) may read is used without a word. Wine 8.0
/// keeps no DACL: it turns the one hakobu sets (keygen, the staging folder)
/// into Unix mode bits and back, and the bits of the umask survive, so the
/// lane checks the reading side on files whose mode it sets (0600: the user
/// and SYSTEM; 0644: Everyone may read); that keygen's and unpack's
/// SetNamedSecurityInfoW calls succeed is shown by every test of the lane.
/// docs/WINDOWS.md lists the ACL itself as not verified on real Windows.
#[test]
fn a_key_file_others_may_read_is_named_and_a_private_one_is_not() {
    use std::os::unix::fs::PermissionsExt;
    let Some(w) = wine() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("data/名簿.csv"), "番号,氏名\n0001,山田太郎\n".as_bytes());
    let out = w.run_ok(d, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    let public = String::from_utf8_lossy(&out.stdout).trim().to_string();
    fs::create_dir(d.join("out")).unwrap();
    w.run_ok(d, &["pack", "data", "-o", "out", "-r", &public]);
    let archive =
        fs::read_dir(d.join("out")).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "age")).unwrap();
    let archive = z(&archive);
    let key = fs::read(d.join("key.txt")).unwrap();

    // Owner only: used without a word.
    fs::write(d.join("private.txt"), &key).unwrap();
    fs::set_permissions(d.join("private.txt"), fs::Permissions::from_mode(0o600)).unwrap();
    let out = w.run_ok(d, &["unpack", &archive, "-o", "recv1", "-i", "private.txt"]);
    assert!(!stderr(&out).contains("can be read by other users"), "{}", stderr(&out));
    assert_same_tree(&d.join("data"), &d.join("recv1/data"));

    // Everyone may read it: named, and still used.
    fs::write(d.join("shared.txt"), &key).unwrap();
    fs::set_permissions(d.join("shared.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    let out = w.run_ok(d, &["unpack", &archive, "-o", "recv2", "-i", "shared.txt"]);
    assert!(stderr(&out).contains("warning: the key file shared.txt can be read by other users"), "{}", stderr(&out));
    assert_same_tree(&d.join("data"), &d.join("recv2/data"));
    let out = w.run(d, &[("HAKOBU_LANG", "ja")], &["verify", &archive, "-i", "shared.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("鍵ファイル shared.txt は、このパソコンのほかの利用者も読めます。"), "{}", stderr(&out));
}

/// Two members whose names differ only in case would be one file on NTFS,
/// FAT32 and exFAT: unpack refuses the archive (exit 1, `unsafe-entry`,
/// naming both) and writes nothing, instead of letting the second
/// overwrite the first.
#[test]
fn names_differing_only_in_case_are_refused_at_unpack() {
    let Some(w) = wine() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = w.run_ok(d, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    let public = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let plain = crate::craft::Craft::new().file(b"Member.csv", b"1").file(b"member.csv", b"2").finish();
    let archive = crate::craft::seal(&plain, &public, &d.join("case.age"));
    let out = w.run(d, &[], &["unpack", &z(&archive), "-o", "recv", "-i", "key.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("collides with \"Member.csv\"") && stderr(&out).contains("code: unsafe-entry"), "{}", stderr(&out));
    assert!(fs::read_dir(d.join("recv")).map(|r| r.count() == 0).unwrap_or(true), "{}", listing(d));
}

/// Files deeper than MAX_PATH (260 characters) are packed and unpacked:
/// Rust's standard library turns long paths into `\\?\` paths for its own
/// calls, and platform::windows does the same for its Win32 calls
/// (MoveFileExW of each member out of the staging folder, the ACL). Wine has
/// no MAX_PATH limit on its drives, so this shows that nothing breaks, not
/// that Windows' limit is passed; and Wine's GetFinalPathNameByHandleW
/// (`std::fs::canonicalize`) fails on paths that long, so the archive and
/// the destination folder themselves stay short here (docs/WINDOWS.md).
#[test]
fn files_deeper_than_260_characters_pack_and_unpack() {
    let Some(w) = wine() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let deep: PathBuf = (0..12).map(|i| format!("フォルダー{i:02}-{}", "x".repeat(20))).collect();
    let file = d.join("data").join(&deep).join("名簿.csv");
    write(&file, "番号,氏名\n0001,山田太郎\n".as_bytes());
    write(&d.join("data/short.txt"), b"short\n");
    assert!(z(&d.join("recv").join(&deep)).chars().count() > 300);
    let out = w.run_ok(d, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    let public = String::from_utf8_lossy(&out.stdout).trim().to_string();
    fs::create_dir(d.join("out")).unwrap();
    let out = w.run_ok(d, &["pack", &z(&d.join("data")), "-o", "out", "-r", &public]);
    let archive = first_line(&out);
    w.run_ok(d, &["verify", &archive, "-i", "key.txt"]);
    w.run_ok(d, &["unpack", &archive, "-o", &z(&d.join("recv")), "-i", "key.txt"]);
    assert_same_tree(&d.join("data"), &d.join("recv/data"));
}

/// Mark of the Web: an archive carrying a `Zone.Identifier` stream passes
/// it to the files unpacked from it. Wine has no alternate data streams: it
/// takes `name:Zone.Identifier` as a file name with a colon, which on Linux
/// is a file beside `name`. So here the archive's "stream" is such a file,
/// and the marks hakobu writes into the staging folder show up beside the
/// files of a folder that moves into place whole (a top-level file's mark
/// stays behind in the staging folder under Wine, where on NTFS the stream
/// moves with its file). With no mark on the archive, no file gets one.
#[test]
fn a_marked_archive_marks_the_files_taken_out_of_it() {
    let Some(w) = wine() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("data/名簿.csv"), "番号,氏名\n0001,山田太郎\n".as_bytes());
    write(&d.join("data/sub/結果.txt"), b"synthetic\n");
    let out = w.run_ok(d, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    let public = String::from_utf8_lossy(&out.stdout).trim().to_string();
    fs::create_dir(d.join("out")).unwrap();
    let archive = first_line(&w.run_ok(d, &["pack", "data", "-o", "out", "-r", &public]));
    let linux_archive =
        fs::read_dir(d.join("out")).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "age")).unwrap();

    w.run_ok(d, &["unpack", &archive, "-o", "plain", "-i", "key.txt"]);
    assert!(!d.join("plain/data/名簿.csv:Zone.Identifier").exists(), "{}", listing(&d.join("plain")));

    let mark = "[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://mail.example.invalid/\r\n";
    let mut stream = linux_archive.into_os_string();
    stream.push(":Zone.Identifier");
    fs::write(&stream, mark).unwrap();
    w.run_ok(d, &["unpack", &archive, "-o", "marked", "-i", "key.txt"]);
    for f in ["data/名簿.csv", "data/sub/結果.txt"] {
        let got = fs::read_to_string(d.join(format!("marked/{f}:Zone.Identifier"))).unwrap_or_default();
        assert_eq!(got, mark, "{f}: {}", listing(&d.join("marked")));
    }
}

/// The user's SendTo folders in the prefix (Wine's FOLDERID_SendTo).
fn sendto_lnks(w: &Wine) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for user in fs::read_dir(w.prefix.join("drive_c/users")).unwrap().flatten() {
        let dir = user.path().join("AppData/Roaming/Microsoft/Windows/SendTo");
        if let Ok(entries) = fs::read_dir(&dir) {
            found.extend(
                entries.flatten().map(|e| e.path()).filter(|p| p.to_string_lossy().starts_with(&*dir.join("hakobu").to_string_lossy())),
            );
        }
    }
    found.sort();
    found
}

#[test]
fn setup_sendto_creates_and_removes_the_shortcuts_in_the_users_sendto_folder() {
    let Some(w) = wine() else { return };
    let d = tempfile::tempdir().unwrap();
    let recipient = setup(w, d.path());
    w.run_ok(d.path(), &["recipients", "add", "千葉支部", &recipient, "--config", "config.toml"]);
    let _ = w.run(d.path(), &[], &["setup", "sendto", "--remove"]);
    let out = w.run(d.path(), &[("HAKOBU_LANG", "ja")], &["setup", "sendto", "--offices", "--config", "config.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lnks = sendto_lnks(w);
    let names: Vec<String> = lnks.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["hakobu で千葉支部へ送る.lnk", "hakobu で受け取る.lnk", "hakobu で送る.lnk"], "{}", stderr(&out));
    for lnk in &lnks {
        let bytes = fs::read(lnk).unwrap();
        // A shell link: header size 0x4C and the CLSID 00021401-0000-0000-C000-000000000046.
        assert_eq!(&bytes[..4], &[0x4c, 0, 0, 0], "{}", lnk.display());
        assert_eq!(&bytes[4..8], &[0x01, 0x14, 0x02, 0x00], "{}", lnk.display());
    }
    // The office's shortcut passes --office 千葉支部 (UTF-16 in the link's arguments).
    let office = fs::read(&lnks[0]).unwrap();
    let wide: Vec<u8> = "--office".encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert!(office.windows(wide.len()).any(|w| w == wide.as_slice()), "no --office argument in the shortcut");
    let out = w.run(d.path(), &[], &["setup", "sendto", "--remove"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sendto_lnks(w).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_drop_without_a_console_to_ask_in_is_refused_with_nothing_written() {
    let Some(w) = wine() else { return };
    let d = tempfile::tempdir().unwrap();
    setup(w, d.path());
    fs::create_dir(d.path().join("stick")).unwrap();
    let folder = z(&d.path().join("データ"));
    let out = w.run(d.path(), &[], &[&folder]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("needs a terminal"), "{}", stderr(&out));
    assert!(fs::read_dir(d.path().join("stick")).unwrap().next().is_none());
}

/// A drop of `データ` (made by [`setup`] in `d`) onto hakobu.exe, as Windows
/// starts it: the program line and its environment, with 千葉支部 in the
/// address book and `E:` the one stick.
fn drop_of_data(w: &Wine, d: &Path) -> (Vec<String>, Vec<(&'static str, String)>) {
    let recipient = setup(w, d);
    w.run_ok(d, &["recipients", "add", "千葉支部", &recipient, "--config", "config.toml"]);
    let program = vec![WINE64.to_string(), w.exe.display().to_string(), z(&d.join("データ"))];
    let env = vec![
        ("WINEPREFIX", w.prefix.display().to_string()),
        ("WINEDEBUG", "-all".to_string()),
        ("HAKOBU_LANG", "ja".to_string()),
        ("HAKOBU_CONFIG", z(&d.join("config.toml"))),
        ("HAKOBU_TEST_REMOVABLE", r"E:\".to_string()),
    ];
    (program, env)
}

#[test]
fn a_drop_onto_hakobu_exe_packs_for_the_office_onto_drive_e_with_scripted_answers() {
    let Some(w) = wine() else { return };
    if !require("script") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let _e = w.drive_e(stick.path());
    let (program, env) = drop_of_data(w, d.path());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // As Windows starts it for a drop: hakobu.exe Z:\…\データ, alone in its console.
    let (code, screen) = crate::guided::drive_program(
        d.path(),
        &env,
        &program,
        &[
            ("宛先を選んでください", "\r"),
            ("保存するUSBメモリを選んでください", "\r"),
            ("保存しますか", "y"),
            ("Enter キーを押すと画面を閉じます", "\r"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("千葉支部だけが開けます。USBメモリ E:"), "{screen}");
    // The volume label is not asserted: Wine keeps a drive's label across the
    // lane's remapping of E: (it showed 「KIOXIA」 from .windows-label when run alone).
    assert!(screen.contains("USBメモリを取り外しても大丈夫です"), "{screen}");
    // Alone in its console (GetConsoleProcessList == 1): it waited for Enter before closing.
    assert!(screen.contains("Enter キーを押すと画面を閉じます"), "{screen}");
    let archive = fs::read_dir(stick.path()).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "age"));
    let archive = archive.unwrap_or_else(|| panic!("no archive on E:\n{screen}"));
    // The Linux build opens it with the key hakobu.exe made: the same archive as `pack --to 千葉支部`.
    let out = run_ok(d.path(), &["unpack", archive.to_str().unwrap(), "-o", "out", "-i", "key.txt"]);
    assert!(out.status.success());
    assert_same_tree(&d.path().join("データ"), &d.path().join("out/データ"));
}

/// Sender signatures (issue #17) on Windows: hakobu.exe makes a signing key
/// (a private file), signs a pack; Linux hakobu and stock ssh-keygen verify
/// it; the exe names the sender of a Linux-signed archive and refuses a
/// flipped byte with exit 7.
#[test]
fn signatures_cross_between_windows_and_linux() {
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    fs::create_dir(d.join("stick")).unwrap();
    let out = w.run_ok(d, &["keygen", "--sign", "--no-passphrase", "-o", "sk"]);
    let signer = first_line(&out);
    assert!(signer.starts_with("ssh-ed25519 "), "{signer}");
    let config = d.join("config.toml");
    fs::write(&config, format!("[signing]\nrequire_signature = true\n[senders]\n\"本社\" = \"{signer}\"\n")).unwrap();
    let cfg = z(&config);
    let env = [("HAKOBU_CONFIG", cfg.as_str())];
    let out = w.run(d, &env, &["pack", "データ", "-o", &z(&d.join("stick")), "-r", &public, "--sign", "sk", "--name", "w"]);
    assert!(out.status.success(), "{}", explain(d, &["pack", "--sign"], &out, "exe signs"));
    assert!(d.join("stick/w.age.sig").is_file());
    let linux = run_env(d, &[("HAKOBU_CONFIG", config.to_str().unwrap())], &["verify", "--json", "stick/w.age"]);
    assert!(linux.status.success(), "{}", stderr(&linux));
    assert!(String::from_utf8_lossy(&linux.stdout).contains("\"name\":\"本社\""));
    if require("ssh-keygen") {
        fs::write(d.join("allowed"), format!("本社 {signer}\n")).unwrap();
        let ok = Command::new("sh")
            .args(["-c", "ssh-keygen -Y verify -f allowed -I 本社 -n hakobu -s stick/w.age.sig < stick/w.age"])
            .current_dir(d)
            .status()
            .unwrap()
            .success();
        assert!(ok, "stock ssh-keygen refused the exe's signature");
    }
    // Linux signs, the exe checks before decrypting.
    run_ok(d, &["pack", "データ", "-o", "stick", "-r", &public, "--sign", "sk", "--name", "l"]);
    let out = w.run(d, &env, &["verify", &z(&d.join("stick/l.age"))]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("made by 本社"), "{}", String::from_utf8_lossy(&out.stdout));
    // Another archive's signature: judged over the bytes decrypted, refused
    // (exit 7) before anything is released (issue #31).
    let sig = fs::read(d.join("stick/l.age.sig")).unwrap();
    fs::copy(d.join("stick/w.age.sig"), d.join("stick/l.age.sig")).unwrap();
    let out = w.run(d, &env, &["unpack", &z(&d.join("stick/l.age")), "-o", "win-out", "-i", "key.txt"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(!d.join("win-out").exists() || fs::read_dir(d.join("win-out")).unwrap().next().is_none());
    // A flipped byte is damage (exit 1), named as such, not as a forgery (issue #25).
    fs::write(d.join("stick/l.age.sig"), sig).unwrap();
    let mut b = fs::read(d.join("stick/l.age")).unwrap();
    let i = b.len() / 2;
    b[i] ^= 1;
    fs::write(d.join("stick/l.age"), &b).unwrap();
    let out = w.run(d, &env, &["unpack", &z(&d.join("stick/l.age")), "-o", "win-out2", "-i", "key.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("signature-refused"), "{}", stderr(&out));
    assert!(!d.join("win-out2").exists() || fs::read_dir(d.join("win-out2")).unwrap().next().is_none());
}

/// A share `\\localhost\<name>` whose files are in `dir`: Wine takes a
/// UNC path `\\server\share\…` from `dosdevices/unc/server/share`, so no
/// SMB server is needed to reach hakobu's UNC handling.
fn share(w: &Wine, name: &str, dir: &Path) -> String {
    let server = w.prefix.join("dosdevices/unc/localhost");
    fs::create_dir_all(&server).unwrap();
    let link = server.join(name);
    let _ = fs::remove_file(&link);
    std::os::unix::fs::symlink(dir, &link).unwrap();
    format!(r"\\localhost\{name}")
}

#[test]
fn unc_paths_serve_as_source_output_and_destination() {
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    let shared = d.join("shared");
    fs::create_dir_all(&shared).unwrap();
    let unc = share(w, &format!("hakobu-{}", std::process::id()), &shared);
    fs::create_dir(shared.join("out")).unwrap();
    // Sources and the archive's folder on the share.
    copy_tree(&d.join("データ"), &shared.join("データ"));
    let out = w.run(d, &[], &["pack", &format!(r"{unc}\データ"), "-o", &format!(r"{unc}\out"), "-r", &public, "--name", "on-share"]);
    assert!(out.status.success(), "{}", explain(d, &["pack"], &out, "pack onto a UNC folder"));
    assert_eq!(first_line(&out), format!(r"{unc}\out\on-share.age"));
    assert!(shared.join("out/on-share.age").is_file() && shared.join("out/on-share.age.sha256").is_file(), "{}", listing(&shared));
    // No clobber there either.
    let again = w.run(d, &[], &["pack", "データ", "-o", &format!(r"{unc}\out"), "-r", &public, "--name", "on-share"]);
    assert_eq!(again.status.code(), Some(4), "{}", stderr(&again));
    assert!(stderr(&again).contains("code: output-exists"), "{}", stderr(&again));
    // Keyless verify of the share's folder, then unpack into the share.
    w.run_ok(d, &["verify", &format!(r"{unc}\out")]);
    let out = w.run(d, &[], &["unpack", &format!(r"{unc}\out\on-share.age"), "-o", &format!(r"{unc}\recv"), "-i", "key.txt"]);
    assert!(out.status.success(), "{}", explain(d, &["unpack"], &out, "unpack into a UNC folder"));
    assert_same_tree(&d.join("データ"), &shared.join("recv/データ"));

    // A folder path of 248 characters or more, so hakobu's own Win32 calls
    // (the no-clobber rename, the volume queries) take it as `\\?\UNC\…`.
    let deep_rel: String = (0..5).map(|_| "d".repeat(40)).collect::<Vec<_>>().join("/") + "/" + &"e".repeat(25);
    fs::create_dir_all(shared.join(&deep_rel)).unwrap();
    let deep = format!(r"{unc}\{}", deep_rel.replace('/', r"\"));
    assert!(deep.len() >= 248, "{} characters", deep.len());
    let out = w.run(d, &[], &["pack", "データ", "-o", &deep, "-r", &public, "--name", "deep", "-q"]);
    assert!(out.status.success(), "{}", explain(d, &["pack"], &out, "pack into a deep UNC folder"));
    assert!(shared.join(&deep_rel).join("deep.age").is_file(), "{}", listing(&shared));
    run_ok(d, &["unpack", shared.join(&deep_rel).join("deep.age").to_str().unwrap(), "-o", "linux", "-i", "key.txt"]);
    assert_same_tree(&d.join("データ"), &d.join("linux/データ"));
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_whole_drive_is_not_a_source_and_the_refusal_says_what_to_choose() {
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    let stick = d.join("stick");
    fs::create_dir_all(stick.join("健診")).unwrap();
    write(&stick.join("健診/結果.csv"), b"synthetic\n");
    fs::create_dir(d.join("out")).unwrap();
    let _e = w.drive_e(&stick);
    for (lang, says, hint) in [
        ("en", "cannot pack E:\\: it is a whole drive", "Choose the folders and files on the drive instead"),
        ("ja", "E:\\ は暗号化できません: ドライブ全体", "ドライブを開き、中のフォルダーやファイルを選んで"),
    ] {
        let out = w.run(d, &[("HAKOBU_LANG", lang)], &["pack", "E:\\", "-o", "out", "-r", &public]);
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        let text = stderr(&out);
        assert!(text.contains(says) && text.contains(hint) && text.contains("code: unsafe-source"), "{lang}: {text}");
    }
    assert_eq!(fs::read_dir(d.join("out")).unwrap().count(), 0, "{}", listing(d));
    // What the hint says works: the folders on the drive.
    let out = w.run_ok(d, &["pack", "E:\\健診", "-o", "out", "-r", &public]);
    let archive = first_line(&out);
    // And a drive root that is not a stick (F:, a fixed disk) takes an unpack.
    let fixed = d.join("fixed");
    fs::create_dir(&fixed).unwrap();
    let link = w.prefix.join("dosdevices/f:");
    let _ = fs::remove_file(&link);
    std::os::unix::fs::symlink(&fixed, &link).unwrap();
    w.run_ok(d, &["unpack", &archive, "-o", "F:\\", "-i", "key.txt"]);
    assert_eq!(fs::read(fixed.join("健診/結果.csv")).unwrap(), b"synthetic\n", "{}", listing(&fixed));
}

#[test]
fn sources_whose_names_windows_forbids_are_refused_with_nothing_written() {
    // Such names reach Windows from other systems (a Linux share, a stick
    // written elsewhere; Wine shows the Linux names as they are). Refused
    // by name before anything is opened: `C:\…\aux.txt` would open the
    // AUX device, `x.` the file `x`.
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    fs::create_dir(d.join("out")).unwrap();
    let names = ["aux.txt", "con", "x.", "trailing ", "q?.txt"];
    for name in names {
        write(&d.join("bad").join(name), b"synthetic\n");
    }
    write(&d.join("bad/ok.txt"), b"fine\n");
    let out = w.run(d, &[], &["pack", "bad", "-o", "out", "-r", &public]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("code: unsafe-sources"), "{text}");
    for name in names {
        assert!(text.contains(&format!(r"bad\{name}")), "{name:?} not named:\n{text}");
    }
    assert!(text.contains("reserved device name on Windows") && text.contains("ends with a dot or space"), "{text}");
    assert_eq!(fs::read_dir(d.join("out")).unwrap().count(), 0, "{}", listing(d));
    let out = w.run(d, &[("HAKOBU_LANG", "ja")], &["pack", "bad", "-o", "out", "-r", &public]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("code: unsafe-sources") && !stderr(&out).contains("reserved device name"), "{}", stderr(&out));
}

#[test]
fn passphrase_prompts_show_in_japanese_and_never_echo_in_a_console() {
    // The console's code page is not UTF-8 (Wine's is 437 here, a Japanese
    // Windows' 932): a prompt written as UTF-8 bytes showed as mojibake.
    let Some(w) = wine() else { return };
    if !require("script") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("データ/会員名簿.csv"), "番号,氏名\n0001,山田太郎\n".as_bytes());
    let prefix = w.prefix.display().to_string();
    let env = [("WINEPREFIX", prefix.as_str()), ("WINEDEBUG", "-all"), ("HAKOBU_LANG", "ja")];
    let phrase = "synthetic-phrase-for-the-lane-7Qx";
    let typed = format!("{phrase}\r");
    let exe = w.exe.display().to_string();
    let program =
        |args: &[&str]| [WINE64.to_string(), exe.clone()].into_iter().chain(args.iter().map(|a| a.to_string())).collect::<Vec<_>>();
    // Ctrl+C at the prompt: cancelled (exit 130), no key file.
    let (code, screen) =
        crate::guided::drive_program(d, &env, &program(&["keygen", "-o", "cancelled.txt"]), &[("パスフレーズを入力してください", "\x03")]);
    assert_eq!(code, Some(130), "{screen}");
    assert!(screen.contains("中止しました") && !d.join("cancelled.txt").exists(), "{screen}");
    let (code, screen) = crate::guided::drive_program(
        d,
        &env,
        &program(&["keygen", "-o", "key.txt"]),
        &[
            ("新しい鍵ファイルを守るパスフレーズを入力してください", &typed),
            ("確認のため、同じパスフレーズをもう一度入力してください", &typed),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains(phrase), "the passphrase was echoed:\n{screen}");
    let key = fs::read_to_string(d.join("key.txt")).unwrap();
    assert!(key.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"), "{key}");
    let public = screen.split_whitespace().find(|w| w.starts_with("age1")).expect("the public key on screen").to_string();
    fs::create_dir(d.join("out")).unwrap();
    w.run_ok(d, &["pack", "データ", "-o", "out", "-r", &public, "--name", "to-protected", "-q"]);
    let (code, screen) = crate::guided::drive_program(
        d,
        &env,
        &program(&["unpack", r"out\to-protected.age", "-o", "recv", "-i", "key.txt"]),
        &[("のパスフレーズを入力してください", &typed)],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("鍵ファイル key.txt のパスフレーズを入力してください"), "{screen}");
    assert!(!screen.contains(phrase), "the passphrase was echoed:\n{screen}");
    assert_same_tree(&d.join("データ"), &d.join("recv/データ"));
}

#[test]
fn the_progress_bar_draws_in_japanese_in_a_console() {
    let Some(w) = wine() else { return };
    if !require("script") {
        return;
    }
    let (dir, public) = workspace(w);
    let d = dir.path();
    write(&d.join("データ/画像.bin"), &synthetic_bytes(5, 100 << 20));
    fs::create_dir(d.join("out")).unwrap();
    let prefix = w.prefix.display().to_string();
    // `out` stands for a stick: "safe to remove" is said only for one (#25).
    let stick = z(&d.join("out"));
    let env = [("WINEPREFIX", prefix.as_str()), ("WINEDEBUG", "-all"), ("HAKOBU_LANG", "ja"), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let program: Vec<String> =
        [WINE64, &w.exe.display().to_string(), "pack", "データ", "-o", "out", "-r", &public].iter().map(|a| a.to_string()).collect();
    let (code, screen) = crate::guided::drive_program(d, &env, &program, &[]);
    assert_eq!(code, Some(0), "{screen}");
    // The bar (its label, the counts and the rate) and the closing line, in Japanese.
    for part in ["暗号化しています [", "MB/", "毎秒", "USBメモリを取り外しても大丈夫です"] {
        assert!(screen.contains(part), "{part:?} not drawn:\n{screen}");
    }
}

#[test]
fn ctrl_c_at_a_guided_question_cancels_with_nothing_written() {
    let Some(w) = wine() else { return };
    if !require("script") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let _e = w.drive_e(stick.path());
    let (program, env) = drop_of_data(w, d.path());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for steps in [
        &[("宛先を選んでください", "\x03")][..],
        &[("宛先を選んでください", "\r"), ("保存するUSBメモリを選んでください", "\r"), ("保存しますか", "\x03")][..],
    ] {
        let (code, screen) = crate::guided::drive_program(d.path(), &env, &program, steps);
        assert_eq!(code, Some(130), "{screen}");
        assert!(screen.contains("中止しました。何も保存していません"), "{screen}");
        assert_eq!(fs::read_dir(stick.path()).unwrap().count(), 0, "{}", listing(stick.path()));
    }
}

#[test]
fn ctrl_c_while_packing_leaves_nothing_in_the_output_folder() {
    // Ctrl+C reaches hakobu.exe as a console control event (SetConsoleCtrlHandler):
    // the pack stops, its temporary file is removed, and it says so.
    let Some(w) = wine() else { return };
    if !require("script") || !require("strace") {
        return;
    }
    let (dir, public) = workspace(w);
    let d = dir.path();
    // Wine's reads of this file are slowed (0.1 s each) so the pack outlasts the keypress.
    let big = d.join("データ/スキャン.bin");
    write(&big, &synthetic_bytes(8, 24 << 20));
    fs::create_dir(d.join("out")).unwrap();
    let prefix = w.prefix.display().to_string();
    let env = [("WINEPREFIX", prefix.as_str()), ("WINEDEBUG", "-all"), ("HAKOBU_LANG", "ja")];
    let line: Vec<String> = ["strace", "-D", "-f", "-o", "/dev/null", "-P", big.to_str().unwrap(), "-e", "inject=read:delay_exit=100000"]
        .iter()
        .map(|a| a.to_string())
        .chain([
            WINE64.to_string(),
            w.exe.display().to_string(),
            "pack".into(),
            "データ".into(),
            "-o".into(),
            "out".into(),
            "-r".into(),
            public,
        ])
        .collect();
    let (code, screen) = crate::support::drive_in_pty(d, &env, &line, &[("暗号化しています", "\x03")]);
    assert_eq!(code, Some(130), "{screen}");
    assert!(screen.contains("中止しました。") && screen.contains("途中まで書いたものは削除しました。何も保存していません。"), "{screen}");
    assert_eq!(fs::read_dir(d.join("out")).unwrap().count(), 0, "{}", listing(&d.join("out")));
}

// ---------------------------------------------------------------- #25: the Windows seams

/// Paths in messages read as people type them: a canonical path
/// (`std::fs::canonicalize`) is `\\?\Z:\…` on Windows, and the warning about
/// a key file in the output folder showed it so.
#[test]
fn paths_in_messages_have_no_verbatim_prefix() {
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    fs::create_dir(d.join("out")).unwrap();
    fs::copy(d.join("key.txt"), d.join("out/key.txt")).unwrap();
    // `out` stands for a stick: a key there is named (since #25 only a stick's keys are).
    let stick = z(&d.join("out"));
    for lang in ["en", "ja"] {
        let out =
            w.run(d, &[("HAKOBU_LANG", lang), ("HAKOBU_TEST_REMOVABLE", stick.as_str())], &["pack", "データ", "-o", "out", "-r", &public]);
        let text = stderr(&out);
        let key = z(&d.join("out/key.txt"));
        assert!(text.contains(&key), "{lang}: {key} not named:\n{text}");
        assert!(!text.contains(r"\\?\"), "{lang}: a verbatim path in a message:\n{text}");
    }
}

/// `verify E:\*.age` (cmd and PowerShell pass the `*` as typed): named a
/// wildcard, which hakobu does not expand, not "path too long"; a name
/// Windows refuses for another character is named as such.
#[test]
fn a_wildcard_or_an_invalid_name_is_named_as_such() {
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    let stick = d.join("stick");
    fs::create_dir(&stick).unwrap();
    let _e = w.drive_e(&stick);
    for (lang, says, hint) in [
        ("en", r"E:\*.age: hakobu does not expand the wildcards * and ?", "Name the files one by one"),
        ("ja", r"E:\*.age の * や ? は使えません（hakobu はワイルドカードを展開しません）", "ファイルの名前を一つずつ指定するか"),
    ] {
        let out = w.run(d, &[("HAKOBU_LANG", lang)], &["verify", r"E:\*.age"]);
        assert_eq!(out.status.code(), Some(2), "{lang}: {}", stderr(&out));
        let text = stderr(&out);
        assert!(text.contains(says) && text.contains(hint) && text.contains("code: wildcard"), "{lang}: {text}");
    }
    fs::create_dir(d.join("out")).unwrap();
    let out = w.run(d, &[], &["pack", r"データ\*.csv", "-o", "out", "-r", &public]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("code: wildcard"), "{}", stderr(&out));
    assert_eq!(fs::read_dir(d.join("out")).unwrap().count(), 0, "{}", listing(d));
    // Another character Windows refuses in a name: not a wildcard, not too long.
    let out = w.run(d, &[], &["verify", r"E:\a|b.age", "--json"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"invalid-name\""), "{}", String::from_utf8_lossy(&out.stdout));
}

/// The guided unpack proposes a folder in Documents as Explorer knows it
/// (SHGetKnownFolderPath(FOLDERID_Documents)): redirected (a policy, or
/// OneDrive's move), not `%USERPROFILE%\Documents`.
#[test]
fn the_guided_unpack_proposes_the_redirected_documents_folder() {
    let Some(w) = wine() else { return };
    if !require("script") {
        return;
    }
    let (dir, public) = workspace(w);
    let d = dir.path();
    fs::create_dir(d.join("out")).unwrap();
    let out = w.run_ok(d, &["pack", "データ", "-o", "out", "-r", &public, "--name", "届いた", "-q"]);
    let archive = first_line(&out);
    let redirected = d.join("OneDrive/ドキュメント");
    fs::create_dir_all(&redirected).unwrap();
    let _documents = ShellFolder::redirect(w, "Personal", &z(&redirected));
    let prefix = w.prefix.display().to_string();
    let key = z(&d.join("key.txt"));
    let env = [("WINEPREFIX", prefix.as_str()), ("WINEDEBUG", "-all"), ("HAKOBU_LANG", "ja"), ("HAKOBU_IDENTITY", key.as_str())];
    let program = vec![WINE64.to_string(), w.exe.display().to_string(), z(&d.join(archive.replace('\\', "/")))];
    let (code, screen) = crate::guided::drive_program(
        d,
        &env,
        &program,
        &[("展開先のフォルダーを指定してください", "\r"), ("フォルダーを開きますか", "n"), ("Enter キーを押すと画面を閉じます", "\r")],
    );
    assert_eq!(code, Some(0), "{screen}");
    let unpacked: Vec<_> = fs::read_dir(&redirected).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(unpacked.len(), 1, "nothing unpacked into the redirected Documents:\n{screen}\n{}", listing(d));
    assert_same_tree(&d.join("データ"), &unpacked[0].join("データ"));
}

/// A value of `HKCU\…\Explorer\User Shell Folders` set for a test and put
/// back when dropped (the lane's prefix is shared).
struct ShellFolder {
    wine: &'static Wine,
    name: &'static str,
    before: Option<String>,
}

const SHELL_FOLDERS: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders";

impl ShellFolder {
    fn redirect(wine: &'static Wine, name: &'static str, to: &str) -> ShellFolder {
        let query = wine.reg(&["query", SHELL_FOLDERS, "/v", name]);
        let before = String::from_utf8_lossy(&query.stdout)
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .and_then(|l| l.split("REG_EXPAND_SZ").nth(1).or_else(|| l.split("REG_SZ").nth(1)))
            .map(|v| v.trim().to_string());
        let set = wine.reg(&["add", SHELL_FOLDERS, "/v", name, "/t", "REG_EXPAND_SZ", "/d", to, "/f"]);
        assert!(set.status.success(), "reg add: {}", stderr(&set));
        ShellFolder { wine, name, before }
    }
}

impl Drop for ShellFolder {
    fn drop(&mut self) {
        let _ = match &self.before {
            Some(v) => self.wine.reg(&["add", SHELL_FOLDERS, "/v", self.name, "/t", "REG_EXPAND_SZ", "/d", v, "/f"]),
            None => self.wine.reg(&["delete", SHELL_FOLDERS, "/v", self.name, "/f"]),
        };
    }
}

impl Wine {
    /// Wine's `reg` in the lane's prefix.
    fn reg(&self, args: &[&str]) -> Output {
        Command::new(WINE64)
            .arg("reg")
            .args(args)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .stdin(Stdio::null())
            .output()
            .expect("run wine reg")
    }
}

/// Whether Wine keeps the hidden attribute for `path`: it stores the DOS
/// attributes of a file in the xattr `user.DOSATTRIB` ("0x22": Samba's
/// format). (Its listings also call every dot file hidden, by its name, so
/// those cannot tell whether hakobu set the attribute.)
fn hidden_by_wine(path: &Path) -> bool {
    let mut buf = [0u8; 64];
    let Ok(n) = rustix::fs::getxattr(path, "user.DOSATTRIB", &mut buf[..]) else { return false };
    let text = String::from_utf8_lossy(&buf[..n]);
    let digits = text.trim_matches(char::from(0)).trim().trim_start_matches("0x").to_string();
    u32::from_str_radix(&digits, 16).is_ok_and(|a| a & 0x2 != 0)
}

/// Whether `path` gets the hidden attribute while it exists (it is made
/// first, then hidden: a moment apart).
fn becomes_hidden(path: &Path) -> bool {
    for _ in 0..200 {
        if hidden_by_wine(path) {
            return true;
        }
        if fs::symlink_metadata(path).is_err() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}

/// The first entry of `dir` whose name starts with `prefix`, waited for.
fn appears(dir: &Path, prefix: &str) -> Option<PathBuf> {
    for _ in 0..6000 {
        let found = fs::read_dir(dir).ok()?.flatten().find(|e| e.file_name().to_string_lossy().starts_with(prefix));
        if let Some(e) = found {
            return Some(e.path());
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    None
}

/// A leading dot hides nothing on Windows: pack's temporary file and
/// unpack's staging folder get the hidden attribute while they exist, and
/// the archive and the files taken out do not keep it.
#[test]
fn temporary_files_and_staging_folders_are_hidden() {
    let Some(w) = wine() else { return };
    let (dir, public) = workspace(w);
    let d = dir.path();
    // Large enough that the pack and the unpack take a few seconds under Wine.
    write(&d.join("データ/スキャン.bin"), &synthetic_bytes(8, 32 << 20));
    fs::create_dir(d.join("out")).unwrap();
    let spawn = |args: &[&str]| w.command(d, &[], args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let pack = spawn(&["pack", "データ", "-o", "out", "-r", &public, "--name", "h", "-q"]);
    let temp = appears(&d.join("out"), ".hakobu-tmp-");
    let temp_hidden = temp.as_deref().is_some_and(becomes_hidden);
    let out = pack.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(temp.is_some(), "no temporary file seen: {}", listing(&d.join("out")));
    assert!(temp_hidden, "{} was not hidden", temp.unwrap().display());
    assert!(!hidden_by_wine(&d.join("out/h.age")), "the archive kept the hidden attribute");

    fs::create_dir(d.join("recv")).unwrap();
    let unpack = spawn(&["unpack", r"out\h.age", "-o", "recv", "-i", "key.txt"]);
    let staging = appears(&d.join("recv"), ".hakobu-staging-");
    let staging_hidden = staging.as_deref().is_some_and(becomes_hidden);
    let out = unpack.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(staging.is_some(), "no staging folder seen: {}", listing(&d.join("recv")));
    assert!(staging_hidden, "{} was not hidden", staging.unwrap().display());
    assert!(!hidden_by_wine(&d.join("recv/データ")) && !hidden_by_wine(&d.join("recv/データ/会員名簿.csv")));
    assert_same_tree(&d.join("データ"), &d.join("recv/データ"));
}
