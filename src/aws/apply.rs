//! The apply backend: each [`Change`] as one mutating call, then a wait for the state the
//! next step needs. Calls that take an idempotency token get the step's; calls that take
//! none are made safe to repeat by reading first (route table associations) or by treating
//! "already so" answers as success (duplicate rules, existing associations, gone on delete).

use super::wait::{Poll, WaitPolicy, wait_for};
use super::{Aws, AwsError, ErrorKind, patiently};
use crate::apply::{Backend, Step};
use crate::plan::{Change, Deletable, Ref, Targets, VpcAttribute};
use aws_sdk_ec2::operation::create_vpc_endpoint::builders::CreateVpcEndpointFluentBuilder;
use aws_sdk_ec2::types as ec2t;
use aws_sdk_route53resolver::types as r53t;

/// Send `call`, drop the answer, and name the call in the error. The permissions page
/// test (tests/docs.rs) reads the service and operation from here too.
macro_rules! done {
    ($svc:literal, $op:literal, $call:expr) => {
        $call
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AwsError::from_sdk($svc, $op, e))
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

impl Backend for Aws {
    async fn execute(&self, change: &Change, step: &Step) -> Result<String, AwsError> {
        match change {
            Change::SetVpcAttribute { vpc_id, attribute } => {
                let on = ec2t::AttributeBooleanValue::builder().value(true).build();
                patiently(
                    || async {
                        let mut call = self.ec2.modify_vpc_attribute().vpc_id(vpc_id);
                        call = match attribute {
                            VpcAttribute::EnableDnsSupport => call.enable_dns_support(on.clone()),
                            VpcAttribute::EnableDnsHostnames => {
                                call.enable_dns_hostnames(on.clone())
                            }
                        };
                        call.send()
                            .await
                            .map_err(|e| AwsError::from_sdk("ec2", "ModifyVpcAttribute", e))
                    },
                    self.patience,
                )
                .await?;
                Ok(vpc_id.clone())
            }
            Change::TagSubnet {
                subnet_id,
                key,
                value,
            } => {
                patiently(
                    || async {
                        self.ec2
                            .create_tags()
                            .resources(subnet_id)
                            .tags(ec2t::Tag::builder().key(key).value(value).build())
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("ec2", "CreateTags", e))
                    },
                    self.patience,
                )
                .await?;
                Ok(subnet_id.clone())
            }
            Change::CreateSecurityGroup {
                vpc_id,
                name,
                description,
            } => {
                let r = patiently(
                    || async {
                        self.ec2
                            .create_security_group()
                            .vpc_id(vpc_id)
                            .group_name(name)
                            .description(description)
                            .tag_specifications(ec2_tags(ec2t::ResourceType::SecurityGroup, step))
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("ec2", "CreateSecurityGroup", e))
                    },
                    self.patience,
                )
                .await;
                match r {
                    Ok(out) => out
                        .group_id()
                        .map(str::to_string)
                        .ok_or_else(|| missing("ec2", "CreateSecurityGroup", "GroupId")),
                    // Created by a try whose answer was lost: the name is unique per VPC.
                    Err(e) if is_code(&e, &["InvalidGroup.Duplicate"]) => {
                        self.group_by_name(vpc_id, name).await?.ok_or(e)
                    }
                    Err(e) => Err(e),
                }
            }
            Change::AuthorizeIngress {
                group,
                protocols,
                port,
                cidrs,
                description,
            } => {
                let group = id(group)?;
                let perms: Vec<ec2t::IpPermission> = protocols
                    .iter()
                    .map(|p| {
                        ec2t::IpPermission::builder()
                            .ip_protocol(p)
                            .from_port(*port)
                            .to_port(*port)
                            .set_ip_ranges(Some(
                                cidrs
                                    .iter()
                                    .map(|c| {
                                        ec2t::IpRange::builder()
                                            .cidr_ip(c)
                                            .description(description)
                                            .build()
                                    })
                                    .collect(),
                            ))
                            .build()
                    })
                    .collect();
                let r = patiently(
                    || async {
                        self.ec2
                            .authorize_security_group_ingress()
                            .group_id(group)
                            .set_ip_permissions(Some(perms.clone()))
                            .tag_specifications(ec2_tags(
                                ec2t::ResourceType::SecurityGroupRule,
                                step,
                            ))
                            .send()
                            .await
                            .map_err(|e| {
                                AwsError::from_sdk("ec2", "AuthorizeSecurityGroupIngress", e)
                            })
                    },
                    self.patience,
                )
                .await;
                match r {
                    Ok(out) => Ok(out
                        .security_group_rules()
                        .iter()
                        .filter_map(|r| r.security_group_rule_id())
                        .collect::<Vec<_>>()
                        .join(",")),
                    // The rule is there already (an earlier try): that is the goal.
                    Err(e) if is_code(&e, &["InvalidPermission.Duplicate"]) => {
                        Ok(format!("{group}:{port}"))
                    }
                    Err(e) => Err(e),
                }
            }
            Change::AssociateVpcCidr { vpc_id, cidr } => {
                // No token: look first, so a repeated step adopts the association.
                let assoc = match self.cidr_association(vpc_id, cidr).await? {
                    Some((a, _)) => a,
                    None => patiently(
                        || async {
                            self.ec2
                                .associate_vpc_cidr_block()
                                .vpc_id(vpc_id)
                                .cidr_block(cidr)
                                .send()
                                .await
                                .map_err(|e| AwsError::from_sdk("ec2", "AssociateVpcCidrBlock", e))
                        },
                        self.patience,
                    )
                    .await?
                    .cidr_block_association()
                    .and_then(|a| a.association_id())
                    .map(str::to_string)
                    .ok_or_else(|| missing("ec2", "AssociateVpcCidrBlock", "AssociationId"))?,
                };
                let what = format!("CIDR {cidr} on {vpc_id}");
                wait_for(
                    self.patience,
                    "ec2",
                    "DescribeVpcs",
                    &what,
                    WaitPolicy::QUICK,
                    || async {
                        Ok(match self.cidr_association(vpc_id, cidr).await? {
                            Some((_, s)) if s == "associated" => Poll::Ready(()),
                            Some((_, s)) if s == "associating" => Poll::Pending(s),
                            Some((_, s)) => Poll::Failed(s),
                            None => Poll::Pending("not yet listed".into()),
                        })
                    },
                )
                .await?;
                Ok(assoc)
            }
            Change::CreateSubnet {
                vpc_id,
                az,
                cidr,
                tags,
                ..
            } => {
                let mut with_tags = step.clone();
                with_tags.tags.extend(tags.iter().cloned());
                let step = &with_tags;
                let r = patiently(
                    || async {
                        self.ec2
                            .create_subnet()
                            .vpc_id(vpc_id)
                            .availability_zone(az)
                            .cidr_block(cidr)
                            .tag_specifications(ec2_tags(ec2t::ResourceType::Subnet, step))
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("ec2", "CreateSubnet", e))
                    },
                    self.patience,
                )
                .await;
                let subnet = match r {
                    Ok(out) => out
                        .subnet()
                        .and_then(|s| s.subnet_id())
                        .map(str::to_string)
                        .ok_or_else(|| missing("ec2", "CreateSubnet", "SubnetId"))?,
                    // An earlier try's subnet holds the CIDR: ours if it carries our tag.
                    Err(e) if is_code(&e, &["InvalidSubnet.Conflict"]) => {
                        self.tagged_subnet(vpc_id, cidr, step).await?.ok_or(e)?
                    }
                    Err(e) => return Err(e),
                };
                let what = format!("subnet {subnet}");
                wait_for(
                    self.patience,
                    "ec2",
                    "DescribeSubnets",
                    &what,
                    WaitPolicy::QUICK,
                    || async {
                        let out = self
                            .ec2
                            .describe_subnets()
                            .subnet_ids(&subnet)
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("ec2", "DescribeSubnets", e))?;
                        let state = out
                            .subnets()
                            .first()
                            .and_then(|s| s.state())
                            .map(|s| s.as_str().to_lowercase())
                            .unwrap_or_else(|| "not yet listed".into());
                        Ok(match state.as_str() {
                            "available" => Poll::Ready(()),
                            "failed" | "failed-insufficient-capacity" => Poll::Failed(state),
                            _ => Poll::Pending(state),
                        })
                    },
                )
                .await?;
                Ok(subnet)
            }
            Change::AssociateRouteTable {
                route_table_id,
                subnet,
            } => {
                let subnet = id(subnet)?;
                // Read first: AssociateRouteTable takes no token, and a subnet with an
                // explicit association needs ReplaceRouteTableAssociation instead.
                match self.subnet_association(subnet).await? {
                    Some((rt, assoc)) if &rt == route_table_id => Ok(assoc),
                    Some((_, assoc)) => patiently(
                        || async {
                            self.ec2
                                .replace_route_table_association()
                                .association_id(&assoc)
                                .route_table_id(route_table_id)
                                .send()
                                .await
                                .map_err(|e| {
                                    AwsError::from_sdk("ec2", "ReplaceRouteTableAssociation", e)
                                })
                        },
                        self.patience,
                    )
                    .await?
                    .new_association_id()
                    .map(str::to_string)
                    .ok_or_else(|| {
                        missing("ec2", "ReplaceRouteTableAssociation", "NewAssociationId")
                    }),
                    None => patiently(
                        || async {
                            self.ec2
                                .associate_route_table()
                                .route_table_id(route_table_id)
                                .subnet_id(subnet)
                                .send()
                                .await
                                .map_err(|e| AwsError::from_sdk("ec2", "AssociateRouteTable", e))
                        },
                        self.patience,
                    )
                    .await?
                    .association_id()
                    .map(str::to_string)
                    .ok_or_else(|| missing("ec2", "AssociateRouteTable", "AssociationId")),
                }
            }
            Change::CreateInterfaceEndpoint {
                vpc_id,
                service_name,
                subnet_ids,
                security_group,
                private_dns,
                ..
            } => {
                let sg = id(security_group)?;
                self.create_endpoint(step, |c| {
                    c.vpc_id(vpc_id)
                        .service_name(service_name)
                        .vpc_endpoint_type(ec2t::VpcEndpointType::Interface)
                        .set_subnet_ids(Some(subnet_ids.clone()))
                        .security_group_ids(sg)
                        .private_dns_enabled(*private_dns)
                })
                .await
            }
            Change::CreateGatewayEndpoint {
                vpc_id,
                service_name,
                route_table_ids,
                ..
            } => {
                self.create_endpoint(step, |c| {
                    c.vpc_id(vpc_id)
                        .service_name(service_name)
                        .vpc_endpoint_type(ec2t::VpcEndpointType::Gateway)
                        .set_route_table_ids(Some(route_table_ids.clone()))
                })
                .await
            }
            Change::AddGatewayRouteTables {
                endpoint_id,
                route_table_ids,
            } => {
                patiently(
                    || async {
                        self.ec2
                            .modify_vpc_endpoint()
                            .vpc_endpoint_id(endpoint_id)
                            .set_add_route_table_ids(Some(route_table_ids.clone()))
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("ec2", "ModifyVpcEndpoint", e))
                    },
                    self.patience,
                )
                .await?;
                self.wait_endpoint(endpoint_id).await?;
                Ok(endpoint_id.clone())
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
                let sg = id(security_group)?;
                // Two IPs at least: one per subnet, or two in the only one.
                let mut subnets = subnet_ids.clone();
                if subnets.len() == 1 {
                    subnets.push(subnets[0].clone());
                }
                let ips: Vec<r53t::IpAddressRequest> = subnets
                    .iter()
                    .filter_map(|s| r53t::IpAddressRequest::builder().subnet_id(s).build().ok())
                    .collect();
                let out = patiently(
                    || async {
                        self.resolver
                            .create_resolver_endpoint()
                            .creator_request_id(&step.token)
                            .name(name)
                            .direction(r53t::ResolverEndpointDirection::from(direction.as_str()))
                            .security_group_ids(sg)
                            .set_ip_addresses(Some(ips.clone()))
                            .set_tags(Some(r53_tags(step)))
                            .send()
                            .await
                            .map_err(|e| {
                                AwsError::from_sdk("resolver", "CreateResolverEndpoint", e)
                            })
                    },
                    self.patience,
                )
                .await?;
                let ep = out
                    .resolver_endpoint()
                    .and_then(|e| e.id())
                    .map(str::to_string)
                    .ok_or_else(|| missing("resolver", "CreateResolverEndpoint", "Id"))?;
                let what = format!("Resolver endpoint {ep}");
                wait_for(
                    self.patience,
                    "resolver",
                    "GetResolverEndpoint",
                    &what,
                    WaitPolicy::RESOURCE,
                    || async {
                        let out = self
                            .resolver
                            .get_resolver_endpoint()
                            .resolver_endpoint_id(&ep)
                            .send()
                            .await
                            .map_err(|e| {
                                AwsError::from_sdk("resolver", "GetResolverEndpoint", e)
                            })?;
                        let s = out
                            .resolver_endpoint()
                            .and_then(|e| e.status())
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default();
                        Ok(match s.as_str() {
                            "OPERATIONAL" => Poll::Ready(()),
                            "ACTION_NEEDED" | "DELETING" => Poll::Failed(s),
                            _ => Poll::Pending(s),
                        })
                    },
                )
                .await?;
                Ok(ep)
            }
            Change::CreateResolverRule {
                name,
                domain,
                targets,
                endpoint,
            } => {
                let endpoint = id(endpoint)?;
                let ips: Vec<String> = match targets {
                    Targets::Ips(ips) => ips.clone(),
                    Targets::EndpointIps(r) => {
                        let ep = id(r)?;
                        patiently(|| self.resolver_ips(ep), self.patience)
                            .await?
                            .into_iter()
                            .map(|ip| format!("{}:53", ip.ip))
                            .collect()
                    }
                };
                let targets: Vec<r53t::TargetAddress> = ips
                    .iter()
                    .map(|t| {
                        let (ip, port) = t.rsplit_once(':').unwrap_or((t, "53"));
                        r53t::TargetAddress::builder()
                            .ip(ip)
                            .port(port.parse().unwrap_or(53))
                            .build()
                    })
                    .collect();
                let out = patiently(
                    || async {
                        self.resolver
                            .create_resolver_rule()
                            .creator_request_id(&step.token)
                            .name(name)
                            .rule_type(r53t::RuleTypeOption::Forward)
                            .domain_name(domain)
                            .set_target_ips(Some(targets.clone()))
                            .resolver_endpoint_id(endpoint)
                            .set_tags(Some(r53_tags(step)))
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("resolver", "CreateResolverRule", e))
                    },
                    self.patience,
                )
                .await?;
                let rule = out
                    .resolver_rule()
                    .and_then(|r| r.id())
                    .map(str::to_string)
                    .ok_or_else(|| missing("resolver", "CreateResolverRule", "Id"))?;
                let what = format!("Resolver rule {rule}");
                wait_for(
                    self.patience,
                    "resolver",
                    "GetResolverRule",
                    &what,
                    WaitPolicy::RESOURCE,
                    || async {
                        let out = self
                            .resolver
                            .get_resolver_rule()
                            .resolver_rule_id(&rule)
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("resolver", "GetResolverRule", e))?;
                        let s = out
                            .resolver_rule()
                            .and_then(|r| r.status())
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default();
                        Ok(match s.as_str() {
                            "COMPLETE" => Poll::Ready(()),
                            "FAILED" | "DELETING" => Poll::Failed(s),
                            _ => Poll::Pending(s),
                        })
                    },
                )
                .await?;
                Ok(rule)
            }
            Change::AssociateResolverRule { rule, vpc_id, name } => {
                let rule = id(rule)?;
                // No token: an association that exists is adopted.
                let assoc = match self.rule_association(rule, vpc_id).await? {
                    Some((a, _)) => a,
                    None => patiently(
                        || async {
                            self.resolver
                                .associate_resolver_rule()
                                .resolver_rule_id(rule)
                                .vpc_id(vpc_id)
                                .name(name)
                                .send()
                                .await
                                .map_err(|e| {
                                    AwsError::from_sdk("resolver", "AssociateResolverRule", e)
                                })
                        },
                        self.patience,
                    )
                    .await?
                    .resolver_rule_association()
                    .and_then(|a| a.id())
                    .map(str::to_string)
                    .ok_or_else(|| missing("resolver", "AssociateResolverRule", "Id"))?,
                };
                let what = format!("rule association {assoc}");
                wait_for(
                    self.patience,
                    "resolver",
                    "ListResolverRuleAssociations",
                    &what,
                    WaitPolicy::RESOURCE,
                    || async {
                        Ok(match self.rule_association(rule, vpc_id).await? {
                            Some((_, s)) if s == "COMPLETE" => Poll::Ready(()),
                            Some((_, s)) if s == "FAILED" || s == "OVERRIDDEN" => Poll::Failed(s),
                            Some((_, s)) => Poll::Pending(s),
                            None => Poll::Pending("not yet listed".into()),
                        })
                    },
                )
                .await?;
                Ok(assoc)
            }
            Change::Delete { what, id, parent } => self.delete(*what, id, parent.as_deref()).await,
        }
    }
}

