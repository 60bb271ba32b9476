//! What the tool created for a plan, found by the `eks-private-tui:plan` tag (destroy).

use super::{Aws, AwsError};
use aws_sdk_ec2::types as ec2t;
use eks_private_tui_core::apply::{ADDRESS_TAG, PLAN_TAG, VPC_TAG};
use eks_private_tui_core::inventory::EndpointState;
use eks_private_tui_core::plan::Deletable;
use eks_private_tui_core::plan::destroy::Created;
use eks_private_tui_core::spec::OWNER_TAG;

fn tag<'a>(tags: &'a [ec2t::Tag], key: &str) -> &'a str {
    tags.iter()
        .find(|t| t.key() == Some(key))
        .and_then(|t| t.value())
        .unwrap_or_default()
}

impl Aws {
    /// Everything tagged `eks-private-tui:plan=<plan>` in these VPCs (the spec's first),
    /// and the associations of its Resolver rules. What a spec of the same name in another
    /// VPC made is not this spec's: it carries that VPC in `eks-private-tui:vpc`, and
    /// (made before that tag) a rule only counts when it is on a group of these VPCs, a
    /// Resolver rule when it forwards through an endpoint of these VPCs.
    pub async fn created_by(&self, plan: &str, vpcs: &[String]) -> Result<Vec<Created>, AwsError> {
        let spec_vpc = vpcs.first().cloned().unwrap_or_default();
        // Made for a spec of the same name in another VPC, or owned by a CloudFormation
        // stack (the export's): not destroy's to delete.
        let foreign = |tags: &[ec2t::Tag]| {
            let v = tag(tags, VPC_TAG);
            (!v.is_empty() && v != spec_vpc) || !tag(tags, OWNER_TAG).is_empty()
        };
        let f = |n: &str, v: &[String]| {
            ec2t::Filter::builder()
                .name(n)
                .set_values(Some(v.to_vec()))
                .build()
        };
        let ours = f(&format!("tag:{PLAN_TAG}"), &[plan.to_string()]);
        let in_vpcs = f("vpc-id", vpcs);
        let mut out = vec![];
        let eps = self
            .ec2
            .describe_vpc_endpoints()
            .filters(ours.clone())
            .filters(in_vpcs.clone())
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("ec2", "DescribeVpcEndpoints", e))?;
        for e in eps.vpc_endpoints() {
            let state = e
                .state()
                .map(|s| EndpointState::parse(s.as_str()))
                .unwrap_or_default();
            if state == EndpointState::Deleted || foreign(e.tags()) {
                continue;
            }
            out.push(Created {
                what: Deletable::VpcEndpoint,
                id: e.vpc_endpoint_id().unwrap_or_default().into(),
                parent: None,
                address: tag(e.tags(), ADDRESS_TAG).into(),
                name: tag(e.tags(), "Name").into(),
                own_id: None,
            });
        }
        let subnets = self
            .ec2
            .describe_subnets()
            .filters(ours.clone())
            .filters(in_vpcs.clone())
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("ec2", "DescribeSubnets", e))?;
        for s in subnets.subnets().iter().filter(|s| !foreign(s.tags())) {
            out.push(Created {
                what: Deletable::Subnet,
                id: s.subnet_id().unwrap_or_default().into(),
                parent: None,
                address: tag(s.tags(), ADDRESS_TAG).into(),
                name: tag(s.tags(), "Name").into(),
                own_id: None,
            });
        }
        // Every group of these VPCs, once: the ones carrying the plan tag are this
        // spec's; all of them bound which rules may be (below).
        let groups = self
            .ec2
            .describe_security_groups()
            .filters(in_vpcs.clone())
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("ec2", "DescribeSecurityGroups", e))?;
        let in_scope: std::collections::BTreeSet<String> = groups
            .security_groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_string))
            .collect();
        let own_groups: Vec<&ec2t::SecurityGroup> = groups
            .security_groups()
            .iter()
            .filter(|g| tag(g.tags(), PLAN_TAG) == plan && !foreign(g.tags()))
            .collect();
        let group_ids: Vec<String> = own_groups
            .iter()
            .filter_map(|g| g.group_id().map(str::to_string))
            .collect();
        for g in own_groups {
            out.push(Created {
                what: Deletable::SecurityGroup,
                id: g.group_id().unwrap_or_default().into(),
                parent: None,
                address: tag(g.tags(), ADDRESS_TAG).into(),
                name: g.group_name().unwrap_or_default().into(),
                own_id: None,
            });
        }
        // Rules the tool added to groups it did not create (the cluster's); rules of its
        // own groups go with them. Only rules of groups in these VPCs: a spec of the same
        // name elsewhere is not this one.
        let rules = self
            .ec2
            .describe_security_group_rules()
            .filters(ours.clone())
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("ec2", "DescribeSecurityGroupRules", e))?;
        for r in rules.security_group_rules() {
            let group = r.group_id().unwrap_or_default().to_string();
            if group_ids.contains(&group) || !in_scope.contains(&group) || foreign(r.tags()) {
                continue;
            }
            out.push(Created {
                what: Deletable::SecurityGroupRule,
                id: r.security_group_rule_id().unwrap_or_default().into(),
                parent: Some(group),
                address: tag(r.tags(), ADDRESS_TAG).into(),
                name: String::new(),
                own_id: None,
            });
        }
        out.extend(self.created_resolver(plan, vpcs, &spec_vpc).await?);
        Ok(out)
    }

    async fn created_resolver(
        &self,
        plan: &str,
        vpcs: &[String],
        spec_vpc: &str,
    ) -> Result<Vec<Created>, AwsError> {
        let tags_of = |arn: String| async move {
            let out = self
                .resolver
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .map_err(|e| crate::error::from_sdk("resolver", "ListTagsForResource", e))?;
            let get = |k: &str| {
                out.tags()
                    .iter()
                    .find(|t| t.key() == k)
                    .map(|t| t.value().to_string())
            };
            // Made for a spec of the same name in another VPC, or owned by the export's
            // CloudFormation stack: not ours to delete.
            let foreign = get(VPC_TAG).is_some_and(|v| v != spec_vpc) || get(OWNER_TAG).is_some();
            Ok::<_, AwsError>((get(PLAN_TAG).filter(|_| !foreign), get(ADDRESS_TAG)))
        };
        let mut out = vec![];
        let eps = self
            .resolver
            .list_resolver_endpoints()
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("resolver", "ListResolverEndpoints", e))?;
        // The Resolver endpoints in these VPCs, whoever made them: a rule is this spec's
        // only if it forwards through one of them.
        let mut local_endpoints = std::collections::BTreeSet::new();
        for e in eps.resolver_endpoints() {
            if !vpcs.iter().any(|v| Some(v.as_str()) == e.host_vpc_id()) {
                continue;
            }
            local_endpoints.insert(e.id().unwrap_or_default().to_string());
            let (p, address) = tags_of(e.arn().unwrap_or_default().to_string()).await?;
            if p.as_deref() == Some(plan) {
                out.push(Created {
                    what: Deletable::ResolverEndpoint,
                    id: e.id().unwrap_or_default().into(),
                    parent: None,
                    address: address.unwrap_or_default(),
                    name: e.name().unwrap_or_default().into(),
                    own_id: None,
                });
            }
        }
        let rules = self
            .resolver
            .list_resolver_rules()
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("resolver", "ListResolverRules", e))?;
        for r in rules.resolver_rules() {
            if !r
                .resolver_endpoint_id()
                .is_some_and(|e| local_endpoints.contains(e))
            {
                continue;
            }
            let (p, address) = tags_of(r.arn().unwrap_or_default().to_string()).await?;
            if p.as_deref() != Some(plan) {
                continue;
            }
            let rule = r.id().unwrap_or_default().to_string();
            out.push(Created {
                what: Deletable::ResolverRule,
                id: rule.clone(),
                parent: None,
                address: address.unwrap_or_default(),
                name: r.name().unwrap_or_default().into(),
                own_id: None,
            });
            // Its associations must go first, whoever made them.
            let assocs = self
                .resolver
                .list_resolver_rule_associations()
                .filters(
                    aws_sdk_route53resolver::types::Filter::builder()
                        .name("ResolverRuleId")
                        .values(&rule)
                        .build(),
                )
                .send()
                .await
                .map_err(|e| {
                    crate::error::from_sdk("resolver", "ListResolverRuleAssociations", e)
                })?;
            for a in assocs.resolver_rule_associations() {
                let vpc = a.vpc_id().unwrap_or_default().to_string();
                out.push(Created {
                    what: Deletable::ResolverRuleAssociation,
                    id: vpc.clone(),
                    parent: Some(rule.clone()),
                    address: format!("resolver_rule_association[{vpc:?}]"),
                    name: a.name().unwrap_or_default().into(),
                    own_id: a.id().map(str::to_string),
                });
            }
        }
        Ok(out)
    }
}
