//! The failure of a call the tool makes, as plain data: what kind, which call, what AWS
//! said, and what a human does about it. The apply engine and the wizard carry it; only
//! `aws` makes one from an SDK error (`aws::error`).

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// Bad options: no region, malformed IDs, unknown region.
    Usage,
    NoCredentials,
    ExpiredCredentials,
    InvalidCredentials,
    AccessDenied,
    /// A resource named on the command line does not exist.
    NotFound,
    /// Connection refused, DNS failure, TLS failure.
    Unreachable,
    Timeout,
    Throttled,
    /// InternalError, ServiceUnavailable (AWS's 5xx codes): the service failed this time.
    /// A 5xx without an AWS error code is not AWS speaking (a wrong endpoint): Service.
    Unavailable,
    /// Any other service error or an unreadable response.
    Service,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AwsError {
    pub kind: ErrorKind,
    pub service: &'static str,
    pub operation: &'static str,
    /// The AWS error code (`UnauthorizedOperation`, `ExpiredToken`, …) when AWS sent one.
    pub code: Option<String>,
    pub message: String,
    /// What the operator does about it.
    pub hint: String,
}

impl fmt::Display for AwsError {
    /// One line: cause, the call, the fix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if !self.service.is_empty() {
            write!(f, " [{} {}", self.service, self.operation)?;
            if let Some(code) = &self.code {
                write!(f, ": {code}")?;
            }
            write!(f, "]")?;
        }
        if !self.hint.is_empty() {
            write!(f, " — {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for AwsError {}

impl AwsError {
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        AwsError {
            kind: ErrorKind::Usage,
            service: "",
            operation: "",
            code: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn new(
        kind: ErrorKind,
        service: &'static str,
        operation: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        AwsError {
            kind,
            service,
            operation,
            code: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// Whether retrying the same call may succeed (the TUI offers a retry key either way).
    pub fn transient(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Timeout
                | ErrorKind::Throttled
                | ErrorKind::Unavailable
                | ErrorKind::Unreachable
                | ErrorKind::Service
        )
    }
}
