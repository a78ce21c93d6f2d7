//! Archive paths: the one and only way text from an archive (or a source name
//! bound for one) becomes a path. Every rule here protects a receiver on
//! Linux, Windows or macOS, on ext4, NTFS, exFAT, FAT32 or APFS.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::error::PathProblem;

/// Longest single name (bytes of UTF-8); exFAT, NTFS and ext4 allow 255.
pub const MAX_COMPONENT_BYTES: usize = 255;
/// Longest whole path inside an archive (bytes of UTF-8).
pub const MAX_PATH_BYTES: usize = 4096;
/// Deepest nesting of folders: office trees stay far below it, while
/// thousands of levels break Explorer, recursive tools and Windows' path
/// limits on the receiver's side.
pub const MAX_DEPTH: usize = 64;
/// The top-level folder hakobu keeps its own files in.
pub const RESERVED_DIR: &str = ".hakobu";
/// Prefix of unpack's staging folders inside a destination.
pub const STAGING_PREFIX: &str = ".hakobu-staging-";

/// Why a path is refused: the name exactly as received (front-ends escape it
/// before showing it) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafePath {
    /// The name as received, unescaped (it may hold control characters or invalid UTF-8).
    pub raw: Vec<u8>,
    /// What is wrong with it.
    pub problem: PathProblem,
}

impl UnsafePath {
    pub(crate) fn new(raw: &[u8], problem: PathProblem) -> Self {
        UnsafePath { raw: raw.to_vec(), problem }
    }
}

/// A checked, relative, portable path inside an archive: `/`-separated,
/// UTF-8, no empty, `.` or `..` components, nothing any common receiver
/// file system would reject or reinterpret.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArchivePath(String);

impl ArchivePath {
    /// Checks raw bytes from a tar header (or a source name) and returns the path, or why not.
    pub fn parse(raw: &[u8]) -> Result<Self, UnsafePath> {
        let text = std::str::from_utf8(raw).map_err(|_| UnsafePath::new(raw, PathProblem::NotUtf8))?;
        if text.is_empty() {
            return Err(UnsafePath::new(raw, PathProblem::Empty));
        }
        if raw.len() > MAX_PATH_BYTES {
            return Err(UnsafePath::new(raw, PathProblem::TooLong { max: MAX_PATH_BYTES }));
        }
        if text.starts_with('/') {
            return Err(UnsafePath::new(raw, PathProblem::Absolute));
        }
        if text.contains('\\') {
            return Err(UnsafePath::new(raw, PathProblem::Backslash));
        }
        // A single trailing slash is how tar marks directories; tolerate exactly that.
        let trimmed = text.strip_suffix('/').unwrap_or(text);
        if trimmed.split('/').count() > MAX_DEPTH {
            return Err(UnsafePath::new(raw, PathProblem::TooDeep { max: MAX_DEPTH }));
        }
        for component in trimmed.split('/') {
            check_component(component).map_err(|problem| UnsafePath::new(raw, problem))?;
        }
        Ok(ArchivePath(trimmed.to_owned()))
    }

    /// The path as `/`-separated text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The parent path, if this is not a top-level name.
    pub fn parent(&self) -> Option<ArchivePath> {
        self.0.rfind('/').map(|i| ArchivePath(self.0[..i].to_owned()))
    }

    /// The parent path as text, if this is not a top-level name (no allocation).
    pub fn parent_str(&self) -> Option<&str> {
        self.0.rfind('/').map(|i| &self.0[..i])
    }

    /// The last component.
    pub fn file_name(&self) -> &str {
        self.0.rfind('/').map_or(&self.0, |i| &self.0[i + 1..])
    }

    /// The first component.
    pub fn top(&self) -> &str {
        self.0.split('/').next().unwrap_or(&self.0)
    }

    /// True for hakobu's own entries (`.hakobu/...`), reserved in every archive,
    /// and for names of unpack's staging folders (`.hakobu-staging-*`), which
    /// a later unpack into the same folder removes as leftovers.
    pub fn is_reserved(&self) -> bool {
        let top = self.top();
        top.eq_ignore_ascii_case(RESERVED_DIR) || top.get(..STAGING_PREFIX.len()).is_some_and(|p| p.eq_ignore_ascii_case(STAGING_PREFIX))
    }

