//! Route 53 Resolver endpoints, rules and associations.

use super::*;

impl Aws {
    pub(super) async fn create_resolver_endpoint(
        &self,
        name: &str,
        direction: &str,
        subnet_ids: &[String],
        security_group: &Ref,
        step: &Step,
    ) -> Result<String, AwsError> {
        let sg = id(security_group)?;
        // Two IPs at least: one per subnet, or two in the only one.
        let mut subnets = subnet_ids.to_vec();
        if subnets.len() == 1 {
            subnets.push(subnets[0].clone());
        }
        let ips: Vec<r53t::IpAddressRequest> = subnets
            .iter()
            .filter_map(|s| r53t::IpAddressRequest::builder().subnet_id(s).build().ok())
            .collect();
        let out = send!(
            self,
            "resolver",
            "CreateResolverEndpoint",
            self.resolver
                .create_resolver_endpoint()
                .creator_request_id(&step.token)
                .name(name)
                .direction(r53t::ResolverEndpointDirection::from(direction))
                .security_group_ids(sg)
                .set_ip_addresses(Some(ips.clone()))
                .set_tags(Some(r53_tags(step)))
        )?;
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
                    .map_err(|e| crate::error::from_sdk("resolver", "GetResolverEndpoint", e))?;
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

    pub(super) async fn create_resolver_rule(
        &self,
        name: &str,
        domain: &str,
        targets: &Targets,
        endpoint: &Ref,
        step: &Step,
    ) -> Result<String, AwsError> {
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
        let out = send!(
            self,
            "resolver",
            "CreateResolverRule",
            self.resolver
                .create_resolver_rule()
                .creator_request_id(&step.token)
                .name(name)
                .rule_type(r53t::RuleTypeOption::Forward)
                .domain_name(domain)
                .set_target_ips(Some(targets.clone()))
                .resolver_endpoint_id(endpoint)
                .set_tags(Some(r53_tags(step)))
        )?;
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
                    .map_err(|e| crate::error::from_sdk("resolver", "GetResolverRule", e))?;
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

    pub(super) async fn associate_resolver_rule(
        &self,
        rule: &Ref,
        vpc_id: &str,
        name: &str,
    ) -> Result<String, AwsError> {
        let rule = id(rule)?;
        // No token: an association that exists is adopted.
        let assoc = match self.rule_association(rule, vpc_id).await? {
            Some((a, _)) => a,
            None => send!(
                self,
                "resolver",
                "AssociateResolverRule",
                self.resolver
                    .associate_resolver_rule()
                    .resolver_rule_id(rule)
                    .vpc_id(vpc_id)
                    .name(name)
            )?
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

    /// The association of `rule` with `vpc`, if any: (id, status).
    pub(super) async fn rule_association(
        &self,
        rule: &str,
        vpc: &str,
    ) -> Result<Option<(String, String)>, AwsError> {
        let out = send!(
            self,
            "resolver",
            "ListResolverRuleAssociations",
            self.resolver.list_resolver_rule_associations().filters(
                r53t::Filter::builder()
                    .name("ResolverRuleId")
                    .values(rule)
                    .build(),
            )
        )?;
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
}
