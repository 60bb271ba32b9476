//! VPC attributes and CIDR associations.

use super::*;

impl Aws {
    pub(super) async fn set_vpc_attribute(
        &self,
        vpc_id: &str,
        attribute: &VpcAttribute,
        value: bool,
    ) -> Result<String, AwsError> {
        let on = ec2t::AttributeBooleanValue::builder().value(value).build();
        send!(self, "ec2", "ModifyVpcAttribute", {
            let mut call = self.ec2.modify_vpc_attribute().vpc_id(vpc_id);
            call = match attribute {
                VpcAttribute::EnableDnsSupport => call.enable_dns_support(on.clone()),
                VpcAttribute::EnableDnsHostnames => call.enable_dns_hostnames(on.clone()),
            };
            call
        })?;
        Ok(vpc_id.to_string())
    }

    pub(super) async fn associate_vpc_cidr(
        &self,
        vpc_id: &str,
        cidr: &str,
    ) -> Result<String, AwsError> {
        // No token and no tags: an association already there when this step starts was
        // not made by it (the plan, read just before, had none; a resumed run's plan
        // adopts one). It is refused, not adopted, so that destroy never takes it for
        // this plan's (issue 27, 2).
        let assoc = match self.cidr_association(vpc_id, cidr).await? {
            Some((a, _)) => {
                return Err(AwsError::usage(
                    format!(
                        "{cidr} was associated with {vpc_id} ({a}) after the account was read, by something other than this apply"
                    ),
                    "nothing else was done for it: read the account again and review the plan (eks-private-tui plan), which then uses it as it is",
                ));
            }
            None => send!(
                self,
                "ec2",
                "AssociateVpcCidrBlock",
                self.ec2
                    .associate_vpc_cidr_block()
                    .vpc_id(vpc_id)
                    .cidr_block(cidr)
            )?
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

    /// The association of `cidr` with `vpc` that is not disassociated: (id, state).
    pub(super) async fn cidr_association(
        &self,
        vpc: &str,
        cidr: &str,
    ) -> Result<Option<(String, String)>, AwsError> {
        let out = send!(
            self,
            "ec2",
            "DescribeVpcs",
            self.ec2.describe_vpcs().vpc_ids(vpc)
        )?;
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
}
