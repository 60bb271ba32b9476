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
            // Created by a try whose answer was lost: the name is unique per VPC.
            Err(e) if is_code(&e, &["InvalidGroup.Duplicate"]) => {
                self.group_by_name(vpc_id, name).await?.ok_or(e)
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
    ) -> Result<Option<String>, AwsError> {
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
        Ok(out
            .security_groups()
            .first()
            .and_then(|g| g.group_id())
            .map(str::to_string))
    }
}
