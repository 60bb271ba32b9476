//! The cluster's endpoint access.

use super::*;

impl Aws {
    /// UpdateClusterConfig, then DescribeUpdate until `Successful` where the API answers
    /// it; else (moto) DescribeCluster until ACTIVE with the new access settings.
    pub(crate) async fn update_cluster_access(
        &self,
        cluster: &str,
        private_access: bool,
        public_access: bool,
        public_access_cidrs: &[String],
        token: &str,
        policy: WaitPolicy,
    ) -> Result<String, AwsError> {
        let mut cfg = aws_sdk_eks::types::VpcConfigRequest::builder()
            .endpoint_private_access(private_access)
            .endpoint_public_access(public_access);
        if public_access && !public_access_cidrs.is_empty() {
            cfg = cfg.set_public_access_cidrs(Some(public_access_cidrs.to_vec()));
        }
        let cfg = cfg.build();
        let out = send!(
            self,
            "eks",
            "UpdateClusterConfig",
            self.eks
                .update_cluster_config()
                .name(cluster)
                .resources_vpc_config(cfg.clone())
                .client_request_token(token)
        )?;
        let what = format!("cluster {cluster}");
        if let Some(update) = out.update().and_then(|u| u.id()).map(str::to_string) {
            wait_for(
                self.patience,
                "eks",
                "DescribeUpdate",
                &what,
                policy,
                || async {
                    let out = self
                        .eks
                        .describe_update()
                        .name(cluster)
                        .update_id(&update)
                        .send()
                        .await
                        .map_err(|e| crate::error::from_sdk("eks", "DescribeUpdate", e))?;
                    let u = out.update();
                    let s = u
                        .and_then(|u| u.status())
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default();
                    Ok(match s.as_str() {
                        "Successful" => Poll::Ready(()),
                        "Failed" | "Cancelled" => {
                            let why: Vec<String> = u
                                .map(|u| u.errors())
                                .unwrap_or_default()
                                .iter()
                                .filter_map(|e| e.error_message().map(str::to_string))
                                .collect();
                            Poll::Failed(if why.is_empty() {
                                s
                            } else {
                                format!("{s}: {}", why.join("; "))
                            })
                        }
                        _ => Poll::Pending(s),
                    })
                },
            )
            .await?;
            return Ok(update);
        }
        wait_for(
            self.patience,
            "eks",
            "DescribeCluster",
            &what,
            policy,
            || async {
                let out = self
                    .eks
                    .describe_cluster()
                    .name(cluster)
                    .send()
                    .await
                    .map_err(|e| crate::error::from_sdk("eks", "DescribeCluster", e))?;
                let c = out.cluster();
                let s = c
                    .and_then(|c| c.status())
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                let v = c.and_then(|c| c.resources_vpc_config());
                let applied = v.is_some_and(|v| {
                    v.endpoint_private_access() == private_access
                        && v.endpoint_public_access() == public_access
                });
                Ok(match s.as_str() {
                    "ACTIVE" if applied => Poll::Ready(()),
                    "FAILED" | "DELETING" => Poll::Failed(s),
                    _ => Poll::Pending(if s == "ACTIVE" {
                        "ACTIVE with the old access settings".into()
                    } else {
                        s
                    }),
                })
            },
        )
        .await?;
        Ok(cluster.to_string())
    }
}

impl Aws {
    /// TagResource on the cluster: the record of its access before apply changed it.
    pub(super) async fn tag_cluster(
        &self,
        cluster: &str,
        arn: &str,
        key: &str,
        value: &str,
    ) -> Result<String, AwsError> {
        send!(
            self,
            "eks",
            "TagResource",
            self.eks.tag_resource().resource_arn(arn).tags(key, value)
        )?;
        Ok(cluster.to_string())
    }

    /// UntagResource on the cluster: the record goes once its access is back.
    pub(super) async fn untag_cluster(
        &self,
        cluster: &str,
        arn: &str,
        key: &str,
    ) -> Result<String, AwsError> {
        send!(
            self,
            "eks",
            "UntagResource",
            self.eks.untag_resource().resource_arn(arn).tag_keys(key)
        )?;
        Ok(cluster.to_string())
    }
}
