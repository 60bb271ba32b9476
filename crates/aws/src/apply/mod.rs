//! The apply backend: each [`Change`] as one mutating call, then a wait for the state the
//! next step needs. Calls that take an idempotency token get the step's; calls that take
//! none are made safe to repeat by reading first (route table associations) or by treating
//! "already so" answers as success (duplicate rules, existing associations, gone on delete).

use super::wait::{Poll, WaitPolicy, wait_for};
use super::{Aws, AwsError, ErrorKind, patiently};
use aws_sdk_ec2::operation::create_vpc_endpoint::builders::CreateVpcEndpointFluentBuilder;
use aws_sdk_ec2::operation::modify_vpc_endpoint::builders::ModifyVpcEndpointFluentBuilder;
use aws_sdk_ec2::types as ec2t;
use aws_sdk_route53resolver::types as r53t;
use eks_private_tui_core::apply::{Backend, Step};
use eks_private_tui_core::plan::{Change, Deletable, Ref, Targets, VpcAttribute};

/// Send `call`, drop the answer, and name the call in the error. The permissions page
/// test (tests/docs.rs) reads the service and operation from here too.
macro_rules! done {
    ($svc:literal, $op:literal, $call:expr) => {
        $call
            .send()
            .await
            .map(|_| ())
            .map_err(|e| crate::error::from_sdk($svc, $op, e))
    };
}

/// Send one call, retried while AWS throttles it (or fails with 5xx) for the client's
/// patience, with the service and operation named in the error; `$call` builds the
/// request anew for each try.
macro_rules! send {
    ($aws:expr, $svc:literal, $op:literal, $call:expr) => {
        patiently(
            || async {
                $call
                    .send()
                    .await
                    .map_err(|e| crate::error::from_sdk($svc, $op, e))
            },
            $aws.patience,
        )
        .await
    };
}

fn id(r: &Ref) -> Result<&str, AwsError> {
    match r {
        Ref::Id(i) => Ok(i),
        Ref::Output(a) => Err(AwsError::usage(
            format!("{a} has no ID yet"),
            "this is a bug in the plan's dependencies; please report it",
        )),
    }
}

fn ec2_tags(kind: ec2t::ResourceType, step: &Step) -> ec2t::TagSpecification {
    ec2t::TagSpecification::builder()
        .resource_type(kind)
        .set_tags(Some(
            step.tags
                .iter()
                .map(|(k, v)| ec2t::Tag::builder().key(k).value(v).build())
                .collect(),
        ))
        .build()
}

fn r53_tags(step: &Step) -> Vec<r53t::Tag> {
    step.tags
        .iter()
        .filter_map(|(k, v)| r53t::Tag::builder().key(k).value(v).build().ok())
        .collect()
}

fn is_code(e: &AwsError, codes: &[&str]) -> bool {
    e.code.as_deref().is_some_and(|c| codes.contains(&c))
}

/// A missing field in an answer AWS always fills.
fn missing(service: &'static str, operation: &'static str, what: &str) -> AwsError {
    AwsError::new(
        ErrorKind::Service,
        service,
        operation,
        format!("the answer carries no {what}"),
        "retry; if it persists, run with RUST_LOG=debug and --log-file to see the answer",
    )
}

/// The codes of an ID AWS does not know (yet): right after a creation EC2 and Route 53
/// Resolver may not know the new ID in the next call (EC2's eventual consistency).
const NOT_YET: &[&str] = &[
    "InvalidGroup.NotFound",
    "InvalidGroupId.NotFound",
    "InvalidSubnetID.NotFound",
    "InvalidSubnet.NotFound",
    "InvalidVpcEndpointId.NotFound",
    "InvalidRouteTableID.NotFound",
    "ResourceNotFoundException",
];

/// How long a step waits for an ID this run created to be known.
pub const CONSISTENCY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

impl Backend for Aws {
    /// One step. When it uses an ID an earlier step of this run made (`step.fresh`), an
    /// answer that the ID is unknown is retried with backoff for [`CONSISTENCY_PATIENCE`]
    /// (every step is safe to repeat: tokens, or looking first), then said plainly
    /// (issue 27, 4).
    async fn execute(&self, change: &Change, step: &Step) -> Result<String, AwsError> {
        let not_yet = |e: &AwsError| step.fresh && is_code(e, NOT_YET);
        super::retrying(
            || self.execute_once(change, step),
            CONSISTENCY_PATIENCE,
            |e, _| not_yet(e),
        )
        .await
        .map_err(|mut e| {
            if not_yet(&e) {
                e.hint = format!(
                    "an ID this apply created was still unknown to AWS after {} s (AWS is eventually consistent): run the same command again to resume",
                    CONSISTENCY_PATIENCE.as_secs()
                );
            }
            e
        })
    }
}

