//! The core of eks-private-tui: what exists ([`inventory`]), what is wanted ([`spec`]),
//! what breaks a private cluster ([`rules`]), what to do ([`plan`]), doing it against a
//! backend ([`apply`]) and the files other tools read ([`export`]). It depends on no SDK
//! and no terminal crate: the AWS crate implements [`apply::Backend`], the app draws.

pub mod apply;
pub mod calls;
pub mod error;
pub mod export;
pub mod files;
pub mod inventory;
pub mod plan;
pub mod report;
pub mod rules;
pub mod spec;
