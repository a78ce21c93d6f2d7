//! hakobu (運ぶ, "to carry"): encrypted, checksummed transport archives for
//! carrying personal data on USB sticks. Outside a plain age file, inside a
//! tar stream with a SHA-256 manifest; see docs/FORMAT.md.
//!
//! The layers, top to bottom (docs/ARCHITECTURE.md): front-ends (the binary's
//! `cli`) call [`ops`], which return typed facts; `ops` builds on [`format`]
//! (what an archive is), `keys` (who can open it) and `io` (how bytes reach
//! the medium); `platform` holds everything that differs between operating systems.
// Denied, not forbidden: src/platform/windows.rs alone allows it, for the
// Win32 calls std has no safe wrapper for (each with a SAFETY comment).
#![deny(unsafe_code)]

pub(crate) mod engine;
pub mod error;
pub mod format;
pub(crate) mod io;
pub mod keys;
pub mod ops;
pub(crate) mod platform;

pub use error::{Error, Result};
