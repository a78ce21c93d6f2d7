//! Hostile archives (docs/SECURITY.md, "Test matrix"): valid age files around
//! tar streams a compromised packer made, each with a manifest that agrees
//! with its hostile entries. Every one must be refused by unpack, list and
//! verify alike — exit 1, one escaped error line naming the entry, nothing
//! written anywhere, no staging folder left, the destination untouched.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::craft::{pax_record, seal, Craft, Hdr, Magic, BLOCK};
use crate::support::*;
use unicode_normalization::UnicodeNormalization;

/// One hostile archive and what its refusal must say.
pub(crate) struct Case {
    name: String,
    plain: Vec<u8>,
    /// Every one of these must appear in the error line.
    expect: Vec<String>,
}

pub(crate) fn case(name: &str, plain: Vec<u8>, expect: &[&str]) -> Case {
    Case { name: name.to_owned(), plain, expect: expect.iter().map(|s| s.to_string()).collect() }
}

/// A case whose error must name the entry `raw` (escaped) and say `reason`.
pub(crate) fn unsafe_entry(name: &str, plain: Vec<u8>, raw: &[u8], reason: &str) -> Case {
    let shown = format!("\"{}\"", hakobu::format::paths::escape_bytes(raw));
    Case { name: name.to_owned(), plain, expect: vec!["unsafe entry".into(), shown, reason.into()] }
}

/// A file with contents under a hostile name, manifest agreeing.
fn named(raw: &[u8]) -> Vec<u8> {
    Craft::new().file(raw, b"synthetic\n").finish()
}

/// Everything below `dir`: relative path -> contents (files), link target, or
/// folder. Not `.no-data/`: this PC's ledger, where a refused archive is
/// recorded on purpose (tests/integration/ledger.rs checks that record).
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let walk = walkdir::WalkDir::new(dir).min_depth(1).into_iter().filter_entry(|e| e.file_name() != ".no-data");
    for e in walk.filter_map(|e| e.ok()) {
        let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        let ft = e.file_type();
        let what = if ft.is_symlink() {
            format!("link -> {}", fs::read_link(e.path()).map(|p| p.display().to_string()).unwrap_or_default())
        } else if ft.is_dir() {
            "folder".into()
        } else {
            let data = fs::read(e.path()).unwrap_or_default();
            format!("file {} bytes {}", data.len(), hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&data)))
        };
        out.insert(rel, what);
    }
    out
}

/// Characters that must never reach a terminal raw: C0/C1 controls (but the
/// newline), DEL, zero-width and bidi controls.
fn spoofing_char(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| (c.is_control() && c != '\n') || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF))
}

/// The `error: …` line of stderr, checked for shape; Err says what is wrong.
fn error_line(stderr: &[u8]) -> Result<String, String> {
    let text = String::from_utf8(stderr.to_vec()).map_err(|_| "stderr is not UTF-8".to_string())?;
    if let Some(c) = spoofing_char(&text) {
        return Err(format!("stderr carries a raw U+{:04X}: {text:?}", c as u32));
    }
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    match errors.as_slice() {
        [one] => Ok(one.trim_start_matches("error: ").to_owned()),
        _ => Err(format!("expected exactly one error line, stderr was {text:?}")),
    }
}

