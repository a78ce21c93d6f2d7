//! What an archive is (docs/FORMAT.md): the age envelope, the tar stream,
//! the manifest and checksum list, safe archive paths, padding and names.
//! Public: it is the format's contract in code, used by the fuzzers and the
//! crafted-archive tests as well as by the operations.

pub mod crypto;
pub mod manifest;
pub mod naming;
pub mod padding;
pub mod paths;
pub mod reader;
pub mod tarfmt;