    /// Where this path lands below `root`. The only way to make a filesystem path from one.
    pub fn under(&self, root: &Path) -> PathBuf {
        let mut p = root.to_path_buf();
        for c in self.0.split('/') {
            p.push(c);
        }
        p
    }

    /// The key under which two names count as the same file on a case-insensitive,
    /// normalising file system (exFAT, NTFS, APFS): NFC, then lower case.
    pub fn fold_key(&self) -> String {
        // The same key, cheaper for the common names: ASCII is already NFC and
        // lower-cases byte by byte; most other names are NFC already (a quick
        // check, no decomposition). Runs for every entry packed or unpacked.
        if self.0.is_ascii() {
            self.0.to_ascii_lowercase()
        } else if unicode_normalization::is_nfc_quick(self.0.chars()) == unicode_normalization::IsNormalized::Yes {
            self.0.to_lowercase()
        } else {
            self.0.nfc().collect::<String>().to_lowercase()
        }
    }

    /// Joins a checked child name onto this path.
    pub fn join(&self, child: &ArchivePath) -> ArchivePath {
        let mut joined = String::with_capacity(self.0.len() + 1 + child.0.len());
        joined.push_str(&self.0);
        joined.push('/');
        joined.push_str(&child.0);
        ArchivePath(joined)
    }
}

impl fmt::Display for ArchivePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape_str(&self.0))
    }
}

/// Checks one path component; the error says why it is refused.
fn check_component(c: &str) -> Result<(), PathProblem> {
    if c.is_empty() {
        return Err(PathProblem::EmptyComponent);
    }
    if c == "." || c == ".." {
        return Err(PathProblem::Traversal);
    }
    if c.len() > MAX_COMPONENT_BYTES {
        return Err(PathProblem::ComponentTooLong { max: MAX_COMPONENT_BYTES });
    }
    // Most names are ASCII: check their bytes directly (the same rule: ASCII
    // control characters and DEL, and the Windows-forbidden punctuation).
    let forbidden = if c.is_ascii() {
        c.bytes().find(|&b| b < 0x20 || b == 0x7f || matches!(b, b':' | b'*' | b'?' | b'"' | b'<' | b'>' | b'|')).map(char::from)
    } else {
        c.chars().find(|&ch| is_forbidden_char(ch))
    };
    if let Some(ch) = forbidden {
        return Err(match ch {
            '\0' => PathProblem::Nul,
            ch if ch.is_control() => PathProblem::ControlCharacter(ch),
            ch if is_invisible(ch) => PathProblem::InvisibleCharacter(ch),
            ch => PathProblem::WindowsForbidden(ch),
        });
    }
    if c.ends_with('.') || c.ends_with(' ') {
        return Err(PathProblem::TrailingDotOrSpace);
    }
    if is_windows_reserved(c) {
        return Err(PathProblem::WindowsReserved);
    }
    if is_short_name_alias(c) {
        return Err(PathProblem::ShortNameAlias);
    }
    Ok(())
}

fn is_forbidden_char(ch: char) -> bool {
    ch.is_control() || matches!(ch, ':' | '*' | '?' | '"' | '<' | '>' | '|') || is_invisible(ch)
}

/// Zero-width and bidirectional-control characters: they let two names look
/// alike, or make a name display as something else.
fn is_invisible(ch: char) -> bool {
    matches!(ch as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x00AD | 0x061C | 0x180E)
}

fn is_windows_reserved(c: &str) -> bool {
    // Windows ignores everything from the first dot, and trailing spaces before it.
    let stem = c.find('.').map_or(c, |i| &c[..i]).trim_end_matches(' ');
    // Upper-casing never makes fewer characters, and no reserved name has more
    // than 7 (of at most 4 bytes each): longer stems need no upper-casing.
    if stem.len() > 28 {
        return false;
    }
    const RESERVED: [&str; 6] = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];
    if stem.is_ascii() {
        let b = stem.as_bytes();
        return RESERVED.iter().any(|r| stem.eq_ignore_ascii_case(r))
            || (b.len() == 4 && (b[..3].eq_ignore_ascii_case(b"COM") || b[..3].eq_ignore_ascii_case(b"LPT")) && b[3].is_ascii_digit());
    }
    let stem = stem.to_uppercase();
    RESERVED.contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.chars().count() == 4
            && stem.chars().nth(3).is_some_and(|d| d.is_ascii_digit() || matches!(d, '¹' | '²' | '³')))
}