/// Runs every case through unpack (into an existing and into a new
/// destination), list and verify; panics naming every case that misbehaved.
pub(crate) fn assert_all_refused(cases: Vec<Case>) {
    let s = Session::new();
    let key = s.key.to_str().unwrap().to_owned();
    fs::create_dir_all(s.path("archives")).unwrap();
    write(&s.path("dest/keep.txt"), b"already here\n");
    fs::create_dir_all(s.path("fresh")).unwrap();
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let archive = seal(&c.plain, &s.recipient, &s.path(&format!("archives/{i}.age")));
        let archive = archive.to_str().unwrap().to_owned();
        let before = snapshot(s.dir.path());
        let mut problems = Vec::new();
        let mut messages = Vec::new();
        let runs: [(&str, Vec<&str>); 4] = [
            ("unpack into an existing folder", vec!["unpack", &archive, "-o", "dest", "-i", &key]),
            ("unpack into a new folder", vec!["unpack", &archive, "-o", "fresh/new", "-i", &key]),
            ("list", vec!["list", &archive, "-i", &key]),
            ("verify", vec!["verify", &archive, "-i", &key]),
        ];
        for (what, args) in &runs {
            let out = s.run(args);
            if out.status.code() != Some(1) {
                problems.push(format!(
                    "{what}: exit {:?}, expected 1\n{}",
                    out.status.code(),
                    explain(s.dir.path(), args, &out, "refusal")
                ));
                continue;
            }
            if *what == "verify" {
                // verify reports on stdout (`contents <problem>`) and repeats the problem on stderr.
                let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
                let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                if let Some(ch) = spoofing_char(&stdout).or_else(|| spoofing_char(&stderr)) {
                    problems.push(format!("verify printed a raw U+{:04X}", ch as u32));
                }
                let contents = stdout.lines().find_map(|l| l.strip_prefix("contents")).map(|l| l.trim().to_owned());
                match contents {
                    Some(m) => messages.push((what.to_string(), m)),
                    None => problems.push(format!("verify printed no contents line: {stdout:?}")),
                }
                if !stdout.lines().any(|l| l.starts_with("result") && l.contains("FAIL")) {
                    problems.push(format!("verify did not say FAIL: {stdout:?}"));
                }
                continue;
            }
            match error_line(&out.stderr) {
                Ok(m) => messages.push((what.to_string(), m)),
                Err(e) => problems.push(format!("{what}: {e}")),
            }
        }
        if let Some((_, first)) = messages.first() {
            // `HAKOBU_SHOW_ERRORS=1 cargo test hostile -- --nocapture` shows what a user would read.
            if std::env::var_os("HAKOBU_SHOW_ERRORS").is_some() {
                eprintln!("{:<45} {first}", c.name);
            }
            for expected in &c.expect {
                if !first.contains(expected.as_str()) {
                    problems.push(format!("error {first:?} does not contain {expected:?}"));
                }
            }
            for (what, m) in &messages[1..] {
                if m != first {
                    problems.push(format!("{what} refused differently: {m:?} vs unpack's {first:?}"));
                }
            }
        }
        let after = snapshot(s.dir.path());
        if before != after {
            let changed: Vec<_> = after.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(k, _)| k.clone()).collect();
            let gone: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).cloned().collect();
            problems.push(format!("files changed: added/modified {changed:?}, removed {gone:?}"));
        }
        // Start the next case from the same state, whatever this one did.
        let _ = fs::remove_dir_all(s.path("dest"));
        let _ = fs::remove_dir_all(s.path("fresh"));
        write(&s.path("dest/keep.txt"), b"already here\n");
        fs::create_dir_all(s.path("fresh")).unwrap();
        if !problems.is_empty() {
            failures.push(format!("case {i} `{}`:\n  {}", c.name, problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile archives were not refused properly:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

// ----- B1–B3: names that escape or mean something else -----

#[test]
fn unpack_refuses_absolute_and_traversing_names() {
    let s_abs = std::env::temp_dir().join("hakobu-hostile-escape.txt");
    let abs = s_abs.to_str().unwrap();
    let mut cases = Vec::new();
    for raw in [
        abs,
        "/etc/cron.d/x",
        "//host/share/x",
        "///x",
        "/./x",
        "C:\\x",
        "C:x",
        "\\\\?\\C:\\x",
        "\\\\server\\share\\x",
        "../x",
        "a/../../x",
        "./../x",
        "..",
        "/////////..",
        "././//./..",
        "..\\x",
        "a\\..\\..\\x",
        ".",
        "./x",
        "a/./b",
        "a//b",
        "/",
        "",
    ] {
        cases.push(unsafe_entry(&format!("name {raw:?}"), named(raw.as_bytes()), raw.as_bytes(), ""));
    }
    // Traversal in a folder entry, and through a pax path record that overrides a harmless ustar name.
    cases.push(unsafe_entry("folder ../up", Craft::new().dir(b"../up").finish(), b"../up/", "traversal"));
    let pax = Craft::new()
        .pax_kv(&[(b"path", b"../pax-escape.txt")])
        .header(&Hdr::new(b"harmless.txt", b'0', 3), b"abc")
        .list_file(b"../pax-escape.txt", b"abc")
        .finish();
    cases.push(unsafe_entry("pax path ../", pax, b"../pax-escape.txt", "traversal"));
    assert_all_refused(cases);
    assert!(!s_abs.exists(), "an absolute name was written: {}", s_abs.display());
}

#[test]
fn unpack_refuses_control_invisible_and_bidi_characters() {
    let mut cases = Vec::new();
    for (raw, reason) in [
        (&b"a\0b.txt"[..], "NUL"),
        (b"a\x01b", "control character"),
        (b"bell\x07.txt", "control character"),
        (b"evil\x1b[2J\x1b[31mred.txt", "control character"),
        (b"line\nbreak.txt", "control character"),
        (b"cr\rreturn.txt", "control character"),
        (b"del\x7f.txt", "control character"),
        ("c1\u{85}next.txt".as_bytes(), "control character"),
        ("c1\u{9b}csi.txt".as_bytes(), "control character"),
        ("invoice\u{202e}fdp.exe".as_bytes(), "direction"),
        ("isolate\u{2066}x\u{2069}.txt".as_bytes(), "direction"),
        ("zero\u{200b}width.txt".as_bytes(), "invisible"),
        ("zwnj\u{200c}.txt".as_bytes(), "invisible"),
        ("zwj\u{200d}.txt".as_bytes(), "invisible"),
        ("\u{feff}bom.txt".as_bytes(), "invisible"),
        ("soft\u{ad}hyphen.txt".as_bytes(), "invisible"),
    ] {
        cases.push(unsafe_entry(&format!("name {:?}", String::from_utf8_lossy(raw)), named(raw), raw, reason));
    }
    assert_all_refused(cases);
}

#[test]
fn unpack_refuses_names_windows_cannot_hold() {
    let mut cases = Vec::new();
    for (raw, reason) in [
        ("CON", "reserved"),
        ("con", "reserved"),
        ("nul.txt", "reserved"),
        ("Aux.tar.gz", "reserved"),
        ("PRN", "reserved"),
        ("COM1 ", "dot or space"),
        ("COM1", "reserved"),
        ("COM\u{b9}", "reserved"),
        ("LPT9.csv", "reserved"),
        ("LPT0", "reserved"),
        ("CONIN$", "reserved"),
        ("dir/CONOUT$.txt", "reserved"),
        ("name.", "dot or space"),
        ("name ", "dot or space"),
        ("a:b", "Windows"),
        ("stream.txt:hidden", "Windows"),
        ("a*b", "Windows"),
        ("a?b", "Windows"),
        ("a<b", "Windows"),
        ("a>b", "Windows"),
        ("a|b", "Windows"),
        ("a\"b", "Windows"),
        ("ANDROI~2", "8.3"),
        ("GIT~1", "8.3"),
        ("PROGRA~1.TXT", "8.3"),
        ("foo/FOOOOO~1.JPG", "8.3"),
    ] {
        let plain = if let Some((d, _)) = raw.split_once('/') {
            Craft::new().dir(d.as_bytes()).file(raw.as_bytes(), b"x").finish()
        } else {
            named(raw.as_bytes())
        };
        cases.push(unsafe_entry(&format!("name {raw:?}"), plain, raw.as_bytes(), reason));
    }
    assert_all_refused(cases);
}

#[test]
fn unpack_refuses_over_long_names_paths_and_deep_nesting() {
    let mut cases = Vec::new();
    let long = "a".repeat(256);
    cases.push(unsafe_entry("256-byte name", named(long.as_bytes()), long.as_bytes(), "longer than 255"));
    let jp = "長".repeat(86); // 258 bytes of UTF-8, 86 characters
    cases.push(unsafe_entry("258-byte Japanese name", named(jp.as_bytes()), jp.as_bytes(), "longer than 255"));
    // A path longer than any receiver can create, made of legal components.
    let comp = "b".repeat(200);
    let mut craft = Craft::new();
    let mut path = String::new();
    let mut deepest = String::new();
    for _ in 0..30 {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(&comp);
        if path.len() > hakobu::format::paths::MAX_PATH_BYTES {
            deepest = path.clone();
            craft = craft.dir(path.as_bytes());
            break;
        }
        craft = craft.dir(path.as_bytes());
    }
    cases.push(unsafe_entry("path too long", craft.finish(), format!("{deepest}/").as_bytes(), "path longer than"));
    // Deep nesting: short names, many levels.
    let mut craft = Craft::new();
    let mut path = String::from("d");
    let mut deepest = String::new();
    for level in 1..=1000 {
        craft = craft.dir(path.as_bytes());
        if level > 300 {
            break;
        }
        deepest = format!("{path}/d");
        path = deepest.clone();
    }
    let _ = deepest;
    cases.push(case("deep nesting", craft.finish(), &["unsafe entry", "nested deeper"]));
    assert_all_refused(cases);
}

#[test]
fn unpack_refuses_non_utf8_names() {
    let mut cases = Vec::new();
    for (label, raw) in [
        ("invalid UTF-8", &b"\xff\xfe.csv"[..]),
        ("EUC-JP", b"\xb2\xf1\xb0\xf7.csv"),     // 会員.csv
        ("Shift_JIS", b"\x89\xef\x88\xf5.csv"),  // 会員.csv
        ("overlong UTF-8 slash", b"a\xc0\xafb"), // '/' encoded in two bytes
        ("UTF-16 surrogate", b"\xed\xa0\x80.txt"),
    ] {
        let plain = Craft::new().header(&Hdr::new(raw, b'0', 1), b"x").list_file(raw, b"x").finish();
        cases.push(unsafe_entry(label, plain, raw, "not valid UTF-8"));
    }
    // A pax name declared as binary (not UTF-8).
    let plain = Craft::new()
        .pax_kv(&[(b"hdrcharset", b"BINARY"), (b"path", b"bin.txt")])
        .header(&Hdr::new(b"bin.txt", b'0', 1), b"x")
        .list_file(b"bin.txt", b"x")
        .finish();
    cases.push(unsafe_entry("hdrcharset BINARY", plain, b"bin.txt", "UTF-8"));
    assert_all_refused(cases);
}

// ----- B4–B6: entries that are not plain files or folders -----

#[test]
fn unpack_refuses_links_devices_and_unknown_types() {
    let mut cases = Vec::new();
    let link = |name: &[u8], flag: u8, target: &[u8]| {
        let mut h = Hdr::new(name, flag, 0);
        h.linkname = target.to_vec();
        h
    };
    cases.push(unsafe_entry(
        "symlink to /",
        Craft::new().entry(link(b"linktoroot", b'2', b"/"), &[]).finish(),
        b"linktoroot",
        "symbolic link",
    ));
    cases.push(unsafe_entry(
        "symlink out",
        Craft::new().entry(link(b"x", b'2', b"../outside"), &[]).file(b"x2", b"y").finish(),
        b"x",
        "symbolic link",
    ));
    cases.push(unsafe_entry(
        "symlink drive-relative",
        Craft::new().entry(link(b"t", b'2', b"C:../../t"), &[]).finish(),
        b"t",
        "symbolic link",
    ));
    cases.push(unsafe_entry(
        "symlink then file through it",
        Craft::new().entry(link(b"sub", b'2', b"/tmp"), &[]).file(b"sub/x", b"y").finish(),
        b"sub",
        "symbolic link",
    ));
    cases.push(unsafe_entry(
        "file then symlink of the same name",
        Craft::new().file(b"same", b"data").entry(link(b"same", b'2', b"/etc/passwd"), &[]).finish(),
        b"same",
        "symbolic link",
    ));
    cases.push(unsafe_entry(
        "hard link to an earlier file",
        Craft::new().file(b"a.txt", b"data").entry(link(b"h", b'1', b"a.txt"), &[]).finish(),
        b"h",
        "hard link",
    ));
    cases.push(unsafe_entry("hard link outside", Craft::new().entry(link(b"h", b'1', b"/etc/shadow"), &[]).finish(), b"h", "hard link"));
    let mut h = link(b"hsize", b'1', b"a.txt");
    h.size = 5;
    cases.push(unsafe_entry(
        "hard link with data",
        Craft::new().file(b"a.txt", b"data").entry(h, b"extra").finish(),
        b"hsize",
        "hard link",
    ));
    for (flag, name, reason) in [
        (b'3', "char device", "device"),
        (b'4', "block device", "device"),
        (b'6', "fifo", "FIFO"),
        (b'7', "contiguous", "contiguous"),
        (b'Z', "unknown Z", "unknown type"),
        (b'V', "volume header", "unknown type"),
        (b'M', "multivolume", "unknown type"),
        (b'N', "old GNU long name", "unknown type"),
        (b'D', "GNU dumpdir", "unknown type"),
        (b'A', "Solaris ACL", "unknown type"),
        (b'X', "old POSIX extended", "unknown type"),
        (0xff, "typeflag 0xff", "unknown type"),
    ] {
        let raw = name.replace(' ', "-");
        cases.push(unsafe_entry(name, Craft::new().entry(Hdr::new(raw.as_bytes(), flag, 0), &[]).finish(), raw.as_bytes(), reason));
    }
    // GNU sparse, with a GNU header as GNU tar writes it.
    let mut sparse = Hdr::new(b"sparse.bin", b'S', 0);
    sparse.magic = Magic::Gnu;
    cases.push(case("GNU sparse", Craft::new().entry(sparse, &[]).finish(), &["sparse"]));
    // Sparse and link records smuggled in pax onto a regular file.
    for (key, value) in [(&b"GNU.sparse.map"[..], &b"0,5"[..]), (b"GNU.sparse.major", b"1"), (b"linkpath", b"/etc/passwd")] {
        let plain =
            Craft::new().pax_kv(&[(key, value)]).header(&Hdr::new(b"r.txt", b'0', 5), b"12345").list_file(b"r.txt", b"12345").finish();
        cases.push(unsafe_entry(&format!("pax {}", String::from_utf8_lossy(key)), plain, b"r.txt", "records"));
    }
    // A global pax header applies to every later entry in other readers.
    let g = pax_record(b"path", b"../global.txt");
    let plain = Craft::new().entry(Hdr::new(b"pax_global_header", b'g', g.len() as u64), &g).file(b"ok.txt", b"x").finish();
    cases.push(unsafe_entry("global pax header", plain, b"pax_global_header", "global pax header"));
    // A regular file that also carries a link target (old readers make a link of it).
    let plain = Craft::new().entry(link(b"reg-with-link", b'0', b"/etc/passwd"), &[]).list_file(b"reg-with-link", b"").finish();
    cases.push(unsafe_entry("regular file with a link name", plain, b"reg-with-link", "link"));
    // GNU long-name and long-link records: hakobu never writes them and readers disagree on them.
    let longname = b"../gnu-long.txt\0".to_vec();
    let mut l = Hdr::new(b"././@LongLink", b'L', longname.len() as u64);
    l.magic = Magic::Gnu;
    let mut f = Hdr::new(b"short.txt", b'0', 1);
    f.magic = Magic::Gnu;
    let plain = Craft::new().entry(l, &longname).entry(f.clone(), b"x").list_file(b"../gnu-long.txt", b"x").finish();
    cases.push(unsafe_entry("GNU long name with ..", plain, b"../gnu-long.txt", "traversal"));
    let safe_long = "長い名前".repeat(10).into_bytes();
    let mut l = Hdr::new(b"././@LongLink", b'L', safe_long.len() as u64);
    l.magic = Magic::Gnu;
    let plain = Craft::new().entry(l, &safe_long).entry(f.clone(), b"x").list_file(&safe_long, b"x").finish();
    cases.push(unsafe_entry("GNU long name", plain, &safe_long, "GNU long-name"));
    let mut k = Hdr::new(b"././@LongLink", b'K', 12);
    k.magic = Magic::Gnu;
    let plain = Craft::new().entry(k, b"/etc/passwd\0").entry(f, b"x").list_file(b"short.txt", b"x").finish();
    cases.push(unsafe_entry("GNU long link on a file", plain, b"short.txt", "link"));
    assert_all_refused(cases);
}

// ----- B7–B9: the same path twice, in any disguise -----

#[test]
fn unpack_refuses_duplicates_and_collisions() {
    let cases = vec![
        unsafe_entry("same file twice", Craft::new().file(b"a.txt", b"1").file(b"a.txt", b"2").finish(), b"a.txt", "appears twice"),
        unsafe_entry("same folder twice", Craft::new().dir(b"d").dir(b"d").finish(), b"d", "appears twice"),
        unsafe_entry("file then folder", Craft::new().file(b"x", b"1").dir(b"x").finish(), b"x", "appears twice"),
        unsafe_entry("folder then file", Craft::new().dir(b"x").file(b"x", b"1").finish(), b"x", "appears twice"),
        unsafe_entry("file then child", Craft::new().file(b"x", b"1").file(b"x/y", b"2").finish(), b"x/y", "parent"),
        unsafe_entry("child without parent", Craft::new().file(b"nodir/x", b"2").finish(), b"nodir/x", "parent"),
        unsafe_entry(
            "file with a trailing slash",
            Craft::new().header(&Hdr::new(b"f/", b'0', 1), b"x").list_file(b"f", b"x").finish(),
            b"f/",
            "slash",
        ),
        unsafe_entry(
            "case collision",
            Craft::new().file(b"Member.csv", b"1").file(b"member.csv", b"2").finish(),
            b"member.csv",
            "collides with \"Member.csv\"",
        ),
        unsafe_entry("case collision via folder", Craft::new().dir(b"Docs").file(b"docs/x", b"2").finish(), b"docs/x", "parent"),
        unsafe_entry(
            "NFC vs NFD",
            Craft::new().file("\u{304c}.csv".as_bytes(), b"1").file("\u{304b}\u{3099}.csv".as_bytes(), b"2").finish(),
            "\u{304b}\u{3099}.csv".as_bytes(),
            "collides",
        ),
        unsafe_entry(
            "NFD vs NFC (プ)",
            Craft::new().file("\u{30d5}\u{309a}.txt".as_bytes(), b"1").file("\u{30d7}.txt".as_bytes(), b"2").finish(),
            "\u{30d7}.txt".as_bytes(),
            "collides",
        ),
        unsafe_entry(
            "case and NFD together",
            Craft::new().file("A\u{304c}.csv".as_bytes(), b"1").file("a\u{304b}\u{3099}.csv".as_bytes(), b"2").finish(),
            "a\u{304b}\u{3099}.csv".as_bytes(),
            "collides",
        ),
        // exFAT's up-case table and NTFS's $UpCase fold these; lower case does not (#32).
        unsafe_entry(
            "final and medial sigma",
            Craft::new().file("σ.txt".as_bytes(), b"1").file("ς.txt".as_bytes(), b"2").finish(),
            "ς.txt".as_bytes(),
            "collides with \"σ.txt\"",
        ),
        unsafe_entry(
            "dotless i and i",
            Craft::new().file("ı.txt".as_bytes(), b"1").file(b"i.txt", b"2").finish(),
            b"i.txt",
            "collides with \"ı.txt\"",
        ),
        unsafe_entry(
            "long s and S",
            Craft::new().file(b"S.txt", b"1").file("ſ.txt".as_bytes(), b"2").finish(),
            "ſ.txt".as_bytes(),
            "collides with \"S.txt\"",
        ),
        unsafe_entry(
            "names differing by a zero-width joiner",
            Craft::new().file(b"ab.txt", b"1").file("a\u{200d}b.txt".as_bytes(), b"2").finish(),
            "a\u{200d}b.txt".as_bytes(),
            "invisible",
        ),
        unsafe_entry("hakobu's folder early", Craft::new().file(b".hakobu/evil", b"1").finish(), b"", ""),
    ];
    let mut cases = cases;
    // The last one names a hakobu entry rather than an unsafe one.
    cases.last_mut().unwrap().expect = vec!["unexpected hakobu entry".into(), ".hakobu/evil".into()];
    // A folder named like a staging folder would be removed by the next unpack as a leftover.
    cases.push(case(
        "staging folder name",
        Craft::new().dir(b".Hakobu-Staging-abc123").file(b".Hakobu-Staging-abc123/x", b"1").finish(),
        &["unexpected hakobu entry", ".Hakobu-Staging-abc123"],
    ));
    assert_all_refused(cases);
}

// ----- B12: broken headers and parser differentials -----

#[test]
fn unpack_refuses_corrupt_headers_and_pax_smuggling() {
    let mut cases = Vec::new();
    let mut h = Hdr::new(b"bad-sum.txt", b'0', 1);
    h.checksum_error = 1;
    cases.push(case(
        "bad header checksum",
        Craft::new().file(b"first.txt", b"1").entry(h, b"x").list_file(b"bad-sum.txt", b"x").finish(),
        &["checksum", "in the header of \"bad-sum.txt\""],
    ));
    let mut h = Hdr::new(b"garbage-size.txt", b'0', 0);
    h.size_field = Some(*b"12a45\0\0\0\0\0\0\0");
    cases.push(case("size field not octal", Craft::new().entry(h, &[]).finish(), &["not a valid hakobu archive", "\"garbage-size.txt\""]));
    let mut h = Hdr::new(b"esc-size.txt", b'0', 0);
    h.size_field = Some(*b"\x1b[2J\x1b[31m1\0\0");
    cases.push(case("size field with escape codes", Craft::new().entry(h, &[]).finish(), &["not a valid hakobu archive"]));
    let mut h = Hdr::new(b"negative.txt", b'0', 0);
    h.size_field = Some([0xff; 12]);
    cases.push(case("negative base-256 size", Craft::new().entry(h, &[]).finish(), &["not a valid hakobu archive", "\"negative.txt\""]));
    let mut h = Hdr::new(b"huge.txt", b'0', 0);
    h.size_field = Some(*b"77777777777\0");
    cases.push(case(
        "8 GiB claimed in a small archive",
        Craft::new().entry(h, b"tiny").list_file(b"huge.txt", b"tiny").finish(),
        &["huge.txt", "more than the archive holds"],
    ));
    let mut h = Hdr::new(b"b256.txt", b'0', 0);
    let mut f = [0u8; 12];
    f[0] = 0x80;
    f[4..].copy_from_slice(&(1u64 << 40).to_be_bytes());
    h.size_field = Some(f);
    cases.push(case("1 TiB base-256 size", Craft::new().entry(h, b"x").finish(), &["b256.txt", "more than the archive holds"]));

    // CVE-2026-33055 shape: the pax size and the ustar size disagree, so that
    // one reader sees a hidden entry inside what another reads as file data.
    let mut hidden = Craft::new().header(&Hdr::new(b"../smuggled.txt", b'0', 4), b"evil").bytes;
    hidden.truncate(BLOCK + 512);
    let plain = Craft::new()
        .pax_kv(&[(b"size", b"0")])
        .header(&Hdr::new(b"cover.txt", b'0', hidden.len() as u64), &hidden)
        .list_file(b"cover.txt", b"")
        .finish();
    cases.push(unsafe_entry("pax size smaller than ustar size", plain, b"cover.txt", "pax size"));
    let plain = Craft::new()
        .pax_kv(&[(b"size", hidden.len().to_string().as_bytes())])
        .header(&Hdr::new(b"cover2.txt", b'0', 0), &hidden)
        .list_file(b"cover2.txt", &hidden)
        .finish();
    cases.push(unsafe_entry("pax size larger than ustar size", plain, b"cover2.txt", "pax size"));
    // Records the tar crate silently ignores but other readers obey.
    let plain = Craft::new()
        .pax(&[b"9 bad=x\n".to_vec(), pax_record(b"size", b"0")])
        .header(&Hdr::new(b"behind-malformed.txt", b'0', 4), b"data")
        .list_file(b"behind-malformed.txt", b"data")
        .finish();
    cases.push(unsafe_entry("malformed pax record hiding a size", plain, b"behind-malformed.txt", "pax"));
    for (label, value) in [("not a number", &b"abc"[..]), ("plus sign", b"+4"), ("leading space", b" 4"), ("empty", b"")] {
        let plain = Craft::new()
            .pax_kv(&[(b"size", value)])
            .header(&Hdr::new(b"odd-size.txt", b'0', 4), b"data")
            .list_file(b"odd-size.txt", b"data")
            .finish();
        cases.push(unsafe_entry(&format!("pax size {label}"), plain, b"odd-size.txt", "pax size"));
    }
    // The tar crate takes the first `path`, GNU tar and libarchive the last.
    let plain = Craft::new()
        .pax_kv(&[(b"path", b"first.txt"), (b"path", b"../second.txt")])
        .header(&Hdr::new(b"first.txt", b'0', 1), b"x")
        .list_file(b"first.txt", b"x")
        .finish();
    cases.push(unsafe_entry("two pax path records", plain, b"first.txt", "twice"));
    let plain =
        Craft::new().pax_kv(&[(b"path", b"")]).header(&Hdr::new(b"fallback.txt", b'0', 1), b"x").list_file(b"fallback.txt", b"x").finish();
    cases.push(case("empty pax path", plain, &["unsafe entry"]));
    let plain =
        Craft::new().pax_kv(&[(b"path", b"one.txt")]).pax_kv(&[(b"path", b"two.txt")]).header(&Hdr::new(b"x.txt", b'0', 1), b"x").finish();
    cases.push(case("two pax headers for one entry", plain, &["not a valid hakobu archive"]));
    let plain = Craft::new().file(b"ok.txt", b"x").agreeing_manifest().pax_kv(&[(b"path", b"dangling.txt")]).end_marker().padded();
    cases.push(case("pax header with no entry after it", plain, &["not a valid hakobu archive"]));
    let big = pax_record(b"comment", &vec![b'c'; 3 << 20]);
    let plain = Craft::new().pax(&[big]).header(&Hdr::new(b"big-pax.txt", b'0', 1), b"x").list_file(b"big-pax.txt", b"x").finish();
    cases.push(unsafe_entry("3 MiB pax header", plain, b"big-pax.txt", "pax"));
    let mut v7 = Hdr::new(b"v7-pax", b'x', 0);
    v7.magic = Magic::V7;
    cases.push(unsafe_entry("pax typeflag in a v7 header", Craft::new().entry(v7, &[]).finish(), b"v7-pax", "only files and folders"));
    // Times no clock can hold: adding them to the epoch overflows.
    for (label, secs) in [("mtime 2^63", 1u64 << 63), ("mtime u64::MAX", u64::MAX), ("mtime year 10000", 253_402_300_800)] {
        let mut field = [0u8; 12];
        field[0] = 0x80;
        field[4..].copy_from_slice(&secs.to_be_bytes());
        for (kind, flag) in [("file", b'0'), ("folder", b'5')] {
            let name = format!("far-future-{kind}{}", if flag == b'5' { "/" } else { "" });
            let mut h = Hdr::new(name.as_bytes(), flag, 0);
            h.mtime_field = Some(field);
            let mut c = Craft::new().entry(h, &[]);
            if flag == b'5' {
                c = c.list_dir(name.trim_end_matches('/').as_bytes());
            } else {
                c = c.list_file(name.as_bytes(), b"");
            }
            if let Some(d) = c.dirs.last_mut() {
                d.mtime = secs;
            }
            if let Some(f) = c.files.last_mut() {
                f.mtime = secs;
            }
            cases.push(unsafe_entry(&format!("{label} on a {kind}"), c.finish(), name.as_bytes(), "modification time"));
        }
    }
    let mut dir = Hdr::new(b"dir-with-data/", b'5', 5);
    dir.mode = 0o755;
    cases.push(unsafe_entry(
        "folder with data",
        Craft::new().entry(dir, b"12345").list_dir(b"dir-with-data").finish(),
        b"dir-with-data/",
        "carries data",
    ));
    // Truncated inside an entry's data.
    // Cut inside an entry's data, by less than age's overhead (so the size
    // cap cannot see it): the end of the stream comes early.
    let mut bytes = Craft::new().file(b"cut.txt", &[7u8; 3000]).bytes;
    bytes.truncate(BLOCK + 2950);
    cases.push(case("cut inside a file", bytes, &["not a valid hakobu archive", "ends inside \"cut.txt\""]));
    // Cut inside the manifest and inside the checksum list (held whole when small).
    // Again by less than age's overhead: 50 bytes short.
    let craft = Craft::new().file(b"a.txt", b"x");
    let m = craft.manifest();
    let crafted = craft.agreeing_manifest().bytes;
    for (reserved, len) in [(".hakobu/manifest.json", m.to_canonical_bytes().len()), (".hakobu/SHA256SUMS", m.sha256sums().len())] {
        let mut bytes = crafted.clone();
        let name_at = bytes.windows(reserved.len()).rposition(|w| w == reserved.as_bytes()).expect("reserved entry");
        bytes.truncate(name_at + BLOCK + len - 50);
        let said = format!("ends inside \"{reserved}\"");
        cases.push(case(&format!("cut inside {reserved}"), bytes, &["not a valid hakobu archive", &said]));
    }
    assert_all_refused(cases);
}

// ----- B12–B14: the end of the stream -----

#[test]
fn unpack_refuses_a_wrong_end_of_archive() {
    // Big enough that the Padmé length is more than the end marker's block rounding.
    let size = (20_000..30_000)
        .step_by(512)
        .find(|&n| {
            let c = Craft::new().dir(b"d").file(b"d/a.txt", &synthetic_bytes(1, n)).agreeing_manifest().end_marker();
            c.bytes.len() != c.padded().len()
        })
        .unwrap();
    let base = || Craft::new().dir(b"d").file(b"d/a.txt", &synthetic_bytes(1, size)).agreeing_manifest();
    let unpadded = base().end_marker().bytes;
    assert_ne!(unpadded.len(), base().end_marker().padded().len(), "the no-padding case would be a valid archive");
    let mut cases = vec![
        case("missing end marker", base().padded(), &["end-of-archive marker or the padding"]),
        case("one zero block only", base().raw(&[0; BLOCK]).padded(), &["end-of-archive marker or the padding"]),
        case(
            "no padding",
            {
                let c = base().end_marker();
                c.bytes
            },
            &["end-of-archive marker or the padding"],
        ),
        case(
            "padding one block too long",
            {
                let mut p = base().end_marker().padded();
                p.extend_from_slice(&[0; BLOCK]);
                p
            },
            &["end-of-archive marker or the padding"],
        ),
        case("data after the end marker", base().end_marker().raw(b"!").padded(), &["data follows the end of the archive"]),
        case(
            "a second archive after the end marker",
            {
                let mut c = base().end_marker();
                c.bytes.extend_from_slice(&Craft::new().file(b"../second.txt", b"x").bytes);
                c.padded()
            },
            &["data follows the end of the archive"],
        ),
        case(
            "a file after the manifest",
            {
                let m = Craft::new().dir(b"d").file(b"d/a.txt", b"alpha");
                let list = m.manifest();
                m.hakobu_entries(&list.to_canonical_bytes(), &list.sha256sums()).file(b"late.txt", b"x").end_marker().padded()
            },
            &["follow the checksum list"],
        ),
        case(
            "a file between manifest and sums",
            {
                let m = Craft::new().file(b"a.txt", b"alpha");
                let list = m.manifest();
                m.reserved(".hakobu/manifest.json", &list.to_canonical_bytes())
                    .file(b"late.txt", b"x")
                    .reserved(".hakobu/SHA256SUMS", &list.sha256sums())
                    .end_marker()
                    .padded()
            },
            &["files follow the manifest"],
        ),
    ];
    // Garbage that is not zeros in place of the end marker.
    cases.push(case("garbage instead of the end marker", base().raw(&[0xAA; 2 * BLOCK]).padded(), &["not a valid hakobu archive"]));
    assert_all_refused(cases);
}

// ----- M1–M5: the manifest disagrees, or is not the one true encoding -----

#[test]
fn unpack_refuses_manifest_problems() {
    let tree = || Craft::new().dir(b"docs").file(b"docs/a.txt", b"alpha").file("docs/会員が.csv".as_bytes(), b"beta");
    let with = |edit: &dyn Fn(&mut hakobu::format::manifest::Manifest)| {
        let c = tree();
        let mut m = c.manifest();
        edit(&mut m);
        let m = hakobu::format::manifest::Manifest::new(m.archive_id.clone(), m.created.clone(), m.directories.clone(), m.files.clone());
        c.hakobu_entries(&m.to_canonical_bytes(), &m.sha256sums()).end_marker().padded()
    };
    let text = |edit: &dyn Fn(String) -> String| {
        let c = tree();
        let m = c.manifest();
        let bytes = edit(String::from_utf8(m.to_canonical_bytes()).unwrap()).into_bytes();
        c.hakobu_entries(&bytes, &m.sha256sums()).end_marker().padded()
    };
    let cases = vec![
        case("manifest missing", tree().end_marker().padded(), &["no manifest"]),
        case(
            "sums missing",
            {
                let c = tree();
                let m = c.manifest();
                c.reserved(".hakobu/manifest.json", &m.to_canonical_bytes()).end_marker().padded()
            },
            &["no checksum list"],
        ),
        case(
            "manifest twice",
            {
                let c = tree();
                let m = c.manifest().to_canonical_bytes();
                c.reserved(".hakobu/manifest.json", &m).reserved(".hakobu/manifest.json", &m).end_marker().padded()
            },
            &["unexpected hakobu entry"],
        ),
        case(
            "sums before manifest",
            {
                let c = tree();
                let m = c.manifest();
                c.reserved(".hakobu/SHA256SUMS", &m.sha256sums())
                    .reserved(".hakobu/manifest.json", &m.to_canonical_bytes())
                    .end_marker()
                    .padded()
            },
            &["unexpected hakobu entry"],
        ),
        case("manifest as a folder", tree().dir(b".hakobu").end_marker().padded(), &["unexpected hakobu entry"]),
        case(
            "manifest in other case",
            {
                let c = tree();
                let m = c.manifest();
                c.reserved(".HAKOBU/manifest.json", &m.to_canonical_bytes())
                    .reserved(".hakobu/SHA256SUMS", &m.sha256sums())
                    .end_marker()
                    .padded()
            },
            &["unexpected hakobu entry"],
        ),
        case(
            "file not in manifest",
            with(&|m| {
                m.files.pop();
            }),
            &["but not in the manifest"],
        ),
        case(
            "manifest entry not in archive",
            with(&|m| {
                let mut extra = m.files[0].clone();
                extra.path = "docs/ghost.txt".into();
                m.files.push(extra);
            }),
            &["docs/ghost.txt", "missing from the archive"],
        ),
        case("manifest lists files in another order", with(&|m| m.files.reverse()), &["where the manifest lists"]),
        case("hash mismatch", with(&|m| m.files[0].sha256 = "0".repeat(64)), &["docs/a.txt", "SHA-256"]),
        case("size mismatch", with(&|m| m.files[0].size = 4), &["docs/a.txt", "size"]),
        case("mtime mismatch", with(&|m| m.files[0].mtime += 1), &["docs/a.txt", "modification time"]),
        case("folder missing from manifest", with(&|m| m.directories.clear()), &["folders"]),
        case("path differs by case (M5)", with(&|m| m.files[0].path = "docs/A.txt".into()), &["where the manifest lists"]),
        case(
            "path differs by normalisation (M5)",
            with(&|m| m.files[1].path = "docs/会員が.csv".nfd().collect::<String>()),
            &["where the manifest lists"],
        ),
        case("totals do not add up", text(&|t| t.replace("\"bytes\": 9", "\"bytes\": 10")), &["totals"]),
        case("CRLF", text(&|t| t.replace('\n', "\r\n")), &["canonical"]),
        case("BOM", text(&|t| format!("\u{feff}{t}")), &["manifest"]),
        case("trailing space", text(&|t| t.replace("\n}", " \n}")), &["canonical"]),
        case(
            "keys reordered",
            text(&|t| {
                t.replacen(
                    "\"format\": \"hakobu-manifest/1\",\n  \"archive_id\": \"0123456789abcdef0123456789abcdef\"",
                    "\"archive_id\": \"0123456789abcdef0123456789abcdef\",\n  \"format\": \"hakobu-manifest/1\"",
                    1,
                )
            }),
            &["canonical"],
        ),
        case("duplicate key", text(&|t| t.replacen("\"tool\":", "\"tool\": \"x\",\n  \"tool\":", 1)), &["manifest"]),
        case(
            "upper-case hash",
            text(&|t| {
                let c = tree();
                let h = c.files[0].sha256.clone();
                t.replace(&h, &h.to_uppercase())
            }),
            &["manifest"],
        ),
        case("unknown field with escape codes", text(&|t| t.replacen("{\n", "{\n  \"\\u001b[2J\": 1,\n", 1)), &["manifest"]),
        case(
            "sums disagree",
            {
                let c = tree();
                let m = c.manifest();
                let sums = String::from_utf8(m.sha256sums()).unwrap().replace("  docs/a.txt", "  docs/b.txt");
                c.hakobu_entries(&m.to_canonical_bytes(), sums.as_bytes()).end_marker().padded()
            },
            &["SHA256SUMS"],
        ),
        case("manifest lists an unsafe path", with(&|m| m.files[0].path = "../a.txt".into()), &["unsafe entry", "../a.txt"]),
        // B14: a manifest bigger than any receiver should read into memory (the archive really holds it).
        case(
            "manifest over 64 MiB",
            {
                let c = tree();
                let m = c.manifest();
                let mut big = m.to_canonical_bytes();
                big.resize((hakobu::format::manifest::MAX_MANIFEST_BYTES + 1) as usize, b'\n');
                c.hakobu_entries(&big, &m.sha256sums()).end_marker().padded()
            },
            &["larger than any hakobu writes"],
        ),
        case(
            "size bomb: more data than the manifest declares",
            {
                let c = Craft::new().file(b"bomb.bin", &vec![0u8; 2 << 20]);
                let mut m = c.manifest();
                m.files[0].size = 1;
                let m = hakobu::format::manifest::Manifest::new(
                    m.archive_id.clone(),
                    m.created.clone(),
                    m.directories.clone(),
                    m.files.clone(),
                );
                c.hakobu_entries(&m.to_canonical_bytes(), &m.sha256sums()).end_marker().padded()
            },
            &["bomb.bin", "size"],
        ),
    ];
    assert_all_refused(cases);
}

// ----- the property: safe random trees come back identical -----

mod roundtrip {
    use super::*;
    use proptest::prelude::*;

    /// Names every receiver accepts: ASCII, kana, kanji, spaces inside.
    fn name() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9_\\-\u{3041}-\u{3093}\u{30a1}-\u{30f3}\u{4e00}-\u{4e5f}]{1,6}( [a-z\u{3042}-\u{3093}]{1,4})?(\\.[a-z]{1,3})?"
    }

    fn tree() -> impl Strategy<Value = Vec<(Vec<String>, usize)>> {
        proptest::collection::vec(
            (proptest::collection::vec(name(), 1..4), prop_oneof![Just(0usize), 1usize..200, 60_000usize..140_000]),
            1..12,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]
        #[test]
        fn random_trees_survive_pack_and_unpack(files in tree()) {
            let s = Session::new();
            let root = s.path("src");
            fs::create_dir_all(&root).unwrap();
            // fold key -> (exact path, is a folder): skip what pack would refuse
            // as a case or normalisation collision, by design.
            let mut taken: std::collections::HashMap<String, (String, bool)> = std::collections::HashMap::new();
            let mut seed = 1u64;
            for (parts, size) in files {
                let prefixes: Vec<(String, bool)> = (1..=parts.len()).map(|n| (parts[..n].join("/"), n < parts.len())).collect();
                let Ok(full) = hakobu::format::paths::ArchivePath::parse(prefixes.last().unwrap().0.as_bytes()) else { continue };
                let _ = full;
                let clash = prefixes.iter().any(|(p, is_dir)| {
                    let key = hakobu::format::paths::ArchivePath::parse(p.as_bytes()).map(|a| a.fold_key()).unwrap_or_default();
                    match taken.get(&key) {
                        Some((exact, d)) => exact != p || d != is_dir || !is_dir,
                        None => false,
                    }
                });
                if clash { continue; }
                for (p, is_dir) in &prefixes {
                    let key = hakobu::format::paths::ArchivePath::parse(p.as_bytes()).unwrap().fold_key();
                    taken.insert(key, (p.clone(), *is_dir));
                }
                seed += 1;
                write(&root.join(&prefixes.last().unwrap().0), &synthetic_bytes(seed, size));
            }
            let archive = s.pack(&["src"], "stick");
            let out = s.unpack(&archive, "received");
            prop_assert!(out.status.success(), "{}", explain(s.dir.path(), &["unpack"], &out, "unpack"));
            assert_same_tree(&root, &s.path("received/src"));
        }
    }
}

/// A path legal inside the archive can still be too long below a deep
/// destination (Linux PATH_MAX is 4096 bytes): an I/O error, and nothing left.
#[test]
fn unpack_path_too_long_for_the_destination_leaves_nothing() {
    let s = Session::new();
    let comp = "c".repeat(200);
    let mut craft = Craft::new();
    let mut path = String::new();
    for _ in 0..17 {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(&comp);
        craft = craft.dir(path.as_bytes());
    }
    let craft = craft.file(format!("{path}/f.txt").as_bytes(), b"x");
    let archive = seal(&craft.finish(), &s.recipient, &s.path("long.age"));
    let dest = ["d"; 4].iter().map(|_| "e".repeat(200)).collect::<Vec<_>>().join("/");
    write(&s.path(&format!("{dest}/keep.txt")), b"keep\n");
    let before = snapshot(s.dir.path());
    let stderr = s.run_fails(5, &["unpack", archive.to_str().unwrap(), "-o", &dest, "-i", s.key.to_str().unwrap()]);
    assert!(stderr.contains("the path is too long") && stderr.contains("shorter path"), "unexpected message: {stderr}");
    assert_eq!(before, snapshot(s.dir.path()), "unpack left something behind");
}

// ----- no input makes the reader panic, and no mutation changes what it accepts -----

mod mutations {
    use super::*;
    use proptest::prelude::*;

    /// A small valid plaintext with a pax-named file, a folder and the manifest.
    fn valid() -> (Vec<u8>, hakobu::format::manifest::Manifest) {
        let c =
            Craft::new().dir("本社".as_bytes()).file("本社/会員名簿.csv".as_bytes(), &synthetic_bytes(7, 700)).file(b"a.txt", b"alpha\n");
        let m = c.manifest();
        (c.finish(), m)
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Set(usize, u8),
        Truncate(usize),
        Insert(usize, Vec<u8>),
        Remove(usize, usize),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            4 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
            1 => any::<usize>().prop_map(Mutation::Truncate),
            1 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..600)).prop_map(|(i, v)| Mutation::Insert(i, v)),
            1 => (any::<usize>(), 1usize..1100).prop_map(|(i, n)| Mutation::Remove(i, n)),
        ]
    }

    /// One header: a plausible or hostile name, type, size and time fields, maybe pax records.
    fn header() -> impl Strategy<Value = (Hdr, Vec<u8>, Vec<Vec<u8>>)> {
        let name = prop_oneof![
            Just(b"a.txt".to_vec()),
            Just("本社/".as_bytes().to_vec()),
            Just(b"d/".to_vec()),
            Just(b"d/x".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..12),
            "[a-z./\\~: ]{1,10}".prop_map(|s| s.into_bytes()),
        ];
        let typeflag = prop_oneof![4 => Just(b'0'), 2 => Just(b'5'), 1 => Just(0u8), 1 => any::<u8>()];
        let field = prop_oneof![
            5 => Just(None),
            1 => any::<[u8; 12]>().prop_map(Some),
            1 => any::<u64>().prop_map(|v| { let mut f = [0u8; 12]; f[0] = 0x80; f[4..].copy_from_slice(&v.to_be_bytes()); Some(f) }),
        ];
        let pax = prop_oneof![3 => Just(Vec::new()), 1 => proptest::collection::vec(
            (prop_oneof![Just(b"path".to_vec()), Just(b"size".to_vec()), Just(b"mtime".to_vec()), Just(b"linkpath".to_vec()), proptest::collection::vec(any::<u8>(), 1..6)],
             proptest::collection::vec(any::<u8>(), 0..10)).prop_map(|(k, v)| pax_record(&k, &v)),
            1..3,
        )];
        (name, typeflag, 0usize..700, field.clone(), field, any::<u64>(), pax).prop_map(
            |(name, flag, len, size_field, mtime_field, mtime, pax)| {
                let mut h = Hdr::new(&name, flag, len as u64);
                h.size_field = size_field;
                h.mtime_field = mtime_field;
                h.mtime = mtime % (1 << 33);
                (h, synthetic_bytes(len as u64, len), pax)
            },
        )
    }

    proptest! {
        // PROPTEST_CASES raises the count for a longer local hunt.
        #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512), .. ProptestConfig::default() })]
        /// The layer below age (read_plaintext) never panics on a mutated
        /// archive, and whatever it still accepts holds exactly the original files.
        #[test]
        fn mutated_plaintext_is_refused_or_unchanged(muts in proptest::collection::vec(mutation(), 1..4)) {
            let (mut bytes, original) = valid();
            for m in muts {
                let len = bytes.len().max(1);
                match m {
                    Mutation::Set(i, b) => { let i = i % len; if i < bytes.len() { bytes[i] = b; } }
                    Mutation::Truncate(i) => bytes.truncate(i % len),
                    Mutation::Insert(i, v) => { let i = i % (bytes.len() + 1); bytes.splice(i..i, v); }
                    Mutation::Remove(i, n) => { let i = i % len; let end = (i + n).min(bytes.len()); if i < end { bytes.drain(i..end); } }
                }
            }
            // The manifest's own words (created, tool, id) have no checksum below
            // age's MAC; the files and folders it vouches for must be the same.
            if let Ok(m) = hakobu::format::reader::read_plaintext(&bytes[..], &mut hakobu::format::reader::NullSink) {
                prop_assert_eq!(m.files, original.files);
                prop_assert_eq!(m.directories, original.directories);
            }
        }

        /// Entries with random fields (valid checksums, so the tar parser goes
        /// deep), a manifest agreeing with them: whatever the reader accepts
        /// keeps the promises unpack and list build on.
        #[test]
        fn random_headers_keep_the_readers_promises(entries in proptest::collection::vec(header(), 1..5)) {
            let mut c = Craft::new();
            for (h, data, pax) in &entries {
                if !pax.is_empty() {
                    c = c.pax(pax);
                }
                c = c.entry(h.clone(), data);
                let listed = String::from_utf8_lossy(&h.name).trim_end_matches('/').to_owned();
                match h.typeflag {
                    b'5' => c = c.list_dir(listed.as_bytes()),
                    _ => c = c.list_file(listed.as_bytes(), data),
                }
                if let Some(f) = c.files.last_mut() { f.mtime = h.mtime; }
                if let Some(d) = c.dirs.last_mut() { d.mtime = h.mtime; }
            }
            let bytes = c.finish();
            if let Ok(m) = hakobu::format::reader::read_plaintext(&bytes[..], &mut hakobu::format::reader::NullSink) {
                let total: u64 = m.files.iter().map(|f| f.size).sum();
                prop_assert!(total <= bytes.len() as u64);
                for (p, mtime) in m.files.iter().map(|f| (&f.path, f.mtime)).chain(m.directories.iter().map(|d| (&d.path, d.mtime))) {
                    prop_assert!(mtime <= hakobu::format::reader::MAX_MTIME, "accepted mtime {}", mtime);
                    let parsed = hakobu::format::paths::ArchivePath::parse(p.as_bytes());
                    prop_assert!(parsed.as_ref().is_ok_and(|a| a.as_str() == p && !a.is_reserved()), "accepted path {:?}", p);
                }
            }
        }
    }
}

