//! Deletes (destroy), each waited for until gone.

use super::*;

impl Aws {
    /// Delete what the tool created. Gone already counts as done; a resource still in
    /// use (ENIs draining after an endpoint's deletion) is retried until the deadline.
    pub(super) async fn delete(
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
                        .map_err(|e| crate::error::from_sdk("ec2", "DeleteVpcEndpoints", e))?;
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
                Err(mut e) if is_code(&e, &["DependencyViolation", "ResourceInUseException"]) => {
                    // What holds it: network interfaces AWS manages (those of endpoints
                    // being deleted) drain, and are waited for; any other (an instance's,
                    // one a user made) will not go by itself: said at once, by ID and
                    // owner (issue 27, 3).
                    let holders = match what {
                        Deletable::SecurityGroup => self.holders("group-id", id).await,
                        Deletable::Subnet => self.holders("subnet-id", id).await,
                        _ => vec![],
                    };
                    let lasting: Vec<&Holder> = holders.iter().filter(|h| !h.managed).collect();
                    let late = start.elapsed() + delay >= WaitPolicy::RESOURCE.deadline;
                    if lasting.is_empty() && !late {
                        tokio::time::sleep(delay).await;
                        delay = (delay * 2).min(WaitPolicy::RESOURCE.max);
                        continue;
                    }
                    let shown: Vec<String> = if lasting.is_empty() {
                        holders.iter().collect()
                    } else {
                        lasting
                    }
                    .iter()
                    .take(10)
                    .map(|h| h.to_string())
                    .collect();
                    if !shown.is_empty() {
                        e.message = format!("{} is still in use by {}", id, shown.join("; "));
                        e.hint = if late {
                            format!(
                                "those network interfaces did not go within {} min: remove them (or what they belong to), then run destroy again",
                                WaitPolicy::RESOURCE.deadline.as_secs() / 60
                            )
                        } else {
                            "those network interfaces are not this spec's and will not go by themselves: move or remove them, then run destroy again".into()
                        };
                    }
                    return Err(e);
                }
                Err(e) => return Err(e),
            }
        }
        self.wait_gone(what, id, parent).await?;
        Ok(id.to_string())
    }

    /// The network interfaces in a group or subnet (`filter`: group-id, subnet-id), each
    /// with who owns it. Best effort: a failed read leaves the error as AWS gave it.
    async fn holders(&self, filter: &str, id: &str) -> Vec<Holder> {
        let out = self
            .ec2
            .describe_network_interfaces()
            .filters(ec2t::Filter::builder().name(filter).values(id).build())
            .max_results(100)
            .send()
            .await;
        let Ok(out) = out else { return vec![] };
        out.network_interfaces()
            .iter()
            .map(|n| Holder {
                id: n.network_interface_id().unwrap_or_default().to_string(),
                managed: n.requester_managed().unwrap_or(false),
                what: n
                    .attachment()
                    .and_then(|a| a.instance_id())
                    .map(|i| format!("instance {i}"))
                    .or_else(|| {
                        n.description()
                            .filter(|d| !d.is_empty())
                            .map(|d| eks_private_tui_core::report::trunc(d, 60))
                    })
                    .unwrap_or_else(|| "no description".into()),
            })
            .collect()
    }

    /// After a delete, wait until the resource no longer holds what depends on it.
    pub(super) async fn wait_gone(
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
                            .map_err(|e| crate::error::from_sdk("ec2", "DescribeVpcEndpoints", e));
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
                            .map_err(|e| {
                                crate::error::from_sdk("resolver", "GetResolverEndpoint", e)
                            }) {
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

/// A network interface that keeps a group or subnet in use.
struct Holder {
    id: String,
    /// AWS made it for a service (an endpoint's, a Resolver endpoint's): it drains.
    managed: bool,
    /// Its instance, else its description.
    what: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.id, self.what)
    }
}
