//! Subnets: tags, creation, route table associations.

use super::*;

impl Aws {
    pub(super) async fn tag_subnet(
        &self,
        subnet_id: &str,
        key: &str,
        value: &str,
    ) -> Result<String, AwsError> {
        send!(
            self,
            "ec2",
            "CreateTags",
            self.ec2
                .create_tags()
                .resources(subnet_id)
                .tags(ec2t::Tag::builder().key(key).value(value).build())
                // The marker that says apply added it: destroy removes both, also
                // without the journal.
                .tags(
                    ec2t::Tag::builder()
                        .key(format!(
                            "{}{key}",
                            eks_private_tui_core::plan::undo::ADDED_TAG_PREFIX
                        ))
                        .value("1")
                        .build()
                )
        )?;
        Ok(subnet_id.to_string())
    }

    /// DeleteTags: the tags apply added to an existing subnet, and their markers.
    pub(super) async fn untag_subnet(
        &self,
        subnet_id: &str,
        keys: &[String],
    ) -> Result<String, AwsError> {
        send!(self, "ec2", "DeleteTags", {
            let mut call = self.ec2.delete_tags().resources(subnet_id);
            for k in keys {
                call = call.tags(ec2t::Tag::builder().key(k).build());
            }
            call
        })?;
        Ok(subnet_id.to_string())
    }

    pub(super) async fn create_subnet(
        &self,
        vpc_id: &str,
        az: &str,
        cidr: &str,
        tags: &[(String, String)],
        step: &Step,
    ) -> Result<String, AwsError> {
        let mut with_tags = step.clone();
        with_tags.tags.extend(tags.iter().cloned());
        let step = &with_tags;
        let r = send!(
            self,
            "ec2",
            "CreateSubnet",
            self.ec2
                .create_subnet()
                .vpc_id(vpc_id)
                .availability_zone(az)
                .cidr_block(cidr)
                .tag_specifications(ec2_tags(ec2t::ResourceType::Subnet, step))
        );
        let subnet = match r {
            Ok(out) => out
                .subnet()
                .and_then(|s| s.subnet_id())
                .map(str::to_string)
                .ok_or_else(|| missing("ec2", "CreateSubnet", "SubnetId"))?,
            // An earlier try's subnet holds the CIDR: ours if its tags prove it this
            // step's (this plan's, this VPC's, this address's; issue 27, 2), else an error
            // naming it and its tags.
            Err(e) if is_code(&e, &["InvalidSubnet.Conflict"]) => {
                match self.subnet_with(vpc_id, cidr).await? {
                    Some((id, tags)) if super::security_group::proves(&tags, step) => id,
                    Some((id, tags)) => {
                        return Err(AwsError::usage(
                            format!(
                                "{cidr} in {vpc_id} is taken by subnet {id}, which this plan did not make (its tags: {})",
                                super::security_group::shown_tags(&tags)
                            ),
                            "nothing else was done for it: give the pod subnet another CIDR (secondaryCidr.podSubnets), or remove that subnet",
                        ));
                    }
                    None => return Err(e),
                }
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
                    .map_err(|e| crate::error::from_sdk("ec2", "DescribeSubnets", e))?;
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

    pub(super) async fn associate_route_table(
        &self,
        route_table_id: &str,
        subnet: &Ref,
    ) -> Result<String, AwsError> {
        let subnet = id(subnet)?;
        // Read first: AssociateRouteTable takes no token, and a subnet with an
        // explicit association needs ReplaceRouteTableAssociation instead.
        match self.subnet_association(subnet).await? {
            Some((rt, assoc)) if rt == route_table_id => Ok(assoc),
            Some((_, assoc)) => send!(
                self,
                "ec2",
                "ReplaceRouteTableAssociation",
                self.ec2
                    .replace_route_table_association()
                    .association_id(&assoc)
                    .route_table_id(route_table_id)
            )?
            .new_association_id()
            .map(str::to_string)
            .ok_or_else(|| missing("ec2", "ReplaceRouteTableAssociation", "NewAssociationId")),
            None => send!(
                self,
                "ec2",
                "AssociateRouteTable",
                self.ec2
                    .associate_route_table()
                    .route_table_id(route_table_id)
                    .subnet_id(subnet)
            )?
            .association_id()
            .map(str::to_string)
            .ok_or_else(|| missing("ec2", "AssociateRouteTable", "AssociationId")),
        }
    }

    /// The subnet of `vpc` holding `cidr`, with its tags.
    pub(super) async fn subnet_with(
        &self,
        vpc: &str,
        cidr: &str,
    ) -> Result<Option<(String, Vec<(String, String)>)>, AwsError> {
        let f = |n: &str, v: &str| ec2t::Filter::builder().name(n).values(v).build();
        let out = send!(
            self,
            "ec2",
            "DescribeSubnets",
            self.ec2
                .describe_subnets()
                .filters(f("vpc-id", vpc))
                .filters(f("cidr-block", cidr))
        )?;
        Ok(out
            .subnets()
            .iter()
            .find(|s| s.cidr_block() == Some(cidr))
            .and_then(|s| {
                let tags = s
                    .tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                    .collect();
                Some((s.subnet_id()?.to_string(), tags))
            }))
    }

    /// The subnet's explicit route table association: (route table, association id).
    pub(super) async fn subnet_association(
        &self,
        subnet: &str,
    ) -> Result<Option<(String, String)>, AwsError> {
        let out = send!(
            self,
            "ec2",
            "DescribeRouteTables",
            self.ec2.describe_route_tables().filters(
                ec2t::Filter::builder()
                    .name("association.subnet-id")
                    .values(subnet)
                    .build(),
            )
        )?;
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
}
