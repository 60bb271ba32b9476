//! What moto cannot show (every state is final at once there): pending states, backoff,
//! deadlines and retried tokens, against the SDK's own mocks (`aws-smithy-mocks`). The
//! clock is paused, so 40 simulated minutes take no time.

use super::*;
use crate::ErrorKind;
use aws_sdk_ec2::operation::create_vpc_endpoint::{
    CreateVpcEndpointError, CreateVpcEndpointOutput,
};
use aws_sdk_ec2::operation::describe_vpc_endpoints::DescribeVpcEndpointsOutput;
use aws_sdk_eks::operation::describe_update::DescribeUpdateOutput;
use aws_sdk_eks::operation::update_cluster_config::UpdateClusterConfigOutput;
use aws_sdk_route53resolver::operation::create_resolver_endpoint::CreateResolverEndpointOutput;
use aws_sdk_route53resolver::operation::get_resolver_endpoint::GetResolverEndpointOutput;
use aws_smithy_mocks::{Rule, mock};
use aws_smithy_types::error::ErrorMetadata;
use std::time::Duration;

use crate::mocks::mocked;

fn step() -> Step {
    Step {
        address: "endpoint.sts".into(),
        token: "ept-token".into(),
        tags: vec![("eks-private-tui:plan".into(), "prod".into())],
        fresh: false,
    }
}

fn endpoint_in(state: &'static str) -> DescribeVpcEndpointsOutput {
    DescribeVpcEndpointsOutput::builder()
        .vpc_endpoints(
            ec2t::VpcEndpoint::builder()
                .vpc_endpoint_id("vpce-1")
                .state(ec2t::State::from(state))
                .build(),
        )
        .build()
}

fn interface_endpoint() -> Change {
    Change::CreateInterfaceEndpoint {
        vpc_id: "vpc-1".into(),
        service_name: "com.amazonaws.eu-west-1.sts".into(),
        subnet_ids: vec!["subnet-1".into()],
        security_group: Ref::Id("sg-1".into()),
        private_dns: true,
        name: "prod-sts".into(),
    }
}

fn created_endpoint() -> Rule {
    mock!(aws_sdk_ec2::Client::create_vpc_endpoint)
        .match_requests(|r| r.client_token() == Some("ept-token"))
        .then_output(|| {
            CreateVpcEndpointOutput::builder()
                .vpc_endpoint(
                    ec2t::VpcEndpoint::builder()
                        .vpc_endpoint_id("vpce-1")
                        .state(ec2t::State::from("pending"))
                        .build(),
                )
                .build()
        })
}

#[tokio::test(start_paused = true)]
async fn an_endpoint_is_waited_for_through_pending_with_backoff() {
    let create = created_endpoint();
    let describe = mock!(aws_sdk_ec2::Client::describe_vpc_endpoints)
        .sequence()
        .output(|| endpoint_in("pending"))
        .times(3)
        .output(|| endpoint_in("available"))
        .build();
    let aws = mocked(&[&create, &describe], &[], &[]);
    let t0 = tokio::time::Instant::now();
    let id = aws.execute(&interface_endpoint(), &step()).await.unwrap();
    assert_eq!(id, "vpce-1");
    assert_eq!(create.num_calls(), 1);
    assert_eq!(describe.num_calls(), 4);
    // polls at 0, +2, +4, +8 s (RESOURCE policy: first 2 s, doubling)
    assert_eq!(t0.elapsed().as_secs(), 14);
}

