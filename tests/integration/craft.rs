//! Hand-made archives for the hostile-input tests: raw tar bytes built block
//! by block (any name, typeflag, size field, pax record, link target or
//! checksum), then a manifest and SHA256SUMS that AGREE with the hostile
//! entries — the attacker is a compromised packer, not a bit flip — then the
//! end marker and Padmé padding, sealed with the `age` crate to a test key.
//! Every piece can be left out or spoilt on purpose (the hostile-archive cases
//! of docs/SECURITY.md's test matrix).

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use hakobu::format::manifest::{DirectoryEntry, FileEntry, Manifest, MANIFEST_PATH, SUMS_PATH};
use hakobu::format::padding::padme;
use sha2::{Digest, Sha256};

/// tar's block size.
pub const BLOCK: usize = 512;
/// The modification time of every crafted entry.
pub const MTIME: u64 = 1_764_000_000;

/// How a header's magic field reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magic {
    /// POSIX `ustar\0` `00` (what hakobu writes).
    Ustar,
    /// GNU `ustar  \0`.
    Gnu,
    /// No magic at all (v7).
    V7,
}

/// One 512-byte tar header, every field under the test's control.
#[derive(Clone, Debug)]
pub struct Hdr {
    /// The name field (cut to 100 bytes).
    pub name: Vec<u8>,
    pub mode: u32,
    /// The size written in the size field, in octal (or see `size_field`).
    pub size: u64,
    /// Raw bytes for the 12-byte size field instead of `size` (garbage, base-256).
    pub size_field: Option<[u8; 12]>,
    pub mtime: u64,
    /// Raw bytes for the 12-byte mtime field instead of `mtime` (base-256, garbage).
    pub mtime_field: Option<[u8; 12]>,
    pub typeflag: u8,
    pub linkname: Vec<u8>,
    pub magic: Magic,
    /// Added to the correct checksum (0 = a valid header).
    pub checksum_error: i64,
}

impl Hdr {
    /// A header of type `typeflag` named `name` claiming `size` bytes.
    pub fn new(name: &[u8], typeflag: u8, size: u64) -> Self {
        Hdr {
            name: name.to_vec(),
            mode: if typeflag == b'5' { 0o755 } else { 0o644 },
            size,
            size_field: None,
            mtime: MTIME,
            mtime_field: None,
            typeflag,
            linkname: Vec::new(),
            magic: Magic::Ustar,
            checksum_error: 0,
        }
    }

    /// The 512 bytes.
    pub fn block(&self) -> [u8; BLOCK] {
        let mut b = [0u8; BLOCK];
        let n = self.name.len().min(100);
        b[..n].copy_from_slice(&self.name[..n]);
        octal(&mut b[100..108], self.mode as u64);
        octal(&mut b[108..116], 0);
        octal(&mut b[116..124], 0);
        match self.size_field {
            Some(raw) => b[124..136].copy_from_slice(&raw),
            None => octal(&mut b[124..136], self.size),
        }
        match self.mtime_field {
            Some(raw) => b[136..148].copy_from_slice(&raw),
            None => octal(&mut b[136..148], self.mtime),
        }
        b[156] = self.typeflag;
        let n = self.linkname.len().min(100);
        b[157..157 + n].copy_from_slice(&self.linkname[..n]);
        match self.magic {
            Magic::Ustar => b[257..265].copy_from_slice(b"ustar\x0000"),
            Magic::Gnu => {
                b[257..265].copy_from_slice(b"ustar  \x00");
                // The real size of a sparse file, which the tar crate checks.
                octal(&mut b[483..495], self.size);
            }
            Magic::V7 => {}
        }
        b[148..156].copy_from_slice(b"        ");
        let sum: i64 = b.iter().map(|&x| x as i64).sum::<i64>() + self.checksum_error;
        let text = format!("{:06o}\0 ", sum.max(0));
        b[148..156].copy_from_slice(text.as_bytes());
        b
    }
}

