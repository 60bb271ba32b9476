//! Optional reads: what the rules use when they can have it (a cluster's add-ons for P8
//! and P9, VPC Block Public Access for V5). Throttling is waited out as for any read; any
//! other failure (AccessDenied, an API the region or an emulator does not offer, a 5xx,
//! which is tried once) leaves what they read unknown, said as an [`inv::Unread`] that the
//! rules turn into a finding naming the call, and the rest of the inventory stands.

use super::{Aws, AwsError, ErrorKind};
use aws_config::retry::RetryConfig;
use eks_private_tui_core::inventory as inv;

/// Every page of an EKS list call about one cluster that answers names (ListAddons,
/// ListNodegroups), each page tried once beyond throttling (an optional read).
macro_rules! cluster_names_list {
    ($aws:expr, $call:ident, $op:literal, $items:ident, $cluster:expr) => {{
        let mut names: Vec<String> = vec![];
        let mut token: Option<String> = None;
        let mut pages = $crate::pages::Pages::new("eks", $op);
        loop {
            let out = $aws
                .eks
                .$call()
                .cluster_name($cluster)
                .max_results(100)
                .set_next_token(token.take())
                .customize()
                .config_override(
                    aws_sdk_eks::config::Builder::default().retry_config($crate::optional::once()),
                )
                .send()
                .await
                .map_err(|e| $crate::error::from_sdk("eks", $op, e))?;
            names.extend(out.$items().iter().cloned());
            match pages.next(out.next_token())? {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        names
    }};
}
pub(super) use cluster_names_list;

impl Aws {
    /// Run an optional read: `Err` says what was not read and why.
    pub(super) async fn optionally<T, F, Fut>(
        &self,
        what: impl Into<String>,
        call: F,
    ) -> Result<T, inv::Unread>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, AwsError>>,
    {
        super::retrying(call, self.patience, |e, _| e.kind == ErrorKind::Throttled)
            .await
            .map_err(|e| unread(what.into(), e))
    }

    /// The names of a cluster's EKS add-ons (ListAddons, every page).
    pub(super) async fn addons(&self, cluster: &str) -> Result<Vec<String>, AwsError> {
        let mut names = cluster_names_list!(self, list_addons, "ListAddons", addons, cluster);
        names.sort();
        Ok(names)
    }

    /// The region's VPC Block Public Access mode and the exclusions in force. Both calls
    /// go out together; the exclusions matter only when the mode is on.
    pub(super) async fn block_public_access(
        &self,
    ) -> Result<inv::BlockPublicAccess, Vec<inv::Unread>> {
        let (mode, exclusions) = tokio::join!(
            self.optionally(inv::Unread::BLOCK_PUBLIC_ACCESS, || self
                .block_public_access_mode()),
            self.optionally(inv::Unread::BLOCK_PUBLIC_ACCESS_EXCLUSIONS, || self
                .block_public_access_exclusions()),
        );
        let mode = mode.map_err(|u| vec![u])?;
        match exclusions {
            Ok(exclusions) => Ok(inv::BlockPublicAccess { mode, exclusions }),
            Err(_) if mode == "off" => Ok(inv::BlockPublicAccess {
                mode,
                exclusions: vec![],
            }),
            Err(u) => Err(vec![u]),
        }
    }

    async fn block_public_access_mode(&self) -> Result<String, AwsError> {
        let out = self
            .ec2
            .describe_vpc_block_public_access_options()
            .customize()
            .config_override(aws_sdk_ec2::config::Builder::default().retry_config(once()))
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("ec2", "DescribeVpcBlockPublicAccessOptions", e))?;
        Ok(out
            .vpc_block_public_access_options()
            .and_then(|o| o.internet_gateway_block_mode())
            .map(|m| m.as_str().to_string())
            .unwrap_or_else(|| "off".into()))
    }

    async fn block_public_access_exclusions(
        &self,
    ) -> Result<Vec<inv::BlockPublicAccessExclusion>, AwsError> {
        let mut out = vec![];
        let mut token: Option<String> = None;
        let mut pages = super::pages::Pages::new("ec2", "DescribeVpcBlockPublicAccessExclusions");
        loop {
            let page = self
                .ec2
                .describe_vpc_block_public_access_exclusions()
                .max_results(1000)
                .set_next_token(token.take())
                .customize()
                .config_override(aws_sdk_ec2::config::Builder::default().retry_config(once()))
                .send()
                .await
                .map_err(|e| {
                    crate::error::from_sdk("ec2", "DescribeVpcBlockPublicAccessExclusions", e)
                })?;
            for x in page.vpc_block_public_access_exclusions() {
                let state = x.state().map(|s| s.as_str()).unwrap_or_default();
                if !in_force(state) {
                    continue;
                }
                out.push(inv::BlockPublicAccessExclusion {
                    id: x.exclusion_id().unwrap_or_default().to_string(),
                    resource_id: x
                        .resource_arn()
                        .and_then(|a| a.rsplit('/').next())
                        .unwrap_or_default()
                        .to_string(),
                    mode: x
                        .internet_gateway_exclusion_mode()
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default(),
                });
            }
            match pages.next(page.next_token())? {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        out.sort_by(|a, b| a.resource_id.cmp(&b.resource_id));
        Ok(out)
    }
}

impl Aws {
    /// The private hosted zones that answer in `vpc` (ListHostedZonesByVPC, every page).
    pub(super) async fn hosted_zones(&self, vpc: &str) -> Result<Vec<inv::HostedZone>, AwsError> {
        let mut out = vec![];
        let mut token: Option<String> = None;
        let mut pages = super::pages::Pages::new("route53", "ListHostedZonesByVPC");
        loop {
            let page = self
                .route53
                .list_hosted_zones_by_vpc()
                .vpc_id(vpc)
                .vpc_region(aws_sdk_route53::types::VpcRegion::from(
                    self.region.as_str(),
                ))
                .max_items(100)
                .set_next_token(token.take())
                .customize()
                .config_override(aws_sdk_route53::config::Builder::default().retry_config(once()))
                .send()
                .await
                .map_err(|e| crate::error::from_sdk("route53", "ListHostedZonesByVPC", e))?;
            for z in page.hosted_zone_summaries() {
                let owner = z.owner();
                out.push(inv::HostedZone {
                    id: z
                        .hosted_zone_id()
                        .trim_start_matches("/hostedzone/")
                        .to_string(),
                    name: z.name().trim_end_matches('.').to_lowercase(),
                    owner: owner
                        .and_then(|o| o.owning_account().or(o.owning_service()))
                        .unwrap_or_default()
                        .to_string(),
                });
            }
            match pages.next(page.next_token())? {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The Route 53 Profiles associated with `vpc` (ListProfileAssociations, every page).
    pub(super) async fn profile_associations(
        &self,
        vpc: &str,
    ) -> Result<Vec<inv::ProfileAssociation>, AwsError> {
        let mut out = vec![];
        let mut token: Option<String> = None;
        let mut pages = super::pages::Pages::new("route53profiles", "ListProfileAssociations");
        loop {
            let page = self
                .profiles
                .list_profile_associations()
                .resource_id(vpc)
                .max_results(100)
                .set_next_token(token.take())
                .customize()
                .config_override(
                    aws_sdk_route53profiles::config::Builder::default().retry_config(once()),
                )
                .send()
                .await
                .map_err(|e| {
                    crate::error::from_sdk("route53profiles", "ListProfileAssociations", e)
                })?;
            for a in page.profile_associations() {
                out.push(inv::ProfileAssociation {
                    id: a.id().unwrap_or_default().to_string(),
                    profile_id: a.profile_id().unwrap_or_default().to_string(),
                    name: a.name().unwrap_or_default().to_string(),
                    owner_id: a.owner_id().unwrap_or_default().to_string(),
                    status: a
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                });
            }
            match pages.next(page.next_token())? {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        Ok(out)
    }

    /// What answers DNS in `vpc` besides the VPC's own resolver: its private hosted zones
    /// and Route 53 Profiles, read together; each that fails is said.
    pub(super) async fn vpc_dns(
        &self,
        vpc: &str,
    ) -> (
        Option<Vec<inv::HostedZone>>,
        Option<Vec<inv::ProfileAssociation>>,
        Vec<inv::Unread>,
    ) {
        let (zones, profiles) = tokio::join!(
            self.optionally(inv::Unread::hosted_zones_of(vpc), || self.hosted_zones(vpc)),
            self.optionally(inv::Unread::profiles_of(vpc), || self
                .profile_associations(vpc)),
        );
        let mut unread = vec![];
        let zones = zones.map_err(|u| unread.push(u)).ok();
        let profiles = profiles.map_err(|u| unread.push(u)).ok();
        (zones, profiles, unread)
    }
}

/// One attempt: [`Aws::optionally`] waits out throttling itself, and a read that fails
/// otherwise is not worth the operator's wait.
pub(super) fn once() -> RetryConfig {
    RetryConfig::disabled()
}

/// An exclusion that lets traffic past the block: created, or being (or failed to be)
/// updated with its earlier settings still in force.
fn in_force(state: &str) -> bool {
    state == "create-complete" || state.starts_with("update-")
}

fn unread(what: String, e: AwsError) -> inv::Unread {
    inv::Unread {
        call: format!("{}:{}", e.service, e.operation),
        what,
        access_denied: e.kind == ErrorKind::AccessDenied,
        reason: e.message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mocks::mocked;
    use aws_sdk_ec2::operation::describe_vpc_block_public_access_exclusions::DescribeVpcBlockPublicAccessExclusionsOutput;
    use aws_sdk_ec2::operation::describe_vpc_block_public_access_options::{
        DescribeVpcBlockPublicAccessOptionsError, DescribeVpcBlockPublicAccessOptionsOutput,
    };
    use aws_sdk_ec2::types as ec2t;
    use aws_sdk_eks::operation::describe_cluster::DescribeClusterOutput;
    use aws_sdk_eks::operation::list_addons::{ListAddonsError, ListAddonsOutput};
    use aws_smithy_mocks::mock;
    use aws_smithy_types::error::ErrorMetadata;

    fn describe() -> aws_smithy_mocks::Rule {
        mock!(aws_sdk_eks::Client::describe_cluster).then_output(|| {
            DescribeClusterOutput::builder()
                .cluster(
                    aws_sdk_eks::types::Cluster::builder()
                        .name("prod")
                        .version("1.31")
                        .build(),
                )
                .build()
        })
    }

    /// A cluster with no node group and no running node.
    fn no_node_groups() -> aws_smithy_mocks::Rule {
        mock!(aws_sdk_eks::Client::list_nodegroups).then_output(|| {
            aws_sdk_eks::operation::list_nodegroups::ListNodegroupsOutput::builder().build()
        })
    }

    fn no_nodes() -> aws_smithy_mocks::Rule {
        mock!(aws_sdk_ec2::Client::describe_instances).then_output(|| {
            aws_sdk_ec2::operation::describe_instances::DescribeInstancesOutput::builder().build()
        })
    }

    fn error(code: &str, message: &str) -> ErrorMetadata {
        ErrorMetadata::builder().code(code).message(message).build()
    }

    #[tokio::test(start_paused = true)]
    async fn refused_add_ons_are_unknown_and_name_the_permission() {
        let list = mock!(aws_sdk_eks::Client::list_addons).then_error(|| {
            ListAddonsError::generic(error(
                "AccessDeniedException",
                "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: eks:ListAddons",
            ))
        });
        let aws = mocked(
            &[&no_nodes()],
            &[&describe(), &list, &no_node_groups()],
            &[],
        );
        let (c, u) = aws.described("prod").await.unwrap();
        assert_eq!(c.name, "prod");
        assert_eq!(c.addons, None, "unknown, not empty");
        assert_eq!(c.node_groups, Some(vec![]), "read, and none");
        assert_eq!(c.nodes, Some(vec![]));
        let [u] = u.as_slice() else { panic!("{u:?}") };
        assert_eq!(u.call, "eks:ListAddons");
        assert!(u.access_denied, "{u:?}");
        assert_eq!(u.what, "the add-ons of cluster prod");
    }

    #[tokio::test(start_paused = true)]
    async fn add_ons_are_read_over_every_page_and_throttling_is_waited_out() {
        let list = mock!(aws_sdk_eks::Client::list_addons)
            .sequence()
            .error(|| ListAddonsError::generic(error("ThrottlingException", "Rate exceeded")))
            .times(2)
            .output(|| {
                ListAddonsOutput::builder()
                    .addons("vpc-cni")
                    .addons("eks-pod-identity-agent")
                    .next_token("page-2")
                    .build()
            })
            .output(|| ListAddonsOutput::builder().addons("coredns").build())
            .build();
        let aws = mocked(
            &[&no_nodes()],
            &[&describe(), &list, &no_node_groups()],
            &[],
        );
        let (c, u) = aws.described("prod").await.unwrap();
        assert_eq!(u, vec![]);
        assert_eq!(
            c.addons.unwrap(),
            ["coredns", "eks-pod-identity-agent", "vpc-cni"]
        );
        assert_eq!(list.num_calls(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn an_api_the_endpoint_lacks_is_unknown_after_one_try() {
        // What moto answers for ListAddons (no such route) and for Block Public Access (a
        // 500): tried once, then unknown; the inventory carries on.
        let list = mock!(aws_sdk_eks::Client::list_addons)
            .sequence()
            .http_status(
                404,
                Some("<!doctype html><title>404 Not Found</title>".into()),
            )
            .repeatedly()
            .build();
        let options = mock!(aws_sdk_ec2::Client::describe_vpc_block_public_access_options)
            .sequence()
            .http_status(500, Some("<!doctype html><title>500</title>".into()))
            .repeatedly()
            .build();
        let exclusions = mock!(aws_sdk_ec2::Client::describe_vpc_block_public_access_exclusions)
            .sequence()
            .http_status(500, Some("<!doctype html><title>500</title>".into()))
            .repeatedly()
            .build();
        let aws = mocked(
            &[&options, &exclusions, &no_nodes()],
            &[&describe(), &list, &no_node_groups()],
            &[],
        );
        let (c, u) = aws.described("prod").await.unwrap();
        assert_eq!(c.addons, None);
        assert_eq!(u.len(), 1, "{u:?}");
        assert!(!u[0].access_denied);
        assert_eq!(list.num_calls(), 1);
        let u = aws.block_public_access().await.unwrap_err();
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].call, "ec2:DescribeVpcBlockPublicAccessOptions");
        assert!(!u[0].access_denied);
        assert_eq!(options.num_calls(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_region_without_block_public_access_is_unknown() {
        let options = mock!(aws_sdk_ec2::Client::describe_vpc_block_public_access_options)
            .then_error(|| {
                DescribeVpcBlockPublicAccessOptionsError::generic(error(
                    "InvalidAction",
                    "The action DescribeVpcBlockPublicAccessOptions is not valid for this web service.",
                ))
            });
        let exclusions = mock!(aws_sdk_ec2::Client::describe_vpc_block_public_access_exclusions)
            .then_output(|| DescribeVpcBlockPublicAccessExclusionsOutput::builder().build());
        let aws = mocked(&[&options, &exclusions], &[], &[]);
        let u = aws.block_public_access().await.unwrap_err();
        assert!(
            !u[0].access_denied && u[0].reason.contains("not valid"),
            "{u:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_vpc_s_hub_zones_are_read_and_a_refused_profile_read_is_said() {
        use aws_sdk_route53::operation::list_hosted_zones_by_vpc::ListHostedZonesByVpcOutput;
        use aws_sdk_route53profiles::operation::list_profile_associations::ListProfileAssociationsError;
        let zone = |id: &str, name: &str| {
            aws_sdk_route53::types::HostedZoneSummary::builder()
                .hosted_zone_id(id)
                .name(name)
                .owner(
                    aws_sdk_route53::types::HostedZoneOwner::builder()
                        .owning_account("999999999999")
                        .build(),
                )
                .build()
                .unwrap()
        };
        let zones = mock!(aws_sdk_route53::Client::list_hosted_zones_by_vpc)
            .match_requests(|r| r.vpc_id() == Some("vpc-1"))
            .sequence()
            .output(move || {
                ListHostedZonesByVpcOutput::builder()
                    .hosted_zone_summaries(zone("/hostedzone/Z1", "STS.eu-west-1.amazonaws.com."))
                    .max_items(1)
                    .next_token("page-2")
                    .build()
                    .unwrap()
            })
            .output(move || {
                ListHostedZonesByVpcOutput::builder()
                    .hosted_zone_summaries(zone("Z2", "ecr.eu-west-1.amazonaws.com."))
                    .max_items(1)
                    .build()
                    .unwrap()
            })
            .build();
        let profiles = mock!(aws_sdk_route53profiles::Client::list_profile_associations)
            .then_error(|| {
                ListProfileAssociationsError::generic(error(
                    "AccessDeniedException",
                    "User is not authorized to perform: route53profiles:ListProfileAssociations",
                ))
            });
        let aws = crate::mocks::mocked_dns(&[], &[], &[], &[&zones], &[&profiles]);
        let (z, p, unread) = aws.vpc_dns("vpc-1").await;
        let z = z.expect("read");
        assert_eq!(
            z.iter()
                .map(|z| (z.id.as_str(), z.name.as_str()))
                .collect::<Vec<_>>(),
            [
                ("Z2", "ecr.eu-west-1.amazonaws.com"),
                ("Z1", "sts.eu-west-1.amazonaws.com")
            ]
        );
        assert_eq!(z[0].owner, "999999999999");
        assert_eq!(p, None);
        assert_eq!(unread.len(), 1);
        assert_eq!(unread[0].call, "route53profiles:ListProfileAssociations");
        assert!(unread[0].access_denied);
        assert_eq!(unread[0].what, "the Route 53 Profiles of vpc-1");
    }

    #[tokio::test(start_paused = true)]
    async fn block_public_access_mode_and_the_exclusions_in_force() {
        let options = mock!(aws_sdk_ec2::Client::describe_vpc_block_public_access_options)
            .then_output(|| {
                DescribeVpcBlockPublicAccessOptionsOutput::builder()
                    .vpc_block_public_access_options(
                        ec2t::VpcBlockPublicAccessOptions::builder()
                            .internet_gateway_block_mode(
                                ec2t::InternetGatewayBlockMode::BlockBidirectional,
                            )
                            .build(),
                    )
                    .build()
            });
        let exclusion = |id: &str, arn: &str, state: &str| {
            ec2t::VpcBlockPublicAccessExclusion::builder()
                .exclusion_id(id)
                .resource_arn(arn)
                .state(ec2t::VpcBlockPublicAccessExclusionState::from(state))
                .internet_gateway_exclusion_mode(ec2t::InternetGatewayExclusionMode::AllowEgress)
                .build()
        };
        let exclusions = mock!(aws_sdk_ec2::Client::describe_vpc_block_public_access_exclusions)
            .then_output(move || {
                DescribeVpcBlockPublicAccessExclusionsOutput::builder()
                    .vpc_block_public_access_exclusions(exclusion(
                        "exclusion-1",
                        "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-a",
                        "create-complete",
                    ))
                    .vpc_block_public_access_exclusions(exclusion(
                        "exclusion-2",
                        "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1",
                        "delete-complete",
                    ))
                    .build()
            });
        let aws = mocked(&[&options, &exclusions], &[], &[]);
        let b = aws.block_public_access().await.unwrap();
        assert_eq!(b.mode, "block-bidirectional");
        assert!(b.is_on());
        assert_eq!(
            b.exclusions,
            [inv::BlockPublicAccessExclusion {
                id: "exclusion-1".into(),
                resource_id: "subnet-a".into(),
                mode: "allow-egress".into(),
            }]
        );
    }

    #[test]
    fn exclusions_in_force() {
        for s in [
            "create-complete",
            "update-in-progress",
            "update-complete",
            "update-failed",
        ] {
            assert!(in_force(s), "{s}");
        }
        for s in [
            "create-in-progress",
            "create-failed",
            "delete-in-progress",
            "delete-complete",
            "disable-in-progress",
            "disable-complete",
        ] {
            assert!(!in_force(s), "{s}");
        }
    }

    /// Issue 25 (item 6): the cluster kinds moto cannot make (it ignores computeConfig):
    /// Auto Mode, an IPv6 cluster on its dual-stack api.aws endpoint, hybrid nodes' remote
    /// networks; and the node groups and running nodes read with the cluster.
    #[tokio::test(start_paused = true)]
    async fn a_cluster_s_kind_and_nodes_are_read() {
        use aws_sdk_eks::types as eks;
        let describe = mock!(aws_sdk_eks::Client::describe_cluster).then_output(|| {
            DescribeClusterOutput::builder()
                .cluster(
                    eks::Cluster::builder()
                        .name("edge")
                        .version("1.33")
                        .endpoint("https://ABC.gr7.eu-west-1.eks-cluster.eu-west-1.api.aws")
                        .compute_config(eks::ComputeConfigResponse::builder().enabled(true).build())
                        .kubernetes_network_config(
                            eks::KubernetesNetworkConfigResponse::builder()
                                .ip_family(eks::IpFamily::Ipv6)
                                .build(),
                        )
                        .remote_network_config(
                            eks::RemoteNetworkConfigResponse::builder()
                                .remote_node_networks(
                                    eks::RemoteNodeNetwork::builder()
                                        .cidrs("192.168.100.0/24")
                                        .build(),
                                )
                                .remote_pod_networks(
                                    eks::RemotePodNetwork::builder()
                                        .cidrs("192.168.200.0/24")
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let list = mock!(aws_sdk_eks::Client::list_addons)
            .then_output(|| ListAddonsOutput::builder().build());
        let groups = mock!(aws_sdk_eks::Client::list_nodegroups)
            .sequence()
            .output(|| {
                aws_sdk_eks::operation::list_nodegroups::ListNodegroupsOutput::builder()
                    .nodegroups("b-workers")
                    .next_token("2")
                    .build()
            })
            .output(|| {
                aws_sdk_eks::operation::list_nodegroups::ListNodegroupsOutput::builder()
                    .nodegroups("a-bottlerocket")
                    .build()
            })
            .build();
        let group = mock!(aws_sdk_eks::Client::describe_nodegroup).then_output(|| {
            aws_sdk_eks::operation::describe_nodegroup::DescribeNodegroupOutput::builder()
                .nodegroup(
                    eks::Nodegroup::builder()
                        .nodegroup_name("a-bottlerocket")
                        .subnets("subnet-a")
                        .ami_type(eks::AmiTypes::BottlerocketArm64)
                        .instance_types("m8g.large")
                        .capacity_type(eks::CapacityTypes::Spot)
                        .launch_template(
                            eks::LaunchTemplateSpecification::builder()
                                .id("lt-1")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let nodes = mock!(aws_sdk_ec2::Client::describe_instances).then_output(|| {
            aws_sdk_ec2::operation::describe_instances::DescribeInstancesOutput::builder()
                .reservations(
                    ec2t::Reservation::builder()
                        .instances(
                            ec2t::Instance::builder()
                                .instance_id("i-1")
                                .subnet_id("subnet-a")
                                .instance_type(ec2t::InstanceType::M8gLarge)
                                .security_groups(
                                    ec2t::GroupIdentifier::builder().group_id("sg-node").build(),
                                )
                                .tags(
                                    ec2t::Tag::builder()
                                        .key("eks:nodegroup-name")
                                        .value("a-bottlerocket")
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let aws = mocked(&[&nodes], &[&describe, &list, &groups, &group], &[]);
        let (c, u) = aws.described("edge").await.unwrap();
        assert_eq!(u, vec![]);
        assert!(c.auto_mode);
        assert_eq!(c.ip_family, "ipv6");
        assert!(c.dual_stack_endpoint());
        assert_eq!(c.remote_node_networks, ["192.168.100.0/24"]);
        assert_eq!(c.remote_pod_networks, ["192.168.200.0/24"]);
        let g = c.node_groups.as_ref().unwrap();
        assert_eq!(g.len(), 2, "both pages");
        assert!(g[0].is_bottlerocket());
        assert_eq!(g[0].capacity_type, "SPOT");
        assert_eq!(g[0].launch_template.as_deref(), Some("lt-1"));
        assert_eq!(groups.num_calls(), 2);
        let n = c.nodes.clone().unwrap();
        assert_eq!(n[0].security_group_ids, ["sg-node"]);
        assert_eq!(n[0].node_group.as_deref(), Some("a-bottlerocket"));
        assert_eq!(
            c.node_subnets(),
            [("node group a-bottlerocket".to_string(), "subnet-a")]
        );
    }
}
