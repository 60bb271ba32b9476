"""Seed a moto server with a realistic account (boto3 from the moto venv).

  seed.py demo  --endpoint URL [--region eu-west-1]
  seed.py large --endpoint URL [--region eu-west-1] [--vpcs 200] [--subnets 25]

`demo` is the account the README's demo and the tests use:
  prod VPC 10.0.0.0/16 (DNS hostnames off, as the CLI leaves them) in 3 AZs:
    public  10.0.0.0/20, 10.0.16.0/20, 10.0.32.0/20  -> route table prod-public (0.0.0.0/0 -> igw)
    private 10.0.64.0/19, 10.0.96.0/19, 10.0.128.0/19 -> prod-private-<az> (0.0.0.0/0 -> nat)
    data    10.0.192.0/24, 10.0.193.0/24, 10.0.194.0/24 -> prod-data (no default route)
    legacy  10.0.200.0/24 on the main route table (no explicit association)
    NAT gateway in public-a, an S3 gateway endpoint on prod-private-a only,
    security groups prod-bastion, prod-nodes and prod-private-api
  EKS cluster "prod" on the private subnets, public endpoint only, with prod-private-api
    as its additional security group
  corp-client VPC 10.99.0.0/16 (2 private subnets) peered with prod (active),
    routes to 10.0.0.0/16 over the peering
  moto's default VPC 172.31.0.0/16 stays as it is.
Prints a JSON summary of the IDs it created (tests read it).
"""
import argparse, json, sys, time
import boto3


def clients(endpoint, region):
    kw = dict(endpoint_url=endpoint, region_name=region,
              aws_access_key_id="test", aws_secret_access_key="test")
    return boto3.client("ec2", **kw), boto3.client("eks", **kw)


def tags(name, **extra):
    t = [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in extra.items()]
    return t


def spec(kind, name, **extra):
    return [{"ResourceType": kind, "Tags": tags(name, **extra)}]