#[tokio::test(start_paused = true)]
async fn a_failed_endpoint_is_an_error_that_names_it() {
    let create = created_endpoint();
    let describe = mock!(aws_sdk_ec2::Client::describe_vpc_endpoints)
        .sequence()
        .output(|| endpoint_in("pending"))
        .output(|| endpoint_in("failed"))
        .build();
    let aws = mocked(&[&create, &describe], &[], &[]);
    let e = aws
        .execute(&interface_endpoint(), &step())
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("failed"));
    assert!(
        e.message
            .contains("VPC endpoint vpce-1 went to state failed"),
        "{e}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_throttled_create_is_retried_with_the_same_token() {
    let create = mock!(aws_sdk_ec2::Client::create_vpc_endpoint)
        .match_requests(|r| r.client_token() == Some("ept-token"))
        .sequence()
        .error(|| {
            CreateVpcEndpointError::generic(
                ErrorMetadata::builder()
                    .code("RequestLimitExceeded")
                    .message("Request limit exceeded.")
                    .build(),
            )
        })
        .times(2)
        .output(|| {
            CreateVpcEndpointOutput::builder()
                .vpc_endpoint(
                    ec2t::VpcEndpoint::builder()
                        .vpc_endpoint_id("vpce-1")
                        .build(),
                )
                .build()
        })
        .build();
    let describe =
        mock!(aws_sdk_ec2::Client::describe_vpc_endpoints).then_output(|| endpoint_in("available"));
    let aws = mocked(&[&create, &describe], &[], &[]);
    let id = aws.execute(&interface_endpoint(), &step()).await.unwrap();
    assert_eq!(id, "vpce-1");
    assert_eq!(
        create.num_calls(),
        3,
        "two throttled tries, then the same token again"
    );
}

fn update_in(status: &'static str) -> DescribeUpdateOutput {
    let mut u = aws_sdk_eks::types::Update::builder()
        .id("u-1")
        .status(aws_sdk_eks::types::UpdateStatus::from(status));
    if status == "Failed" {
        u = u.errors(
            aws_sdk_eks::types::ErrorDetail::builder()
                .error_message("subnet-9 is not in the cluster's VPC")
                .build(),
        );
    }
    DescribeUpdateOutput::builder().update(u.build()).build()
}

fn update_started() -> Rule {
    mock!(aws_sdk_eks::Client::update_cluster_config)
        .match_requests(|r| {
            r.client_request_token() == Some("ept-token")
                && r.resources_vpc_config()
                    .is_some_and(|c| c.endpoint_private_access() == Some(true))
        })
        .then_output(|| {
            UpdateClusterConfigOutput::builder()
                .update(
                    aws_sdk_eks::types::Update::builder()
                        .id("u-1")
                        .status(aws_sdk_eks::types::UpdateStatus::InProgress)
                        .build(),
                )
                .build()
        })
}

fn access() -> Change {
    Change::UpdateClusterAccess {
        cluster: "prod".into(),
        private_access: true,
        public_access: false,
        public_access_cidrs: vec![],
    }
}

#[tokio::test(start_paused = true)]
async fn a_cluster_update_is_followed_with_describe_update_until_successful() {
    let update = update_started();
    let describe = mock!(aws_sdk_eks::Client::describe_update)
        .match_requests(|r| r.update_id() == Some("u-1") && r.name() == Some("prod"))
        .sequence()
        .output(|| update_in("InProgress"))
        .times(5)
        .output(|| update_in("Successful"))
        .build();
    let aws = mocked(&[], &[&update, &describe], &[]);
    let t0 = tokio::time::Instant::now();
    assert_eq!(aws.execute(&access(), &step()).await.unwrap(), "u-1");
    assert_eq!(describe.num_calls(), 6);
    // CLUSTER policy: 5, 10, 20, 30, 30 s
    assert_eq!(t0.elapsed().as_secs(), 95);
}

