//! The dialogs over a screen, one per file: each lists its keys (the key table gives
//! their labels, the footer shows them) and draws itself.

pub mod help;

pub use help::Help;
