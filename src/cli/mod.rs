//! The command-line front-end: arguments, commands, rendering, the terminal.

pub mod args;
pub mod keys;
pub mod term;
