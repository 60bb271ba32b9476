//! The rule catalogue: every rule's stable ID, severity, wizard step, why, fix and AWS
//! page. docs/rules.md is checked against it. Rules are looked up by [`Id`], so an
//! unknown ID does not compile.

use super::sources::*;
use super::{Rule, Severity};

/// Where in the wizard a rule's findings belong (the step whose choices they are about).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Vpc,
    NodeSubnets,
    Endpoints,
    EndpointGroup,
    SecondaryCidr,
    CustomNetworking,
    EndpointAccess,
    Dns,
}

macro_rules! ids {
    ($($id:ident),* $(,)?) => {
        /// A rule's stable ID. The variants are in [`CATALOG`]'s order; IDs sort by their
        /// names (as findings are listed).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Id {
            $($id),*
        }

        impl Id {
            pub const ALL: &'static [Id] = &[$(Id::$id),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Id::$id => stringify!($id)),*
                }
            }

            /// The ID a rule's name stands for (`"P4"`), if any.
            pub fn parse(s: &str) -> Option<Id> {
                Id::ALL.iter().copied().find(|i| i.as_str() == s)
            }
        }

        impl Ord for Id {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl PartialOrd for Id {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl std::fmt::Display for Id {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        /// Compared with its name: `finding.id == "P4"`.
        impl PartialEq<&str> for Id {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<str> for Id {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<Id> for &str {
            fn eq(&self, other: &Id) -> bool {
                *self == other.as_str()
            }
        }

        /// Written as its name (`"P4"`), as the JSON outputs always had it.
        impl serde::Serialize for Id {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

ids!(
    E1, E2, E3, E4, V1, V2, V3, V4, S1, S2, S3, S4, S5, P1, P2, P3, P4, P5, P6, P7, G1, G2, G3, G5,
    G4, A1, A4, A3, A2, D2, D3, D4, D5, S6, D1, C1, C2, C3, C4, C5, C6, N1, N2, N3, N4, N5, N6, N7,
    N8, X4, X5, X6, X7, P8, P9, P10, V6, X8, R1, S7, A5, I1, V5, P11, K1, K2, P13, X9
);

/// The catalogue entry of a rule.
pub fn rule(id: Id) -> &'static Rule {
    &CATALOG[id as usize]
}

/// When each rule's text was last compared with its sources ([`Rule::sources`], each file
/// at the commit read): the review of issue 25, against the texts `sources` lists.
const CHECKED: &str = "2026-12-07";
const EKS_VPC_DOCS: &str = "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html";
const PRIVATE_DOCS: &str = "https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html";
const CIDR_DOCS: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html";
const ENDPOINT_DOCS: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html";
const ACCESS_DOCS: &str = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html";
const RESOLVER_DOCS: &str =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver.html";
const CUSTOM_NET_DOCS: &str =
    "https://docs.aws.amazon.com/eks/latest/best-practices/custom-networking.html";

/// Every rule this version checks, in the order of [`Id`].
pub const CATALOG: &[Rule] = &[
    Rule {
        id: Id::E1,
        area: Area::Endpoints,
        severity: Severity::Error,
        title: "nodes without an internet path have a regional STS endpoint",
        why: "Global STS is unreachable without egress: node credentials, IRSA and aws-iam-authenticator need the regional sts interface endpoint.",
        fix: "add sts to endpoints.services",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::E2,
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "nodes without an internet path reach the EKS API through an eks endpoint",
        why: "Self-managed node bootstrap that is not given the API endpoint and CA, and in-VPC tools (Karpenter, eksctl) call DescribeCluster; without egress that needs the eks interface endpoint, which not every region offers.",
        fix: "add eks to endpoints.services where the region offers it; otherwise use managed node groups, or give self-managed nodes apiServerEndpoint and certificateAuthority in their bootstrap configuration (they then need no EKS API)",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::E3,
        area: Area::EndpointAccess,
        severity: Severity::Warn,
        title: "kubectl clients may reach tcp/443 on the cluster security group",
        why: "A private endpoint answers only what its security group lets in: bastions, peered networks and on-prem need tcp/443 from their CIDRs.",
        fix: "list the clients' CIDRs in clusterEndpoint.allowHttpsFromCidrs",
        docs: ACCESS_DOCS,
        sources: &[&EKS_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::E4,
        area: Area::EndpointAccess,
        severity: Severity::Warn,
        title: "turning public access off keeps an operator path",
        why: "With public access off, only clients with a network path into the VPC (in-VPC, peered, VPN/DX) reach the API; private access must be on first.",
        fix: "run kubectl from inside the VPC or a peered network before turning public access off",
        docs: ACCESS_DOCS,
        sources: &[&EKS_ENDPOINT, &SDK_EKS_VPC],
        checked: CHECKED,
    },
    Rule {
        id: Id::V1,
        area: Area::Vpc,
        severity: Severity::Error,
        title: "VPC DNS support and DNS hostnames are on",
        why: "The cluster's private API hostname and the interface endpoints' private DNS names resolve only when enableDnsSupport and enableDnsHostnames are both true.",
        fix: "aws ec2 modify-vpc-attribute --vpc-id VPC --enable-dns-support '{\"Value\":true}' and again with --enable-dns-hostnames",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html",
        sources: &[&SDK_EC2_VPC_ATTRIBUTE, &SDK_EC2_ENDPOINT, &VPC_DNS],
        checked: CHECKED,
    },
    Rule {
        id: Id::V2,
        area: Area::Vpc,
        severity: Severity::Warn,
        title: "DHCP options use AmazonProvidedDNS",
        why: "With self-built DNS the endpoints' private hosted zones are invisible: every interface endpoint needs CNAME records or conditional forwarding to the VPC resolver.",
        fix: "add AmazonProvidedDNS to the DHCP options' domain-name-servers, or set endpoints.privateDns: false and forward the exported CNAME records",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html",
        sources: &[&VPC_DHCP],
        checked: CHECKED,
    },
    Rule {
        id: Id::V3,
        area: Area::Vpc,
        severity: Severity::Warn,
        title: "a custom DHCP domain name needs the ec2 endpoint",
        why: "Node names come from the EC2 private DNS name; with a custom domain-name the kubelet asks the EC2 API for it, which needs the ec2 interface endpoint.",
        fix: "add ec2 to endpoints.services",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::V4,
        area: Area::Vpc,
        severity: Severity::Error,
        title: "the Kubernetes service CIDR is RFC 1918, /24–/12, and overlaps nothing",
        why: "Service IPs that overlap the VPC or a peered network are unreachable from pods, and EKS accepts only RFC 1918 ranges between /24 and /12.",
        fix: "create the cluster with a service CIDR (kubernetesNetworkConfig.serviceIpv4Cidr) that overlaps no VPC or peered CIDR",
        docs: EKS_VPC_DOCS,
        sources: &[&SDK_EKS_NETWORK, &EKS_NETWORK],
        checked: CHECKED,
    },
    Rule {
        id: Id::S1,
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "node subnets in at least two AZs, one per AZ, with free IPs",
        why: "EKS places its control-plane network interfaces in at least two AZs and needs at least 6 free addresses (16 recommended) in each subnet.",
        fix: "choose one private subnet in each of at least two AZs, with at least 16 free addresses",
        docs: EKS_VPC_DOCS,
        sources: &[&EKS_NETWORK],
        checked: CHECKED,
    },
    Rule {
        id: Id::S2,
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "node subnets are in AZs EKS supports",
        why: "EKS does not support the AZ IDs use1-az3, usw1-az2 and cac1-az3, nor Local Zones, Wavelength Zones or Outposts for the cluster.",
        fix: "choose a subnet in another AZ",
        docs: EKS_VPC_DOCS,
        sources: &[&EKS_NETWORK],
        checked: CHECKED,
    },
    Rule {
        id: Id::S3,
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "node subnets are private or isolated subnets of the VPC",
        why: "A subnet with 0.0.0.0/0 to an internet gateway puts nodes on the internet; a fully private cluster uses private (NAT) or isolated (no default route) subnets of its own VPC.",
        fix: "choose a subnet whose route table has no route to an internet gateway",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::S4,
        area: Area::NodeSubnets,
        severity: Severity::Warn,
        title: "node subnets have an explicit route table",
        why: "The S3 gateway route is added per route table, and eksctl refuses subnets on the main route table: a change to the main table would silently change the nodes' paths.",
        fix: "create a route table for the node subnets and associate it explicitly",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
        sources: &[&EKSCTL_VPC, &VPC_ROUTES],
        checked: CHECKED,
    },
    Rule {
        id: Id::S5,
        area: Area::NodeSubnets,
        severity: Severity::Warn,
        title: "node subnets carry kubernetes.io/role/internal-elb",
        why: "In a private cluster every load balancer is internal. The AWS Load Balancer Controller places internal load balancers in the subnets with this tag (value 1 or empty) when any subnet of the VPC has it; with none tagged, version 2.12.1 and later choose the private subnets by their route tables and older versions find none.",
        fix: "tag the node subnets kubernetes.io/role/internal-elb=1",
        docs: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/subnet_discovery/",
        sources: &[&LBC_SUBNETS, &EKS_NETWORK],
        checked: CHECKED,
    },
    Rule {
        id: Id::P1,
        area: Area::Endpoints,
        severity: Severity::Error,
        title: "endpoint services are ones the region offers",
        why: "Service names differ by partition and region; a service the region does not offer cannot get an endpoint.",
        fix: "use the short names `eks-private-tui inventory -o json` lists under endpointServices",
        docs: ENDPOINT_DOCS,
        sources: &[&SDK_EC2_ENDPOINT_SERVICES],
        checked: CHECKED,
    },
    Rule {
        id: Id::P2,
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "interface endpoints cover the node AZs",
        why: "An interface endpoint takes one subnet per AZ, only in AZs the service supports; nodes in other AZs reach it across AZs.",
        fix: "accept the cross-AZ path, or move nodes to AZs the service supports",
        docs: ENDPOINT_DOCS,
        sources: &[&SDK_EC2_ENDPOINT_SERVICES, &SDK_EC2_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::P3,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "existing endpoints are adopted",
        why: "A second endpoint for a service with private DNS fails with a conflicting DNS domain; an existing one is reused.",
        fix: "nothing: the plan adopts it",
        docs: ENDPOINT_DOCS,
        sources: &[&SDK_EC2_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::P4,
        area: Area::Endpoints,
        severity: Severity::Error,
        title: "S3 is a gateway endpoint on the node and pod route tables",
        why: "ECR keeps image layers in S3: without the S3 gateway route on every node and pod subnet's route table, image pulls fail.",
        fix: "add s3 to endpoints.services (route tables come from the node and pod subnets)",
        docs: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
        sources: &[&ECR_ENDPOINTS],
        checked: CHECKED,
    },
    Rule {
        id: Id::P5,
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "a restricted S3 gateway policy allows the ECR layer bucket",
        why: "Image layers come from arn:aws:s3:::prod-<region>-starport-layer-bucket; a gateway policy that does not allow it breaks image pulls.",
        fix: "add arn:aws:s3:::prod-<region>-starport-layer-bucket/* (s3:GetObject) to the S3 endpoint policy",
        docs: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
        sources: &[&ECR_ENDPOINTS],
        checked: CHECKED,
    },
    Rule {
        id: Id::P6,
        area: Area::Endpoints,
        severity: Severity::Error,
        title: "endpoint policies are valid",
        why: "An endpoint policy is at most 20 480 characters of JSON and every statement names a Principal.",
        fix: "shorten the policy and add a Principal to each statement",
        docs: ENDPOINT_DOCS,
        sources: &[&SDK_EC2_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::P7,
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "the base endpoint set is planned",
        why: "Every private cluster needs ec2, ecr.api, ecr.dkr, s3 (gateway) and sts; features add eks, eks-auth, logs, elasticloadbalancing, autoscaling, xray, ssm, ssmmessages, ec2messages, kms and more (the endpoint catalogue, assets/endpoints.toml).",
        fix: "add the missing base services to endpoints.services",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::G1,
        area: Area::EndpointGroup,
        severity: Severity::Warn,
        title: "the endpoint security group allows tcp/443 from every VPC CIDR",
        why: "Pods on a secondary CIDR call endpoints with their own addresses: the group must allow 443 from the primary and every secondary CIDR.",
        fix: "allow tcp/443 from each VPC CIDR (the plan adds the missing rules)",
        docs: ENDPOINT_DOCS,
        sources: &[&ECR_ENDPOINTS, &BPG_CUSTOM],
        checked: CHECKED,
    },
    Rule {
        id: Id::G2,
        area: Area::EndpointGroup,
        severity: Severity::Error,
        title: "endpoints get one explicit security group, never open to 0.0.0.0/0",
        why: "An endpoint without an explicit group gets the VPC's default group; 0.0.0.0/0 opens it to any peered or routed network.",
        fix: "give endpoints.securityGroup exactly one of id or create, without 0.0.0.0/0",
        docs: ENDPOINT_DOCS,
        sources: &[&SDK_EC2_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::G3,
        area: Area::CustomNetworking,
        severity: Severity::Warn,
        title: "ENIConfig security groups let pods, nodes and the control plane talk",
        why: "Pods on custom networking use the ENIConfig's groups: they must allow pod-to-node, control-plane-to-pod (webhooks, exec) and DNS (53) traffic.",
        fix: "allow all traffic from the group itself and the VPC CIDRs, or list the node security group in customNetworking.securityGroupIds",
        docs: CUSTOM_NET_DOCS,
        sources: &[&BPG_CUSTOM],
        checked: CHECKED,
    },
    Rule {
        id: Id::G5,
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "network ACLs pass endpoint, DNS and return traffic",
        why: "Network ACLs are stateless: the node and pod subnets need tcp/443 to and from the endpoint subnets and the replies on the ephemeral ports, and DNS (53) between pods and the CoreDNS pods' subnets, across every VPC CIDR (the pod CIDRs too). Traffic to the Amazon DNS server (VPC+2) is not filtered by network ACLs.",
        fix: "allow tcp 443, tcp/udp 53 and tcp/udp 1024-65535 to and from every VPC CIDR in the subnets' network ACLs",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
        sources: &[&VPC_NACL],
        checked: CHECKED,
    },
    Rule {
        id: Id::G4,
        area: Area::Dns,
        severity: Severity::Error,
        title: "the Resolver endpoints let the DNS queries in and out",
        why: "An inbound endpoint answers only what its security groups let in on tcp and udp 53: the client CIDRs and, for a forward rule, the outbound endpoint's subnets; an existing outbound endpoint's groups must let the queries out. A Resolver endpoint's groups cannot be replaced after creation, only their rules.",
        fix: "list the clients (and the outbound endpoint's subnets) in dns.inboundEndpoint.allowFromCidrs; on an existing endpoint's group add the tcp and udp 53 rules the finding names (the plan adds them to a group this spec made)",
        docs: RESOLVER_DOCS,
        sources: &[&SDK_RESOLVER_ENDPOINT, &R53_INBOUND],
        checked: CHECKED,
    },
    Rule {
        id: Id::A1,
        area: Area::EndpointAccess,
        severity: Severity::Error,
        title: "private endpoint access is on for nodes without egress",
        why: "Nodes without internet egress reach the API only through private access; with both accesses off nothing can.",
        fix: "set clusterEndpoint.privateAccess: true",
        docs: ACCESS_DOCS,
        sources: &[&SDK_EKS_VPC, &EKS_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::A4,
        area: Area::EndpointAccess,
        severity: Severity::Warn,
        title: "the control plane's own egress through the VPC has a path",
        why: "With controlPlaneEgressMode CUSTOMER_ROUTED (one-way) admission webhooks, OIDC discovery, aggregated API servers and kubelet traffic go through the cluster's network interfaces and resolve with the VPC's DNS, while EKS-managed traffic stays on the AWS path: what is outside the VPC needs a route out of the cluster's subnets, tcp/443 out, and AmazonProvidedDNS in the DHCP options. An oidc-eks interface endpoint with private DNS answers the EKS issuer (oidc.eks.<region>.amazonaws.com) inside the VPC. AWS describes no other mode; one EKS reports is said as read.",
        fix: "keep a route from the cluster's subnets to webhooks, identity providers and aggregated API servers outside the VPC, and AmazonProvidedDNS in the DHCP options; an oidc-eks endpoint serves the EKS issuer",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-egress.html",
        sources: &[&EKS_EGRESS, &SDK_EKS_VPC],
        checked: CHECKED,
    },
    Rule {
        id: Id::A3,
        area: Area::EndpointAccess,
        severity: Severity::Error,
        title: "clusters with hybrid nodes do not use public and private access together",
        why: "Hybrid nodes resolve the API endpoint from outside the VPC: with both accesses on they get the public addresses and bypass the private path.",
        fix: "use either public or private endpoint access for a cluster with hybrid nodes",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html",
        sources: &[&EKS_HYBRID_CLUSTER, &EKS_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::A2,
        area: Area::EndpointAccess,
        severity: Severity::Error,
        title: "the public access allow-list is valid and does not shut the nodes out",
        why: "EKS accepts only public CIDRs: IPv4, and IPv6 too on an IPv6 cluster's dual-stack endpoint (eks-cluster.<region>.api.aws, clusters made since October 2024); with private access off the nodes' NAT egress IPs must be listed, and 0.0.0.0/0 (or ::/0) exposes the API to the internet.",
        fix: "list public CIDRs only, including the NAT gateways' egress IPs when private access is off",
        docs: ACCESS_DOCS,
        sources: &[&SDK_EKS_VPC, &EKS_NETWORK],
        checked: CHECKED,
    },
    Rule {
        id: Id::D2,
        area: Area::Dns,
        severity: Severity::Error,
        title: "Resolver endpoints have at least two IPs, in two AZs of their VPC",
        why: "Route 53 Resolver requires at least two IP addresses per endpoint, in subnets of its own VPC; two AZs are recommended (a warning when the IPs share one) so that an AZ outage does not stop DNS.",
        fix: "give the endpoint two subnets of its VPC, in two AZs",
        docs: RESOLVER_DOCS,
        sources: &[&SDK_RESOLVER_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::D3,
        area: Area::Dns,
        severity: Severity::Error,
        title: "the forward rule is never associated with the cluster VPC",
        why: "Associated with the cluster VPC, the rule forwards the API name out of the VPC and back in: a resolution loop.",
        fix: "associate the rule only with the client VPCs",
        docs: RESOLVER_DOCS,
        sources: &[&R53_LOOPS],
        checked: CHECKED,
    },
    Rule {
        id: Id::D4,
        area: Area::Dns,
        severity: Severity::Error,
        title: "the outbound endpoint and rule sit in client VPCs with a path to the cluster",
        why: "Clients resolve the private API name through an outbound endpoint in their own VPC, and reach the endpoint over peering or a transit gateway.",
        fix: "put dns.outboundEndpoint in a client VPC (its own subnets) that routes to the cluster VPC",
        docs: RESOLVER_DOCS,
        sources: &[&R53_OUTBOUND, &EKS_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::D5,
        area: Area::Dns,
        severity: Severity::Error,
        title: "exactly the cluster API hostname is forwarded",
        why: "Forwarding a wider domain hijacks other names; forwarding another name leaves the API unresolved.",
        fix: "use dns.forwardRule.domain: auto (the hostname from DescribeCluster)",
        docs: RESOLVER_DOCS,
        sources: &[&SDK_RESOLVER_RULE],
        checked: CHECKED,
    },
    Rule {
        id: Id::S6,
        area: Area::NodeSubnets,
        severity: Severity::Warn,
        title: "shared (RAM) subnets are used from the participant account",
        why: "With subnets shared by another account, the participant creates the cluster and its security groups, and AZ names map to different zones in each account.",
        fix: "refer to AZs by ID (topology.k8s.aws/zone-id for ENIConfigs) and create the cluster from this account",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-shared",
        sources: &[&EKS_NETWORK],
        checked: CHECKED,
    },
    Rule {
        id: Id::D1,
        area: Area::Dns,
        severity: Severity::Info,
        title: "a Resolver is needed only where public DNS does not serve",
        why: "A private-only endpoint's name resolves to private IPs in public DNS already; with public and private access, outside resolvers get public IPs and need forwarding.",
        fix: "create the Resolver endpoints and rule only for clients that cannot resolve the name through public DNS",
        docs: RESOLVER_DOCS,
        sources: &[&R53_RESOLVER, &EKS_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::C1,
        area: Area::SecondaryCidr,
        severity: Severity::Error,
        title: "the secondary CIDR is one AWS accepts for this VPC",
        why: "AWS refuses an additional CIDR that overlaps the VPC or its active peers, is the same as or larger than a route destination of its route tables (one inside a destination is allowed), is outside /16–/28, or falls in a range that the row of the VPC's primary CIDR restricts (VPC User Guide, CIDR block association restrictions).",
        fix: "use a range from 100.64.0.0/10 (e.g. 100.64.0.0/16) that overlaps nothing",
        docs: CIDR_DOCS,
        sources: &[&VPC_CIDR],
        checked: CHECKED,
    },
    Rule {
        id: Id::C2,
        area: Area::SecondaryCidr,
        severity: Severity::Warn,
        title: "the VPC can take another IPv4 CIDR",
        why: "A VPC holds 5 IPv4 CIDR blocks by default (quota L-83CA0A9D, adjustable to 50). A peering connection this VPC asked for that is still pending-acceptance makes AWS refuse any new CIDR; one offered to this VPC can never be accepted once a CIDR overlapping the requester's is added.",
        fix: "request a higher 'IPv4 CIDR blocks per VPC' quota, or disassociate an unused CIDR; settle pending peerings first",
        docs: CIDR_DOCS,
        sources: &[&VPC_QUOTAS, &VPC_CIDR],
        checked: CHECKED,
    },
    Rule {
        id: Id::C3,
        area: Area::SecondaryCidr,
        severity: Severity::Info,
        title: "pod subnets come after the CIDR association",
        why: "A subnet in a new CIDR can be created only once the association is `associated`.",
        fix: "nothing: the plan waits for the association",
        docs: CIDR_DOCS,
        sources: &[&VPC_CIDR],
        checked: CHECKED,
    },
    Rule {
        id: Id::C4,
        area: Area::SecondaryCidr,
        severity: Severity::Error,
        title: "one pod subnet per node AZ, inside the secondary CIDR",
        why: "Custom networking takes pod IPs from the ENIConfig subnet of the node's AZ: an AZ with nodes and no pod subnet leaves its pods without addresses.",
        fix: "give secondaryCidr.podSubnets one non-overlapping CIDR inside secondaryCidr.cidr for every AZ of nodeSubnets",
        docs: CUSTOM_NET_DOCS,
        sources: &[&CNI_README, &BPG_CUSTOM],
        checked: CHECKED,
    },
    Rule {
        id: Id::C5,
        area: Area::SecondaryCidr,
        severity: Severity::Info,
        title: "EKS needs time to learn a new CIDR",
        why: "EKS can take up to one hour to recognise a new VPC CIDR: nodes in it work at once, but kubectl attach, cp, exec, logs and port-forward, and webhooks served from pods in it, fail until the control plane has reconciled it.",
        fix: "add the CIDR an hour before moving pods and webhooks onto it",
        docs: EKS_VPC_DOCS,
        sources: &[&EKS_NETWORK],
        checked: CHECKED,
    },
    Rule {
        id: Id::C6,
        area: Area::SecondaryCidr,
        severity: Severity::Info,
        title: "prefix delegation needs unfragmented pod subnets",
        why: "With prefix delegation each ENI slot takes a /28; scattered addresses leave no free /28 even when many IPs are free.",
        fix: "create subnet CIDR reservations of type prefix in the pod subnets",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html",
        sources: &[&BPG_PREFIX],
        checked: CHECKED,
    },
    Rule {
        id: Id::N1,
        area: Area::CustomNetworking,
        severity: Severity::Error,
        title: "custom networking and a pods' secondary CIDR are for IPv4 clusters",
        why: "IPv6 clusters give pods IPv6 addresses from the node's subnet; custom networking and an IPv4 secondary CIDR for pods do not apply.",
        fix: "remove customNetworking and secondaryCidr for an IPv6 cluster",
        docs: CUSTOM_NET_DOCS,
        sources: &[&SDK_EKS_NETWORK, &BPG_IPV6],
        checked: CHECKED,
    },
    Rule {
        id: Id::N2,
        area: Area::CustomNetworking,
        severity: Severity::Error,
        title: "an ENIConfig for every node AZ, with its subnet and groups in the VPC",
        why: "A node whose AZ has no ENIConfig gets no pod addresses; ENIConfigs point at the pod subnets and security groups of the cluster's VPC.",
        fix: "plan secondaryCidr with one pod subnet per node AZ, and security groups of the VPC",
        docs: CUSTOM_NET_DOCS,
        sources: &[&CNI_README, &BPG_CUSTOM],
        checked: CHECKED,
    },
    Rule {
        id: Id::N3,
        area: Area::CustomNetworking,
        severity: Severity::Info,
        title: "how a node picks its ENIConfig",
        why: "The label vpc.amazonaws.com/externalEniConfig wins, then the annotation (ENI_CONFIG_ANNOTATION_DEF), then the label (ENI_CONFIG_LABEL_DEF), then an ENIConfig named default: a stray annotation overrides the zone label.",
        fix: "remove stray k8s.amazonaws.com/eniConfig annotations from nodes",
        docs: CUSTOM_NET_DOCS,
        sources: &[&CNI_ENICONFIG, &CNI_README],
        checked: CHECKED,
    },
    Rule {
        id: Id::N4,
        area: Area::CustomNetworking,
        severity: Severity::Error,
        title: "aws-node selects ENIConfigs by a zone label",
        why: "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true with ENI_CONFIG_LABEL_DEF set to a label every node carries: topology.kubernetes.io/zone or topology.k8s.aws/zone-id.",
        fix: "set customNetworking.eniConfigLabel to topology.kubernetes.io/zone (or topology.k8s.aws/zone-id)",
        docs: CUSTOM_NET_DOCS,
        sources: &[&CNI_README, &BPG_CUSTOM],
        checked: CHECKED,
    },
    Rule {
        id: Id::N5,
        area: Area::CustomNetworking,
        severity: Severity::Info,
        title: "configure before nodes, then replace existing nodes",
        why: "aws-node reads the ENIConfig when a node starts: existing nodes keep their old pod addresses until they are replaced; node groups use node subnets, never pod subnets.",
        fix: "apply aws-node settings and ENIConfigs, then cordon, drain and replace the nodes",
        docs: CUSTOM_NET_DOCS,
        sources: &[&BPG_CUSTOM],
        checked: CHECKED,
    },
    Rule {
        id: Id::N6,
        area: Area::CustomNetworking,
        severity: Severity::Info,
        title: "max pods drop with custom networking",
        why: "Pods take the IPv4 slots of the default network card's interfaces but the first of each: interfaces x (IPv4 per interface - 1) + 2; with custom networking the primary interface carries none (one interface fewer); with prefix delegation each slot holds a /28 (Nitro only). AWS's max-pods calculator caps every mode at 110 (30 vCPUs or fewer) or 250. The figures come from DescribeInstanceTypes, else the offline table assets/instance-types.tsv.",
        fix: "set the node group's maxPods to the calculator's figure (the eksctl export writes it), or use prefix delegation",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/choosing-instance-type.html",
        sources: &[&CNI_MAX_PODS, &BPG_CUSTOM],
        checked: CHECKED,
    },
    Rule {
        id: Id::N7,
        area: Area::CustomNetworking,
        severity: Severity::Warn,
        title: "shared VPCs select ENIConfigs by AZ ID",
        why: "AZ names map to different zones in each account: in a shared VPC only AZ IDs are stable. Nodes carry topology.k8s.aws/zone-id only from Kubernetes 1.30 on; older nodes fall back to an ENIConfig named default and pods get no IPs.",
        fix: "on 1.30 or later set customNetworking.eniConfigLabel: topology.k8s.aws/zone-id; before, label the node groups with their AZ ID and select by that label",
        docs: CUSTOM_NET_DOCS,
        sources: &[&EKS_VERSIONS, &CNI_README],
        checked: CHECKED,
    },
    Rule {
        id: Id::N8,
        area: Area::CustomNetworking,
        severity: Severity::Info,
        title: "custom networking wins over enhanced subnet discovery",
        why: "Since VPC CNI 1.18, subnets tagged kubernetes.io/role/cni=1 are used for pods; with custom networking on, the ENIConfigs decide instead.",
        fix: "use one mechanism: custom networking, or the cni tag without it",
        docs: CUSTOM_NET_DOCS,
        sources: &[&CNI_README],
        checked: CHECKED,
    },
    Rule {
        id: Id::X4,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "IRSA workloads use regional STS",
        why: "Without an internet path only the regional STS endpoint answers; older SDKs default to the global one.",
        fix: "set AWS_STS_REGIONAL_ENDPOINTS=regional on IRSA workloads",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::X5,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "add-ons run without internet lookups",
        why: "The AWS Load Balancer Controller calls Shield and WAF, the Cluster Autoscaler fetches the instance price list: both fail without an internet path.",
        fix: "Load Balancer Controller: --enable-shield=false --enable-waf=false --enable-wafv2=false; Cluster Autoscaler: --aws-use-static-instance-list=true",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE, &LBC_CONFIG],
        checked: CHECKED,
    },
    Rule {
        id: Id::X6,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "every image comes from ECR",
        why: "Public registries are unreachable: images must come from ECR (pull-through cache, replication) or a registry inside the VPC.",
        fix: "mirror the images into ECR and point the workloads and add-ons at it",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::X7,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "HTTP proxies leave AWS traffic direct",
        why: "Through a proxy, node and pod calls to the endpoints, the instance metadata and the EKS Pod Identity agent (169.254.170.23, fd00:ec2::23 on every node) break unless excluded; SSL interception breaks OIDC.",
        fix: "no_proxy: .eks.amazonaws.com (and an IPv6 cluster's api.aws host), the VPC CIDRs, 169.254.169.254, 169.254.170.23, fd00:ec2::23 and the endpoint DNS names, their api.aws names too; never intercept oidc.eks.<region>.amazonaws.com (IPv6 clusters: oidc-eks.<region>.api.aws)",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE, &EKS_POD_IDENTITY],
        checked: CHECKED,
    },
    Rule {
        id: Id::P8,
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "Pod Identity's eks-auth name is answered",
        why: "The eks-auth endpoint's private DNS name is under api.aws: a self-managed DNS (private DNS off) or a central endpoint setup must answer that domain too, or the Pod Identity agent cannot get credentials.",
        fix: "keep private DNS on, or add a record for eks-auth.<region>.api.aws to the self-managed zone",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html",
        sources: &[&EKS_POD_IDENTITY, &SDK_EKS_PARTITIONS],
        checked: CHECKED,
    },
    Rule {
        id: Id::P9,
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "the features the spec names have their endpoints",
        why: "Karpenter, the Load Balancer Controller, Cluster Autoscaler, Pod Identity, SSM sessions, logs, X-Ray and KMS each call AWS APIs that a node without egress reaches only through their endpoints; some need settings no endpoint provides.",
        fix: "add the feature's services to endpoints.services",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::P10,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "an ECR pull-through cache needs its first pull from outside",
        why: "A pull-through cache rule fetches an image from its upstream registry on the first pull; only images already cached pull through the VPC endpoints alone. ECR Public has no endpoint.",
        fix: "warm the cache from a network with a path to the upstream registry, or copy the images into ECR",
        docs: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html",
        sources: &[&ECR_PULL_THROUGH],
        checked: CHECKED,
    },
    Rule {
        id: Id::V6,
        area: Area::Vpc,
        severity: Severity::Error,
        title: "the spec's cluster exists, in the spec's VPC",
        why: "Endpoint access, the lock-out guard, DNS forwarding and the exports act on the cluster the spec names; a name that matches no cluster of the VPC would leave the endpoint public and the DNS rule unmade without a word.",
        fix: "set clusterName to a cluster of the VPC (`eks-private-tui inventory` lists them), or remove it",
        docs: ACCESS_DOCS,
        sources: &[&EKS_ENDPOINT, &SDK_EKS_VPC],
        checked: CHECKED,
    },
    Rule {
        id: Id::X8,
        area: Area::Vpc,
        severity: Severity::Error,
        title: "every name, description and tag apply sends is one AWS accepts",
        why: "AWS refuses a name, description or tag it does not accept only when that call is made, leaving a half-done apply; metadata.name is part of every name and tag.",
        fix: "keep metadata.name to 1-38 letters, digits, - and _; see the finding for the value AWS would refuse",
        docs: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
        sources: &[&SDK_EC2_TAG, &SDK_RESOLVER_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::R1,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "an existing cluster is ready to lose its internet path",
        why: "Without a spec (or before a spec chooses its endpoints and access), the cluster as it is is held to the fully-private target: the base endpoints, the S3 gateway on every node route table, existing endpoints' AZs and groups, private endpoint access. Each finding says whether it breaks the cluster today or once the NAT or internet gateway path is gone.",
        fix: "fix what breaks today first; the rest before removing the NAT or internet gateway (a spec with endpoints and clusterEndpoint makes the plan for it)",
        docs: PRIVATE_DOCS,
        sources: &[&EKS_PRIVATE],
        checked: CHECKED,
    },
    Rule {
        id: Id::S7,
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "the cluster's own subnets are ones its clients can route to",
        why: "The control plane's network interfaces sit in the cluster's subnets, and the private endpoint answers from them: in a secondary (100.64.0.0/10) pod subnet, peers and on-prem, which usually cannot route there, lose the API (cluster-api-provider-aws #6172).",
        fix: "give the cluster subnets of the VPC's primary, routable CIDR (aws eks update-cluster-config --resources-vpc-config subnetIds=...), never pod subnets",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
        sources: &[&SDK_EKS_VPC, &EKS_NETWORK],
        checked: CHECKED,
    },
    Rule {
        id: Id::A5,
        area: Area::EndpointAccess,
        severity: Severity::Info,
        title: "access entries let the cluster be private from its first minute",
        why: "A cluster on CONFIG_MAP authentication is reached only through the aws-auth ConfigMap, edited with kubectl through the endpoint; with access entries (API or API_AND_CONFIG_MAP) the operator's access is an AWS call that needs no path to the cluster.",
        fix: "aws eks update-cluster-config --name CLUSTER --access-config authenticationMode=API_AND_CONFIG_MAP, then aws eks create-access-entry and associate-access-policy for the operators' role",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html",
        sources: &[&SDK_EKS_ACCESS],
        checked: CHECKED,
    },
    Rule {
        id: Id::I1,
        area: Area::Vpc,
        severity: Severity::Info,
        title: "IPv6 clusters: dual-stack names, IPv4 still needed",
        why: "In an IPv6 cluster custom networking does not apply (N1); the OIDC and EKS hostnames under api.aws (oidc-eks.<region>.api.aws) are the dual-stack ones proxies and DNS must cover; node subnets still need IPv4; an egress-only internet gateway route (::/0 → eigw-) is still egress.",
        fix: "keep IPv4 in the node subnets, cover the api.aws names in no_proxy and in any self-managed DNS, and count ::/0 → eigw- routes as egress to remove",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/cni-ipv6.html",
        sources: &[&SDK_EKS_NETWORK, &CNI_README],
        checked: CHECKED,
    },
    Rule {
        id: Id::V5,
        area: Area::Vpc,
        severity: Severity::Info,
        title: "VPC Block Public Access: the proof of no internet path",
        why: "With the region's Block Public Access on block-bidirectional and no exclusion for the VPC or its node subnets, no traffic crosses an internet or egress-only gateway: the proof that the cluster has no internet path. It also stops the NAT and internet gateway routes node subnets may still rely on; block-ingress leaves NAT egress open.",
        fix: "turn on block-bidirectional (ec2 modify-vpc-block-public-access-options) once the cluster needs no NAT or internet gateway, and remove the exclusions that cover it",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/security-vpc-bpa.html",
        sources: &[&SDK_EC2_BPA],
        checked: CHECKED,
    },
    Rule {
        id: Id::P11,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "centralised endpoints: what a hub already answers is not created here",
        why: "In a hub-and-spoke network the endpoints live in a hub VPC, and a private hosted zone (or a Route 53 Profile) associated with this VPC answers their names: a local endpoint with private DNS for the same service conflicts with it, and the services the hub does not cover still need endpoints here.",
        fix: "leave the services the hub covers out of endpoints.services; add the ones it misses",
        docs: "https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-access-to-vpc-private-endpoints.html",
        sources: &[&R53_PRIVATE_ZONES, &SDK_EC2_ENDPOINT],
        checked: CHECKED,
    },
    Rule {
        id: Id::K1,
        area: Area::CustomNetworking,
        severity: Severity::Error,
        title: "an EKS Auto Mode cluster takes no ENIConfig custom networking",
        why: "EKS Auto Mode runs the nodes and their networking itself: the VPC CNI's ENIConfigs and aws-node settings do not apply, a node holds at most 110 pods, and pods go to other subnets through a NodeClass's podSubnetSelectorTerms and podSecurityGroupSelectorTerms.",
        fix: "remove customNetworking and give the cluster's NodeClass podSubnetSelectorTerms and podSecurityGroupSelectorTerms (the nodeclass export writes one)",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html",
        sources: &[&EKS_NODECLASS, &SDK_EKS_COMPUTE],
        checked: CHECKED,
    },
    Rule {
        id: Id::K2,
        area: Area::Vpc,
        severity: Severity::Error,
        title: "hybrid nodes' remote networks are routed and let in",
        why: "Hybrid nodes' remote node and pod networks (IPv4 clusters only) must not overlap the VPC's CIDRs or the service CIDR, the VPC's route tables need routes to them through the gateway of the hybrid connection, and the cluster security group must let tcp/443 in from them.",
        fix: "route the remote networks from the cluster's subnets' route tables to the transit or virtual private gateway, and allow tcp/443 from them on the cluster security group",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html",
        sources: &[&SDK_EKS_REMOTE, &EKS_HYBRID],
        checked: CHECKED,
    },
    Rule {
        id: Id::P13,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "Karpenter runs as a VPC without egress needs",
        why: "Karpenter's settings.isolatedVPC makes it assume that AWS services without a VPC endpoint cannot be reached and skip the Pricing API; an EC2NodeClass with `role` creates instance profiles through the IAM API, whose endpoint (com.amazonaws.iam) exists in us-east-1 only; SQS is needed only for interruption handling.",
        fix: "install Karpenter with settings.isolatedVPC=true, give EC2NodeClasses an instanceProfile outside us-east-1, and add sqs only with settings.interruptionQueue",
        docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam_vpc_endpoint_create.html",
        sources: &[&KARPENTER_SETTINGS],
        checked: CHECKED,
    },
    Rule {
        id: Id::X9,
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "the Pod Identity agent is reached directly",
        why: "Pods using EKS Pod Identity take their credentials from the agent on their node at 169.254.170.23 (and fd00:ec2::23); through an HTTP proxy that call fails.",
        fix: "put 169.254.170.23 and fd00:ec2::23 in no_proxy (the no-proxy export does)",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html",
        sources: &[&EKS_POD_IDENTITY],
        checked: CHECKED,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_catalogue_in_order() {
        assert_eq!(Id::ALL.len(), CATALOG.len());
        for (id, r) in Id::ALL.iter().zip(CATALOG) {
            assert_eq!(*id, r.id);
            assert_eq!(rule(*id).id, r.id);
        }
    }
}
