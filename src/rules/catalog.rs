//! The rule catalogue: every rule's stable ID, severity, wizard step, why, fix and AWS
//! page. docs/rules.md is checked against it. Rules are looked up by [`Id`], so an
//! unknown ID does not compile.

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
        /// A rule's stable ID. The variants are in [`CATALOG`]'s order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
        }
    };
}

ids!(
    E1, E2, E3, E4, V1, V2, V3, V4, S1, S2, S3, S4, S5, P1, P2, P3, P4, P5, P6, P7, G1, G2, G3, G5,
    G4, A1, A4, A3, A2, D2, D3, D4, D5, S6, D1, C1, C2, C3, C4, C5, C6, N1, N2, N3, N4, N5, N6, N7,
    N8, X4, X5, X6, X7, P8, P9, P10, V6, X8
);

/// The catalogue entry of a rule.
pub fn rule(id: Id) -> &'static Rule {
    &CATALOG[id as usize]
}

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
        id: "E1",
        area: Area::Endpoints,
        severity: Severity::Error,
        title: "nodes without an internet path have a regional STS endpoint",
        why: "Global STS is unreachable without egress: node credentials, IRSA and aws-iam-authenticator need the regional sts interface endpoint.",
        fix: "add sts to endpoints.services",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "E2",
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "nodes without an internet path reach the EKS API through an eks endpoint",
        why: "Self-managed node bootstrap and in-VPC tools call DescribeCluster; without egress that needs the eks interface endpoint, which not every region offers.",
        fix: "add eks to endpoints.services where the region offers it; otherwise use managed node groups",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "E3",
        area: Area::EndpointAccess,
        severity: Severity::Warn,
        title: "kubectl clients may reach tcp/443 on the cluster security group",
        why: "A private endpoint answers only what its security group lets in: bastions, peered networks and on-prem need tcp/443 from their CIDRs.",
        fix: "list the clients' CIDRs in clusterEndpoint.allowHttpsFromCidrs",
        docs: ACCESS_DOCS,
    },
    Rule {
        id: "E4",
        area: Area::EndpointAccess,
        severity: Severity::Warn,
        title: "turning public access off keeps an operator path",
        why: "With public access off, only clients with a network path into the VPC (in-VPC, peered, VPN/DX) reach the API; private access must be on first.",
        fix: "run kubectl from inside the VPC or a peered network before turning public access off",
        docs: ACCESS_DOCS,
    },
    Rule {
        id: "V1",
        area: Area::Vpc,
        severity: Severity::Error,
        title: "VPC DNS support and DNS hostnames are on",
        why: "The cluster's private API hostname and the interface endpoints' private DNS names resolve only when enableDnsSupport and enableDnsHostnames are both true.",
        fix: "aws ec2 modify-vpc-attribute --vpc-id VPC --enable-dns-support '{\"Value\":true}' and again with --enable-dns-hostnames",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html",
    },
    Rule {
        id: "V2",
        area: Area::Vpc,
        severity: Severity::Warn,
        title: "DHCP options use AmazonProvidedDNS",
        why: "With self-built DNS the endpoints' private hosted zones are invisible: every interface endpoint needs CNAME records or conditional forwarding to the VPC resolver.",
        fix: "add AmazonProvidedDNS to the DHCP options' domain-name-servers, or set endpoints.privateDns: false and forward the exported CNAME records",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html",
    },
    Rule {
        id: "V3",
        area: Area::Vpc,
        severity: Severity::Warn,
        title: "a custom DHCP domain name needs the ec2 endpoint",
        why: "Node names come from the EC2 private DNS name; with a custom domain-name the kubelet asks the EC2 API for it, which needs the ec2 interface endpoint.",
        fix: "add ec2 to endpoints.services",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "V4",
        area: Area::Vpc,
        severity: Severity::Error,
        title: "the Kubernetes service CIDR is RFC 1918, /24–/12, and overlaps nothing",
        why: "Service IPs that overlap the VPC or a peered network are unreachable from pods, and EKS accepts only RFC 1918 ranges between /24 and /12.",
        fix: "create the cluster with a service CIDR (kubernetesNetworkConfig.serviceIpv4Cidr) that overlaps no VPC or peered CIDR",
        docs: EKS_VPC_DOCS,
    },
    Rule {
        id: "S1",
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "node subnets in at least two AZs, one per AZ, with free IPs",
        why: "EKS places its control-plane network interfaces in at least two AZs and needs at least 6 free addresses (16 recommended) in each subnet.",
        fix: "choose one private subnet in each of at least two AZs, with at least 16 free addresses",
        docs: EKS_VPC_DOCS,
    },
    Rule {
        id: "S2",
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "node subnets are in AZs EKS supports",
        why: "EKS does not support the AZ IDs use1-az3, usw1-az2 and cac1-az3, nor Local Zones, Wavelength Zones or Outposts for the cluster.",
        fix: "choose a subnet in another AZ",
        docs: EKS_VPC_DOCS,
    },
    Rule {
        id: "S3",
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "node subnets are private or isolated subnets of the VPC",
        why: "A subnet with 0.0.0.0/0 to an internet gateway puts nodes on the internet; a fully private cluster uses private (NAT) or isolated (no default route) subnets of its own VPC.",
        fix: "choose a subnet whose route table has no route to an internet gateway",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "S4",
        area: Area::NodeSubnets,
        severity: Severity::Warn,
        title: "node subnets have an explicit route table",
        why: "The S3 gateway route is added per route table, and eksctl refuses subnets on the main route table: a change to the main table would silently change the nodes' paths.",
        fix: "create a route table for the node subnets and associate it explicitly",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
    },
    Rule {
        id: "S5",
        area: Area::NodeSubnets,
        severity: Severity::Warn,
        title: "node subnets carry kubernetes.io/role/internal-elb=1",
        why: "The AWS Load Balancer Controller places internal load balancers only in subnets with this tag; in a private cluster every load balancer is internal.",
        fix: "tag the node subnets kubernetes.io/role/internal-elb=1",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html",
    },
    Rule {
        id: "P1",
        area: Area::Endpoints,
        severity: Severity::Error,
        title: "endpoint services are ones the region offers",
        why: "Service names differ by partition and region; a service the region does not offer cannot get an endpoint.",
        fix: "use the short names `eks-private-tui inventory -o json` lists under endpointServices",
        docs: ENDPOINT_DOCS,
    },
    Rule {
        id: "P2",
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "interface endpoints cover the node AZs",
        why: "An interface endpoint takes one subnet per AZ, only in AZs the service supports; nodes in other AZs reach it across AZs.",
        fix: "accept the cross-AZ path, or move nodes to AZs the service supports",
        docs: ENDPOINT_DOCS,
    },
    Rule {
        id: "P3",
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "existing endpoints are adopted",
        why: "A second endpoint for a service with private DNS fails with a conflicting DNS domain; an existing one is reused.",
        fix: "nothing: the plan adopts it",
        docs: ENDPOINT_DOCS,
    },
    Rule {
        id: "P4",
        area: Area::Endpoints,
        severity: Severity::Error,
        title: "S3 is a gateway endpoint on the node and pod route tables",
        why: "ECR keeps image layers in S3: without the S3 gateway route on every node and pod subnet's route table, image pulls fail.",
        fix: "add s3 to endpoints.services (route tables come from the node and pod subnets)",
        docs: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
    },
    Rule {
        id: "P5",
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "a restricted S3 gateway policy allows the ECR layer bucket",
        why: "Image layers come from arn:aws:s3:::prod-<region>-starport-layer-bucket; a gateway policy that does not allow it breaks image pulls.",
        fix: "add arn:aws:s3:::prod-<region>-starport-layer-bucket/* (s3:GetObject) to the S3 endpoint policy",
        docs: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
    },
    Rule {
        id: "P6",
        area: Area::Endpoints,
        severity: Severity::Error,
        title: "endpoint policies are valid",
        why: "An endpoint policy is at most 20 480 characters of JSON and every statement names a Principal.",
        fix: "shorten the policy and add a Principal to each statement",
        docs: ENDPOINT_DOCS,
    },
    Rule {
        id: "P7",
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "the base endpoint set is planned",
        why: "Every private cluster needs ec2, ecr.api, ecr.dkr, s3 (gateway) and sts; features add eks, eks-auth, logs, elasticloadbalancing, autoscaling, xray, ssm, kms.",
        fix: "add the missing base services to endpoints.services",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "G1",
        area: Area::EndpointGroup,
        severity: Severity::Warn,
        title: "the endpoint security group allows tcp/443 from every VPC CIDR",
        why: "Pods on a secondary CIDR call endpoints with their own addresses: the group must allow 443 from the primary and every secondary CIDR.",
        fix: "allow tcp/443 from each VPC CIDR (the plan adds the missing rules)",
        docs: ENDPOINT_DOCS,
    },
    Rule {
        id: "G2",
        area: Area::EndpointGroup,
        severity: Severity::Error,
        title: "endpoints get one explicit security group, never open to 0.0.0.0/0",
        why: "An endpoint without an explicit group gets the VPC's default group; 0.0.0.0/0 opens it to any peered or routed network.",
        fix: "give endpoints.securityGroup exactly one of id or create, without 0.0.0.0/0",
        docs: ENDPOINT_DOCS,
    },
    Rule {
        id: "G3",
        area: Area::CustomNetworking,
        severity: Severity::Warn,
        title: "ENIConfig security groups let pods, nodes and the control plane talk",
        why: "Pods on custom networking use the ENIConfig's groups: they must allow pod-to-node, control-plane-to-pod (webhooks, exec) and DNS (53) traffic.",
        fix: "allow all traffic from the group itself and the VPC CIDRs, or list the node security group in customNetworking.securityGroupIds",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "G5",
        area: Area::NodeSubnets,
        severity: Severity::Error,
        title: "network ACLs pass endpoint, DNS and return traffic",
        why: "Network ACLs are stateless: the node subnets need tcp/443 to and from the endpoints, udp/53 to the VPC resolver and the replies on the ephemeral ports.",
        fix: "allow tcp 443, udp 53 and tcp/udp 1024-65535 to and from the VPC CIDRs in the subnets' network ACL",
        docs: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    },
    Rule {
        id: "G4",
        area: Area::Dns,
        severity: Severity::Error,
        title: "the Resolver inbound endpoint accepts DNS from the client CIDRs",
        why: "The inbound endpoint's group needs tcp and udp 53 from the clients, and a Resolver endpoint's groups cannot change after creation.",
        fix: "list the client CIDRs (valid IPv4 CIDRs) in dns.inboundEndpoint.allowFromCidrs",
        docs: RESOLVER_DOCS,
    },
    Rule {
        id: "A1",
        area: Area::EndpointAccess,
        severity: Severity::Error,
        title: "private endpoint access is on for nodes without egress",
        why: "Nodes without internet egress reach the API only through private access; with both accesses off nothing can.",
        fix: "set clusterEndpoint.privateAccess: true",
        docs: ACCESS_DOCS,
    },
    Rule {
        id: "A4",
        area: Area::EndpointAccess,
        severity: Severity::Warn,
        title: "customer-routed control-plane egress has a path and AmazonProvidedDNS",
        why: "With controlPlaneEgressMode CUSTOMER_ROUTED the control plane reaches AWS services through the cluster's subnets; the switch is one-way, and without an egress path (NAT or interface endpoints) or with custom DNS servers the control plane loses AWS APIs.",
        fix: "keep a NAT path or the interface endpoints (sts, ecr, logs, …) in the cluster subnets and AmazonProvidedDNS in the DHCP options",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-egress.html",
    },
    Rule {
        id: "A3",
        area: Area::EndpointAccess,
        severity: Severity::Error,
        title: "clusters with hybrid nodes do not use public and private access together",
        why: "Hybrid nodes resolve the API endpoint from outside the VPC: with both accesses on they get the public addresses and bypass the private path.",
        fix: "use either public or private endpoint access for a cluster with hybrid nodes",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html",
    },
    Rule {
        id: "A2",
        area: Area::EndpointAccess,
        severity: Severity::Error,
        title: "the public access allow-list is valid and does not shut the nodes out",
        why: "EKS accepts only public IPv4 CIDRs; with private access off the nodes' NAT egress IPs must be listed, and 0.0.0.0/0 exposes the API to the internet.",
        fix: "list public CIDRs only, including the NAT gateways' egress IPs when private access is off",
        docs: ACCESS_DOCS,
    },
    Rule {
        id: "D2",
        area: Area::Dns,
        severity: Severity::Error,
        title: "Resolver endpoints have IPs in at least two AZs of their VPC",
        why: "Route 53 Resolver endpoints need at least two IP addresses, in different AZs, in subnets of their own VPC.",
        fix: "give the endpoint subnets of its VPC in at least two AZs",
        docs: RESOLVER_DOCS,
    },
    Rule {
        id: "D3",
        area: Area::Dns,
        severity: Severity::Error,
        title: "the forward rule is never associated with the cluster VPC",
        why: "Associated with the cluster VPC, the rule forwards the API name out of the VPC and back in: a resolution loop.",
        fix: "associate the rule only with the client VPCs",
        docs: RESOLVER_DOCS,
    },
    Rule {
        id: "D4",
        area: Area::Dns,
        severity: Severity::Error,
        title: "the outbound endpoint and rule sit in client VPCs with a path to the cluster",
        why: "Clients resolve the private API name through an outbound endpoint in their own VPC, and reach the endpoint over peering or a transit gateway.",
        fix: "put dns.outboundEndpoint in a client VPC (its own subnets) that routes to the cluster VPC",
        docs: RESOLVER_DOCS,
    },
    Rule {
        id: "D5",
        area: Area::Dns,
        severity: Severity::Error,
        title: "exactly the cluster API hostname is forwarded",
        why: "Forwarding a wider domain hijacks other names; forwarding another name leaves the API unresolved.",
        fix: "use dns.forwardRule.domain: auto (the hostname from DescribeCluster)",
        docs: RESOLVER_DOCS,
    },
    Rule {
        id: "S6",
        area: Area::NodeSubnets,
        severity: Severity::Warn,
        title: "shared (RAM) subnets are used from the participant account",
        why: "With subnets shared by another account, the participant creates the cluster and its security groups, and AZ names map to different zones in each account.",
        fix: "refer to AZs by ID (topology.k8s.aws/zone-id for ENIConfigs) and create the cluster from this account",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-shared",
    },
    Rule {
        id: "D1",
        area: Area::Dns,
        severity: Severity::Info,
        title: "a Resolver is needed only where public DNS does not serve",
        why: "A private-only endpoint's name resolves to private IPs in public DNS already; with public and private access, outside resolvers get public IPs and need forwarding.",
        fix: "create the Resolver endpoints and rule only for clients that cannot resolve the name through public DNS",
        docs: RESOLVER_DOCS,
    },
    Rule {
        id: "C1",
        area: Area::SecondaryCidr,
        severity: Severity::Error,
        title: "the secondary CIDR is one AWS accepts for this VPC",
        why: "AWS refuses an additional CIDR that overlaps the VPC, its routes or peers, is outside /16–/28, or falls in a range restricted by the CIDRs already there.",
        fix: "use a range from 100.64.0.0/10 (e.g. 100.64.0.0/16) that overlaps nothing",
        docs: CIDR_DOCS,
    },
    Rule {
        id: "C2",
        area: Area::SecondaryCidr,
        severity: Severity::Warn,
        title: "the VPC has room for another IPv4 CIDR",
        why: "A VPC holds 5 IPv4 CIDR blocks by default (quota L-83CA0A9D, adjustable to 50).",
        fix: "request a higher 'IPv4 CIDR blocks per VPC' quota, or disassociate an unused CIDR",
        docs: CIDR_DOCS,
    },
    Rule {
        id: "C3",
        area: Area::SecondaryCidr,
        severity: Severity::Info,
        title: "pod subnets come after the CIDR association",
        why: "A subnet in a new CIDR can be created only once the association is `associated`.",
        fix: "nothing: the plan waits for the association",
        docs: CIDR_DOCS,
    },
    Rule {
        id: "C4",
        area: Area::SecondaryCidr,
        severity: Severity::Error,
        title: "one pod subnet per node AZ, inside the secondary CIDR",
        why: "Custom networking takes pod IPs from the ENIConfig subnet of the node's AZ: an AZ with nodes and no pod subnet leaves its pods without addresses.",
        fix: "give secondaryCidr.podSubnets one non-overlapping CIDR inside secondaryCidr.cidr for every AZ of nodeSubnets",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "C5",
        area: Area::SecondaryCidr,
        severity: Severity::Info,
        title: "EKS needs time to learn a new CIDR",
        why: "EKS can take up to about an hour to recognise a new VPC CIDR; exec, logs and webhooks to pods in it fail meanwhile.",
        fix: "add the CIDR well before moving pods onto it",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "C6",
        area: Area::SecondaryCidr,
        severity: Severity::Info,
        title: "prefix delegation needs unfragmented pod subnets",
        why: "With prefix delegation each ENI slot takes a /28; scattered addresses leave no free /28 even when many IPs are free.",
        fix: "create subnet CIDR reservations of type prefix in the pod subnets",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html",
    },
    Rule {
        id: "N1",
        area: Area::CustomNetworking,
        severity: Severity::Error,
        title: "custom networking is for IPv4 clusters",
        why: "IPv6 clusters give pods IPv6 addresses from the node's subnet; custom networking does not apply.",
        fix: "remove customNetworking for an IPv6 cluster",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "N2",
        area: Area::CustomNetworking,
        severity: Severity::Error,
        title: "an ENIConfig for every node AZ, with its subnet and groups in the VPC",
        why: "A node whose AZ has no ENIConfig gets no pod addresses; ENIConfigs point at the pod subnets and security groups of the cluster's VPC.",
        fix: "plan secondaryCidr with one pod subnet per node AZ, and security groups of the VPC",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "N3",
        area: Area::CustomNetworking,
        severity: Severity::Info,
        title: "how a node picks its ENIConfig",
        why: "The label vpc.amazonaws.com/externalEniConfig wins, then the annotation (ENI_CONFIG_ANNOTATION_DEF), then the label (ENI_CONFIG_LABEL_DEF), then an ENIConfig named default: a stray annotation overrides the zone label.",
        fix: "remove stray k8s.amazonaws.com/eniConfig annotations from nodes",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "N4",
        area: Area::CustomNetworking,
        severity: Severity::Error,
        title: "aws-node selects ENIConfigs by a zone label",
        why: "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true with ENI_CONFIG_LABEL_DEF set to a label every node carries: topology.kubernetes.io/zone or topology.k8s.aws/zone-id.",
        fix: "set customNetworking.eniConfigLabel to topology.kubernetes.io/zone (or topology.k8s.aws/zone-id)",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "N5",
        area: Area::CustomNetworking,
        severity: Severity::Info,
        title: "configure before nodes, then replace existing nodes",
        why: "aws-node reads the ENIConfig when a node starts: existing nodes keep their old pod addresses until they are replaced; node groups use node subnets, never pod subnets.",
        fix: "apply aws-node settings and ENIConfigs, then cordon, drain and replace the nodes",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "N6",
        area: Area::CustomNetworking,
        severity: Severity::Info,
        title: "max pods drop with custom networking",
        why: "The primary ENI carries no pods: (ENIs - 1) x (IPv4 per ENI - 1) + 2 instead of ENIs x (IPv4 per ENI - 1) + 2 (assets/eni-limits.tsv).",
        fix: "set the node groups' maxPods accordingly, or use prefix delegation",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "N7",
        area: Area::CustomNetworking,
        severity: Severity::Warn,
        title: "shared VPCs select ENIConfigs by AZ ID",
        why: "AZ names map to different zones in each account: in a shared VPC only AZ IDs (topology.k8s.aws/zone-id) are stable.",
        fix: "set customNetworking.eniConfigLabel: topology.k8s.aws/zone-id",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "N8",
        area: Area::CustomNetworking,
        severity: Severity::Info,
        title: "custom networking wins over enhanced subnet discovery",
        why: "Since VPC CNI 1.18, subnets tagged kubernetes.io/role/cni=1 are used for pods; with custom networking on, the ENIConfigs decide instead.",
        fix: "use one mechanism: custom networking, or the cni tag without it",
        docs: CUSTOM_NET_DOCS,
    },
    Rule {
        id: "X4",
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "IRSA workloads use regional STS",
        why: "Without an internet path only the regional STS endpoint answers; older SDKs default to the global one.",
        fix: "set AWS_STS_REGIONAL_ENDPOINTS=regional on IRSA workloads",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "X5",
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "add-ons run without internet lookups",
        why: "The AWS Load Balancer Controller calls Shield and WAF, the Cluster Autoscaler fetches the instance price list: both fail without an internet path.",
        fix: "Load Balancer Controller: --enable-shield=false --enable-waf=false --enable-wafv2=false; Cluster Autoscaler: --aws-use-static-instance-list=true",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "X6",
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "every image comes from ECR",
        why: "Public registries are unreachable: images must come from ECR (pull-through cache, replication) or a registry inside the VPC.",
        fix: "mirror the images into ECR and point the workloads and add-ons at it",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "X7",
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "HTTP proxies leave AWS traffic direct",
        why: "Through a proxy, node and pod calls to the endpoints and the instance metadata break unless excluded; SSL interception breaks OIDC.",
        fix: "no_proxy: .eks.amazonaws.com, the VPC CIDRs, 169.254.169.254 and the endpoint DNS names; never intercept oidc.<region>.amazonaws.com",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "P8",
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "Pod Identity's eks-auth name is answered",
        why: "The eks-auth endpoint's private DNS name is under api.aws: a self-managed DNS (private DNS off) or a central endpoint setup must answer that domain too, or the Pod Identity agent cannot get credentials.",
        fix: "keep private DNS on, or add a record for eks-auth.<region>.api.aws to the self-managed zone",
        docs: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html",
    },
    Rule {
        id: "P9",
        area: Area::Endpoints,
        severity: Severity::Warn,
        title: "the features the spec names have their endpoints",
        why: "Karpenter, the Load Balancer Controller, Cluster Autoscaler, Pod Identity, SSM sessions, logs, X-Ray and KMS each call AWS APIs that a node without egress reaches only through their endpoints; some need settings no endpoint provides.",
        fix: "add the feature's services to endpoints.services",
        docs: PRIVATE_DOCS,
    },
    Rule {
        id: "P10",
        area: Area::Endpoints,
        severity: Severity::Info,
        title: "an ECR pull-through cache needs its first pull from outside",
        why: "A pull-through cache rule fetches an image from its upstream registry on the first pull; only images already cached pull through the VPC endpoints alone. ECR Public has no endpoint.",
        fix: "warm the cache from a network with a path to the upstream registry, or copy the images into ECR",
        docs: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html",
    },
    Rule {
        id: "V6",
        area: Area::Vpc,
        severity: Severity::Error,
        title: "the spec's cluster exists, in the spec's VPC",
        why: "Endpoint access, the lock-out guard, DNS forwarding and the exports act on the cluster the spec names; a name that matches no cluster of the VPC would leave the endpoint public and the DNS rule unmade without a word.",
        fix: "set clusterName to a cluster of the VPC (`eks-private-tui inventory` lists them), or remove it",
        docs: ACCESS_DOCS,
    },
    Rule {
        id: "X8",
        area: Area::Vpc,
        severity: Severity::Error,
        title: "every name, description and tag apply sends is one AWS accepts",
        why: "AWS refuses a name, description or tag it does not accept only when that call is made, leaving a half-done apply; metadata.name is part of every name and tag.",
        fix: "keep metadata.name to 1-38 letters, digits, - and _; see the finding for the value AWS would refuse",
        docs: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_catalogue_in_order() {
        assert_eq!(Id::ALL.len(), CATALOG.len());
        for (id, r) in Id::ALL.iter().zip(CATALOG) {
            assert_eq!(id.as_str(), r.id);
            assert_eq!(rule(*id).id, r.id);
        }
    }
}