/// `ABCDEF~1.TXT`-style names: on Windows they may name a different existing file.
fn is_short_name_alias(c: &str) -> bool {
    if !c.contains('~') {
        return false;
    }
    let stem = c.split('.').next().unwrap_or(c);
    match stem.rfind('~') {
        Some(i) if (1..=6).contains(&i) => {
            let digits = &stem[i + 1..];
            !digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit()) && stem.is_ascii()
        }
        _ => false,
    }
}

/// What kind of entry a path names, for collision bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Directory,
}

/// Tracks every path of one archive (or one pack) and refuses duplicates,
/// case/normalisation collisions and entries whose parent folder is missing.
#[derive(Default)]
pub struct PathSet {
    seen: HashMap<String, (ArchivePath, EntryKind)>,
    /// The last parent found to be a folder of this set: siblings follow each
    /// other, so most entries need no lookup of their parent (entries are
    /// never removed, so a parent once found stays valid).
    last_parent: String,
    /// The non-ASCII paths by [`simple_upper`] key: exFAT's up-case table and
    /// NTFS's `$UpCase` fold `σ`/`ς`, `ı`/`i`, `ſ`/`s` into one name, which
    /// lower case does not. ASCII paths need no entry here: for them both
    /// foldings agree, and `seen` holds their key.
    upper: HashMap<String, ArchivePath>,
}

