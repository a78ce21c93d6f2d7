//! Helpers shared by the integration tests: run the real binary, make
//! synthetic trees, and explain a failure (command, stderr, folder listing).

#![allow(dead_code)]

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The binary under test.
pub fn hakobu_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_hakobu"))
}

/// A scratch folder for one test, with a key pair ready.
pub struct Session {
    pub dir: TempDir,
    pub key: PathBuf,
    pub recipient: String,
}

impl Session {
    /// A new folder with `key.txt` made by `hakobu keygen`.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("hakobu-test-").tempdir().expect("temp dir");
        let key = dir.path().join("key.txt");
        let out = run_ok(dir.path(), &["keygen", "--no-passphrase", "-o", key.to_str().unwrap()]);
        let recipient = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert!(recipient.starts_with("age1"), "keygen printed {recipient:?}");
        Session { dir, key, recipient }
    }

    /// A path inside the session folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs hakobu in the session folder.
    pub fn run(&self, args: &[&str]) -> Output {
        run(self.dir.path(), args)
    }

    /// Runs hakobu and insists on success.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        run_ok(self.dir.path(), args)
    }

    /// Runs hakobu and insists on the given exit code; returns stderr as text.
    pub fn run_fails(&self, code: i32, args: &[&str]) -> String {
        run_fails(self.dir.path(), code, args)
    }

    /// Packs `sources` (relative to the session) into `out` (created) for this session's key;
    /// returns the archive path.
    pub fn pack(&self, sources: &[&str], out: &str) -> PathBuf {
        fs::create_dir_all(self.path(out)).unwrap();
        let mut args = vec!["pack"];
        args.extend_from_slice(sources);
        args.extend_from_slice(&["-o", out, "-r", &self.recipient, "-q"]);
        let o = self.run_ok(&args);
        let printed = String::from_utf8(o.stdout).unwrap();
        self.path(printed.trim())
    }

    /// Unpacks with this session's key.
    pub fn unpack(&self, archive: &Path, dest: &str) -> Output {
        self.run(&["unpack", archive.to_str().unwrap(), "-o", dest, "-i", self.key.to_str().unwrap(), "-q"])
    }
}

/// Runs hakobu with `args` in `cwd`, no stdin, a clean key environment.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    run_env(cwd, &[], args)
}

/// Runs hakobu like [`run`], with extra environment variables.
pub fn run_env(cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(hakobu_bin());
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("HAKOBU_IDENTITY")
        .env_remove("HAKOBU_CONFIG")
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .env("XDG_DATA_HOME", cwd.join(".no-data"))
        .env("HOME", cwd)
        // English unless a test asks otherwise, whatever the machine's locale.
        .env("HAKOBU_LANG", "en")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run hakobu")
}

