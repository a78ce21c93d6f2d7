//! Ctrl-C and SIGTERM: a flag the long loops check, so that every command
//! stops at a safe point and its cleanup guards run.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Marks that the user asked to stop (called from the signal handler).
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// True once Ctrl-C or SIGTERM arrived.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// An `Interrupted` I/O error once a stop was requested, for use inside I/O loops.
pub fn check() -> io::Result<()> {
    if requested() {
        Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"))
    } else {
        Ok(())
    }
}
