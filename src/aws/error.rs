//! One error type for every AWS failure: which call, what AWS said, and what a human does
//! about it.

use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

pub use crate::error::{AwsError, ErrorKind};

impl AwsError {
    /// Convert any SDK error. `service` is the short service name (`ec2`, `eks`, …).
    pub fn from_sdk<E>(
        service: &'static str,
        operation: &'static str,
        err: SdkError<E, HttpResponse>,
    ) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        match &err {
            SdkError::ServiceError(se) => {
                let e = se.err();
                let raw = se.raw();
                let body = raw
                    .body()
                    .bytes()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                // Some emulators (and proxies) wrap errors in a shape the protocol parser
                // does not read; the code is still in the body.
                let code = e
                    .code()
                    .map(str::to_string)
                    .or_else(|| xml_tag(&body, "Code"))
                    .or_else(|| match raw.status().as_u16() {
                        401 => Some("AuthFailure".into()),
                        403 => Some("AccessDenied".into()),
                        429 => Some("Throttling".into()),
                        _ => None,
                    });
                let message = e
                    .message()
                    .map(str::to_string)
                    .or_else(|| xml_tag(&body, "Message"))
                    .unwrap_or_else(|| format!("HTTP {} from {service}", raw.status().as_u16()));
                Self::from_code(service, operation, code, message)
            }
            SdkError::TimeoutError(_) => AwsError::new(
                ErrorKind::Timeout,
                service,
                operation,
                format!("{service} did not answer in time"),
                "check the network path to AWS (VPC endpoint, proxy, --endpoint-url) and retry",
            ),
            SdkError::DispatchFailure(d) => {
                let detail = source_chain(&err);
                if d.is_timeout() {
                    AwsError::new(
                        ErrorKind::Timeout,
                        service,
                        operation,
                        format!("timed out connecting to {service}: {detail}"),
                        "check the network path to AWS (VPC endpoint, proxy, --endpoint-url) and retry",
                    )
                } else if detail.contains("credentials") || detail.contains("identity") {
                    AwsError::new(
                        ErrorKind::NoCredentials,
                        service,
                        operation,
                        format!("no usable AWS credentials: {detail}"),
                        NO_CREDENTIALS_HINT,
                    )
                } else {
                    AwsError::new(
                        ErrorKind::Unreachable,
                        service,
                        operation,
                        format!("cannot reach {service}: {detail}"),
                        "check --endpoint-url / AWS_ENDPOINT_URL, the region, DNS and any HTTPS proxy; from a private subnet the service needs a VPC endpoint",
                    )
                }
            }
            SdkError::ResponseError(r) => {
                let status = r.raw().status().as_u16();
                AwsError::new(
                    ErrorKind::Service,
                    service,
                    operation,
                    format!("{service} sent a response that is not an AWS answer (HTTP {status})"),
                    "check --endpoint-url points at the AWS API for this region, and the region exists",
                )
            }
            _ => AwsError::new(
                ErrorKind::Service,
                service,
                operation,
                source_chain(&err),
                "retry; if it persists, run with RUST_LOG=debug and --log-file to see the request",
            ),
        }
    }

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

pub const NO_CREDENTIALS_HINT: &str = "set AWS_PROFILE (or pass --profile), run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";

/// The text of the first `<tag>…</tag>` in an XML body.
fn xml_tag(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(body[start..end].trim().to_string()).filter(|s| !s.is_empty())
}

fn iam_prefix(service: &str) -> &str {
    match service {
        "resolver" => "route53resolver",
        s => s,
    }
}

/// The error and its sources, joined: the SDK's top-level messages say little
/// ("dispatch failure"), the cause is further down.
pub fn source_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_tags() {
        let body = "<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code><Message>bad</Message></Error></Errors></ErrorResponse>";
        assert_eq!(
            xml_tag(body, "Code").as_deref(),
            Some("InvalidClientTokenId")
        );
        assert_eq!(xml_tag(body, "Message").as_deref(), Some("bad"));
        assert_eq!(xml_tag("<html>", "Code"), None);
    }

    #[test]
    fn codes_map_to_kinds_with_hints() {
        let cases = [
            (
                "ExpiredToken",
                ErrorKind::ExpiredCredentials,
                "aws sso login",
            ),
            (
                "UnauthorizedOperation",
                ErrorKind::AccessDenied,
                "ec2:DescribeVpcs",
            ),
            ("AuthFailure", ErrorKind::InvalidCredentials, "AWS_PROFILE"),
            ("RequestLimitExceeded", ErrorKind::Throttled, "retry"),
            ("InvalidVpcID.NotFound", ErrorKind::NotFound, "region"),
        ];
        for (code, kind, hint) in cases {
            let e = AwsError::from_code("ec2", "DescribeVpcs", Some(code.into()), "m".into());
            assert_eq!(e.kind, kind, "{code}");
            assert!(e.hint.contains(hint), "{code}: {}", e.hint);
            let line = e.to_string();
            assert!(!line.contains('\n'), "one line: {line}");
            assert!(line.contains(code), "{line}");
        }
    }
}