/// Writes `value` as zero-padded octal with a NUL terminator, as tar does.
fn octal(field: &mut [u8], value: u64) {
    let text = format!("{:0width$o}\0", value, width = field.len() - 1);
    assert_eq!(text.len(), field.len(), "{value} does not fit the field in octal; set the raw field instead");
    field.copy_from_slice(text.as_bytes());
}

/// One pax record, `"<len> <key>=<value>\n"`, its length counting itself.
pub fn pax_record(key: &[u8], value: &[u8]) -> Vec<u8> {
    let body = key.len() + value.len() + 3;
    let mut len = body + 1;
    while len != body + len.to_string().len() {
        len = body + len.to_string().len();
    }
    let mut out = format!("{len} ").into_bytes();
    out.extend_from_slice(key);
    out.push(b'=');
    out.extend_from_slice(value);
    out.push(b'\n');
    out
}

/// A plaintext under construction: tar entries, and what an agreeing manifest lists.
#[derive(Clone, Default)]
pub struct Craft {
    pub bytes: Vec<u8>,
    pub files: Vec<FileEntry>,
    pub dirs: Vec<DirectoryEntry>,
}

impl Craft {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends raw bytes (a header, garbage, anything).
    pub fn raw(mut self, bytes: &[u8]) -> Self {
        self.bytes.extend_from_slice(bytes);
        self
    }

    /// Appends a header and its data, padded to the block size. Lists nothing.
    pub fn header(mut self, h: &Hdr, data: &[u8]) -> Self {
        self.bytes.extend_from_slice(&h.block());
        self.bytes.extend_from_slice(data);
        let rem = data.len() % BLOCK;
        if rem != 0 {
            self.bytes.resize(self.bytes.len() + BLOCK - rem, 0);
        }
        self
    }

    /// A local pax header (`x`) holding `records` (each already encoded).
    pub fn pax(self, records: &[Vec<u8>]) -> Self {
        let body: Vec<u8> = records.concat();
        self.header(&Hdr::new(b"PaxHeader/x", b'x', body.len() as u64), &body)
    }

    /// A local pax header with `(key, value)` pairs.
    pub fn pax_kv(self, kv: &[(&[u8], &[u8])]) -> Self {
        let records: Vec<Vec<u8>> = kv.iter().map(|(k, v)| pax_record(k, v)).collect();
        self.pax(&records)
    }

    /// Lists a file in the manifest (without adding anything to the tar).
    pub fn list_file(mut self, path: &[u8], data: &[u8]) -> Self {
        self.files.push(FileEntry {
            path: listed_path(path),
            size: data.len() as u64,
            sha256: hex::encode(Sha256::digest(data)),
            mtime: MTIME,
        });
        self
    }

    /// Lists a folder in the manifest (without adding anything to the tar).
    pub fn list_dir(mut self, path: &[u8]) -> Self {
        self.dirs.push(DirectoryEntry { path: listed_path(path), mtime: MTIME });
        self
    }

    /// A regular file, named through a pax `path` record when the name does not
    /// fit plain ustar (long, non-ASCII, NUL); listed in the manifest as it is.
    pub fn file(self, name: &[u8], data: &[u8]) -> Self {
        let c = if needs_pax(name) { self.pax_kv(&[(b"path", name)]) } else { self };
        c.header(&Hdr::new(name, b'0', data.len() as u64), data).list_file(name, data)
    }

    /// A folder (`name/`), listed in the manifest.
    pub fn dir(self, name: &[u8]) -> Self {
        let mut full = name.to_vec();
        if !full.ends_with(b"/") {
            full.push(b'/');
        }
        let c = if needs_pax(&full) { self.pax_kv(&[(b"path", &full)]) } else { self };
        c.header(&Hdr::new(&full, b'5', 0), &[]).list_dir(name)
    }

    /// Any entry (hostile type or fields) with `data`; not listed.
    pub fn entry(self, h: Hdr, data: &[u8]) -> Self {
        self.header(&h, data)
    }

    /// The manifest that agrees with everything listed so far.
    pub fn manifest(&self) -> Manifest {
        Manifest::new("0123456789abcdef0123456789abcdef".into(), "2026-11-25T09:30:00Z".into(), self.dirs.clone(), self.files.clone())
    }

