//! The inner tar layer as hakobu writes it (docs/FORMAT.md §2): POSIX ustar
//! headers with pax records for long or non-ASCII names and big sizes,
//! neutral metadata, then end-of-archive and zero padding.

use std::io::{self, Write};

use crate::format::padding::padme;
use crate::format::paths::{ArchivePath, EntryKind};

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

impl<W: Write + Send + 'static> CountingWriter<crate::io::pipe::PipeWriter<W>> {
    /// [`crate::io::pipe::PipeWriter::spare`]: room to read data into, in place.
    pub fn spare(&mut self, min: usize) -> io::Result<&mut [u8]> {
        self.inner.spare(min)
    }

    /// [`crate::io::pipe::PipeWriter::commit`], counted.
    pub fn commit(&mut self, n: usize) -> io::Result<()> {
        self.count += n as u64;
        self.inner.commit(n)
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

/// The entry name as written: the path, and a `/` after a folder's.
fn entry_name(path: &ArchivePath, kind: EntryKind) -> std::borrow::Cow<'_, [u8]> {
    match kind {
        EntryKind::File => std::borrow::Cow::Borrowed(path.as_str().as_bytes()),
        EntryKind::Directory => {
            let mut name = Vec::with_capacity(path.as_str().len() + 1);
            name.extend_from_slice(path.as_str().as_bytes());
            name.push(b'/');
            std::borrow::Cow::Owned(name)
        }
    }
}

/// Whether an entry name of `len` bytes needs a pax `path` record (too
/// long for the ustar field, or not ASCII).
fn needs_pax_path(len: usize, ascii: bool) -> bool {
    len > 100 || !ascii
}

/// Number of decimal digits of `n`.
fn decimal_digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Length of one pax record `"<len> <key>=<value>\n"`, where `<len>` counts the whole record.
fn pax_record_len(key: &str, value_len: usize) -> usize {
    let body = key.len() + value_len + 3; // space, '=', '\n'
    let mut len = body + 1;
    while len != body + decimal_digits(len as u64) {
        len = body + decimal_digits(len as u64);
    }
    len
}

/// Length of the pax records of an entry whose name is `name_len` bytes
/// (`ascii` or not) and data `size` bytes (0: no pax header).
fn records_len(name_len: usize, ascii: bool, size: u64) -> usize {
    let mut len = 0;
    if needs_pax_path(name_len, ascii) {
        len += pax_record_len("path", name_len);
    }
    if size > USTAR_MAX_SIZE {
        len += pax_record_len("size", decimal_digits(size));
    }
    len
}

/// The exact length of what [`write_header`] writes for this entry (for the
/// size estimate made before packing).
pub fn header_len(path: &ArchivePath, kind: EntryKind, size: u64) -> u64 {
    let name_len = path.as_str().len() + usize::from(kind == EntryKind::Directory);
    match records_len(name_len, path.as_str().is_ascii(), size) {
        0 => BLOCK,
        records => 2 * BLOCK + (records as u64).div_ceil(BLOCK) * BLOCK,
    }
}

/// Writes the header(s) of one entry: a pax header first where needed.
/// Built in place, without allocating for a file: this runs once per packed
/// file, and on many small files the header is a good part of the work.
pub fn write_header<W: Write>(w: &mut W, path: &ArchivePath, kind: EntryKind, size: u64, mtime: u64) -> io::Result<()> {
    let name = entry_name(path, kind);
    let ascii = name.is_ascii();
    let records = records_len(name.len(), ascii, size);
    if records > 0 {
        let mut h = [0u8; BLOCK as usize];
        let field = &mut h[..100];
        field[..10].copy_from_slice(b"PaxHeader/");
        let cut = truncate_utf8(&name, 90);
        field[10..10 + cut.len()].copy_from_slice(cut);
        fill_ustar(&mut h, b'x', records as u64, mtime, 0o644);
        w.write_all(&h)?;
        if needs_pax_path(name.len(), ascii) {
            write_pax_record(w, "path", &name)?;
        }
        if size > USTAR_MAX_SIZE {
            write_pax_record(w, "size", size.to_string().as_bytes())?;
        }
        write_block_padding(w, records as u64)?;
    }
    let (entry_type, mode) = match kind {
        EntryKind::File => (b'0', 0o644),
        EntryKind::Directory => (b'5', 0o755),
    };
    let mut h = [0u8; BLOCK as usize];
    let cut = truncate_utf8(&name, 100);
    h[..cut.len()].copy_from_slice(cut);
    fill_ustar(&mut h, entry_type, size, mtime, mode);
    w.write_all(&h)
}

/// Fills every field but the name of a ustar header with neutral owner
/// fields (docs/FORMAT.md §2.1), byte for byte as `tar::Header::new_ustar`
/// and its setters write them: octal digits zero-padded to the field with a
/// final NUL, GNU base-256 for numbers too large for octal, the checksum
/// last.
fn fill_ustar(h: &mut [u8; BLOCK as usize], entry_type: u8, size: u64, mtime: u64, mode: u32) {
    octal_field(&mut h[100..108], u64::from(mode));
    numeric_field(&mut h[108..116], 0); // uid
    numeric_field(&mut h[116..124], 0); // gid
    numeric_field(&mut h[124..136], size);
    numeric_field(&mut h[136..148], mtime);
    h[156] = entry_type;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    // The checksum counts its own field as eight spaces.
    let sum: u32 = h[..148].iter().chain(&h[156..]).map(|&b| u32::from(b)).sum::<u32>() + 8 * u32::from(b' ');
    octal_field(&mut h[148..156], u64::from(sum));
}