#[tokio::test(start_paused = true)]
async fn a_failed_cluster_update_says_why() {
    let update = update_started();
    let describe = mock!(aws_sdk_eks::Client::describe_update).then_output(|| update_in("Failed"));
    let aws = mocked(&[], &[&update, &describe], &[]);
    let e = aws.execute(&access(), &step()).await.unwrap_err();
    assert!(
        e.message
            .contains("Failed: subnet-9 is not in the cluster's VPC"),
        "{e}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cluster_update_that_never_ends_hits_the_deadline() {
    let update = update_started();
    let describe = mock!(aws_sdk_eks::Client::describe_update)
        .sequence()
        .output(|| update_in("InProgress"))
        .repeatedly()
        .build();
    let aws = mocked(&[], &[&update, &describe], &[]);
    let t0 = tokio::time::Instant::now();
    let e = aws.execute(&access(), &step()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert!(
        e.message
            .contains("cluster prod is still InProgress after 2400 s"),
        "{e}"
    );
    assert!(e.hint.contains("run apply again"), "{e}");
    assert!(t0.elapsed() <= Duration::from_secs(2400));
    assert!(describe.num_calls() > 70, "{}", describe.num_calls());
}

#[tokio::test(start_paused = true)]
async fn a_resolver_endpoint_is_waited_for_until_operational() {
    use aws_sdk_route53resolver::types::{ResolverEndpoint, ResolverEndpointStatus};
    let in_status = |s: ResolverEndpointStatus| {
        GetResolverEndpointOutput::builder()
            .resolver_endpoint(
                ResolverEndpoint::builder()
                    .id("rslvr-in-1")
                    .status(s)
                    .build(),
            )
            .build()
    };
    let create = mock!(aws_sdk_route53resolver::Client::create_resolver_endpoint)
        .match_requests(|r| {
            r.creator_request_id() == Some("ept-token") && r.ip_addresses().len() == 2
        })
        .then_output(|| {
            CreateResolverEndpointOutput::builder()
                .resolver_endpoint(
                    aws_sdk_route53resolver::types::ResolverEndpoint::builder()
                        .id("rslvr-in-1")
                        .build(),
                )
                .build()
        });
    let get = mock!(aws_sdk_route53resolver::Client::get_resolver_endpoint)
        .sequence()
        .output(move || in_status(ResolverEndpointStatus::Creating))
        .times(2)
        .output(move || in_status(ResolverEndpointStatus::Operational))
        .build();
    let aws = mocked(&[], &[], &[&create, &get]);
    let change = Change::CreateResolverEndpoint {
        name: "prod-inbound".into(),
        direction: "INBOUND".into(),
        // one subnet: two IPs in it (Resolver needs two)
        subnet_ids: vec!["subnet-1".into()],
        security_group: Ref::Id("sg-1".into()),
    };
    assert_eq!(aws.execute(&change, &step()).await.unwrap(), "rslvr-in-1");
    assert_eq!(get.num_calls(), 3);
}

fn group_named(
    tags: &[(&str, &str)],
) -> aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput {
    aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput::builder()
        .security_groups(
            ec2t::SecurityGroup::builder()
                .group_id("sg-theirs")
                .group_name("prod-endpoints")
                .set_tags(Some(
                    tags.iter()
                        .map(|(k, v)| ec2t::Tag::builder().key(*k).value(*v).build())
                        .collect(),
                ))
                .build(),
        )
        .build()
}

fn new_group() -> Change {
    Change::CreateSecurityGroup {
        vpc_id: "vpc-1".into(),
        name: "prod-endpoints".into(),
        description: "VPC endpoints of eks-private-tui".into(),
    }
}

fn group_step() -> Step {
    Step {
        address: "security_group.endpoints".into(),
        token: "ept-token".into(),
        tags: vec![
            ("eks-private-tui:plan".into(), "prod".into()),
            (
                "eks-private-tui:address".into(),
                "security_group.endpoints".into(),
            ),
            ("eks-private-tui:vpc".into(), "vpc-1".into()),
        ],
        fresh: false,
    }
}

fn duplicate_group() -> Rule {
    mock!(aws_sdk_ec2::Client::create_security_group).then_error(|| {
        aws_sdk_ec2::operation::create_security_group::CreateSecurityGroupError::generic(
            ErrorMetadata::builder()
                .code("InvalidGroup.Duplicate")
                .message("The security group 'prod-endpoints' already exists for VPC 'vpc-1'")
                .build(),
        )
    })
}

/// Issue 27, 2: a group of the spec's name made by someone else between the preview and
/// the apply is not adopted: the step fails naming it and its tags. One a lost try of this
/// step made (its tags say so) is.
#[tokio::test(start_paused = true)]
async fn a_group_of_the_same_name_is_adopted_only_when_its_tags_prove_it_this_plans() {
    let create = duplicate_group();
    let theirs = mock!(aws_sdk_ec2::Client::describe_security_groups)
        .then_output(|| group_named(&[("team", "payments\nx")]));
    let aws = mocked(&[&create, &theirs], &[], &[]);
    let e = aws.execute(&new_group(), &group_step()).await.unwrap_err();
    assert!(
        e.message
            .contains("prod-endpoints exists in vpc-1 (sg-theirs) that this plan did not make")
            && e.message.contains("team=payments\\u{a}x"),
        "{e:?}"
    );
    let create = duplicate_group();
    let ours = mock!(aws_sdk_ec2::Client::describe_security_groups).then_output(|| {
        group_named(&[
            ("eks-private-tui:plan", "prod"),
            ("eks-private-tui:address", "security_group.endpoints"),
            ("eks-private-tui:vpc", "vpc-1"),
        ])
    });
    let aws = mocked(&[&create, &ours], &[], &[]);
    assert_eq!(
        aws.execute(&new_group(), &group_step()).await.unwrap(),
        "sg-theirs"
    );
}

/// Issue 27, 2: a CIDR associated by someone else after the read is refused (and not
/// recorded as this plan's), with no AssociateVpcCidrBlock.
#[tokio::test(start_paused = true)]
async fn a_cidr_associated_since_the_read_is_not_taken_for_this_plans() {
    let vpcs = mock!(aws_sdk_ec2::Client::describe_vpcs).then_output(|| {
        aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput::builder()
            .vpcs(
                ec2t::Vpc::builder()
                    .vpc_id("vpc-1")
                    .cidr_block_association_set(
                        ec2t::VpcCidrBlockAssociation::builder()
                            .association_id("vpc-cidr-assoc-theirs")
                            .cidr_block("100.64.0.0/16")
                            .cidr_block_state(
                                ec2t::VpcCidrBlockState::builder()
                                    .state(ec2t::VpcCidrBlockStateCode::Associated)
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let associate = mock!(aws_sdk_ec2::Client::associate_vpc_cidr_block).then_output(|| {
        aws_sdk_ec2::operation::associate_vpc_cidr_block::AssociateVpcCidrBlockOutput::builder()
            .build()
    });
    let aws = mocked(&[&vpcs, &associate], &[], &[]);
    let change = Change::AssociateVpcCidr {
        vpc_id: "vpc-1".into(),
        cidr: "100.64.0.0/16".into(),
    };
    let e = aws.execute(&change, &step()).await.unwrap_err();
    assert!(e.message.contains("vpc-cidr-assoc-theirs"), "{e:?}");
    assert_eq!(associate.num_calls(), 0);
}

/// Issue 27, 4: a group this run just made that EC2 does not know yet (eventual
/// consistency) is waited for: the rule is retried until it is known.
#[tokio::test(start_paused = true)]
async fn an_id_this_run_made_is_waited_for_while_aws_does_not_know_it() {
    let not_yet = || {
        aws_sdk_ec2::operation::authorize_security_group_ingress::AuthorizeSecurityGroupIngressError::generic(
            ErrorMetadata::builder()
                .code("InvalidGroup.NotFound")
                .message("The security group 'sg-new' does not exist")
                .build(),
        )
    };
    let authorize = mock!(aws_sdk_ec2::Client::authorize_security_group_ingress)
        .sequence()
        .error(not_yet)
        .times(3)
        .output(|| {
            aws_sdk_ec2::operation::authorize_security_group_ingress::AuthorizeSecurityGroupIngressOutput::builder()
                .build()
        })
        .build();
    let aws = mocked(&[&authorize], &[], &[]);
    let rule = Change::AuthorizeIngress {
        group: Ref::Id("sg-new".into()),
        protocols: vec!["tcp".into()],
        port: 443,
        cidrs: vec!["10.0.0.0/16".into()],
        description: "x".into(),
    };
    let fresh = Step {
        fresh: true,
        ..step()
    };
    aws.execute(&rule, &fresh).await.unwrap();
    assert_eq!(authorize.num_calls(), 4);
    // An ID the run did not make (from the account as read) is not waited for.
    let authorize =
        mock!(aws_sdk_ec2::Client::authorize_security_group_ingress).then_error(not_yet);
    let aws = mocked(&[&authorize], &[], &[]);
    let e = aws.execute(&rule, &step()).await.unwrap_err();
    assert_eq!(authorize.num_calls(), 1);
    assert!(!e.hint.contains("eventually consistent"), "{e:?}");
    // One that stays unknown ends within the stated time, saying so.
    let authorize = mock!(aws_sdk_ec2::Client::authorize_security_group_ingress)
        .sequence()
        .error(not_yet)
        .times(100)
        .build();
    let aws = mocked(&[&authorize], &[], &[]);
    let t0 = tokio::time::Instant::now();
    let e = aws.execute(&rule, &fresh).await.unwrap_err();
    assert!(t0.elapsed() <= CONSISTENCY_PATIENCE, "{:?}", t0.elapsed());
    assert!(e.hint.contains("eventually consistent"), "{e:?}");
}

fn in_use() -> aws_sdk_ec2::operation::delete_security_group::DeleteSecurityGroupError {
    aws_sdk_ec2::operation::delete_security_group::DeleteSecurityGroupError::generic(
        ErrorMetadata::builder()
            .code("DependencyViolation")
            .message("resource sg-1 has a dependent object")
            .build(),
    )
}

fn interfaces(
    managed: bool,
) -> aws_sdk_ec2::operation::describe_network_interfaces::DescribeNetworkInterfacesOutput {
    let eni = ec2t::NetworkInterface::builder()
        .network_interface_id("eni-1")
        .requester_managed(managed);
    let eni = if managed {
        eni.description("VPC Endpoint Interface vpce-1")
    } else {
        eni.attachment(
            ec2t::NetworkInterfaceAttachment::builder()
                .instance_id("i-1")
                .build(),
        )
    };
    aws_sdk_ec2::operation::describe_network_interfaces::DescribeNetworkInterfacesOutput::builder()
        .network_interfaces(eni.build())
        .build()
}

/// Issue 27, 3: a group an instance's network interface keeps in use is not retried for
/// 15 minutes without a word: destroy stops at once, naming the interface and its
/// instance. One kept by an endpoint's interfaces (AWS manages them; they drain) is
/// waited for.
#[tokio::test(start_paused = true)]
async fn a_group_in_use_names_what_holds_it_and_waits_only_for_what_drains() {
    let delete = Change::Delete {
        what: eks_private_tui_core::plan::Deletable::SecurityGroup,
        id: "sg-1".into(),
        parent: None,
    };
    let refused = mock!(aws_sdk_ec2::Client::delete_security_group)
        .sequence()
        .error(in_use)
        .times(100)
        .build();
    let enis =
        mock!(aws_sdk_ec2::Client::describe_network_interfaces).then_output(|| interfaces(false));
    let aws = mocked(&[&refused, &enis], &[], &[]);
    let t0 = tokio::time::Instant::now();
    let e = aws.execute(&delete, &step()).await.unwrap_err();
    assert_eq!(refused.num_calls(), 1, "no waiting on what does not drain");
    assert!(t0.elapsed() < Duration::from_secs(1));
    assert!(
        e.message
            .contains("sg-1 is still in use by eni-1 (instance i-1)")
            && e.hint.contains("will not go by themselves"),
        "{e:?}"
    );
    let draining = mock!(aws_sdk_ec2::Client::delete_security_group)
        .sequence()
        .error(in_use)
        .times(2)
        .output(|| {
            aws_sdk_ec2::operation::delete_security_group::DeleteSecurityGroupOutput::builder()
                .build()
        })
        .build();
    let enis =
        mock!(aws_sdk_ec2::Client::describe_network_interfaces).then_output(|| interfaces(true));
    let aws = mocked(&[&draining, &enis], &[], &[]);
    assert_eq!(aws.execute(&delete, &step()).await.unwrap(), "sg-1");
    assert_eq!(draining.num_calls(), 3);
}
