//! Cancellation: a token per operation that the front-end cancels (Ctrl-C,
//! SIGTERM, a Cancel button) and the long loops check, so that the operation
//! stops at a safe point and its cleanup guards run. A new operation takes a
//! new token, so one Cancel never stops the next operation.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Lets closing the console window (Windows: `CTRL_CLOSE_EVENT`, also log
/// off and shut down) cancel like Ctrl-C and wait, up to the few seconds
/// Windows allows, for the operation's cleanup. `cancel` cancels the running
/// operation and says whether one runs. Call once, after installing the
/// Ctrl-C handler. Unix: nothing to do (SIGHUP comes as a signal).
pub fn on_console_close(cancel: fn() -> bool) {
    crate::platform::on_console_close(cancel);
}

/// Shared between the front-end (which cancels) and one operation (which checks).
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token nobody has cancelled.
    pub fn new() -> Self {
        Cancel::default()
    }

    /// Asks the operation to stop at its next safe point.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// An `Interrupted` I/O error once cancelled, for use inside I/O loops.
    pub fn check(&self) -> io::Result<()> {
        if self.is_cancelled() {
            Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"))
        } else {
            Ok(())
        }
    }
}
