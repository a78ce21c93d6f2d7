//! Real removable-media file systems for the tests: an exFAT "stick" (image,
//! loop device, exfat-fuse), a FAT32 one (image, fusefat) and a size-limited
//! tmpfs. Each lives behind a guard whose Drop unmounts it and detaches the
//! loop device, also when the test panics (docs/SECURITY.md, test matrix).
//!
//! These need root and FUSE. Where they are missing a test prints a loud
//! NOTICE and skips; in CI (env CI set) it fails instead, so that a skip is
//! never reported as a pass there.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use crate::support::notice;

/// How a medium was mounted, which decides how it is unmounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ExFat,
    Fat32,
    Tmpfs,
}

/// A mounted file system; unmounted (and its loop device detached) on drop.
pub struct Medium {
    kind: Kind,
    /// The mount point: write here as onto the stick.
    pub dir: PathBuf,
    loop_dev: Option<String>,
    // Dropped after `Drop::drop` ran, i.e. after the unmount: holds the image
    // and the mount point, each test its own (no shared image names).
    holder: TempDir,
}

impl Medium {
    /// An exFAT stick of `mib` MiB: real free space (ENOSPC when full),
    /// case-insensitive names. `None` (with a NOTICE) when it cannot run here.
    pub fn exfat(mib: u64) -> Option<Medium> {
        if !available(&["mkfs.exfat", "mount.exfat-fuse", "losetup", "fusermount"]) {
            return None;
        }
        let holder = holder();
        let image = holder.path().join("stick.img");
        let dir = holder.path().join("stick");
        std::fs::create_dir(&dir).unwrap();
        sh("truncate", &["-s", &format!("{mib}M"), path_str(&image)]);
        sh("mkfs.exfat", &["-L", "HAKOBU", path_str(&image)]);
        // `-f` picks a free loop device and attaches in one step, so parallel
        // tests (and other engineers' tests) never collide on one.
        let loop_dev = sh("losetup", &["-f", "--show", path_str(&image)]).trim().to_owned();
        let mut medium = Medium { kind: Kind::ExFat, dir: dir.clone(), loop_dev: Some(loop_dev.clone()), holder };
        sh("mount.exfat-fuse", &[&loop_dev, path_str(&dir)]);
        medium.wait_mounted();
        Some(medium)
    }

    /// A FAT32 stick of `mib` MiB through fusefat (no loop device needed).
    pub fn fat32(mib: u64) -> Option<Medium> {
        if !available(&["mkfs.vfat", "fusefat", "fusermount"]) {
            return None;
        }
        let holder = holder();
        let image = holder.path().join("fat.img");
        let dir = holder.path().join("stick");
        std::fs::create_dir(&dir).unwrap();
        sh("truncate", &["-s", &format!("{mib}M"), path_str(&image)]);
        // No volume label: fusefat would show it as an entry in the root folder.
        sh("mkfs.vfat", &["-F", "32", path_str(&image)]);
        let mut medium = Medium { kind: Kind::Fat32, dir: dir.clone(), loop_dev: None, holder };
        sh("fusefat", &["-o", "rw+", path_str(&image), path_str(&dir)]);
        medium.wait_mounted();
        Some(medium)
    }

    /// A tmpfs limited to `size` (e.g. "3m"): a destination that fills up.
    pub fn tmpfs(size: &str) -> Option<Medium> {
        if !available(&["mount", "umount"]) {
            return None;
        }
        let holder = holder();
        let dir = holder.path().join("small");
        std::fs::create_dir(&dir).unwrap();
        let mut medium = Medium { kind: Kind::Tmpfs, dir: dir.clone(), loop_dev: None, holder };
        sh("mount", &["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs", path_str(&dir)]);
        medium.wait_mounted();
        Some(medium)
    }

    /// The loop device behind an exFAT stick.
    pub fn loop_device(&self) -> Option<&str> {
        self.loop_dev.as_deref()
    }

    /// A path on the medium.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// FUSE daemons may return before the mount is visible: wait for it.
    fn wait_mounted(&mut self) {
        for _ in 0..100 {
            if is_mount_point(&self.dir) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{:?} medium did not appear at {}", self.kind, self.dir.display());
    }

    fn unmount(&self) -> bool {
        let dir = path_str(&self.dir);
        let (cmd, args): (&str, Vec<&str>) = match self.kind {
            Kind::ExFat | Kind::Fat32 => ("fusermount", vec!["-u", dir]),
            Kind::Tmpfs => ("umount", vec![dir]),
        };
        // A process that just exited may still hold the mount busy for a moment.
        for _ in 0..10 {
            if !is_mount_point(&self.dir) {
                return true;
            }
            let _ = Command::new(cmd).args(&args).output();
            if !is_mount_point(&self.dir) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        // Last resort: detach lazily so the machine is not left with a stale mount.
        let _ = Command::new("umount").args(["-l", dir]).output();
        !is_mount_point(&self.dir)
    }
}

impl Drop for Medium {
    fn drop(&mut self) {
        let unmounted = self.unmount();
        if let Some(dev) = &self.loop_dev {
            for _ in 0..10 {
                match Command::new("losetup").args(["-d", dev]).output() {
                    Ok(o) if o.status.success() => break,
                    _ => std::thread::sleep(Duration::from_millis(200)),
                }
            }
        }
        if !unmounted {
            eprintln!("WARNING: could not unmount {}; unmount it by hand", self.dir.display());
            // Never let TempDir delete through a live mount.
            let holder = std::mem::replace(&mut self.holder, holder());
            let _ = holder.keep();
        }
    }
}

fn holder() -> TempDir {
    tempfile::Builder::new().prefix("hakobu-medium-").tempdir().expect("temp dir for a medium")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// True when `dir` is a mount point (listed in /proc/self/mountinfo).
pub fn is_mount_point(dir: &Path) -> bool {
    let Ok(info) = std::fs::read_to_string("/proc/self/mountinfo") else { return false };
    let want = path_str(dir);
    // Field 5 is the mount point, with spaces etc. octal-escaped; temp paths have none.
    info.lines().any(|l| l.split(' ').nth(4) == Some(want))
}

/// Runs a setup command and insists on success; returns stdout.
fn sh(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("cannot run {cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {} failed ({:?}):\n{}{}",
        args.join(" "),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Root, /dev/fuse and the tools: all there, or a loud notice (a failure in CI).
fn available(tools: &[&str]) -> bool {
    let mut missing = Vec::new();
    if !is_root() {
        missing.push("root (mount and losetup need it)".to_owned());
    }
    if tools.iter().any(|t| t.starts_with("fuse") || t.contains("fuse")) && !Path::new("/dev/fuse").exists() {
        missing.push("/dev/fuse".to_owned());
    }
    for t in tools {
        if !crate::support::have(t) {
            missing.push(format!("`{t}`"));
        }
    }
    if missing.is_empty() {
        return true;
    }
    let what = missing.join(", ");
    if std::env::var_os("CI").is_some() {
        panic!(
            "removable-media tests must run in CI but {what} missing; scripts/test installs the tools, CI must run as root with /dev/fuse"
        );
    }
    notice(&format!("NOTICE: SKIPPING a removable-media test: {what} missing (run scripts/test as root with FUSE to run it)"));
    false
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
