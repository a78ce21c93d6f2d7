//! The inner tar layer as hakobu writes it (docs/FORMAT.md §2): POSIX ustar
//! headers with pax records for long or non-ASCII names and big sizes,
//! neutral metadata, then end-of-archive and zero padding.

use std::io::{self, Write};

use crate::padding::padme;
use crate::paths::{ArchivePath, EntryKind};

/// tar's block size.
pub const BLOCK: u64 = 512;
/// The ustar size field holds at most 11 octal digits.
const USTAR_MAX_SIZE: u64 = 0o77777777777;
static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];

/// Counts the bytes written through it (the padding needs the plaintext length).
pub struct CountingWriter<W> {
    inner: W,
    count: u64,
}

impl<W: Write> CountingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        CountingWriter { inner, count: 0 }
    }
    /// Bytes written so far.
    pub fn count(&self) -> u64 {
        self.count
    }
    /// The wrapped writer.
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The name and pax records of one entry's header(s).
fn name_and_records(path: &ArchivePath, kind: EntryKind, size: u64) -> (Vec<u8>, Vec<u8>) {
    let mut name = path.as_str().as_bytes().to_vec();
    if kind == EntryKind::Directory {
        name.push(b'/');
    }
    let mut records = Vec::new();
    if name.len() > 100 || !name.is_ascii() {
        pax_record(&mut records, "path", &name);
    }
    if size > USTAR_MAX_SIZE {
        pax_record(&mut records, "size", size.to_string().as_bytes());
    }
    (name, records)
}

/// The exact length of what [`write_header`] writes for this entry (for the
/// size estimate made before packing).
pub fn header_len(path: &ArchivePath, kind: EntryKind, size: u64) -> u64 {
    let (_, records) = name_and_records(path, kind, size);
    if records.is_empty() {
        BLOCK
    } else {
        2 * BLOCK + (records.len() as u64).div_ceil(BLOCK) * BLOCK
    }
}

/// Writes the header(s) of one entry: a pax header first where needed.
pub fn write_header<W: Write>(w: &mut W, path: &ArchivePath, kind: EntryKind, size: u64, mtime: u64) -> io::Result<()> {
    let (name, records) = name_and_records(path, kind, size);
    if !records.is_empty() {
        let mut pax_name = b"PaxHeader/".to_vec();
        pax_name.extend_from_slice(&name);
        let h = ustar_header(&pax_name, tar::EntryType::XHeader, records.len() as u64, mtime, 0o644);
        w.write_all(h.as_bytes())?;
        w.write_all(&records)?;
        write_block_padding(w, records.len() as u64)?;
    }
    let (entry_type, mode) = match kind {
        EntryKind::File => (tar::EntryType::Regular, 0o644),
        EntryKind::Directory => (tar::EntryType::Directory, 0o755),
    };
    let h = ustar_header(&name, entry_type, size, mtime, mode);
    w.write_all(h.as_bytes())
}

/// A ustar header with neutral owner fields; `name` is cut to fit where a pax record carries it whole.
fn ustar_header(name: &[u8], entry_type: tar::EntryType, size: u64, mtime: u64, mode: u32) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(entry_type);
    h.set_size(size);
    h.set_mtime(mtime);
    h.set_mode(mode);
    h.set_uid(0);
    h.set_gid(0);
    let field = &mut h.as_ustar_mut().expect("ustar header").name;
    let cut = truncate_utf8(name, field.len());
    field[..cut.len()].copy_from_slice(cut);
    h.set_cksum();
    h
}

fn truncate_utf8(bytes: &[u8], max: usize) -> &[u8] {
    if bytes.len() <= max {
        return bytes;
    }
    let mut end = max;
    while end > 0 && (bytes[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    &bytes[..end]
}

/// One pax record: `"<len> <key>=<value>\n"`, where `<len>` counts the whole record.
fn pax_record(out: &mut Vec<u8>, key: &str, value: &[u8]) {
    let body = key.len() + value.len() + 3; // space, '=', '\n'
    let mut len = body + 1;
    while len != body + len.to_string().len() {
        len = body + len.to_string().len();
    }
    out.extend_from_slice(len.to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(key.as_bytes());
    out.push(b'=');
    out.extend_from_slice(value);
    out.push(b'\n');
}

/// Zeros up to the next 512-byte boundary after `len` bytes of data.
pub fn write_block_padding<W: Write>(w: &mut W, len: u64) -> io::Result<()> {
    let rem = (len % BLOCK) as usize;
    if rem != 0 {
        w.write_all(&ZEROS[..BLOCK as usize - rem])?;
    }
    Ok(())
}

/// The end-of-archive marker (two zero blocks), then zeros up to the Padmé length.
pub fn write_end_and_padding<W: Write>(w: &mut CountingWriter<W>) -> io::Result<()> {
    w.write_all(&ZEROS[..2 * BLOCK as usize])?;
    let mut remaining = padme(w.count()) - w.count();
    while remaining > 0 {
        let n = remaining.min(ZEROS.len() as u64) as usize;
        w.write_all(&ZEROS[..n])?;
        remaining -= n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_record_length_counts_itself() {
        let mut v = Vec::new();
        pax_record(&mut v, "path", b"abc");
        assert_eq!(v, b"12 path=abc\n");
        let mut v = Vec::new();
        pax_record(&mut v, "path", &[b'x'; 90]);
        assert_eq!(v.len(), 99);
        assert!(v.starts_with(b"99 path="));
        // The length field growing from two digits to three must be counted too.
        let mut v = Vec::new();
        pax_record(&mut v, "path", &[b'x'; 91]);
        assert_eq!(v.len(), 101);
        assert!(v.starts_with(b"101 path="));
    }

    #[test]
    fn cuts_names_on_character_boundaries() {
        let name = "あ".repeat(40); // 120 bytes
        let cut = truncate_utf8(name.as_bytes(), 100);
        assert_eq!(cut.len(), 99);
        assert!(std::str::from_utf8(cut).is_ok());
    }
}
