//! Who can open an archive: key files, the address book and IT policy.

pub mod addressbook;
pub mod config;
pub mod detect;
pub mod keyfile;
