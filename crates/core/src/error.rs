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

impl AwsError {
    /// Classify an AWS error code.
    pub fn from_code(
        service: &'static str,
        operation: &'static str,
        code: Option<String>,
        message: String,
    ) -> Self {
        let c = code.as_deref().unwrap_or("");
        let (kind, hint): (ErrorKind, String) = match c {
            "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired" => (
                ErrorKind::ExpiredCredentials,
                "your credentials have expired: run `aws sso login` (or refresh the session behind AWS_PROFILE) and try again".into(),
            ),
            "AuthFailure" | "InvalidClientTokenId" | "UnrecognizedClientException"
            | "SignatureDoesNotMatch" | "IncompleteSignature" | "InvalidAccessKeyId" => (
                ErrorKind::InvalidCredentials,
                "AWS rejected the credentials: check AWS_PROFILE / AWS_ACCESS_KEY_ID and the system clock".into(),
            ),
            "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation"
            | "UnauthorizedException" => (
                ErrorKind::AccessDenied,
                format!(
                    "the identity may not call {}:{operation}: attach a policy allowing it (docs/permissions.md lists every call this tool makes)",
                    iam_prefix(service)
                ),
            ),
            "Throttling" | "ThrottlingException" | "RequestLimitExceeded"
            | "TooManyRequestsException" => (
                ErrorKind::Throttled,
                "AWS is throttling this account: wait a minute and retry".into(),
            ),
            "InternalError" | "InternalFailure" | "ServiceUnavailable" | "Unavailable"
            | "InternalServiceErrorException" | "ServiceUnavailableException"
            | "ServerException" => (
                ErrorKind::Unavailable,
                "AWS failed this call on its side; it was retried for a while: run the command again (apply resumes where it stopped)".into(),
            ),
            c if c.ends_with(".NotFound") || c == "ResourceNotFoundException" => (
                ErrorKind::NotFound,
                "check the ID and the region (--region)".into(),
            ),
            "OptInRequired" => (
                ErrorKind::Usage,
                "the account is not opted in to this region: choose another --region or enable it in the account settings".into(),
            ),
            _ => (
                ErrorKind::Service,
                "see the AWS message; retry if it looks transient".into(),
            ),
        };
        AwsError {
            kind,
            service,
            operation,
            code,
            message,
            hint,
        }
    }
}

fn iam_prefix(service: &str) -> &str {
    match service {
        "resolver" => "route53resolver",
        s => s,
    }
}