/// Zero-padded octal digits and a final NUL, filling `field`.
fn octal_field(field: &mut [u8], mut value: u64) {
    let (last, digits) = field.split_last_mut().expect("tar fields are not empty");
    *last = 0;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (value & 7) as u8;
        value >>= 3;
    }
}

/// Octal where it fits (11 digits in a 12-byte field, 7 in an 8-byte one
/// below 2^21, as the tar crate decides), else GNU base-256: the top bit of
/// the first byte set, the number big-endian in the last 8 bytes.
fn numeric_field(field: &mut [u8], value: u64) {
    if value >= 1 << 33 || (value >= 1 << 21 && field.len() == 8) {
        let len = field.len();
        field.fill(0);
        field[len - 8..].copy_from_slice(&value.to_be_bytes());
        field[0] |= 0x80;
    } else {
        octal_field(field, value);
    }
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

/// Writes one pax record: `"<len> <key>=<value>\n"`, where `<len>` counts the whole record.
fn write_pax_record<W: Write>(w: &mut W, key: &str, value: &[u8]) -> io::Result<()> {
    let mut len = pax_record_len(key, value.len());
    // "<len> <key>=", built backwards: no allocation per record.
    let mut head = [0u8; 32];
    let mut at = head.len() - 1;
    head[at] = b'=';
    at -= key.len();
    head[at..at + key.len()].copy_from_slice(key.as_bytes());
    at -= 1;
    head[at] = b' ';
    loop {
        at -= 1;
        head[at] = b'0' + (len % 10) as u8;
        len /= 10;
        if len == 0 {
            break;
        }
    }
    w.write_all(&head[at..])?;
    w.write_all(value)?;
    w.write_all(b"\n")
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

    fn pax_record(out: &mut Vec<u8>, key: &str, value: &[u8]) {
        write_pax_record(out, key, value).unwrap();
    }

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
        for n in [0, 1, 5, 6, 7, 95, 96, 97, 994, 995, 996, 4096, 9994, 9995] {
            let mut v = Vec::new();
            pax_record(&mut v, "size", &vec![b'1'; n]);
            assert_eq!(v.len(), pax_record_len("size", n));
            assert!(v.starts_with(format!("{} size=", v.len()).as_bytes()), "{n}");
        }
    }

    #[test]
    fn cuts_names_on_character_boundaries() {
        let name = "あ".repeat(40); // 120 bytes
        let cut = truncate_utf8(name.as_bytes(), 100);
        assert_eq!(cut.len(), 99);
        assert!(std::str::from_utf8(cut).is_ok());
    }

    /// The header writer as it was first written, through the tar crate's
    /// `Header` setters: the reference the in-place writer must match byte
    /// for byte (the format must not change).
    fn reference_header(path: &ArchivePath, kind: EntryKind, size: u64, mtime: u64) -> Vec<u8> {
        fn ustar(name: &[u8], entry_type: tar::EntryType, size: u64, mtime: u64, mode: u32) -> tar::Header {
            let mut h = tar::Header::new_ustar();
            h.set_entry_type(entry_type);
            h.set_size(size);
            h.set_mtime(mtime);
            h.set_mode(mode);
            h.set_uid(0);
            h.set_gid(0);
            let field = &mut h.as_ustar_mut().unwrap().name;
            let cut = truncate_utf8(name, field.len());
            field[..cut.len()].copy_from_slice(cut);
            h.set_cksum();
            h
        }
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
        let mut out = Vec::new();
        if !records.is_empty() {
            let mut pax_name = b"PaxHeader/".to_vec();
            pax_name.extend_from_slice(&name);
            out.extend_from_slice(ustar(&pax_name, tar::EntryType::XHeader, records.len() as u64, mtime, 0o644).as_bytes());
            out.extend_from_slice(&records);
            write_block_padding(&mut out, records.len() as u64).unwrap();
        }
        let (entry_type, mode) = match kind {
            EntryKind::File => (tar::EntryType::Regular, 0o644),
            EntryKind::Directory => (tar::EntryType::Directory, 0o755),
        };
        out.extend_from_slice(ustar(&name, entry_type, size, mtime, mode).as_bytes());
        out
    }

    #[test]
    fn headers_are_byte_for_byte_what_the_tar_crate_writes() {
        let long_ascii = "d/".repeat(60) + "x.csv";
        let long_japanese = "請求書/".repeat(20) + "明細.pdf";
        let names = [
            "a",
            "会員名簿.csv",
            "千葉支部/2026年/レセプト 11月.pdf",
            &long_ascii,
            &long_japanese,
            &"x".repeat(99),
            &"x".repeat(100),
            &"x".repeat(101),
            &("あ".repeat(33) + "x"),
        ];
        let numbers = [0, 1, 7, 8, 511, 512, 4095, (1 << 21) - 1, 1 << 21, USTAR_MAX_SIZE, USTAR_MAX_SIZE + 1, 1 << 40, u64::MAX];
        for name in names {
            let path = ArchivePath::parse(name.as_bytes()).unwrap();
            for kind in [EntryKind::File, EntryKind::Directory] {
                for &size in &numbers {
                    for &mtime in &[0, 1_795_646_632, (1 << 33) - 1, 1 << 33, 253_402_300_799] {
                        let mut ours = Vec::new();
                        write_header(&mut ours, &path, kind, size, mtime).unwrap();
                        assert_eq!(ours, reference_header(&path, kind, size, mtime), "{name} {kind:?} {size} {mtime}");
                        assert_eq!(ours.len() as u64, header_len(&path, kind, size), "{name} {kind:?} {size}");
                    }
                }
            }
        }
    }
}