impl Aws {
    async fn group_by_name(&self, vpc: &str, name: &str) -> Result<Option<String>, AwsError> {
        let f = |n: &str, v: &str| ec2t::Filter::builder().name(n).values(v).build();
        let out = patiently(
            || async {
                self.ec2
                    .describe_security_groups()
                    .filters(f("vpc-id", vpc))
                    .filters(f("group-name", name))
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("ec2", "DescribeSecurityGroups", e))
            },
            self.patience,
        )
        .await?;
        Ok(out
            .security_groups()
            .first()
            .and_then(|g| g.group_id())
            .map(str::to_string))
    }

    /// A subnet with this CIDR that carries this step's address tag (compared here: EC2
    /// filter values treat `*` and `?` as wildcards, and moto `[`…`]` too).
    async fn tagged_subnet(
        &self,
        vpc: &str,
        cidr: &str,
        step: &Step,
    ) -> Result<Option<String>, AwsError> {
        let f = |n: &str, v: &str| ec2t::Filter::builder().name(n).values(v).build();
        let out = patiently(
            || async {
                self.ec2
                    .describe_subnets()
                    .filters(f("vpc-id", vpc))
                    .filters(f("cidr-block", cidr))
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("ec2", "DescribeSubnets", e))
            },
            self.patience,
        )
        .await?;
        Ok(out
            .subnets()
            .iter()
            .find(|s| {
                s.cidr_block() == Some(cidr)
                    && s.tags().iter().any(|t| {
                        t.key() == Some(crate::apply::ADDRESS_TAG)
                            && t.value() == Some(step.address.as_str())
                    })
            })
            .and_then(|s| s.subnet_id())
            .map(str::to_string))
    }

    /// The association of `cidr` with `vpc` that is not disassociated: (id, state).
    async fn cidr_association(
        &self,
        vpc: &str,
        cidr: &str,
    ) -> Result<Option<(String, String)>, AwsError> {
        let out = patiently(
            || async {
                self.ec2
                    .describe_vpcs()
                    .vpc_ids(vpc)
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("ec2", "DescribeVpcs", e))
            },
            self.patience,
        )
        .await?;
        Ok(out
            .vpcs()
            .iter()
            .flat_map(|v| v.cidr_block_association_set())
            .filter(|a| a.cidr_block() == Some(cidr))
            .map(|a| {
                (
                    a.association_id().unwrap_or_default().to_string(),
                    a.cidr_block_state()
                        .and_then(|s| s.state())
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                )
            })
            .find(|(_, s)| s != "disassociated" && s != "disassociating"))
    }

    /// The subnet's explicit route table association: (route table, association id).
    async fn subnet_association(&self, subnet: &str) -> Result<Option<(String, String)>, AwsError> {
        let out = patiently(
            || async {
                self.ec2
                    .describe_route_tables()
                    .filters(
                        ec2t::Filter::builder()
                            .name("association.subnet-id")
                            .values(subnet)
                            .build(),
                    )
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("ec2", "DescribeRouteTables", e))
            },
            self.patience,
        )
        .await?;
        Ok(out
            .route_tables()
            .iter()
            .flat_map(|t| t.associations())
            .find(|a| a.subnet_id() == Some(subnet) && a.main() != Some(true))
            .map(|a| {
                (
                    a.route_table_id().unwrap_or_default().to_string(),
                    a.route_table_association_id()
                        .unwrap_or_default()
                        .to_string(),
                )
            }))
    }

    /// CreateVpcEndpoint (`fill` sets the kind-specific fields) with the step's token and
    /// tags, then the wait for `available`.
    async fn create_endpoint(
        &self,
        step: &Step,
        fill: impl Fn(CreateVpcEndpointFluentBuilder) -> CreateVpcEndpointFluentBuilder,
    ) -> Result<String, AwsError> {
        let out = patiently(
            || async {
                fill(self.ec2.create_vpc_endpoint())
                    .client_token(&step.token)
                    .tag_specifications(ec2_tags(ec2t::ResourceType::VpcEndpoint, step))
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("ec2", "CreateVpcEndpoint", e))
            },
            self.patience,
        )
        .await?;
        let ep = out
            .vpc_endpoint()
            .and_then(|e| e.vpc_endpoint_id())
            .map(str::to_string)
            .ok_or_else(|| missing("ec2", "CreateVpcEndpoint", "VpcEndpointId"))?;
        self.wait_endpoint(&ep).await?;
        Ok(ep)
    }

    async fn wait_endpoint(&self, ep: &str) -> Result<(), AwsError> {
        let what = format!("VPC endpoint {ep}");
        wait_for(
            self.patience,
            "ec2",
            "DescribeVpcEndpoints",
            &what,
            WaitPolicy::RESOURCE,
            || async {
                let out = self
                    .ec2
                    .describe_vpc_endpoints()
                    .vpc_endpoint_ids(ep)
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("ec2", "DescribeVpcEndpoints", e))?;
                // AWS and moto send the state in lowercase; the SDK then has Unknown(..).
                let s = out
                    .vpc_endpoints()
                    .first()
                    .and_then(|e| e.state())
                    .map(|s| s.as_str().to_lowercase())
                    .unwrap_or_else(|| "not yet listed".into());
                Ok(match s.as_str() {
                    "available" => Poll::Ready(()),
                    "failed" | "rejected" | "deleted" | "deleting" | "expired" => Poll::Failed(s),
                    _ => Poll::Pending(s),
                })
            },
        )
        .await
    }

    /// The association of `rule` with `vpc`, if any: (id, status).
    async fn rule_association(
        &self,
        rule: &str,
        vpc: &str,
    ) -> Result<Option<(String, String)>, AwsError> {
        let out = patiently(
            || async {
                self.resolver
                    .list_resolver_rule_associations()
                    .filters(
                        r53t::Filter::builder()
                            .name("ResolverRuleId")
                            .values(rule)
                            .build(),
                    )
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("resolver", "ListResolverRuleAssociations", e))
            },
            self.patience,
        )
        .await?;
        Ok(out
            .resolver_rule_associations()
            .iter()
            .find(|a| a.vpc_id() == Some(vpc) && a.resolver_rule_id() == Some(rule))
            .map(|a| {
                (
                    a.id().unwrap_or_default().to_string(),
                    a.status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                )
            }))
    }

    /// UpdateClusterConfig, then DescribeUpdate until `Successful` where the API answers
    /// it; else (moto) DescribeCluster until ACTIVE with the new access settings.
    pub(crate) async fn update_cluster_access(
        &self,
        cluster: &str,
        private_access: bool,
        public_access: bool,
        public_access_cidrs: &[String],
        token: &str,
        policy: WaitPolicy,
    ) -> Result<String, AwsError> {
        let mut cfg = aws_sdk_eks::types::VpcConfigRequest::builder()
            .endpoint_private_access(private_access)
            .endpoint_public_access(public_access);
        if public_access && !public_access_cidrs.is_empty() {
            cfg = cfg.set_public_access_cidrs(Some(public_access_cidrs.to_vec()));
        }
        let cfg = cfg.build();
        let out = patiently(
            || async {
                self.eks
                    .update_cluster_config()
                    .name(cluster)
                    .resources_vpc_config(cfg.clone())
                    .client_request_token(token)
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("eks", "UpdateClusterConfig", e))
            },
            self.patience,
        )
        .await?;
        let what = format!("cluster {cluster}");
        if let Some(update) = out.update().and_then(|u| u.id()).map(str::to_string) {
            wait_for(
                self.patience,
                "eks",
                "DescribeUpdate",
                &what,
                policy,
                || async {
                    let out = self
                        .eks
                        .describe_update()
                        .name(cluster)
                        .update_id(&update)
                        .send()
                        .await
                        .map_err(|e| AwsError::from_sdk("eks", "DescribeUpdate", e))?;
                    let u = out.update();
                    let s = u
                        .and_then(|u| u.status())
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default();
                    Ok(match s.as_str() {
                        "Successful" => Poll::Ready(()),
                        "Failed" | "Cancelled" => {
                            let why: Vec<String> = u
                                .map(|u| u.errors())
                                .unwrap_or_default()
                                .iter()
                                .filter_map(|e| e.error_message().map(str::to_string))
                                .collect();
                            Poll::Failed(if why.is_empty() {
                                s
                            } else {
                                format!("{s}: {}", why.join("; "))
                            })
                        }
                        _ => Poll::Pending(s),
                    })
                },
            )
            .await?;
            return Ok(update);
        }
        wait_for(
            self.patience,
            "eks",
            "DescribeCluster",
            &what,
            policy,
            || async {
                let out = self
                    .eks
                    .describe_cluster()
                    .name(cluster)
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("eks", "DescribeCluster", e))?;
                let c = out.cluster();
                let s = c
                    .and_then(|c| c.status())
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                let v = c.and_then(|c| c.resources_vpc_config());
                let applied = v.is_some_and(|v| {
                    v.endpoint_private_access() == private_access
                        && v.endpoint_public_access() == public_access
                });
                Ok(match s.as_str() {
                    "ACTIVE" if applied => Poll::Ready(()),
                    "FAILED" | "DELETING" => Poll::Failed(s),
                    _ => Poll::Pending(if s == "ACTIVE" {
                        "ACTIVE with the old access settings".into()
                    } else {
                        s
                    }),
                })
            },
        )
        .await?;
        Ok(cluster.to_string())
    }

    /// Delete what the tool created. Gone already counts as done; a resource still in
    /// use (ENIs draining after an endpoint's deletion) is retried until the deadline.
    async fn delete(
        &self,
        what: Deletable,
        id: &str,
        parent: Option<&str>,
    ) -> Result<String, AwsError> {
        let gone = |e: &AwsError| {
            e.kind == ErrorKind::NotFound
                || is_code(
                    e,
                    &[
                        "InvalidVpcEndpointId.NotFound",
                        "InvalidGroup.NotFound",
                        "InvalidSubnetID.NotFound",
                        "InvalidSecurityGroupRuleId.NotFound",
                        "InvalidVpcCidrBlockAssociationID.NotFound",
                    ],
                )
        };
        let call = || async {
            match what {
                Deletable::ResolverRuleAssociation => done!(
                    "resolver",
                    "DisassociateResolverRule",
                    self.resolver
                        .disassociate_resolver_rule()
                        .resolver_rule_id(parent.unwrap_or_default())
                        .vpc_id(id)
                ),
                Deletable::ResolverRule => done!(
                    "resolver",
                    "DeleteResolverRule",
                    self.resolver.delete_resolver_rule().resolver_rule_id(id)
                ),
                Deletable::ResolverEndpoint => done!(
                    "resolver",
                    "DeleteResolverEndpoint",
                    self.resolver
                        .delete_resolver_endpoint()
                        .resolver_endpoint_id(id)
                ),
                Deletable::VpcEndpoint => {
                    let out = self
                        .ec2
                        .delete_vpc_endpoints()
                        .vpc_endpoint_ids(id)
                        .send()
                        .await
                        .map_err(|e| AwsError::from_sdk("ec2", "DeleteVpcEndpoints", e))?;
                    match out.unsuccessful().first().and_then(|u| u.error()) {
                        Some(e) => Err(AwsError::from_code(
                            "ec2",
                            "DeleteVpcEndpoints",
                            e.code().map(str::to_string),
                            e.message().unwrap_or_default().to_string(),
                        )),
                        None => Ok(()),
                    }
                }
                Deletable::SecurityGroupRule => done!(
                    "ec2",
                    "RevokeSecurityGroupIngress",
                    self.ec2
                        .revoke_security_group_ingress()
                        .group_id(parent.unwrap_or_default())
                        .security_group_rule_ids(id)
                ),
                Deletable::SecurityGroup => done!(
                    "ec2",
                    "DeleteSecurityGroup",
                    self.ec2.delete_security_group().group_id(id)
                ),
                Deletable::Subnet => done!(
                    "ec2",
                    "DeleteSubnet",
                    self.ec2.delete_subnet().subnet_id(id)
                ),
                Deletable::VpcCidrAssociation => done!(
                    "ec2",
                    "DisassociateVpcCidrBlock",
                    self.ec2.disassociate_vpc_cidr_block().association_id(id)
                ),
            }
        };
        // DependencyViolation / ResourceInUse while ENIs drain: wait and try again.
        let start = tokio::time::Instant::now();
        let mut delay = WaitPolicy::RESOURCE.first;
        loop {
            match patiently(&call, self.patience).await {
                Ok(()) => break,
                Err(e) if gone(&e) => return Ok(id.to_string()),
                Err(e)
                    if is_code(&e, &["DependencyViolation", "ResourceInUseException"])
                        && start.elapsed() + delay < WaitPolicy::RESOURCE.deadline =>
                {
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(WaitPolicy::RESOURCE.max);
                }
                Err(e) => return Err(e),
            }
        }
        self.wait_gone(what, id, parent).await?;
        Ok(id.to_string())
    }

    /// After a delete, wait until the resource no longer holds what depends on it.
    async fn wait_gone(
        &self,
        what: Deletable,
        id: &str,
        parent: Option<&str>,
    ) -> Result<(), AwsError> {
        let label = format!("{what:?} {id}");
        match what {
            Deletable::VpcEndpoint => {
                wait_for(
                    self.patience,
                    "ec2",
                    "DescribeVpcEndpoints",
                    &label,
                    WaitPolicy::RESOURCE,
                    || async {
                        let r = self
                            .ec2
                            .describe_vpc_endpoints()
                            .vpc_endpoint_ids(id)
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("ec2", "DescribeVpcEndpoints", e));
                        Ok(match r {
                            Err(e) if e.kind == ErrorKind::NotFound => Poll::Ready(()),
                            Err(e) => return Err(e),
                            Ok(out) => match out
                                .vpc_endpoints()
                                .first()
                                .and_then(|e| e.state())
                                .map(|s| s.as_str().to_lowercase())
                            {
                                None => Poll::Ready(()),
                                Some(s) if s == "deleted" => Poll::Ready(()),
                                Some(s) => Poll::Pending(s),
                            },
                        })
                    },
                )
                .await
            }
            Deletable::ResolverEndpoint => {
                wait_for(
                    self.patience,
                    "resolver",
                    "GetResolverEndpoint",
                    &label,
                    WaitPolicy::RESOURCE,
                    || async {
                        match self
                            .resolver
                            .get_resolver_endpoint()
                            .resolver_endpoint_id(id)
                            .send()
                            .await
                            .map_err(|e| AwsError::from_sdk("resolver", "GetResolverEndpoint", e))
                        {
                            Err(e) if e.kind == ErrorKind::NotFound => Ok(Poll::Ready(())),
                            Err(e) => Err(e),
                            Ok(out) => Ok(Poll::Pending(
                                out.resolver_endpoint()
                                    .and_then(|e| e.status())
                                    .map(|s| s.as_str().to_string())
                                    .unwrap_or_default(),
                            )),
                        }
                    },
                )
                .await
            }
            Deletable::ResolverRuleAssociation => {
                let rule = parent.unwrap_or_default();
                wait_for(
                    self.patience,
                    "resolver",
                    "ListResolverRuleAssociations",
                    &label,
                    WaitPolicy::RESOURCE,
                    || async {
                        Ok(match self.rule_association(rule, id).await? {
                            None => Poll::Ready(()),
                            Some((_, s)) => Poll::Pending(s),
                        })
                    },
                )
                .await
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
