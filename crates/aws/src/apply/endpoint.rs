//! VPC endpoints: interface and gateway, and the gateway's route tables.

use super::*;

impl Aws {
    pub(super) async fn create_interface_endpoint(
        &self,
        vpc_id: &str,
        service_name: &str,
        subnet_ids: &[String],
        security_group: &Ref,
        private_dns: &bool,
        step: &Step,
    ) -> Result<String, AwsError> {
        let sg = id(security_group)?;
        self.create_endpoint(step, |c| {
            c.vpc_id(vpc_id)
                .service_name(service_name)
                .vpc_endpoint_type(ec2t::VpcEndpointType::Interface)
                .set_subnet_ids(Some(subnet_ids.to_vec()))
                .security_group_ids(sg)
                .private_dns_enabled(*private_dns)
        })
        .await
    }

    pub(super) async fn create_gateway_endpoint(
        &self,
        vpc_id: &str,
        service_name: &str,
        route_table_ids: &[String],
        step: &Step,
    ) -> Result<String, AwsError> {
        self.create_endpoint(step, |c| {
            c.vpc_id(vpc_id)
                .service_name(service_name)
                .vpc_endpoint_type(ec2t::VpcEndpointType::Gateway)
                .set_route_table_ids(Some(route_table_ids.to_vec()))
        })
        .await
    }

    /// ModifyVpcEndpoint (`fill` sets what changes), then the wait for `available`.
    async fn modify_endpoint(
        &self,
        endpoint_id: &str,
        fill: impl Fn(ModifyVpcEndpointFluentBuilder) -> ModifyVpcEndpointFluentBuilder,
    ) -> Result<String, AwsError> {
        send!(
            self,
            "ec2",
            "ModifyVpcEndpoint",
            fill(self.ec2.modify_vpc_endpoint().vpc_endpoint_id(endpoint_id))
        )?;
        self.wait_endpoint(endpoint_id).await?;
        Ok(endpoint_id.to_string())
    }

    pub(super) async fn add_gateway_route_tables(
        &self,
        endpoint_id: &str,
        route_table_ids: &[String],
    ) -> Result<String, AwsError> {
        self.modify_endpoint(endpoint_id, |c| {
            c.set_add_route_table_ids(Some(route_table_ids.to_vec()))
        })
        .await
    }

    /// AddSubnetIds (`add`) or RemoveSubnetIds: an interface endpoint's subnets.
    pub(super) async fn endpoint_subnets(
        &self,
        endpoint_id: &str,
        subnet_ids: &[String],
        add: bool,
    ) -> Result<String, AwsError> {
        self.modify_endpoint(endpoint_id, |c| {
            if add {
                c.set_add_subnet_ids(Some(subnet_ids.to_vec()))
            } else {
                c.set_remove_subnet_ids(Some(subnet_ids.to_vec()))
            }
        })
        .await
    }

    /// RemoveRouteTableIds: the S3 gateway endpoint back on the tables it had.
    pub(super) async fn remove_gateway_route_tables(
        &self,
        endpoint_id: &str,
        route_table_ids: &[String],
    ) -> Result<String, AwsError> {
        self.modify_endpoint(endpoint_id, |c| {
            c.set_remove_route_table_ids(Some(route_table_ids.to_vec()))
        })
        .await
    }

    /// CreateVpcEndpoint (`fill` sets the kind-specific fields) with the step's token and
    /// tags, then the wait for `available`.
    pub(super) async fn create_endpoint(
        &self,
        step: &Step,
        fill: impl Fn(CreateVpcEndpointFluentBuilder) -> CreateVpcEndpointFluentBuilder,
    ) -> Result<String, AwsError> {
        let out = send!(
            self,
            "ec2",
            "CreateVpcEndpoint",
            fill(self.ec2.create_vpc_endpoint())
                .client_token(&step.token)
                .tag_specifications(ec2_tags(ec2t::ResourceType::VpcEndpoint, step))
        )?;
        let ep = out
            .vpc_endpoint()
            .and_then(|e| e.vpc_endpoint_id())
            .map(str::to_string)
            .ok_or_else(|| missing("ec2", "CreateVpcEndpoint", "VpcEndpointId"))?;
        self.wait_endpoint(&ep).await?;
        Ok(ep)
    }

    pub(super) async fn wait_endpoint(&self, ep: &str) -> Result<(), AwsError> {
        let what = format!("VPC endpoint {ep}");
        wait_for(
            self.patience,
            "ec2",
            "DescribeVpcEndpoints",
            &what,
            WaitPolicy::RESOURCE,
            || async {
                let out = self
                    .ec2
                    .describe_vpc_endpoints()
                    .vpc_endpoint_ids(ep)
                    .send()
                    .await
                    .map_err(|e| crate::error::from_sdk("ec2", "DescribeVpcEndpoints", e))?;
                // AWS and moto send the state in lowercase; the SDK then has Unknown(..).
                let s = out
                    .vpc_endpoints()
                    .first()
                    .and_then(|e| e.state())
                    .map(|s| s.as_str().to_lowercase())
                    .unwrap_or_else(|| "not yet listed".into());
                Ok(match s.as_str() {
                    "available" => Poll::Ready(()),
                    "failed" | "rejected" | "deleted" | "deleting" | "expired" => Poll::Failed(s),
                    _ => Poll::Pending(s),
                })
            },
        )
        .await
    }
}
