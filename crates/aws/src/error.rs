//! One error type for every AWS failure: which call, what AWS said, and what a human does
//! about it.

use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

pub use eks_private_tui_core::error::{AwsError, ErrorKind};

/// Convert any SDK error. `service` is the short service name (`ec2`, `eks`, …).
pub fn from_sdk<E>(
    service: &'static str,
    operation: &'static str,
    err: SdkError<E, HttpResponse>,
) -> AwsError
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
                .or_else(|| xml_tag(&body, "Message"));
            match (code, message) {
                (None, None) => not_an_aws_answer(service, operation, raw),
                (code, message) => AwsError::from_code(
                    service,
                    operation,
                    code,
                    message.unwrap_or_else(|| {
                        format!("HTTP {} from {service}", raw.status().as_u16())
                    }),
                ),
            }
        }
        SdkError::TimeoutError(_) => AwsError::new(
            ErrorKind::Timeout,
            service,
            operation,
            format!("{service} did not answer in time"),
            "check the network path to AWS (VPC endpoint, proxy, --endpoint-url) and retry",
        ),
        SdkError::DispatchFailure(d) => {
            if let Some(why) = super::http::no_answer(&err) {
                let (kind, hint) = match why {
                    super::http::NoAnswer::Slow { .. } => (
                        ErrorKind::Timeout,
                        "check the network path to AWS (VPC endpoint, proxy, --endpoint-url); on a slow link raise --read-timeout",
                    ),
                    super::http::NoAnswer::TooLarge { .. } => (
                        ErrorKind::Service,
                        "check --endpoint-url and any HTTPS proxy: AWS answers are far smaller, so something else answered",
                    ),
                };
                return AwsError::new(kind, service, operation, format!("{why}; refused"), hint);
            }
            let (host, detail) = match super::http::unreached_host(&err) {
                Some((host, detail)) => (format!("{service} at {host}"), detail),
                None => (service.to_string(), source_chain(&err)),
            };
            if d.is_timeout() {
                AwsError::new(
                    ErrorKind::Timeout,
                    service,
                    operation,
                    format!("timed out connecting to {host}: {detail}"),
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
                    format!("cannot reach {host}: {detail}"),
                    "check --endpoint-url / AWS_ENDPOINT_URL, the region, DNS and any HTTPS proxy; from a private subnet the service needs a VPC endpoint",
                )
            }
        }
        SdkError::ResponseError(r) => not_an_aws_answer(service, operation, r.raw()),
        _ => AwsError::new(
            ErrorKind::Service,
            service,
            operation,
            source_chain(&err),
            "retry; if it persists, run with RUST_LOG=debug and --log-file to see the request",
        ),
    }
}

/// An answer with neither an AWS error code nor a result the SDK could read: a captive
/// portal, a proxy's page or redirect, a server that is not AWS. Says what answered, the
/// status (and where a redirect points) and the start of the body.
fn not_an_aws_answer(
    service: &'static str,
    operation: &'static str,
    raw: &HttpResponse,
) -> AwsError {
    let status = raw.status().as_u16();
    // An AWS error in another protocol's envelope (XML `<Error><Code>` where the service
    // speaks JSON, as moto sends for Route 53 Resolver's AccessDenied) is still AWS's word.
    let text = raw
        .body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    if text.contains("<Error>")
        && let Some(code) = xml_tag(&text, "Code")
    {
        let message =
            xml_tag(&text, "Message").unwrap_or_else(|| format!("HTTP {status} from {service}"));
        return AwsError::from_code(service, operation, Some(code), message);
    }
    let who = raw
        .extension::<super::http::AnsweredBy>()
        .map(|a| a.0.clone())
        .unwrap_or_else(|| service.to_string());
    let redirect = raw
        .headers()
        .get("location")
        .filter(|_| (300..400).contains(&status))
        .map(|l| format!(" redirecting to {}", snippet(l, 120)))
        .unwrap_or_default();
    let body = raw
        .body()
        .bytes()
        .map(|b| snippet(&String::from_utf8_lossy(b), 80))
        .unwrap_or_default();
    let body = if body.is_empty() {
        "an empty body".to_string()
    } else {
        format!("{body:?}")
    };
    // Not `Unavailable` for a 5xx: that is retried for half a minute, and a page that is
    // not AWS's will not turn into an answer.
    AwsError::new(
        ErrorKind::Service,
        service,
        operation,
        format!("{who} answered HTTP {status}{redirect} with {body}, which is not an AWS answer"),
        "something other than AWS answered: check --endpoint-url / AWS_ENDPOINT_URL and any HTTPS proxy or captive portal on the way; from a private subnet the service needs a VPC endpoint",
    )
}

/// At most `max` characters of `s`, whitespace runs as one space, control characters
/// dropped, `…` when cut.
fn snippet(s: &str, max: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let flat: String = words
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
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
    fn an_aws_error_in_an_xml_envelope_is_read_as_one() {
        let raw = |status: u16, body: &str| {
            HttpResponse::new(
                aws_smithy_runtime_api::http::StatusCode::try_from(status).unwrap(),
                aws_smithy_types::body::SdkBody::from(body.to_string()),
            )
        };
        let e = not_an_aws_answer(
            "route53resolver",
            "ListResolverRules",
            &raw(
                403,
                "<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: u is not authorized to perform: route53resolver:ListResolverRules</Message></Error></Errors></ErrorResponse>",
            ),
        );
        assert_eq!(e.kind, ErrorKind::AccessDenied);
        assert!(
            e.to_string()
                .contains("not authorized to perform: route53resolver:ListResolverRules"),
            "{e}"
        );
        // A page with no such envelope stays "not an AWS answer".
        let e = not_an_aws_answer(
            "sts",
            "GetCallerIdentity",
            &raw(200, "<html><p>Code</p></html>"),
        );
        assert_eq!(e.kind, ErrorKind::Service);
        assert!(e.to_string().contains("which is not an AWS answer"), "{e}");
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
