//! msgctl: the command-line companion (being written).
fn main() {}
