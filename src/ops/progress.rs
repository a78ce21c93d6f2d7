//! How the library reports progress without printing: the binary supplies
//! an implementation (a progress bar on a terminal, nothing otherwise).

/// Receives progress of a long operation.
pub trait Progress: Send + Sync {
    /// A phase starts; `total` bytes are expected (0 if unknown).
    fn start(&self, _phase: &str, _total: u64) {}
    /// `bytes` more were processed.
    fn advance(&self, _bytes: u64) {}
    /// The phase ended.
    fn finish(&self) {}
    /// A warning the user should see even without a terminal (e.g. a leftover cleaned up).
    fn warn(&self, _message: &str) {}
}

/// Bytes processed between two reports of many small pieces: a call per
/// small file (a lock in the terminal bar) would cost more than the bar shows.
pub const STEP: u64 = 1 << 20;

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {}
