//! The state lock kept in the account: a security group named for the spec in the spec's
//! VPC. EC2 refuses a second group of one name in a VPC, so creating it takes the lock
//! atomically for every machine that shares the account, and deleting it releases it. Its
//! tags say who holds it and since when. It needs no permission apply lacks.

use super::{Aws, AwsError, patiently};
use aws_sdk_ec2::types as ec2t;

/// The tag that marks a lock group (its value: the spec's name). Discovery leaves these
/// groups out of the inventory.
pub const LOCK_TAG: &str = "eks-private-tui:lock";
const HOLDER_TAG: &str = "eks-private-tui:holder";
const SINCE_TAG: &str = "eks-private-tui:since";
const OPERATION_TAG: &str = "eks-private-tui:operation";
const PLACE_TAG: &str = "eks-private-tui:place";

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
        let name = lock_group_name(spec_name);
        let tags = ec2t::TagSpecification::builder()
            .resource_type(ec2t::ResourceType::SecurityGroup)
            .tags(tag(LOCK_TAG, spec_name))
            .tags(tag("Name", &name))
            .tags(tag(HOLDER_TAG, &me.who))
            .tags(tag(SINCE_TAG, &me.since.to_string()))
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
                    .map_err(|e| AwsError::from_sdk("ec2", "CreateSecurityGroup", e))
            },
            self.patience,
        )
        .await;
        match r {
            Ok(out) => Ok(Taken::Got(out.group_id().unwrap_or_default().to_string())),
            Err(e) if e.code.as_deref() == Some("InvalidGroup.Duplicate") => {
                match self.lock_holder(vpc, spec_name).await? {
                    Some(h) => Ok(Taken::Held(h)),
                    // Released between the two calls: try once more.
                    None => Box::pin(self.take_lock(vpc, spec_name, me)).await,
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
                    .map_err(|e| AwsError::from_sdk("ec2", "DescribeSecurityGroups", e))
            },
            self.patience,
        )
        .await?;
        Ok(out.security_groups().first().map(|g| {
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
            }
        }))
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
                    .map_err(|e| AwsError::from_sdk("ec2", "DeleteSecurityGroup", e))
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
