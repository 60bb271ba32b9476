//! EKS reads: ListClusters (paginated) then DescribeCluster for each, concurrently, with
//! each cluster's add-ons (ListAddons, an optional read).

use super::optional::once;
use super::{Aws, AwsError};
use eks_private_tui_core::inventory as inv;
use futures::{StreamExt, TryStreamExt};

impl Aws {
    pub(super) async fn cluster_names(&self) -> Result<Vec<String>, AwsError> {
        let pages = all_pages!(
            "eks",
            "ListClusters",
            self.eks.list_clusters().max_results(100)
        );
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
            .map_err(|e| crate::error::from_sdk("eks", "DescribeCluster", e))?;
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
            tags: c
                .tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            authentication_mode: c
                .access_config()
                .and_then(|a| a.authentication_mode())
                .map(|m| m.as_str().to_string()),
            addons: None,
            auto_mode: c
                .compute_config()
                .and_then(|x| x.enabled())
                .unwrap_or(false),
            auto_mode_node_role: c
                .compute_config()
                .and_then(|x| x.node_role_arn())
                .map(str::to_string),
            remote_pod_networks: c
                .remote_network_config()
                .map(|r| {
                    r.remote_pod_networks()
                        .iter()
                        .flat_map(|n| n.cidrs().iter().cloned())
                        .collect()
                })
                .unwrap_or_default(),
            node_groups: None,
            nodes: None,
        })
    }

    /// A cluster's managed node groups (ListNodegroups, every page, then DescribeNodegroup
    /// for each, `concurrency` at a time), sorted by name. Each call is tried once beyond
    /// throttling (an optional read).
    pub(super) async fn node_groups(
        &self,
        cluster: &str,
        concurrency: usize,
    ) -> Result<Vec<inv::NodeGroup>, AwsError> {
        let names = super::optional::cluster_names_list!(
            self,
            list_nodegroups,
            "ListNodegroups",
            nodegroups,
            cluster
        );
        let mut groups: Vec<inv::NodeGroup> = futures::stream::iter(names)
            .map(|n| async move { self.node_group(cluster, &n).await })
            .buffer_unordered(concurrency.max(1))
            .try_collect()
            .await?;
        groups.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(groups)
    }

    async fn node_group(&self, cluster: &str, name: &str) -> Result<inv::NodeGroup, AwsError> {
        let out = self
            .eks
            .describe_nodegroup()
            .cluster_name(cluster)
            .nodegroup_name(name)
            .customize()
            .config_override(aws_sdk_eks::config::Builder::default().retry_config(once()))
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("eks", "DescribeNodegroup", e))?;
        let g = out.nodegroup();
        Ok(inv::NodeGroup {
            name: g
                .and_then(|g| g.nodegroup_name())
                .unwrap_or(name)
                .to_string(),
            status: g
                .and_then(|g| g.status())
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            subnet_ids: g.map(|g| g.subnets().to_vec()).unwrap_or_default(),
            ami_type: g
                .and_then(|g| g.ami_type())
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            instance_types: g.map(|g| g.instance_types().to_vec()).unwrap_or_default(),
            capacity_type: g
                .and_then(|g| g.capacity_type())
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            launch_template: g
                .and_then(|g| g.launch_template())
                .and_then(|l| l.id().or(l.name()))
                .map(str::to_string),
            remote_access_security_group: g
                .and_then(|g| g.resources())
                .and_then(|r| r.remote_access_security_group())
                .map(str::to_string),
        })
    }

    /// DescribeCluster, with the add-ons, the managed node groups and the running nodes
    /// read alongside (optional reads: one that fails stays unknown, and the second value
    /// says why).
    pub(super) async fn described(
        &self,
        name: &str,
    ) -> Result<(inv::Cluster, Vec<inv::Unread>), AwsError> {
        let (cluster, addons, groups, nodes) = tokio::join!(
            super::patiently(|| self.cluster(name), self.patience),
            self.optionally(inv::Unread::addons_of(name), || self.addons(name)),
            self.optionally(inv::Unread::node_groups_of(name), || self
                .node_groups(name, 8)),
            self.optionally(inv::Unread::nodes_of(name), || self.cluster_nodes(name)),
        );
        let mut cluster = cluster?;
        let mut unread = vec![];
        match addons {
            Ok(a) => cluster.addons = Some(a),
            Err(u) => unread.push(u),
        }
        match groups {
            Ok(g) => cluster.node_groups = Some(g),
            Err(u) => unread.push(u),
        }
        match nodes {
            Ok(n) => cluster.nodes = Some(n),
            Err(u) => unread.push(u),
        }
        Ok((cluster, unread))
    }

    /// Every cluster of the region, described `concurrency` at a time. A cluster known
    /// by name (the spec's) is described while ListClusters runs, so in the common case
    /// of one cluster the chain is one round trip, not two. A name that does not exist
    /// is not an error here: the rules say so. Each cluster's add-ons are read with it;
    /// the add-on reads that failed come second.
    pub(super) async fn clusters(
        &self,
        concurrency: usize,
        known: Option<&str>,
    ) -> Result<(Vec<inv::Cluster>, Vec<inv::Unread>), AwsError> {
        let early = async {
            match known {
                Some(n) => match self.described(n).await {
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
            .filter(|n| early.as_ref().is_none_or(|(c, _)| &c.name != n))
            .collect();
        let me = self.clone();
        let mut described: Vec<(inv::Cluster, Vec<inv::Unread>)> = futures::stream::iter(names)
            .map(move |n| {
                let aws = me.clone();
                async move { aws.described(&n).await }
            })
            .buffer_unordered(concurrency.max(1))
            .try_collect()
            .await?;
        described.extend(early);
        described.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let unread = described.iter().flat_map(|(_, u)| u.clone()).collect();
        Ok((described.into_iter().map(|(c, _)| c).collect(), unread))
    }
}
