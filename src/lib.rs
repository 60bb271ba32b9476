//! eks-private-tui: make an EKS cluster work in private subnets with no internet path.
//!
//! Data flows one way: [`aws`] discovers an [`inventory::Inventory`] → the wizard ([`tui`])
//! edits a [`spec::Spec`] → rules, plan, apply and export read them. Only `aws` touches the
//! SDK; `inventory` and `spec` are plain data.

pub mod apply;
pub mod aws;
pub mod calls;
pub mod cli;
pub mod commands;
pub mod error;
pub mod export;
pub mod files;
pub mod inventory;
pub mod logging;
pub mod ops;
pub mod plan;
pub mod report;
pub mod rules;
pub mod spec;
pub mod tui;
