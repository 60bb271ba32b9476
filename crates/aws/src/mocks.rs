//! Test clients that answer from `aws-smithy-mocks` rules: what moto cannot show.

use super::{Aws, CallCounter};
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client};
use std::time::Duration;

pub fn interceptor(rules: &[&Rule]) -> MockResponseInterceptor {
    let mut i = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
    for r in rules {
        i = i.with_rule(r);
    }
    i
}

/// An `Aws` whose clients answer from `rules` (each client takes the rules of its service).
pub fn mocked(ec2: &[&Rule], eks: &[&Rule], r53: &[&Rule]) -> Aws {
    mocked_dns(ec2, eks, r53, &[], &[])
}

/// [`mocked`], with Route 53 and Route 53 Profiles answering too.
pub fn mocked_dns(
    ec2: &[&Rule],
    eks: &[&Rule],
    r53: &[&Rule],
    route53: &[&Rule],
    profiles: &[&Rule],
) -> Aws {
    let creds = Credentials::new("test", "test", None, None, "mocks");
    let region = Region::new("eu-west-1");
    macro_rules! client {
        ($krate:ident, $rules:expr) => {
            $krate::Client::from_conf(
                $krate::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(region.clone())
                    .credentials_provider(creds.clone())
                    .retry_config(aws_config::retry::RetryConfig::disabled())
                    .http_client(create_mock_http_client())
                    .interceptor(interceptor($rules))
                    .build(),
            )
        };
    }
    Aws {
        region: "eu-west-1".into(),
        profile: None,
        endpoint_url: None,
        ec2: client!(aws_sdk_ec2, ec2),
        lock_ec2: client!(aws_sdk_ec2, ec2),
        lock_calls: CallCounter::default(),
        eks: client!(aws_sdk_eks, eks),
        resolver: client!(aws_sdk_route53resolver, r53),
        route53: client!(aws_sdk_route53, route53),
        profiles: client!(aws_sdk_route53profiles, profiles),
        sts: client!(aws_sdk_sts, &[]),
        imds: None,
        calls: CallCounter::default(),
        patience: Duration::from_secs(90),
    }
}
