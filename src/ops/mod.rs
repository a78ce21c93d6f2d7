//! The operations front-ends call: keygen, pack, list, unpack, verify,
//! recipients. Each returns typed facts; none prints.

pub mod cancel;
pub mod pack;
pub mod progress;
pub mod unpack;
pub mod verify;