    /// Appends `.hakobu/manifest.json` and `.hakobu/SHA256SUMS` with these contents.
    pub fn hakobu_entries(self, manifest: &[u8], sums: &[u8]) -> Self {
        self.reserved(MANIFEST_PATH, manifest).reserved(SUMS_PATH, sums)
    }

    /// Appends one of hakobu's own entries (unlisted).
    pub fn reserved(self, path: &str, data: &[u8]) -> Self {
        self.header(&Hdr::new(path.as_bytes(), b'0', data.len() as u64), data)
    }

    /// Appends the agreeing manifest and checksum list.
    pub fn agreeing_manifest(self) -> Self {
        let m = self.manifest();
        self.hakobu_entries(&m.to_canonical_bytes(), &m.sha256sums())
    }

    /// The two zero blocks of the end-of-archive marker.
    pub fn end_marker(self) -> Self {
        self.raw(&[0u8; 2 * BLOCK])
    }

    /// Zeros up to the Padmé length; the finished plaintext.
    pub fn padded(mut self) -> Vec<u8> {
        let len = padme(self.bytes.len() as u64) as usize;
        self.bytes.resize(len, 0);
        self.bytes
    }

    /// The plaintext as the packer would finish it: agreeing manifest, end marker, padding.
    pub fn finish(self) -> Vec<u8> {
        self.agreeing_manifest().end_marker().padded()
    }
}

/// What a manifest says for a raw name: the text, without tar's trailing slash.
fn listed_path(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw).into_owned();
    match text.strip_suffix('/') {
        Some(t) if !t.is_empty() => t.to_owned(),
        _ => text,
    }
}

fn needs_pax(name: &[u8]) -> bool {
    name.len() > 100 || !name.is_ascii() || name.contains(&0)
}

/// Encrypts `plain` to `recipient` (an `age1…` public key) into `path`, and
/// writes the `path.sha256` sidecar the way pack does.
pub fn seal(plain: &[u8], recipient: &str, path: &Path) -> PathBuf {
    let r: age::x25519::Recipient = recipient.parse().expect("an age1 recipient");
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).expect("encryptor");
    let mut ciphertext = Vec::with_capacity(plain.len() + 1024);
    let mut w = encryptor.wrap_output(&mut ciphertext).expect("age stream");
    w.write_all(plain).expect("encrypt");
    w.finish().expect("final chunk");
    std::fs::write(path, &ciphertext).expect("write archive");
    let name = path.file_name().unwrap().to_string_lossy();
    let sidecar = format!("{}  {name}\n", hex::encode(Sha256::digest(&ciphertext)));
    let mut sidecar_path = path.as_os_str().to_owned();
    sidecar_path.push(".sha256");
    std::fs::write(&sidecar_path, sidecar).expect("write sidecar");
    path.to_owned()
}

/// Reads the entries of an existing tar (a corpus file) with the tar crate,
/// keeps their bytes as they are up to the last entry, and lists every
/// regular file and folder in an agreeing manifest: the corpus's hostile
/// entries wrapped as a hakobu archive by a compromised packer.
pub fn wrap_tar(tar_bytes: &[u8]) -> Craft {
    let mut craft = Craft::new();
    let mut archive = tar::Archive::new(tar_bytes);
    let mut end = 0u64;
    for entry in archive.entries().expect("corpus tar") {
        let mut entry = entry.expect("corpus entry");
        let path = entry.path_bytes().into_owned();
        let size = entry.size();
        let mtime = entry.header().mtime().expect("corpus mtime");
        match entry.header().entry_type() {
            tar::EntryType::Regular => {
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut data).expect("corpus data");
                craft.files.push(FileEntry { path: listed_path(&path), size, sha256: hex::encode(Sha256::digest(&data)), mtime });
            }
            tar::EntryType::Directory => craft.dirs.push(DirectoryEntry { path: listed_path(&path), mtime }),
            _ => {}
        }
        end = entry.raw_file_position() + size.div_ceil(BLOCK as u64) * BLOCK as u64;
    }
    craft.bytes = tar_bytes[..end as usize].to_vec();
    craft
}
