//! hakobu (運ぶ, "to carry"): encrypted, checksummed transport archives for
//! carrying personal data on USB sticks. Outside a plain age file, inside a
//! tar stream with a SHA-256 manifest; see docs/FORMAT.md.
#![forbid(unsafe_code)]

pub mod addressbook;
pub mod config;
pub mod crypto;
pub mod direct;
pub mod error;
pub mod hashing;
pub mod interrupt;
pub mod keys;
pub mod manifest;
pub mod medium;
pub mod naming;
pub mod output;
pub mod pack;
pub mod padding;
pub mod paths;
pub mod pipe;
pub mod progress;
pub mod reader;
pub mod tarfmt;
pub mod unpack;
pub mod verify;
pub mod volumes;

pub use error::{Error, Result};
