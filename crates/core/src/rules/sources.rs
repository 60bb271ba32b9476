//! Where each rule comes from: the text of AWS's (or of the project AWS ships the
//! component from) that was read, the file, the commit and that commit's date. Every rule
//! of the catalogue names at least one; docs/rules.md prints them, and a test holds every
//! entry to a file, a commit and a date.
//!
//! Read on 2026-12-07, each at the newest commit at hand:
//! - git repositories (dated by their history): the EKS Best Practices Guide, the VPC CNI,
//!   the AWS Load Balancer Controller, eksctl, Karpenter, and the three archived AWS guide
//!   repositories (VPC, Route 53, ECR), whose last commit with the text is from 2023-06-15:
//!   AWS stopped publishing those guides' sources there;
//! - the AWS API reference text AWS generates the SDKs from, in the Rust SDK crates this
//!   build uses (the newest the registry offers), dated by their release;
//! - the EKS User Guide. Its repository's history was not at hand: files read at a 2026
//!   commit through the code index are dated "that day or later" by the newest entry of the
//!   guide's own doc-history.adoc at the same commit; the others at 4d52b4d, the newest
//!   commit whose date is known (its history was).

use super::catalog::Id;

/// How a source's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    /// The commit's date, from the repository's history.
    Commit,
    /// The date the crate built from the commit was published (crates.io).
    Release,
    /// The commit is from that day or later: the newest entry of the EKS User Guide's
    /// doc-history.adoc at the same commit (the history itself was not at hand).
    NotBefore,
}

/// A text a rule rests on.
#[derive(Debug, PartialEq, Eq)]
pub struct Source {
    /// Repository and file, or SDK crate and the generated file AWS's API text is in.
    pub file: &'static str,
    /// The commit read (abbreviated).
    pub commit: &'static str,
    /// The commit's date (YYYY-MM-DD), known as [`Source::dated`] says.
    pub date: &'static str,
    pub dated: Dated,
}

impl Source {
    /// `file @ commit (date)`, as docs/rules.md prints it.
    pub fn cite(&self) -> String {
        let when = match self.dated {
            Dated::Commit => self.date.to_string(),
            Dated::Release => format!("released {}", self.date),
            Dated::NotBefore => format!("{} or later", self.date),
        };
        format!("{} @ {} ({when})", self.file, self.commit)
    }
}

/// Rules AWS's texts do not state: each is derived from its sources (docs/rules.md says how).
pub const DERIVED: &[Id] = &[Id::D4, Id::S7, Id::P11, Id::X8];

macro_rules! sources {
    ($($name:ident = $file:literal, $commit:ident, $date:literal, $dated:ident;)*) => {
        $(pub const $name: Source = Source {
            file: $file,
            commit: $commit,
            date: $date,
            dated: Dated::$dated,
        };)*
        /// Every source, for the test that holds them to a file, a commit and a date.
        pub const ALL: &[&Source] = &[$(&$name),*];
    };
}

const EKS_2026: &str = "101184ec";
const EKS_2025: &str = "0026c9df";
const EKS_2024: &str = "4d52b4d0";
const BPG: &str = "dc0243ad";
const CNI: &str = "b5218838";
const LBC: &str = "225f4456";
const EKSCTL: &str = "99984adb";
const KARPENTER: &str = "1d927085";
const SDK: &str = "44d6380d";
const VPC_GUIDE: &str = "a16ab76e";
const R53_GUIDE: &str = "b5a28eb3";
const ECR_GUIDE: &str = "8f2dbe92";

