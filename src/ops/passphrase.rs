//! How strong a passphrase is, as a simple documented estimate
//! (docs/KEYS.md, "Passphrase strength"): front-ends warn below
//! [`WEAK_BELOW_BITS`] when someone chooses a passphrase.

/// Below this estimate (in bits) a chosen passphrase is called weak. 60 bits
/// against scrypt at hakobu's work factor (about a second of one CPU per
/// guess) is far beyond what anyone spends on a stolen stick; 40 bits is not.
pub const WEAK_BELOW_BITS: u32 = 60;

/// The strength of a passphrase hakobu generates (`pack -p`, empty answer):
/// 24 characters drawn uniformly from a 31-character alphabet,
/// 24 × log2(31) ≈ 118.9 bits (format::naming::random_passphrase).
pub const GENERATED_BITS: u32 = 118;

/// Estimates the strength of `pass` in bits, the way a person would count
/// a random passphrase of the same shape: each character is worth log2 of
/// the pool it could have come from (lower-case 26, upper-case 26, digits
/// 10, ASCII symbols and space 33, anything else — kana, kanji — 256, added
/// up over the kinds present), except that a character repeating the one
/// before it or next to it in code order (`aa`, `ab`, `12`, `ba`) is worth 1 bit.
///
/// Words and names are weaker than this says: it is a floor for warnings,
/// not a promise of strength.
pub fn estimate_bits(pass: &str) -> u32 {
    let (mut lower, mut upper, mut digit, mut symbol, mut other) = (false, false, false, false, false);
    for c in pass.chars() {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            c if c.is_ascii() => symbol = true,
            _ => other = true,
        }
    }
    let pool: u32 = [(lower, 26), (upper, 26), (digit, 10), (symbol, 33), (other, 256)].iter().filter(|(on, _)| *on).map(|(_, n)| n).sum();
    if pool == 0 {
        return 0;
    }
    let per_char = f64::from(pool).log2();
    let mut bits = 0.0;
    let mut prev: Option<u32> = None;
    for c in pass.chars() {
        let code = c as u32;
        let predictable = prev.is_some_and(|p| p.abs_diff(code) <= 1);
        bits += if predictable { 1.0 } else { per_char };
        prev = Some(code);
    }
    bits as u32
}

/// Whether `bits` is below [`WEAK_BELOW_BITS`].
pub fn is_weak(bits: u32) -> bool {
    bits < WEAK_BELOW_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_follow_the_documented_rules() {
        assert_eq!(estimate_bits(""), 0);
        // 8 lower-case letters: 8 × log2(26) ≈ 37.6.
        assert_eq!(estimate_bits("qzmvkrwp"), 37);
        // Runs and repeats are worth 1 bit each after their first character.
        assert!(estimate_bits("aaaaaaaaaaaaaaaaaaaa") < 30);
        assert!(estimate_bits("abcdefghijklmnopqrst") < 30);
        assert!(estimate_bits("1234567890") < 20);
        assert!(is_weak(estimate_bits("山田太郎")));
        assert!(is_weak(estimate_bits("password")));
        // Five random lower-case words with spaces pass.
        assert!(!is_weak(estimate_bits("tulip orbit canvas mellow quarry")));
        // The generated form is well above the threshold.
        assert!(estimate_bits("k7tq-4mzp-x2wd-9hbr-m3nf-q8ke") >= GENERATED_BITS);
    }
}
