//! Everything that differs between operating systems, behind one interface.