/// The name as exFAT and NTFS compare it: every character mapped to its
/// upper case where that is one character (Unicode's simple mapping, as
/// their up-case tables hold it); a character whose upper case is several
/// (`ß` → `SS`) stays as it is, as it does in those tables.
pub fn simple_upper(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut up = c.to_uppercase();
            match (up.next(), up.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

impl PathSet {
    /// Creates an empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a path; `require_parents` demands that its parent folder was added before.
    pub fn insert(&mut self, path: &ArchivePath, kind: EntryKind, require_parents: bool) -> Result<(), UnsafePath> {
        if require_parents {
            if let Some(parent) = path.parent_str().filter(|p| *p != self.last_parent).map(|p| ArchivePath(p.to_owned())) {
                match self.seen.get(&parent.fold_key()) {
                    Some((p, EntryKind::Directory)) if *p == parent => self.last_parent = parent.0,
                    Some(_) => return Err(UnsafePath::new(path.as_str().as_bytes(), PathProblem::ParentNotFolder)),
                    None => return Err(UnsafePath::new(path.as_str().as_bytes(), PathProblem::ParentMissing)),
                }
            }
        }
        let key = path.fold_key();
        if let Some((other, _)) = self.seen.get(&key) {
            let problem = if other == path { PathProblem::Duplicate } else { PathProblem::Collides { other: other.as_str().to_owned() } };
            return Err(UnsafePath::new(path.as_str().as_bytes(), problem));
        }
        // Also one file where exFAT and NTFS fold by upper case (docs/FORMAT.md §2.3).
        let ascii = path.0.is_ascii();
        if !ascii || !self.upper.is_empty() {
            let upper = if ascii { path.0.to_ascii_uppercase() } else { simple_upper(&path.0) };
            // An ASCII path's upper case equals another's exactly when their
            // lower-case keys in `seen` do.
            let other = match self.upper.get(&upper) {
                Some(other) => Some(other.clone()),
                None if !ascii && upper.is_ascii() => self.seen.get(&upper.to_ascii_lowercase()).map(|(other, _)| other.clone()),
                None => None,
            };
            if let Some(other) = other {
                return Err(UnsafePath::new(path.as_str().as_bytes(), PathProblem::Collides { other: other.0 }));
            }
            if !ascii {
                self.upper.insert(upper, path.clone());
            }
        }
        self.seen.insert(key, (path.clone(), kind));
        Ok(())
    }

    /// Number of paths added.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// Escapes text for a terminal: control, invisible and bidi characters as `\u{..}`.
pub fn escape_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch.is_control() || is_invisible(ch) || ch == '\\' {
            if ch == '\\' {
                out.push_str("\\\\");
            } else {
                out.push_str(&format!("\\u{{{:x}}}", ch as u32));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// Makes already-rendered text safe for a terminal: control, invisible and
/// bidi characters become `\u{..}`; everything else (backslashes included)
/// is left as it is, so text escaped before is not escaped twice. The last
/// line of defence before stderr, whatever a message quotes.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|ch| ch.is_control() || is_invisible(ch)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for ch in s.chars() {
        if ch.is_control() || is_invisible(ch) {
            out.push_str(&format!("\\u{{{:x}}}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Escapes possibly non-UTF-8 bytes for a terminal (`\xNN` for invalid bytes).
pub fn escape_bytes(raw: &[u8]) -> String {
    let mut out = String::new();
    for chunk in raw.utf8_chunks() {
        out.push_str(&escape_str(chunk.valid()));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(s: &[u8]) {
        assert!(ArchivePath::parse(s).is_err(), "accepted {:?}", String::from_utf8_lossy(s));
    }

    #[test]
    fn refuses_traversal_and_absolute_paths() {
        for s in [
            "/etc/cron.d/x",
            "//host/share/x",
            "///x",
            "/./x",
            "C:\\x",
            "C:x",
            "\\\\?\\C:\\x",
            "../x",
            "a/../../x",
            "./../x",
            "..",
            "/////////..",
            "././//./..",
            "..\\x",
            "a\\..\\..\\x",
            "",
            "/",
            ".",
            "a//b",
            "a/./b",
        ] {
            bad(s.as_bytes());
        }
        bad(b"a\0b");
        bad(b"\xff\xfe.csv");
    }

    #[test]
    fn refuses_windows_unsafe_names() {
        for s in [
            "CON",
            "nul.txt",
            "COM1 ",
            "COM\u{b9}",
            "LPT0",
            "CONIN$",
            "name.",
            "name ",
            "a:b",
            "a*b",
            "a?b",
            "a\u{1}b",
            "ANDROI~2",
            "GIT~1",
            "PROGRA~1.TXT",
            "a\u{202e}fdp.exe",
            "x\u{200d}y",
        ] {
            bad(s.as_bytes());
        }
        bad("a".repeat(256).as_bytes());
    }

    #[test]
    fn refuses_deep_nesting() {
        let ok = vec!["d"; MAX_DEPTH].join("/");
        assert!(ArchivePath::parse(ok.as_bytes()).is_ok());
        bad(format!("{ok}/d").as_bytes());
    }

    #[test]
    fn accepts_ordinary_japanese_names() {
        for s in ["会員名簿.csv", "千葉支部/2026年/レセプト 11月.pdf", "a/b/c", "dir/", ".hidden", "con-fig.txt", "~tmp", "a~b"]
        {
            assert!(ArchivePath::parse(s.as_bytes()).is_ok(), "refused {s}");
        }
        assert_eq!(ArchivePath::parse(b"dir/").unwrap().as_str(), "dir");
    }

    #[test]
    fn detects_case_and_normalisation_collisions() {
        let mut set = PathSet::new();
        set.insert(&ArchivePath::parse("Member.csv".as_bytes()).unwrap(), EntryKind::File, true).unwrap();
        assert!(set.insert(&ArchivePath::parse(b"member.csv").unwrap(), EntryKind::File, true).is_err());
        set.insert(&ArchivePath::parse("\u{304c}.csv".as_bytes()).unwrap(), EntryKind::File, true).unwrap();
        assert!(set.insert(&ArchivePath::parse("\u{304b}\u{3099}.csv".as_bytes()).unwrap(), EntryKind::File, true).is_err());
        assert!(set.insert(&ArchivePath::parse(b"nodir/x").unwrap(), EntryKind::File, true).is_err());
    }

    #[test]
    fn names_exfat_and_ntfs_fold_by_upper_case_collide() {
        let p = |s: &str| ArchivePath::parse(s.as_bytes()).unwrap();
        for (a, b) in [("σ.txt", "ς.txt"), ("ı.txt", "i.txt"), ("I.txt", "ı.txt"), ("ſ.txt", "s.txt"), ("dir/ſ", "dir/S"), ("ΣΑΣ", "σας")]
        {
            for (first, second) in [(a, b), (b, a)] {
                let mut set = PathSet::new();
                set.insert(&p("dir"), EntryKind::Directory, true).unwrap();
                set.insert(&p(first), EntryKind::File, true).unwrap();
                let err = set.insert(&p(second), EntryKind::File, true).expect_err(&format!("{first} then {second}"));
                assert_eq!(err.problem, PathProblem::Collides { other: first.to_owned() }, "{first} then {second}");
            }
        }
        // Upper case of several characters is not folded (exFAT and NTFS keep `ß`), nor are different letters.
        let mut set = PathSet::new();
        for name in ["ß.txt", "ss.txt", "SS2.txt", "会員.csv", "İ.txt", "x.txt", "Σ1", "σ2"] {
            set.insert(&p(name), EntryKind::File, true).unwrap();
        }
        assert_eq!(simple_upper("straße σς ı ſ ǆ"), "STRAßE ΣΣ I S Ǆ");
    }

    #[test]
    fn windows_reserved_names_as_upper_casing_finds_them() {
        fn reference(c: &str) -> bool {
            let stem = c.split('.').next().unwrap_or(c).trim_end_matches(' ').to_uppercase();
            matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$")
                || ((stem.starts_with("COM") || stem.starts_with("LPT"))
                    && stem.chars().count() == 4
                    && stem.chars().nth(3).is_some_and(|d| d.is_ascii_digit() || matches!(d, '¹' | '²' | '³')))
        }
        for c in [
            "CON",
            "con",
            "cOn.txt",
            "CON .x",
            "nul",
            "aux.tar.gz",
            "prn",
            "conin$",
            "CONOUT$.log",
            "COM1",
            "com9.txt",
            "LPT0",
            "lpt5 ",
            "COM\u{b9}",
            "lpt\u{b3}.x",
            "COM10",
            "COM",
            "CONX",
            "xCON",
            "con\u{131}n$",
            "\u{131}",
            "ǅ",
            "会員.csv",
            "note_00101.dat",
            "COMa",
            "LPT-",
            "CONIN",
            "ｃｏｎ",
            "\u{17f}",
        ] {
            assert_eq!(is_windows_reserved(c), reference(c), "{c}");
        }
    }

    #[test]
    fn fold_key_is_nfc_then_lower_case() {
        for s in ["Member.CSV", "会員名簿.csv", "\u{304b}\u{3099}.csv", "Ｃａｆé", "Cafe\u{301}/ÄRZTE", "ǅ", "İstanbul", "ß"] {
            let p = ArchivePath::parse(s.as_bytes()).unwrap();
            assert_eq!(p.fold_key(), s.nfc().collect::<String>().to_lowercase(), "{s}");
        }
    }

    #[test]
    fn parents_are_checked_also_after_a_sibling_passed() {
        let mut set = PathSet::new();
        let p = |s: &str| ArchivePath::parse(s.as_bytes()).unwrap();
        set.insert(&p("a"), EntryKind::Directory, true).unwrap();
        set.insert(&p("a/x"), EntryKind::File, true).unwrap();
        set.insert(&p("a/y"), EntryKind::File, true).unwrap();
        assert!(set.insert(&p("a/x/z"), EntryKind::File, true).is_err(), "a file is no parent");
        assert!(set.insert(&p("b/z"), EntryKind::File, true).is_err());
        set.insert(&p("a/z"), EntryKind::File, true).unwrap();
    }

    #[test]
    fn escapes_spoofing_characters() {
        assert_eq!(escape_bytes(b"a\x1b[31m\xff"), "a\\u{1b}[31m\\xff");
        assert_eq!(escape_str("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(terminal_safe("C:\\x \u{1b}[2J \u{2066}"), "C:\\x \\u{1b}[2J \\u{2066}");
    }
}