sources! {
    EKS_PRIVATE = "awsdocs/amazon-eks-user-guide latest/ug/clusters/private-clusters.adoc", EKS_2026, "2026-06-18", NotBefore;
    EKS_NETWORK = "awsdocs/amazon-eks-user-guide latest/ug/networking/network-reqs.adoc", EKS_2026, "2026-06-18", NotBefore;
    EKS_EGRESS = "awsdocs/amazon-eks-user-guide latest/ug/clusters/control-plane-egress.adoc", EKS_2026, "2026-06-18", NotBefore;
    EKS_NODECLASS = "awsdocs/amazon-eks-user-guide latest/ug/automode/create-node-class.adoc", EKS_2025, "2025-04-30", NotBefore;
    EKS_ENDPOINT = "awsdocs/amazon-eks-user-guide latest/ug/clusters/cluster-endpoint.adoc", EKS_2024, "2024-12-18", Commit;
    EKS_HYBRID = "awsdocs/amazon-eks-user-guide latest/ug/nodes/hybrid-nodes-networking.adoc", EKS_2024, "2024-12-18", Commit;
    EKS_POD_IDENTITY = "awsdocs/amazon-eks-user-guide latest/ug/manage-access/aws-access/service-accounts.adoc", EKS_2024, "2024-12-18", Commit;
    EKS_HYBRID_CLUSTER = "awsdocs/amazon-eks-user-guide latest/ug/nodes/hybrid-nodes-cluster-create.adoc", EKS_2024, "2024-12-18", Commit;
    EKS_VERSIONS = "awsdocs/amazon-eks-user-guide latest/ug/clusters/kubernetes-versions-standard.adoc", EKS_2024, "2024-12-18", Commit;
    BPG_CUSTOM = "aws/aws-eks-best-practices latest/bpg/networking/custom-networking.adoc", BPG, "2026-05-04", Commit;
    BPG_PREFIX = "aws/aws-eks-best-practices latest/bpg/networking/prefix-mode_linux.adoc", BPG, "2026-05-04", Commit;
    BPG_IPV6 = "aws/aws-eks-best-practices latest/bpg/networking/ipv6.adoc", BPG, "2026-05-04", Commit;
    CNI_README = "aws/amazon-vpc-cni-k8s README.md", CNI, "2026-08-20", Commit;
    CNI_ENICONFIG = "aws/amazon-vpc-cni-k8s pkg/eniconfig/eniconfig.go", CNI, "2026-08-20", Commit;
    CNI_MAX_PODS = "aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt", CNI, "2026-08-20", Commit;
    LBC_SUBNETS = "kubernetes-sigs/aws-load-balancer-controller docs/deploy/subnet_discovery.md", LBC, "2026-08-17", Commit;
    LBC_CONFIG = "kubernetes-sigs/aws-load-balancer-controller docs/deploy/configurations.md", LBC, "2026-08-17", Commit;
    EKSCTL_VPC = "eksctl-io/eksctl pkg/cfn/builder/vpc_existing.go", EKSCTL, "2026-08-21", Commit;
    KARPENTER_SETTINGS = "aws/karpenter-provider-aws website/content/en/docs/reference/settings.md", KARPENTER, "2026-08-21", Commit;
    SDK_EC2_ENDPOINT = "awslabs/aws-sdk-rust aws-sdk-ec2 1.274.0 src/operation/create_vpc_endpoint/_create_vpc_endpoint_input.rs", SDK, "2026-10-30", Release;
    SDK_EC2_ENDPOINT_SERVICES = "awslabs/aws-sdk-rust aws-sdk-ec2 1.274.0 src/types/_service_detail.rs", SDK, "2026-10-30", Release;
    SDK_EC2_VPC_ATTRIBUTE = "awslabs/aws-sdk-rust aws-sdk-ec2 1.274.0 src/operation/modify_vpc_attribute/_modify_vpc_attribute_input.rs", SDK, "2026-10-30", Release;
    SDK_EC2_BPA = "awslabs/aws-sdk-rust aws-sdk-ec2 1.274.0 src/types/_block_public_access_states.rs", SDK, "2026-10-30", Release;
    SDK_EC2_TAG = "awslabs/aws-sdk-rust aws-sdk-ec2 1.274.0 src/types/_tag.rs", SDK, "2026-10-30", Release;
    SDK_EKS_VPC = "awslabs/aws-sdk-rust aws-sdk-eks 1.160.0 src/types/_vpc_config_request.rs", SDK, "2026-10-30", Release;
    SDK_EKS_NETWORK = "awslabs/aws-sdk-rust aws-sdk-eks 1.160.0 src/types/_kubernetes_network_config_request.rs", SDK, "2026-10-30", Release;
    SDK_EKS_REMOTE = "awslabs/aws-sdk-rust aws-sdk-eks 1.160.0 src/types/_remote_node_network.rs", SDK, "2026-10-30", Release;
    SDK_EKS_COMPUTE = "awslabs/aws-sdk-rust aws-sdk-eks 1.160.0 src/types/_compute_config_request.rs", SDK, "2026-10-30", Release;
    SDK_EKS_ACCESS = "awslabs/aws-sdk-rust aws-sdk-eks 1.160.0 src/types/_create_access_config_request.rs", SDK, "2026-10-30", Release;
    SDK_EKS_PARTITIONS = "awslabs/aws-sdk-rust aws-sdk-eks 1.160.0 src/endpoint_lib/partition.rs", SDK, "2026-10-30", Release;
    SDK_RESOLVER_ENDPOINT = "awslabs/aws-sdk-rust aws-sdk-route53resolver 1.130.0 src/operation/create_resolver_endpoint/_create_resolver_endpoint_input.rs", SDK, "2026-10-30", Release;
    SDK_RESOLVER_RULE = "awslabs/aws-sdk-rust aws-sdk-route53resolver 1.130.0 src/operation/create_resolver_rule/_create_resolver_rule_input.rs", SDK, "2026-10-30", Release;
    VPC_DNS = "awsdocs/amazon-vpc-user-guide doc_source/vpc-dns.md", VPC_GUIDE, "2023-06-15", Commit;
    VPC_DHCP = "awsdocs/amazon-vpc-user-guide doc_source/DHCPOptionSet.md", VPC_GUIDE, "2023-06-15", Commit;
    VPC_ROUTES = "awsdocs/amazon-vpc-user-guide doc_source/VPC_Route_Tables.md", VPC_GUIDE, "2023-06-15", Commit;
    VPC_QUOTAS = "awsdocs/amazon-vpc-user-guide doc_source/amazon-vpc-limits.md", VPC_GUIDE, "2023-06-15", Commit;
    VPC_NACL = "awsdocs/amazon-vpc-user-guide doc_source/vpc-network-acls.md", VPC_GUIDE, "2023-06-15", Commit;
    VPC_CIDR = "awsdocs/amazon-vpc-user-guide doc_source/vpc-cidr-blocks.md", VPC_GUIDE, "2023-06-15", Commit;
    R53_RESOLVER = "awsdocs/amazon-route53-docs doc_source/resolver.md", R53_GUIDE, "2023-06-15", Commit;
    R53_INBOUND = "awsdocs/amazon-route53-docs doc_source/resolver-forwarding-inbound-queries.md", R53_GUIDE, "2023-06-15", Commit;
    R53_OUTBOUND = "awsdocs/amazon-route53-docs doc_source/resolver-forwarding-outbound-queries.md", R53_GUIDE, "2023-06-15", Commit;
    R53_LOOPS = "awsdocs/amazon-route53-docs doc_source/best-practices-resolver-endpoints.md", R53_GUIDE, "2023-06-15", Commit;
    R53_PRIVATE_ZONES = "awsdocs/amazon-route53-docs doc_source/hosted-zone-private-considerations.md", R53_GUIDE, "2023-06-15", Commit;
    ECR_ENDPOINTS = "awsdocs/amazon-ecr-user-guide doc_source/vpc-endpoints.md", ECR_GUIDE, "2023-06-15", Commit;
    ECR_PULL_THROUGH = "awsdocs/amazon-ecr-user-guide doc_source/pull-through-cache.md", ECR_GUIDE, "2023-06-15", Commit;
}
