//! Route 53 Resolver reads: endpoints (with their IPs), rules, rule associations.

use super::{Aws, AwsError};
use eks_private_tui_core::inventory as inv;
use futures::{StreamExt, TryStreamExt};

fn s(o: Option<&str>) -> String {
    o.unwrap_or_default().to_string()
}

impl Aws {
    /// Resolver endpoints; with `vpc`, only those in that VPC.
    pub(super) async fn resolver_endpoints(
        &self,
        vpc: Option<&str>,
        concurrency: usize,
    ) -> Result<Vec<inv::ResolverEndpoint>, AwsError> {
        let pages = all_pages!(
            "resolver",
            "ListResolverEndpoints",
            self.resolver.list_resolver_endpoints().max_results(100)
        );
        let endpoints: Vec<inv::ResolverEndpoint> = pages
            .into_iter()
            .flat_map(|p| p.resolver_endpoints.unwrap_or_default())
            .map(|e| inv::ResolverEndpoint {
                id: s(e.id()),
                name: s(e.name()),
                direction: e
                    .direction()
                    .map(|d| d.as_str().to_string())
                    .unwrap_or_default(),
                vpc_id: s(e.host_vpc_id()),
                status: e
                    .status()
                    .map(|d| inv::ResolverEndpointStatus::parse(d.as_str()))
                    .unwrap_or_default(),
                security_group_ids: e.security_group_ids().to_vec(),
                ips: vec![],
            })
            // With a VPC: its endpoints, and outbound ones anywhere (they live in the
            // client VPCs that forward to this one).
            .filter(|e| vpc.is_none_or(|v| e.vpc_id == v || e.direction == "OUTBOUND"))
            .collect();
        let me = self.clone();
        let mut endpoints: Vec<inv::ResolverEndpoint> = futures::stream::iter(endpoints)
            .map(move |mut e| {
                let aws = me.clone();
                async move {
                    e.ips = super::patiently(|| aws.resolver_ips(&e.id), aws.patience).await?;
                    Ok::<_, AwsError>(e)
                }
            })
            .buffer_unordered(concurrency.max(1))
            .try_collect()
            .await?;
        endpoints.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(endpoints)
    }

    pub(super) async fn resolver_ips(
        &self,
        endpoint: &str,
    ) -> Result<Vec<inv::ResolverIp>, AwsError> {
        let pages = all_pages!(
            "resolver",
            "ListResolverEndpointIpAddresses",
            self.resolver
                .list_resolver_endpoint_ip_addresses()
                .resolver_endpoint_id(endpoint)
                .max_results(100)
        );
        Ok(pages
            .into_iter()
            .flat_map(|p| p.ip_addresses.unwrap_or_default())
            .map(|a| inv::ResolverIp {
                ip: s(a.ip()),
                subnet_id: s(a.subnet_id()),
                status: a
                    .status()
                    .map(|d| inv::ResolverIpStatus::parse(d.as_str()))
                    .unwrap_or_default(),
            })
            .collect())
    }

    pub(super) async fn resolver_rules(&self) -> Result<Vec<inv::ResolverRule>, AwsError> {
        let pages = all_pages!(
            "resolver",
            "ListResolverRules",
            self.resolver.list_resolver_rules().max_results(100)
        );
        Ok(pages
            .into_iter()
            .flat_map(|p| p.resolver_rules.unwrap_or_default())
            .map(|r| inv::ResolverRule {
                id: s(r.id()),
                name: s(r.name()),
                domain_name: s(r.domain_name()),
                rule_type: r
                    .rule_type()
                    .map(|d| d.as_str().to_string())
                    .unwrap_or_default(),
                status: r
                    .status()
                    .map(|d| inv::ResolverRuleStatus::parse(d.as_str()))
                    .unwrap_or_default(),
                resolver_endpoint_id: r.resolver_endpoint_id().map(str::to_string),
                target_ips: r
                    .target_ips()
                    .iter()
                    .filter_map(|t| {
                        t.ip()
                            .or(t.ipv6())
                            .map(|ip| format!("{ip}:{}", t.port().unwrap_or(53)))
                    })
                    .collect(),
                owner_id: s(r.owner_id()),
            })
            .collect())
    }

    pub(super) async fn resolver_rule_associations(
        &self,
    ) -> Result<Vec<inv::ResolverRuleAssociation>, AwsError> {
        let pages = all_pages!(
            "resolver",
            "ListResolverRuleAssociations",
            self.resolver
                .list_resolver_rule_associations()
                .max_results(100)
        );
        Ok(pages
            .into_iter()
            .flat_map(|p| p.resolver_rule_associations.unwrap_or_default())
            .map(|a| inv::ResolverRuleAssociation {
                id: s(a.id()),
                name: s(a.name()),
                rule_id: s(a.resolver_rule_id()),
                vpc_id: s(a.vpc_id()),
                status: a
                    .status()
                    .map(|d| inv::AssociationStatus::parse(d.as_str()))
                    .unwrap_or_default(),
            })
            .collect())
    }
}
