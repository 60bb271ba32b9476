//! eks-private-tui: make an EKS cluster work in private subnets with no internet path.
//!
//! Data flows one way: [`aws`] discovers an [`inventory::Inventory`] → the wizard ([`tui`])
//! edits a [`spec::Spec`] → rules, plan, apply and export read them. Only `aws` touches the
//! SDK; `inventory` and `spec` are plain data.

pub use eks_private_tui_aws as aws;
pub use eks_private_tui_core::{
    apply, calls, error, export, files, inventory, plan, report, rules, spec,
};

pub mod cli;
pub mod commands;
pub mod logging;
pub mod ops;
pub mod tui;
