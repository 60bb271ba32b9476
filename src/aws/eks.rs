//! EKS reads: ListClusters (paginated) then DescribeCluster for each, concurrently.

use super::{Aws, AwsError};
use crate::inventory as inv;
use futures::{StreamExt, TryStreamExt};

impl Aws {
    pub(super) async fn cluster_names(&self) -> Result<Vec<String>, AwsError> {
        let pages: Vec<_> = self
            .eks
            .list_clusters()
            .max_results(100)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(|e| AwsError::from_sdk("eks", "ListClusters", e))?;
        Ok(pages
            .into_iter()
            .flat_map(|p| p.clusters.unwrap_or_default())
            .collect())
    }

    pub(super) async fn cluster(&self, name: &str) -> Result<inv::Cluster, AwsError> {
        let out = self
            .eks
            .describe_cluster()
            .name(name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("eks", "DescribeCluster", e))?;
        let Some(c) = out.cluster() else {
            return Err(AwsError::new(
                super::ErrorKind::Service,
                "eks",
                "DescribeCluster",
                format!("DescribeCluster {name} returned no cluster"),
                "retry",
            ));
        };
        let vpc = c.resources_vpc_config();
        let net = c.kubernetes_network_config();
        Ok(inv::Cluster {
            name: c.name().unwrap_or(name).to_string(),
            arn: c.arn().unwrap_or_default().to_string(),
            vpc_id: vpc.and_then(|v| v.vpc_id()).map(str::to_string),
            version: c.version().unwrap_or_default().to_string(),
            status: c
                .status()
                .map(|s| inv::ClusterStatus::parse(s.as_str()))
                .unwrap_or_default(),
            endpoint: c.endpoint().unwrap_or_default().to_string(),
            public_access: vpc.map(|v| v.endpoint_public_access()).unwrap_or(false),
            private_access: vpc.map(|v| v.endpoint_private_access()).unwrap_or(false),
            public_access_cidrs: vpc
                .map(|v| v.public_access_cidrs().to_vec())
                .unwrap_or_default(),
            cluster_security_group_id: vpc
                .and_then(|v| v.cluster_security_group_id())
                .map(str::to_string),
            security_group_ids: vpc
                .map(|v| v.security_group_ids().to_vec())
                .unwrap_or_default(),
            subnet_ids: vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default(),
            service_cidr: net
                .and_then(|n| n.service_ipv4_cidr().or(n.service_ipv6_cidr()))
                .map(str::to_string),
            ip_family: net
                .and_then(|n| n.ip_family())
                .map(|f| f.as_str().to_string())
                .unwrap_or_else(|| "ipv4".into()),
            logging: c
                .logging()
                .map(|l| {
                    l.cluster_logging()
                        .iter()
                        .filter(|s| s.enabled().unwrap_or(false))
                        .flat_map(|s| s.types().iter().map(|t| t.as_str().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            remote_node_networks: c
                .remote_network_config()
                .map(|r| {
                    r.remote_node_networks()
                        .iter()
                        .flat_map(|n| n.cidrs().iter().cloned())
                        .collect()
                })
                .unwrap_or_default(),
            control_plane_egress_mode: vpc
                .and_then(|v| v.control_plane_egress_mode())
                .map(|m| m.as_str().to_string()),
            role_arn: c.role_arn().map(str::to_string),
        })
    }

    /// Every cluster of the region, described `concurrency` at a time. A cluster known
    /// by name (the spec's) is described while ListClusters runs, so in the common case
    /// of one cluster the chain is one round trip, not two. A name that does not exist
    /// is not an error here: the rules say so.
    pub(super) async fn clusters(
        &self,
        concurrency: usize,
        known: Option<&str>,
    ) -> Result<Vec<inv::Cluster>, AwsError> {
        let early = async {
            match known {
                Some(n) => match super::patiently(|| self.cluster(n), self.patience).await {
                    Ok(c) => Ok(Some(c)),
                    Err(e) if e.kind == super::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e),
                },
                None => Ok(None),
            }
        };
        let (names, early) = tokio::join!(self.cluster_names(), early);
        let (names, early) = (names?, early?);
        let names: Vec<String> = names
            .into_iter()
            .filter(|n| early.as_ref().is_none_or(|c| &c.name != n))
            .collect();
        let me = self.clone();
        let mut clusters: Vec<inv::Cluster> = futures::stream::iter(names)
            .map(move |n| {
                let aws = me.clone();
                async move { super::patiently(|| aws.cluster(&n), aws.patience).await }
            })
            .buffer_unordered(concurrency.max(1))
            .try_collect()
            .await?;
        clusters.extend(early);
        clusters.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(clusters)
    }
}