/// A corpus folder of `../shared/corpora/` (beside the repository, or the
/// machine-wide copy), recognised by one file it must hold. None after a loud
/// notice when absent outside CI; in CI a missing corpus fails the test.
pub fn shared_corpus(name: &str, marker: &str) -> Option<PathBuf> {
    let candidates =
        [Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora").join(name), PathBuf::from("/work/shared/corpora").join(name)];
    if let Some(found) = candidates.iter().find(|d| d.join(marker).is_file()) {
        return Some(found.clone());
    }
    if std::env::var_os("CI").is_some() {
        panic!("the corpus {name} is missing (looked in {candidates:?}); CI must provide ../shared/corpora/{name}");
    }
    notice(&format!("NOTICE: SKIPPING the {name} corpus tests: not found in {candidates:?}"));
    None
}

/// Runs and insists on exit 0.
pub fn run_ok(cwd: &Path, args: &[&str]) -> Output {
    let out = run(cwd, args);
    if !out.status.success() {
        panic!("{}", explain(cwd, args, &out, "expected success"));
    }
    out
}

/// Runs and insists on exit `code`; returns stderr.
pub fn run_fails(cwd: &Path, code: i32, args: &[&str]) -> String {
    let out = run(cwd, args);
    if out.status.code() != Some(code) {
        panic!("{}", explain(cwd, args, &out, &format!("expected exit code {code}")));
    }
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A readable account of a command that did not do what a test expected.
pub fn explain(cwd: &Path, args: &[&str], out: &Output, expectation: &str) -> String {
    format!(
        "{expectation}, got {:?}\ncommand: hakobu {}\n--- stdout\n{}\n--- stderr\n{}\n--- files in {}\n{}",
        out.status.code(),
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        cwd.display(),
        listing(cwd)
    )
}

/// Every path below `dir` (relative, sorted), with sizes of files.
pub fn listing(dir: &Path) -> String {
    let mut lines: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            match e.metadata() {
                Ok(m) if m.is_file() => format!("{rel} ({} bytes)", m.len()),
                _ => format!("{rel}/"),
            }
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

/// Deterministic pseudo-random bytes (xorshift), for synthetic file contents.
pub fn synthetic_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Writes a file, creating parent folders.
pub fn write(path: &Path, contents: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// Asserts two trees hold the same folders and byte-identical files.
pub fn assert_same_tree(expected: &Path, actual: &Path) {
    let a = listing(expected);
    let b = listing(actual);
    assert_eq!(a, b, "trees differ: {} vs {}", expected.display(), actual.display());
    for e in walkdir::WalkDir::new(expected).into_iter().filter_map(|e| e.ok()) {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(expected).unwrap();
            let other = actual.join(rel);
            assert!(fs::read(e.path()).unwrap() == fs::read(&other).unwrap(), "contents differ: {}", rel.display());
        }
    }
}

/// True when a command exists on PATH.
pub fn have(cmd: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {cmd}")).output().is_ok_and(|o| o.status.success())
}

/// In CI every external tool must be there: a missing one fails the test
/// instead of skipping it. Elsewhere it skips with a loud notice.
pub fn require(cmd: &str) -> bool {
    if have(cmd) {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("`{cmd}` is required in CI but missing; scripts/test installs it");
    }
    notice(&format!("NOTICE: skipping: `{cmd}` is not installed (run scripts/test to install it)"));
    false
}

/// A line straight to stderr: the harness captures `eprintln!` of passing
/// tests, which would hide a skip.
pub fn notice(line: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), format!("{line}\n").as_bytes());
}

/// A program started in a pseudo-terminal (`script`) with a clean key
/// environment (`HOME` and the config folders in `cwd`, no pinentry, no
/// default key; `env` on top): the child, what is typed to it, and what it
/// shows, chunk by chunk, as it arrives (read on a thread until it ends).
pub struct Pty {
    pub child: std::process::Child,
    pub stdin: std::process::ChildStdin,
    pub output: std::sync::mpsc::Receiver<Vec<u8>>,
    pub reader: std::thread::JoinHandle<()>,
}

/// Starts `program` in a pty in `cwd` (see [`Pty`]).
pub fn start_in_pty(cwd: &Path, env: &[(&str, &str)], program: &[String]) -> Pty {
    let quoted: Vec<String> = program.iter().map(|a| format!("'{}'", a.replace('\'', r"'\''"))).collect();
    let mut child = Command::new("script")
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .current_dir(cwd)
        .env("HOME", cwd)
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .env("XDG_DATA_HOME", cwd.join(".no-data"))
        .env("PINENTRY_PROGRAM", cwd.join("no-pinentry-here"))
        .env_remove("HAKOBU_IDENTITY")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run script");
    let stdin = child.stdin.take().unwrap();
    let mut out = child.stdout.take().unwrap();
    let (tx, output) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    Pty { child, stdin, output, reader }
}

/// Runs `program` (its path and arguments) under `script`, a pseudo-terminal,
/// as a person would: each step waits until `expect` has appeared on the
/// screen (after the previous one) and then types `keys`. Key files and
/// config are looked for in `cwd` alone, and no pinentry is found, so
/// passphrases are asked on the terminal. Returns the exit code and
/// everything the terminal showed. Gives up after 60 s.
pub fn drive_in_pty(cwd: &Path, env: &[(&str, &str)], program: &[String], steps: &[(&str, &str)]) -> (Option<i32>, String) {
    let Pty { mut child, mut stdin, output: rx, reader } = start_in_pty(cwd, env, program);
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut from = 0;
    for (expect, keys) in steps {
        while Instant::now() < deadline {
            if let Some(at) = seen[from..].find(expect) {
                from += at + expect.len();
                break;
            }
            if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
                seen.push_str(&String::from_utf8_lossy(&chunk));
            }
        }
        // Let the prompt switch the terminal to its mode before typing.
        std::thread::sleep(Duration::from_millis(500));
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        while let Ok(chunk) = rx.try_recv() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(stdin);
    reader.join().unwrap();
    while let Ok(chunk) = rx.try_recv() {
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    (status.code(), seen)
}

/// Whether this machine can give a test its own machine-wide policy: root,
/// `unshare -m` and a bind mount on `/etc/hakobu` (created if missing; an
/// empty folder is no policy). Checked once. When it cannot, a loud notice
/// and `false`; in CI that fails the test instead.
pub fn machine_policy_supported() -> bool {
    static SUPPORTED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let probe = SUPPORTED.get_or_init(|| {
        fs::create_dir_all("/etc/hakobu").map_err(|e| format!("cannot create /etc/hakobu ({e}): not root?"))?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("unshare")
            .args(["-m", "--propagation", "private", "sh", "-c", "mount --bind \"$1\" /etc/hakobu", "sh"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("cannot run unshare: {e}"))?;
        if !out.status.success() {
            return Err(format!("unshare -m / mount --bind refused: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(())
    });
    match probe {
        Ok(()) => true,
        Err(why) if std::env::var_os("CI").is_some() => panic!("a machine-wide policy cannot be tested here: {why}"),
        Err(why) => {
            notice(&format!("NOTICE: SKIPPING a machine-wide policy test: {why}"));
            false
        }
    }
}

/// Runs hakobu like [`run_env`], with `machine_dir` bind-mounted on the
/// machine-wide policy folder `/etc/hakobu` in a private mount namespace
/// (`unshare -m`), so the test has its own machine policy
/// (`machine_dir/config.toml`) and the real folder is never touched.
/// `None` (after a loud notice) when [`machine_policy_supported`] says no.
pub fn with_machine_policy(machine_dir: &Path, cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> Option<Output> {
    if !machine_policy_supported() {
        return None;
    }
    let mut cmd = Command::new("unshare");
    cmd.args(["-m", "--propagation", "private", "sh", "-c", "mount --bind \"$1\" /etc/hakobu && shift && exec \"$@\"", "sh"])
        .arg(machine_dir)
        .arg(hakobu_bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("HAKOBU_IDENTITY")
        .env_remove("HAKOBU_CONFIG")
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .env("XDG_DATA_HOME", cwd.join(".no-data"))
        .env("HOME", cwd)
        .env("HAKOBU_LANG", "en")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Some(cmd.output().expect("run hakobu under unshare"))
}