def demo(ec2, eks, region):
    azs = [region + s for s in "abc"]
    out = {"region": region, "subnets": {}}
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=spec("vpc", "prod", env="prod"))["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
    out["vpc"] = vpc
    igw = ec2.create_internet_gateway(TagSpecifications=spec("internet-gateway", "prod-igw"))["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)

    def subnet(cidr, az, name, **extra):
        s = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az,
                              TagSpecifications=spec("subnet", name, **extra))["Subnet"]["SubnetId"]
        out["subnets"][name] = s
        return s

    def table(name):
        return ec2.create_route_table(VpcId=vpc, TagSpecifications=spec("route-table", name))["RouteTable"]["RouteTableId"]

    public_rt = table("prod-public")
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    publics = []
    for i, az in enumerate(azs):
        s = subnet(f"10.0.{16 * i}.0/20", az, f"prod-public-{az[-1]}", **{"kubernetes.io/role/elb": "1"})
        ec2.modify_subnet_attribute(SubnetId=s, MapPublicIpOnLaunch={"Value": True})
        ec2.associate_route_table(RouteTableId=public_rt, SubnetId=s)
        publics.append(s)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=publics[0], AllocationId=eip,
                                 TagSpecifications=spec("natgateway", "prod-nat-a"))["NatGateway"]["NatGatewayId"]
    out["nat"] = nat
    privates, private_rts = [], []
    for i, az in enumerate(azs):
        rt = table(f"prod-private-{az[-1]}")
        ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
        s = subnet(f"10.0.{64 + 32 * i}.0/19", az, f"prod-private-{az[-1]}")
        ec2.associate_route_table(RouteTableId=rt, SubnetId=s)
        privates.append(s)
        private_rts.append(rt)
    out["privateRouteTables"] = private_rts
    data_rt = table("prod-data")
    for i, az in enumerate(azs):
        s = subnet(f"10.0.{192 + i}.0/24", az, f"prod-data-{az[-1]}")
        ec2.associate_route_table(RouteTableId=data_rt, SubnetId=s)
    subnet("10.0.200.0/24", azs[0], "prod-legacy-a")

    s3 = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway",
                                 RouteTableIds=[private_rts[0]],
                                 TagSpecifications=spec("vpc-endpoint", "prod-s3"))["VpcEndpoint"]["VpcEndpointId"]
    out["s3Endpoint"] = s3
    bastion = ec2.create_security_group(VpcId=vpc, GroupName="prod-bastion", Description="bastion hosts",
                                        TagSpecifications=spec("security-group", "prod-bastion"))["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=bastion, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.99.0.0/16"}]}])
    nodes = ec2.create_security_group(VpcId=vpc, GroupName="prod-nodes", Description="EKS nodes",
                                      TagSpecifications=spec("security-group", "prod-nodes"))["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=nodes, IpPermissions=[
        {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": nodes}]}])
    # The control plane's additional group (moto gives a cluster no cluster security group:
    # the tcp/443 rules of clusterEndpoint.allowHttpsFromCidrs go on this one).
    control = ec2.create_security_group(VpcId=vpc, GroupName="prod-private-api", Description="EKS control plane (private API)",
                                        TagSpecifications=spec("security-group", "prod-private-api"))["GroupId"]
    out["securityGroups"] = {"bastion": bastion, "nodes": nodes, "controlPlane": control}

    eks.create_cluster(name="prod", version="1.31", roleArn="arn:aws:iam::123456789012:role/prod-eks-cluster",
                       resourcesVpcConfig={"subnetIds": privates, "securityGroupIds": [control],
                                           "endpointPublicAccess": True,
                                           "endpointPrivateAccess": False, "publicAccessCidrs": ["0.0.0.0/0"]},
                       kubernetesNetworkConfig={"serviceIpv4Cidr": "172.20.0.0/16"})
    out["cluster"] = "prod"

    client = ec2.create_vpc(CidrBlock="10.99.0.0/16", TagSpecifications=spec("vpc", "corp-client"))["Vpc"]["VpcId"]
    out["clientVpc"] = client
    crt = ec2.create_route_table(VpcId=client, TagSpecifications=spec("route-table", "corp-client-private"))["RouteTable"]["RouteTableId"]
    for i, az in enumerate(azs[:2]):
        s = ec2.create_subnet(VpcId=client, CidrBlock=f"10.99.{i}.0/24", AvailabilityZone=az,
                              TagSpecifications=spec("subnet", f"corp-client-{az[-1]}"))["Subnet"]["SubnetId"]
        ec2.associate_route_table(RouteTableId=crt, SubnetId=s)
        out["subnets"][f"corp-client-{az[-1]}"] = s
    pcx = ec2.create_vpc_peering_connection(VpcId=client, PeerVpcId=vpc,
                                            TagSpecifications=spec("vpc-peering-connection", "corp-client-to-prod"))["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    ec2.create_route(RouteTableId=crt, DestinationCidrBlock="10.0.0.0/16", VpcPeeringConnectionId=pcx)
    for rt in private_rts:
        ec2.create_route(RouteTableId=rt, DestinationCidrBlock="10.99.0.0/16", VpcPeeringConnectionId=pcx)
    out["peering"] = pcx
    return out


def extras(ec2, region, out):
    """Resolver and interface-endpoint state some tests need (not in the plain demo)."""
    r53 = boto3.client("route53resolver", endpoint_url=ec2.meta.endpoint_url, region_name=region,
                       aws_access_key_id="test", aws_secret_access_key="test")
    vpc, sn = out["vpc"], out["subnets"]
    sg = ec2.create_security_group(VpcId=vpc, GroupName="prod-endpoints", Description="VPC endpoints",
                                   TagSpecifications=spec("security-group", "prod-endpoints"))["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])
    sts = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.sts", VpcEndpointType="Interface",
                                  SubnetIds=[sn["prod-private-a"], sn["prod-private-b"]], SecurityGroupIds=[sg],
                                  PrivateDnsEnabled=True,
                                  TagSpecifications=spec("vpc-endpoint", "prod-sts"))["VpcEndpoint"]["VpcEndpointId"]
    dns_sg = ec2.create_security_group(VpcId=vpc, GroupName="prod-dns-in", Description="resolver inbound")["GroupId"]
    inbound = r53.create_resolver_endpoint(
        CreatorRequestId="seed-inbound", Name="prod-inbound", SecurityGroupIds=[dns_sg], Direction="INBOUND",
        IpAddresses=[{"SubnetId": sn["prod-private-a"]}, {"SubnetId": sn["prod-private-b"]}])["ResolverEndpoint"]["Id"]
    out_sg = ec2.create_security_group(VpcId=out["clientVpc"], GroupName="client-dns-out", Description="resolver outbound")["GroupId"]
    outbound = r53.create_resolver_endpoint(
        CreatorRequestId="seed-outbound", Name="client-outbound", SecurityGroupIds=[out_sg], Direction="OUTBOUND",
        IpAddresses=[{"SubnetId": sn["corp-client-a"]}, {"SubnetId": sn["corp-client-b"]}])["ResolverEndpoint"]["Id"]
    rule = r53.create_resolver_rule(
        CreatorRequestId="seed-rule", Name="prod-api", RuleType="FORWARD",
        DomainName=f"prod.{region}.eks.amazonaws.com", ResolverEndpointId=outbound,
        TargetIps=[{"Ip": "10.0.64.10", "Port": 53}, {"Ip": "10.0.96.10", "Port": 53}])["ResolverRule"]["Id"]
    assoc = r53.associate_resolver_rule(ResolverRuleId=rule, VPCId=out["clientVpc"],
                                        Name="prod-api-client")["ResolverRuleAssociation"]["Id"]
    # A managed node group of prod (ListNodegroups / DescribeNodegroup) and the operators'
    # networks as a prefix list that the bastion group lets in (GetManagedPrefixListEntries).
    eks = boto3.client("eks", endpoint_url=ec2.meta.endpoint_url, region_name=region,
                       aws_access_key_id="test", aws_secret_access_key="test")
    eks.create_nodegroup(clusterName="prod", nodegroupName="prod-workers",
                         nodeRole="arn:aws:iam::123456789012:role/prod-nodes",
                         subnets=[sn["prod-private-a"], sn["prod-private-b"], sn["prod-private-c"]],
                         instanceTypes=["m6i.large"], amiType="AL2023_x86_64_STANDARD",
                         capacityType="ON_DEMAND",
                         scalingConfig={"minSize": 2, "maxSize": 4, "desiredSize": 2})
    corp = ec2.create_managed_prefix_list(PrefixListName="corp-networks", AddressFamily="IPv4", MaxEntries=5,
                                          Entries=[{"Cidr": "10.99.0.0/16"}, {"Cidr": "192.168.0.0/16"}])
    corp = corp["PrefixList"]["PrefixListId"]
    bastion = out["securityGroups"]["bastion"]
    ec2.authorize_security_group_ingress(GroupId=bastion, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": corp}]}])
    out.update({"nodeGroup": "prod-workers", "corpPrefixList": corp})
    out.update({"stsEndpoint": sts, "endpointSg": sg, "inboundResolver": inbound,
                "outboundResolver": outbound, "resolverRule": rule, "ruleAssociation": assoc})
    return out


def large(ec2, eks, region, vpcs, per_vpc):
    """Many VPCs with many subnets, for the discovery benchmark."""
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    t0 = time.time()
    n_subnets = 0
    for v in range(vpcs):
        cidr = f"10.{v % 256}.0.0/16" if v < 256 else f"172.{16 + (v - 256) % 16}.0.0/16"
        vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=spec("vpc", f"bench-{v:03d}"))["Vpc"]["VpcId"]
        rt = ec2.create_route_table(VpcId=vpc, TagSpecifications=spec("route-table", f"bench-{v:03d}-private"))["RouteTable"]["RouteTableId"]
        prefix = cidr.split(".0.0/")[0]
        for s in range(per_vpc):
            sid = ec2.create_subnet(VpcId=vpc, CidrBlock=f"{prefix}.{s}.0/24", AvailabilityZone=azs[s % len(azs)],
                                    TagSpecifications=spec("subnet", f"bench-{v:03d}-{s:02d}"))["Subnet"]["SubnetId"]
            if s % 2 == 0:
                ec2.associate_route_table(RouteTableId=rt, SubnetId=sid)
            n_subnets += 1
    return {"region": region, "vpcs": vpcs, "subnets": n_subnets, "seconds": round(time.time() - t0, 1)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["demo", "large"])
    p.add_argument("--endpoint", required=True)
    p.add_argument("--region", default="eu-west-1")
    p.add_argument("--vpcs", type=int, default=200)
    p.add_argument("--subnets", type=int, default=25)
    p.add_argument("--extras", action="store_true", help="demo: add resolver endpoints/rule and an sts endpoint")
    a = p.parse_args()
    if not a.endpoint.startswith(("http://127.", "http://localhost")):
        sys.exit("seed.py only talks to a loopback moto server")
    ec2, eks = clients(a.endpoint, a.region)
    if a.what == "demo":
        out = demo(ec2, eks, a.region)
        if a.extras:
            out = extras(ec2, a.region, out)
    else:
        out = large(ec2, eks, a.region, a.vpcs, a.subnets)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
