//! Security groups and their ingress rules.

use super::*;

impl Aws {
    pub(super) async fn create_security_group(
        &self,
        vpc_id: &str,
        name: &str,
        description: &str,
        step: &Step,
    ) -> Result<String, AwsError> {
        let r = send!(
            self,
            "ec2",
            "CreateSecurityGroup",
            self.ec2
                .create_security_group()
                .vpc_id(vpc_id)
                .group_name(name)
                .description(description)
                .tag_specifications(ec2_tags(ec2t::ResourceType::SecurityGroup, step))
        );
        match r {
            Ok(out) => out
                .group_id()
                .map(str::to_string)
                .ok_or_else(|| missing("ec2", "CreateSecurityGroup", "GroupId")),
            // Created by a try whose answer was lost: the name is unique per VPC. Adopted
            // only when its tags prove it is this step's (issue 27, 2): a group of that
            // name made by anyone else is an error that names it.
            Err(e) if is_code(&e, &["InvalidGroup.Duplicate"]) => {
                let Some((id, tags)) = self.group_by_name(vpc_id, name).await? else {
                    return Err(e);
                };
                if proves(&tags, step) {
                    return Ok(id);
                }
                Err(AwsError::usage(
                    format!(
                        "a security group named {name} exists in {vpc_id} ({id}) that this plan did not make (its tags: {})",
                        shown_tags(&tags)
                    ),
                    "nothing else was done for it: give the spec another group name (endpoints.securityGroup.create.name), or use that group by its ID if it is meant for this",
                ))
            }
            Err(e) => Err(e),
        }
    }

    pub(super) async fn authorize_ingress(
        &self,
        group: &Ref,
        protocols: &[String],
        port: &i32,
        cidrs: &[String],
        description: &str,
        step: &Step,
    ) -> Result<String, AwsError> {
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
        let r = send!(
            self,
            "ec2",
            "AuthorizeSecurityGroupIngress",
            self.ec2
                .authorize_security_group_ingress()
                .group_id(group)
                .set_ip_permissions(Some(perms.clone()))
                .tag_specifications(ec2_tags(ec2t::ResourceType::SecurityGroupRule, step,))
        );
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

    pub(super) async fn group_by_name(
        &self,
        vpc: &str,
        name: &str,
    ) -> Result<Option<(String, Vec<(String, String)>)>, AwsError> {
        let f = |n: &str, v: &str| ec2t::Filter::builder().name(n).values(v).build();
        let out = send!(
            self,
            "ec2",
            "DescribeSecurityGroups",
            self.ec2
                .describe_security_groups()
                .filters(f("vpc-id", vpc))
                .filters(f("group-name", name))
        )?;
        Ok(out.security_groups().first().and_then(|g| {
            let tags = g
                .tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                .collect();
            Some((g.group_id()?.to_string(), tags))
        }))
    }
}

/// Whether `tags` (of something found by name) are the ones `step` puts on what it makes:
/// this plan's, for this VPC, at this address.
pub(super) fn proves(tags: &[(String, String)], step: &Step) -> bool {
    use eks_private_tui_core::spec::{ADDRESS_TAG, PLAN_TAG, VPC_TAG};
    [PLAN_TAG, VPC_TAG, ADDRESS_TAG].iter().all(|k| {
        let want = step.tags.iter().find(|(x, _)| x == k).map(|(_, v)| v);
        let have = tags.iter().find(|(x, _)| x == k).map(|(_, v)| v);
        want.is_none() || want == have
    })
}

/// Tags in an error: `key=value` on one line, each cut short, at most ten.
pub(super) fn shown_tags(tags: &[(String, String)]) -> String {
    if tags.is_empty() {
        return "none".into();
    }
    let cut = |s: &str| eks_private_tui_core::report::trunc(s, 60);
    let mut out: Vec<String> = tags
        .iter()
        .take(10)
        .map(|(k, v)| format!("{}={}", cut(k), cut(v)))
        .collect();
    if tags.len() > 10 {
        out.push(format!("and {} more", tags.len() - 10));
    }
    out.join(", ")
}
