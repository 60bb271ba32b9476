//! The state lock kept in the account: a security group named for the spec in the spec's
//! VPC. EC2 refuses a second group of one name in a VPC, so creating it takes the lock
//! atomically for every machine that shares the account, and deleting it releases it. Its
//! tags say who holds it and since when, and its holder renews a heartbeat tag while it runs
//! (a lease), so that `--force-unlock` can tell a live run from a dead one.

use super::{Aws, AwsError, patiently};
use aws_sdk_ec2::types as ec2t;

/// The tag that marks a lock group (its value: the spec's name). Discovery leaves these
/// groups out of the inventory.
pub const LOCK_TAG: &str = "eks-private-tui:lock";
const HOLDER_TAG: &str = "eks-private-tui:holder";
const SINCE_TAG: &str = "eks-private-tui:since";
const OPERATION_TAG: &str = "eks-private-tui:operation";
const PLACE_TAG: &str = "eks-private-tui:place";
/// Unix seconds of the holder's last sign of life: it renews it while it runs (a lease).
const HEARTBEAT_TAG: &str = "eks-private-tui:heartbeat";

/// The group's name for a spec: unique per VPC.
pub fn lock_group_name(spec_name: &str) -> String {
    format!("eks-private-tui-lock-{spec_name}")
}

/// Who holds a lock, as its tags say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Holder {
    /// The lock ID: the group's ID (what `--force-unlock` takes).
    pub id: String,
    /// `user@host pid N`.
    pub who: String,
    /// The host part of `who`.
    pub host: String,
    /// Unix seconds.
    pub since: u64,
    /// `apply` or `destroy`.
    pub operation: String,
    /// A digest of the holder's journal path: the same spec file on the same host.
    pub place: String,
    /// Unix seconds of its last sign of life (the lease); `since` when it gave none.
    pub heartbeat: u64,
}

/// What taking the lock found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// Ours: the lock ID.
    Got(String),
    /// Someone else's.
    Held(Holder),
}

fn tag(k: &str, v: &str) -> ec2t::Tag {
    // A tag value has at most 256 characters.
    let v: String = v.chars().take(256).collect();
    ec2t::Tag::builder().key(k).value(v).build()
}

impl Aws {
    /// Create the lock group for `spec_name` in `vpc`, tagged with `me`; a group of that
    /// name already there means someone holds it.
    pub async fn take_lock(
        &self,
        vpc: &str,
        spec_name: &str,
        me: &Holder,
    ) -> Result<Taken, AwsError> {
        self.take_lock_tries(vpc, spec_name, me, 3).await
    }

