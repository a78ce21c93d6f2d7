//! The installer IT rolls out (issue #30), in the Windows lane:
//! `scripts/release` packages the lane's hakobu.exe into the zip, the MSI and
//! `SHA256SUMS`, signed with a throw-away certificate and verified; Wine's
//! `msiexec` installs the MSI silently on a fresh prefix with a machine
//! policy; files, registry, shortcuts and the policy folder's access list are
//! read back; a `.age` opened through the association starts hakobu with it;
//! the policy wins over a user's config; `msiexec /x` removes it all but the
//! user's own files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::*;
use crate::windows_wine::{wine, WINE64};

fn z(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

fn ok(out: Output, what: &str) -> Output {
    assert!(out.status.success(), "{what}: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    out
}

/// The version in a PE file's VS_FIXEDFILEINFO: (major, minor, patch).
fn file_version(exe: &[u8]) -> Option<(u32, u32, u32)> {
    let at = exe.windows(4).position(|w| w == [0xbd, 0x04, 0xef, 0xfe])?;
    let word = |i: usize| u32::from_le_bytes(exe[at + 4 * i..at + 4 * i + 4].try_into().unwrap());
    let (ms, ls) = (word(2), word(3));
    Some((ms >> 16, ms & 0xffff, ls >> 16))
}

/// A Wine prefix of its own, made for this test: msiexec on a fresh machine.
struct Prefix {
    dir: PathBuf,
}

impl Prefix {
    fn new(dir: PathBuf, shim: &Path) -> Prefix {
        let boot = Command::new(WINE64)
            .args(["wineboot", "-i"])
            .env("WINEPREFIX", &dir)
            .env("WINEDEBUG", "-all")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(dir.join("system.reg").is_file(), "wineboot made no prefix: {}", String::from_utf8_lossy(&boot.stderr));
        // Test scaffolding only: Wine 8 lacks ProcessPrng (scripts/test, tests/windows/processprng.c).
        fs::copy(shim, dir.join("drive_c/windows/system32/bcryptprimitives.dll")).unwrap();
        Prefix { dir }
    }

    fn cmd(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new(WINE64);
        c.arg(program)
            .args(args)
            .env("WINEPREFIX", &self.dir)
            .env("WINEDEBUG", "-all")
            .env("HAKOBU_LANG", "en")
            .env_remove("HAKOBU_CONFIG")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        self.cmd(program, args).output().unwrap()
    }

    fn c(&self, rel: &str) -> PathBuf {
        self.dir.join("drive_c").join(rel)
    }

    fn reg(&self, key: &str, value: Option<&str>) -> Option<String> {
        let mut args = vec!["query", key];
        if let Some(v) = value {
            args.extend(["/v", v]);
        } else {
            args.push("/ve");
        }
        let out = self.run("reg", &args);
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        let _ = Command::new("/usr/lib/wine/wineserver64").arg("-k").env("WINEPREFIX", &self.dir).output();
    }
}

#[test]
fn the_release_installs_silently_locks_the_policy_opens_age_files_and_uninstalls() {
    let Some(w) = wine() else { return };
    for tool in ["wixl", "msibuild", "osslsigncode", "openssl", "zip", "unzip", "sha256sum"] {
        if !require(tool) {
            return;
        }
    }
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    // A throw-away code-signing certificate: the signing step is exercised, so it cannot rot.
    ok(
        Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-out", "c.pem", "-days", "2"])
            .args(["-subj", "/CN=hakobu lane test signing", "-addext", "extendedKeyUsage=codeSigning"])
            .current_dir(d)
            .output()
            .unwrap(),
        "openssl req",
    );
    fs::write(d.join("pass"), "lane-only\n").unwrap();
    ok(
        Command::new("openssl")
            .args(["pkcs12", "-export", "-inkey", "k.pem", "-in", "c.pem", "-out", "c.pfx", "-passout", "file:pass"])
            .current_dir(d)
            .output()
            .unwrap(),
        "openssl pkcs12",
    );
    let dist = d.join("dist");
    ok(
        Command::new(root.join("scripts/release"))
            .arg("--exe")
            .arg(&w.exe)
            .arg("--out")
            .arg(&dist)
            .arg("--sign-pfx")
            .arg(d.join("c.pfx"))
            .arg("--sign-pass-file")
            .arg(d.join("pass"))
            .env("HAKOBU_SIGN_CA", d.join("c.pem"))
            .output()
            .unwrap(),
        "scripts/release",
    );
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("hakobu-{version}-windows-x64");
    let msi = dist.join(format!("hakobu-{version}-x64.msi"));
    // The sums check with stock sha256sum.
    ok(Command::new("sha256sum").args(["-c", "SHA256SUMS"]).current_dir(&dist).output().unwrap(), "sha256sum -c");
    let sums = fs::read_to_string(dist.join("SHA256SUMS")).unwrap();
    assert!(sums.contains(&format!("{name}.zip")) && sums.contains(".msi"), "{sums}");
    // The zip holds the exe, the Japanese README, the license and the guides.
    let listing =
        String::from_utf8(ok(Command::new("unzip").arg("-l").arg(dist.join(format!("{name}.zip"))).output().unwrap(), "unzip -l").stdout)
            .unwrap();
    for f in ["hakobu.exe", "README.ja.md", "LICENSE", "docs/情報システム担当へ.md", "docs/受け取る人へ.md"] {
        assert!(listing.contains(&format!("{name}/{f}")), "{f} not in the zip:\n{listing}");
    }
    // The exe's version resource is Cargo.toml's version.
    let exe = fs::read(dist.join(&name).join("hakobu.exe")).unwrap();
    let want: Vec<u32> = version.split('.').map(|p| p.parse().unwrap()).collect();
    assert_eq!(file_version(&exe), Some((want[0], want[1], want[2])), "the exe's version resource");
    // Both are signed, the signatures verify against the certificate, and a changed byte does not.
    for f in [dist.join(&name).join("hakobu.exe"), msi.clone()] {
        ok(
            Command::new("osslsigncode").arg("verify").arg("-in").arg(&f).arg("-CAfile").arg(d.join("c.pem")).output().unwrap(),
            "osslsigncode verify",
        );
    }
    let mut bad = fs::read(&msi).unwrap();
    let i = bad.len() / 2;
    bad[i] ^= 1;
    fs::write(d.join("bad.msi"), &bad).unwrap();
    let v =
        Command::new("osslsigncode").arg("verify").arg("-in").arg(d.join("bad.msi")).arg("-CAfile").arg(d.join("c.pem")).output().unwrap();
    assert!(!v.status.success(), "a changed MSI still verified");

    // A fresh machine. ProgramData lets users make folders: one made
    // beforehand, open to all, must come out locked.
    let p = Prefix::new(d.join("prefix"), &w.exe.with_file_name("bcryptprimitives.dll"));
    let policy_dir = p.c("ProgramData/hakobu");
    fs::create_dir_all(&policy_dir).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&policy_dir, fs::Permissions::from_mode(0o777)).unwrap();
    }
    let public = String::from_utf8(
        ok(p.run(&w.exe.display().to_string(), &["keygen", "--no-passphrase", "-o", &z(&d.join("key.txt"))]), "keygen").stdout,
    )
    .unwrap();
    let public = public.trim();
    let policy = format!("[signing]\nrequire_signature = true\n\n[recipients]\n\"千葉支部\" = \"{public}\"\n");
    fs::write(d.join("policy.toml"), &policy).unwrap();
    ok(p.run("msiexec", &["/i", &z(&msi), "/qn", &format!("CONFIG={}", z(&d.join("policy.toml")))]), "msiexec /i");

    // Files where the MSI says.
    let installed = p.c("Program Files/hakobu/hakobu.exe");
    assert_eq!(fs::read(&installed).unwrap(), exe, "the installed exe");
    assert_eq!(fs::read_to_string(policy_dir.join("config.toml")).unwrap(), policy, "the machine policy");
    // ProgramMenuFolder under ALLUSERS=1 (the MSI's Property table) is the
    // all-users Start menu on Windows; Wine's msi puts it in the installing
    // user's (docs/WINDOWS.md). Either way the entry must be there.
    let start_menu = || {
        let all = p.c("ProgramData/Microsoft/Windows/Start Menu/Programs/hakobu.lnk");
        let users: Vec<PathBuf> = fs::read_dir(p.c("users"))
            .unwrap()
            .map(|u| u.unwrap().path().join("AppData/Roaming/Microsoft/Windows/Start Menu/Programs/hakobu.lnk"))
            .collect();
        std::iter::once(all).chain(users).filter(|l| l.is_file()).collect::<Vec<_>>()
    };
    assert_eq!(start_menu().len(), 1, "no Start-menu entry");
    // The association and the per-user setup.
    let age = p.reg(r"HKLM\Software\Classes\.age", None).unwrap_or_default();
    assert!(age.contains("hakobu.archive"), "{age}");
    let open = p.reg(r"HKLM\Software\Classes\hakobu.archive\shell\open\command", None).unwrap_or_default();
    assert!(open.contains(r#""C:\Program Files\hakobu\hakobu.exe" "%1""#), "{open}");
    let icon = p.reg(r"HKLM\Software\Classes\hakobu.archive\DefaultIcon", None).unwrap_or_default();
    assert!(icon.contains("hakobu.exe"), "{icon}");
    let active = r"HKLM\Software\Microsoft\Active Setup\Installed Components\{97F00C83-F042-4ACC-B63A-3991FBDD9BBE}";
    let stub = p.reg(active, Some("StubPath")).unwrap_or_default();
    assert!(stub.contains("setup sendto --offices"), "{stub}");

    // The policy folder: users read, only administrators (and SYSTEM) write.
    // Wine keeps an ACL as Unix mode bits (docs/WINDOWS.md): the owner's
    // bits, Administrators as the group's, everyone else as the others'. The
    // folder made open to all (0777) must have lost the others' write bit.
    {
        use std::os::unix::fs::PermissionsExt;
        for f in [policy_dir.clone(), policy_dir.join("config.toml")] {
            let mode = fs::metadata(&f).unwrap().permissions().mode();
            assert_eq!(mode & 0o002, 0, "{} is writable by users: {mode:o}", f.display());
            assert_ne!(mode & 0o004, 0, "{} is not readable by users: {mode:o}", f.display());
        }
    }
    let sddl_tool = w.exe.with_file_name("sddl.exe");
    let acl = String::from_utf8(ok(p.run(&sddl_tool.display().to_string(), &[r"C:\ProgramData\hakobu"]), "sddl.exe").stdout).unwrap();
    for who in ["WD", "BU", "AU"] {
        for ace in acl.split('(').filter(|a| a.ends_with(&format!(";;;{who})")) || a.ends_with(&format!(";;;{who})\n"))) {
            assert!(ace.contains("0x1200a9") || ace.contains(";FR;"), "{who} may do more than read: {acl}");
        }
    }

    // The policy wins over the user's config, which tries to switch signatures off.
    fs::write(d.join("user.toml"), "[signing]\nrequire_signature = false\n").unwrap();
    let installed_z = r"C:\Program Files\hakobu\hakobu.exe";
    let facts = ok(
        p.cmd(installed_z, &["setup", "policy", "--json"]).env("HAKOBU_CONFIG", z(&d.join("user.toml"))).output().unwrap(),
        "setup policy",
    );
    let v: serde_json::Value = serde_json::from_slice(&facts.stdout).unwrap();
    assert_eq!(v["machine_exists"], true, "{v}");
    assert_eq!(v["require_signature"], true, "{v}");
    assert!(v["ignored"].as_array().unwrap().iter().any(|t| t == "signing"), "{v}");
    write(&d.join("data/a.txt"), b"synthetic member list\n");
    fs::create_dir_all(d.join("stick")).unwrap();
    let refused = p
        .cmd(installed_z, &["pack", &z(&d.join("data")), "-o", &z(&d.join("stick")), "-r", public, "--json"])
        .env("HAKOBU_CONFIG", z(&d.join("user.toml")))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(4), "the user's config weakened the policy: {}", String::from_utf8_lossy(&refused.stderr));
    let v: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "signing-key-required", "{v}");

    // A .age opened through the association (Explorer's double-click) starts hakobu with it.
    let archive = d.join("arrived.age");
    fs::write(&archive, b"age-encryption.org/v1\n").unwrap();
    let log = d.join("started.log");
    let _ = p.cmd("start", &["/wait", "/unix", archive.to_str().unwrap()]).env("HAKOBU_TEST_ARGS_LOG", &log).output().unwrap();
    let started = fs::read_to_string(&log).unwrap_or_default();
    assert!(started.lines().any(|l| l.ends_with(&z(&archive))), "hakobu was not started with the archive: {started:?}");

    // What Active Setup runs once per user: the 送る menu, with the policy's offices.
    ok(p.cmd(installed_z, &["setup", "sendto", "--offices", "-q"]).output().unwrap(), "setup sendto --offices");
    let sendto: Vec<String> = fs::read_dir(p.c("users"))
        .unwrap()
        .flat_map(|u| {
            let dir = u.unwrap().path().join("AppData/Roaming/Microsoft/Windows/SendTo");
            fs::read_dir(dir).into_iter().flatten().map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        })
        .collect();
    assert!(sendto.iter().any(|n| n.contains("千葉支部")), "{sendto:?}");

    // An upgrade replaces in place: one product, the newer version, the
    // policy kept though the old product's removal runs last under Wine
    // (docs/WINDOWS.md). Given CONFIG again, as docs/ja/配布.md says.
    let next = format!("{}.{}.{}", want[0], want[1], want[2] + 1);
    let dist2 = d.join("dist2");
    ok(
        Command::new(root.join("scripts/release"))
            .arg("--exe")
            .arg(&w.exe)
            .arg("--out")
            .arg(&dist2)
            .args(["--msi-version", &next])
            .output()
            .unwrap(),
        "scripts/release --msi-version",
    );
    let msi2 = dist2.join(format!("hakobu-{next}-x64.msi"));
    ok(p.run("msiexec", &["/i", &z(&msi2), "/qn", &format!("CONFIG={}", z(&d.join("policy.toml")))]), "msiexec /i (upgrade)");
    let uninstall =
        String::from_utf8_lossy(&p.run("reg", &["query", r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall", "/s"]).stdout)
            .into_owned();
    // One block per product key; hakobu's are those whose DisplayName is hakobu.
    let ours: Vec<&str> = uninstall
        .split("\nHKEY_")
        .filter(|block| block.lines().any(|l| l.contains("DisplayName") && l.trim_end().ends_with("hakobu")))
        .collect();
    assert_eq!(ours.len(), 1, "not one hakobu product after the upgrade:\n{uninstall}");
    assert!(ours[0].lines().any(|l| l.contains("DisplayVersion") && l.trim_end().ends_with(&next)), "not at {next}:\n{}", ours[0]);
    assert!(installed.is_file(), "the upgrade lost the exe");
    assert_eq!(fs::read_to_string(policy_dir.join("config.toml")).unwrap_or_default(), policy, "the policy after the upgrade");

    // Removal: the program, the association, the shortcut and the policy go;
    // the user's key (and settings, ledger) stay.
    ok(p.run("msiexec", &["/x", &z(&msi2), "/qn"]), "msiexec /x");
    assert!(!installed.exists(), "the exe is still there");
    assert!(!policy_dir.join("config.toml").exists(), "the machine policy is still there");
    assert!(start_menu().is_empty(), "the Start-menu entry is still there");
    assert_eq!(p.reg(r"HKLM\Software\Classes\hakobu.archive\shell\open\command", None), None, "the association is still there");
    assert_eq!(p.reg(active, Some("StubPath")), None, "Active Setup still runs hakobu");
    assert!(d.join("key.txt").is_file(), "the user's key was removed");
}