/// The boundary of the time rule: the last second of 9999 is accepted by
/// unpack and shown by list (no overflow, no file-system error).
#[test]
fn unpack_accepts_the_last_second_of_9999() {
    let s = Session::new();
    let mut c = Craft::new().file(b"late.txt", b"x");
    c.files[0].mtime = hakobu::format::reader::MAX_MTIME;
    c.bytes.clear();
    let mut h = Hdr::new(b"late.txt", b'0', 1);
    // Past what 11 octal digits hold: base-256, as GNU tar writes it.
    let mut field = [0u8; 12];
    field[0] = 0x80;
    field[4..].copy_from_slice(&hakobu::format::reader::MAX_MTIME.to_be_bytes());
    h.mtime_field = Some(field);
    let c = c.entry(h, b"x");
    let archive = seal(&c.finish(), &s.recipient, &s.path("late.age"));
    let (a, k) = (archive.to_str().unwrap(), s.key.to_str().unwrap());
    s.run_ok(&["unpack", a, "-o", "out", "-i", k, "-q"]);
    assert_eq!(fs::read(s.path("out/late.txt")).unwrap(), b"x");
    let listed = String::from_utf8(s.run_ok(&["list", a, "-i", k]).stdout).unwrap();
    assert!(listed.contains("9999-12-31T23:59:59Z"), "list shows {listed}");
}