    async fn take_lock_tries(
        &self,
        vpc: &str,
        spec_name: &str,
        me: &Holder,
        tries: u8,
    ) -> Result<Taken, AwsError> {
        let name = lock_group_name(spec_name);
        let tags = ec2t::TagSpecification::builder()
            .resource_type(ec2t::ResourceType::SecurityGroup)
            .tags(tag(LOCK_TAG, spec_name))
            .tags(tag("Name", &name))
            .tags(tag(HOLDER_TAG, &me.who))
            .tags(tag(SINCE_TAG, &me.since.to_string()))
            .tags(tag(HEARTBEAT_TAG, &me.since.to_string()))
            .tags(tag(OPERATION_TAG, &me.operation))
            .tags(tag(PLACE_TAG, &me.place))
            .build();
        let r = patiently(
            || async {
                self.lock_ec2
                    .create_security_group()
                    .vpc_id(vpc)
                    .group_name(&name)
                    .description(format!(
                        "eks-private-tui lock of {spec_name}: held while apply or destroy runs"
                    ))
                    .tag_specifications(tags.clone())
                    .send()
                    .await
                    .map_err(|e| crate::error::from_sdk("ec2", "CreateSecurityGroup", e))
            },
            self.patience,
        )
        .await;
        match r {
            Ok(out) => Ok(Taken::Got(out.group_id().unwrap_or_default().to_string())),
            Err(e) if e.code.as_deref() == Some("InvalidGroup.Duplicate") => {
                match self.lock_holder(vpc, spec_name).await? {
                    Some(h) => Ok(Taken::Held(h)),
                    // Released between the two calls: try again, a few times at most.
                    None if tries > 1 => {
                        Box::pin(self.take_lock_tries(vpc, spec_name, me, tries - 1)).await
                    }
                    None => Err(AwsError::new(
                        super::ErrorKind::Service,
                        "ec2",
                        "CreateSecurityGroup",
                        format!(
                            "the lock {name} could not be taken in {vpc}: EC2 says a group of that name exists, and none is found"
                        ),
                        "nothing was changed — try again; if it persists, look for a group of that name in the VPC (aws ec2 describe-security-groups --filters Name=vpc-id,Values=VPC)",
                    )),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The lock on `spec_name` in `vpc`, if someone holds it.
    pub async fn lock_holder(
        &self,
        vpc: &str,
        spec_name: &str,
    ) -> Result<Option<Holder>, AwsError> {
        let f = |n: &str, v: &str| ec2t::Filter::builder().name(n).values(v).build();
        let name = lock_group_name(spec_name);
        let out = patiently(
            || async {
                self.lock_ec2
                    .describe_security_groups()
                    .filters(f("vpc-id", vpc))
                    .filters(f("group-name", &name))
                    .send()
                    .await
                    .map_err(|e| crate::error::from_sdk("ec2", "DescribeSecurityGroups", e))
            },
            self.patience,
        )
        .await?;
        let mut group = out.security_groups().first().cloned();
        if group.is_none() {
            // EC2 compares group names without case, its filter with it (issue 27, 3): a
            // group whose name differs from the lock's only in case blocks the lock.
            let groups = all_pages!(
                "ec2",
                "DescribeSecurityGroups",
                self.lock_ec2
                    .describe_security_groups()
                    .filters(f("vpc-id", vpc))
                    .max_results(1000)
            );
            let same = groups
                .into_iter()
                .flat_map(|p| p.security_groups.unwrap_or_default())
                .find(|g| {
                    g.group_name()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&name))
                });
            if let Some(g) = same {
                let ours = g
                    .tags()
                    .iter()
                    .any(|t| t.key() == Some(LOCK_TAG) && t.value() == Some(spec_name));
                if !ours {
                    return Err(AwsError::new(
                        super::ErrorKind::Service,
                        "ec2",
                        "DescribeSecurityGroups",
                        format!(
                            "the security group {} ({}) in {vpc} has the lock's name but for case ({name}), and EC2 counts them as one name: the lock cannot be taken",
                            eks_private_tui_core::report::one_line(
                                g.group_name().unwrap_or_default()
                            ),
                            g.group_id().unwrap_or_default()
                        ),
                        "nothing was changed — rename or delete that group (it is not this tool's lock)",
                    ));
                }
                group = Some(g);
            }
        }
        Ok(group.as_ref().map(|g| {
            let get = |k: &str| {
                g.tags()
                    .iter()
                    .find(|t| t.key() == Some(k))
                    .and_then(|t| t.value())
                    .unwrap_or_default()
                    .to_string()
            };
            let who = get(HOLDER_TAG);
            Holder {
                id: g.group_id().unwrap_or_default().to_string(),
                host: who
                    .split_once('@')
                    .map(|(_, h)| h.split(' ').next().unwrap_or_default().to_string())
                    .unwrap_or_default(),
                who,
                since: get(SINCE_TAG).parse().unwrap_or(0),
                operation: get(OPERATION_TAG),
                place: get(PLACE_TAG),
                heartbeat: get(HEARTBEAT_TAG)
                    .parse()
                    .unwrap_or_else(|_| get(SINCE_TAG).parse().unwrap_or(0)),
            }
        }))
    }

    /// Renew the lease of the lock `id`: its heartbeat tag set to `now` (Unix seconds).
    pub async fn beat(&self, id: &str, now: u64) -> Result<(), AwsError> {
        self.lock_ec2
            .create_tags()
            .resources(id)
            .tags(tag(HEARTBEAT_TAG, &now.to_string()))
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("ec2", "CreateTags", e))?;
        Ok(())
    }

    /// Release the lock `id` (gone already is fine).
    pub async fn drop_lock(&self, id: &str) -> Result<(), AwsError> {
        let r = patiently(
            || async {
                self.lock_ec2
                    .delete_security_group()
                    .group_id(id)
                    .send()
                    .await
                    .map_err(|e| crate::error::from_sdk("ec2", "DeleteSecurityGroup", e))
            },
            self.patience,
        )
        .await;
        match r {
            Err(e) if e.code.as_deref() == Some("InvalidGroup.NotFound") => Ok(()),
            other => other.map(|_| ()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mocks::mocked;
    use aws_sdk_ec2::operation::create_security_group::CreateSecurityGroupError;
    use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
    use aws_smithy_mocks::mock;
    use aws_smithy_types::error::ErrorMetadata;

    /// Issue 27, 3: EC2 compares group names without case and its filter with it. A group
    /// whose name is the lock's but for case made apply ask 304 times in 30 s; now it is
    /// named, once.
    #[tokio::test(start_paused = true)]
    async fn a_group_named_like_the_lock_but_for_case_is_named_not_waited_on() {
        let create = mock!(aws_sdk_ec2::Client::create_security_group).then_error(|| {
            CreateSecurityGroupError::generic(
                ErrorMetadata::builder()
                    .code("InvalidGroup.Duplicate")
                    .message("already exists")
                    .build(),
            )
        });
        let by_name = mock!(aws_sdk_ec2::Client::describe_security_groups)
            .match_requests(|r| r.filters().iter().any(|f| f.name() == Some("group-name")))
            .then_output(|| DescribeSecurityGroupsOutput::builder().build());
        let all = mock!(aws_sdk_ec2::Client::describe_security_groups).then_output(|| {
            DescribeSecurityGroupsOutput::builder()
                .security_groups(
                    ec2t::SecurityGroup::builder()
                        .group_id("sg-upper")
                        .group_name("EKS-PRIVATE-TUI-LOCK-prod")
                        .build(),
                )
                .build()
        });
        let aws = mocked(&[&create, &by_name, &all], &[], &[]);
        let e = aws
            .take_lock("vpc-1", "prod", &Holder::default())
            .await
            .unwrap_err();
        assert!(
            e.message.contains("EKS-PRIVATE-TUI-LOCK-prod (sg-upper)")
                && e.message.contains("but for case"),
            "{e:?}"
        );
        assert_eq!(create.num_calls(), 1);
    }
}
