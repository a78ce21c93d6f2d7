//! Size hiding: the plaintext is padded with zero bytes to the Padmé length
//! (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
//! Communication with PURBs", PETS 2019). See docs/FORMAT.md §4.

/// The padded length for `len` plaintext bytes: at most about 12 % more
/// (much less for large archives), leaking only O(log log len) bits of the size.
pub fn padme(len: u64) -> u64 {
    if len < 2 {
        return len;
    }
    let e = 63 - u64::from(len.leading_zeros()); // floor(log2 len)
    let s = 64 - u64::from(e.leading_zeros()); // floor(log2 e) + 1
    let last_bits = e - s;
    let mask = (1u64 << last_bits) - 1;
    (len + mask) & !mask
}

/// age's STREAM: 64 KiB of plaintext per chunk, each followed by a 16-byte tag.
const CHUNK: u64 = 64 << 10;
const TAG: u64 = 16;
/// The payload's nonce, before the first chunk.
const NONCE: u64 = 16;
/// The smallest tar stream hakobu writes: the manifest's header and data,
/// the checksum list's header (its data may be empty), the end marker.
const MIN_TAR: u64 = 3 * 512 + 1024;

/// The plaintext length of a binary age file of `file_len` bytes whose
/// header takes `header_len`, if the sizes fit age's STREAM at all.
pub fn age_plaintext_len(file_len: u64, header_len: u64) -> Option<u64> {
    let payload = file_len.checked_sub(header_len)?.checked_sub(NONCE)?;
    let chunks = payload.div_ceil(CHUNK + TAG).max(1);
    let plaintext = payload.checked_sub(chunks * TAG)?;
    // Every chunk but the last is full; the last holds 1..=64 KiB (0 only
    // when the whole plaintext is empty).
    (plaintext.div_ceil(CHUNK).max(1) == chunks).then_some(plaintext)
}

/// Whether `plaintext` bytes can be a hakobu archive's plaintext: a tar
/// stream (a multiple of 512 bytes) padded to its Padmé length, at least
/// as long as the smallest archive (docs/FORMAT.md §4). What a keyless
/// check can tell a hakobu archive from another age file by: another
/// tool's file passes only by chance (about 1 in 512 for arbitrary sizes;
/// more often for a tar stream, whose size is a multiple of 512).
pub fn is_hakobu_plaintext_len(plaintext: u64) -> bool {
    plaintext >= MIN_TAR && plaintext.is_multiple_of(512) && padme(plaintext) == plaintext
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_the_paper() {
        assert_eq!(padme(0), 0);
        assert_eq!(padme(1), 1);
        assert_eq!(padme(100), 104);
        assert_eq!(padme(1024), 1024);
        assert_eq!(padme(1025), 1088);
        assert_eq!(padme(4_000_000_000), 4_026_531_840);
    }

    #[test]
    fn the_plaintext_length_follows_from_the_file_size() {
        // One short chunk, one full chunk, a full chunk and one byte.
        assert_eq!(age_plaintext_len(100 + 16 + 5120 + 16, 100), Some(5120));
        assert_eq!(age_plaintext_len(100 + 16 + 65536 + 16, 100), Some(65536));
        assert_eq!(age_plaintext_len(100 + 16 + 65537 + 32, 100), Some(65537));
        // A size no STREAM has (a second chunk of only its tag), or too short.
        assert_eq!(age_plaintext_len(100 + 16 + 65536 + 16 + 16, 100), None);
        assert_eq!(age_plaintext_len(100, 100), None);
        assert!(is_hakobu_plaintext_len(padme(10 * 512)) && is_hakobu_plaintext_len(padme(123_456 * 512)));
        assert!(!is_hakobu_plaintext_len(1000) && !is_hakobu_plaintext_len(512) && !is_hakobu_plaintext_len(1 << 20 | 512));
    }

    proptest! {
        #[test]
        fn every_padded_tar_length_passes(blocks in 6u64..(1u64 << 30)) {
            let p = padme(blocks * 512);
            prop_assert!(is_hakobu_plaintext_len(p));
            let chunks = p.div_ceil(64 << 10);
            prop_assert_eq!(age_plaintext_len(p + 16 * chunks + 16 + 200, 200), Some(p));
        }

        #[test]
        fn never_shrinks_and_stays_bounded(len in 2u64..(1u64 << 50)) {
            let p = padme(len);
            prop_assert!(p >= len);
            prop_assert!((p - len) as f64 <= len as f64 * 0.12 + 1.0);
            prop_assert_eq!(padme(p), p);
        }
    }
}