impl Aws {
    async fn execute_once(&self, change: &Change, step: &Step) -> Result<String, AwsError> {
        match change {
            Change::SetVpcAttribute {
                vpc_id,
                attribute,
                value,
            } => self.set_vpc_attribute(vpc_id, attribute, *value).await,
            Change::UntagSubnet { subnet_id, keys } => self.untag_subnet(subnet_id, keys).await,
            Change::AddEndpointSubnets {
                endpoint_id,
                subnet_ids,
            } => self.endpoint_subnets(endpoint_id, subnet_ids, true).await,
            Change::RemoveEndpointSubnets {
                endpoint_id,
                subnet_ids,
            } => self.endpoint_subnets(endpoint_id, subnet_ids, false).await,
            Change::RemoveGatewayRouteTables {
                endpoint_id,
                route_table_ids,
            } => {
                self.remove_gateway_route_tables(endpoint_id, route_table_ids)
                    .await
            }
            Change::TagCluster {
                cluster,
                arn,
                key,
                value,
            } => self.tag_cluster(cluster, arn, key, value).await,
            Change::UntagCluster { cluster, arn, key } => {
                self.untag_cluster(cluster, arn, key).await
            }
            Change::TagSubnet {
                subnet_id,
                key,
                value,
            } => self.tag_subnet(subnet_id, key, value).await,
            Change::CreateSecurityGroup {
                vpc_id,
                name,
                description,
            } => {
                self.create_security_group(vpc_id, name, description, step)
                    .await
            }
            Change::AuthorizeIngress {
                group,
                protocols,
                port,
                cidrs,
                description,
            } => {
                self.authorize_ingress(group, protocols, port, cidrs, description, step)
                    .await
            }
            Change::AssociateVpcCidr { vpc_id, cidr } => {
                self.associate_vpc_cidr(vpc_id, cidr).await
            }
            Change::CreateSubnet {
                vpc_id,
                az,
                cidr,
                tags,
                ..
            } => self.create_subnet(vpc_id, az, cidr, tags, step).await,
            Change::AssociateRouteTable {
                route_table_id,
                subnet,
            } => self.associate_route_table(route_table_id, subnet).await,
            Change::CreateInterfaceEndpoint {
                vpc_id,
                service_name,
                subnet_ids,
                security_group,
                private_dns,
                ..
            } => {
                self.create_interface_endpoint(
                    vpc_id,
                    service_name,
                    subnet_ids,
                    security_group,
                    private_dns,
                    step,
                )
                .await
            }
            Change::CreateGatewayEndpoint {
                vpc_id,
                service_name,
                route_table_ids,
                ..
            } => {
                self.create_gateway_endpoint(vpc_id, service_name, route_table_ids, step)
                    .await
            }
            Change::AddGatewayRouteTables {
                endpoint_id,
                route_table_ids,
            } => {
                self.add_gateway_route_tables(endpoint_id, route_table_ids)
                    .await
            }
            Change::UpdateClusterAccess {
                cluster,
                private_access,
                public_access,
                public_access_cidrs,
            } => {
                self.update_cluster_access(
                    cluster,
                    *private_access,
                    *public_access,
                    public_access_cidrs,
                    &step.token,
                    WaitPolicy::CLUSTER,
                )
                .await
            }
            Change::CreateResolverEndpoint {
                name,
                direction,
                subnet_ids,
                security_group,
            } => {
                self.create_resolver_endpoint(name, direction, subnet_ids, security_group, step)
                    .await
            }
            Change::CreateResolverRule {
                name,
                domain,
                targets,
                endpoint,
            } => {
                self.create_resolver_rule(name, domain, targets, endpoint, step)
                    .await
            }
            Change::AssociateResolverRule { rule, vpc_id, name } => {
                self.associate_resolver_rule(rule, vpc_id, name).await
            }
            Change::Delete { what, id, parent } => self.delete(*what, id, parent.as_deref()).await,
        }
    }
}

mod cluster;
mod delete;
mod endpoint;
mod resolver;
mod security_group;
mod subnet;
mod vpc;

#[cfg(test)]
mod tests;
