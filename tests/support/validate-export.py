#!/usr/bin/env python3
"""Check exported files with the tools that read them (docs/export.md).

    tests/support/validators.sh check DIR      every export in DIR, by file name

Prints one JSON object: file name -> "ok" or what its validator said; exits 1 when any
file failed, 2 when a validator is missing. The validators are the real ones:
  *-eksctl.yaml        eksctl's JSON schema (tests/schemas/) and its runtime rules
  eniconfig.yaml       the ENIConfig CRD's openAPIV3Schema (tests/schemas/), kind and
                       apiVersion of the CRD, metadata.name a DNS-1123 subdomain
  aws-node-values.json JSON with an "env" object of strings
  aws-node-runbook.sh  bash -n
  dns-bind.conf        named-checkconf
  dns-dnsmasq.conf     dnsmasq --test
  endpoints.rpz.zone   named-checkzone, with the origin the file names
  dns-windows.ps1      pwsh's parser when pwsh is installed, else the cmdlet line's shape
  no-proxy.env         sh -n, then sourced: NO_PROXY and no_proxy set and equal
  *-cloudformation.yaml cfn-lint, with no error and no warning
  *-cloudformation-import.json  every entry a resource of the template beside it, with a
                       DeletionPolicy, by the identifier of its type's schema (cfn-lint's
                       copy of CloudFormation's), and every resource of the template in it
  *.tf                 python-hcl2 parses it (resources, imports and variables where the
                       file says), then checkov (.venv-checkov) with no failed check and
                       no parsing error; checkov downloads nothing (--skip-download)
  iam-policy.json      parliament (its IAM database: actions, condition keys, ARNs) with
                       no finding, but for Resource "*" where a Condition narrows the
                       statement or where the calls read every resource (discovery);
                       IAM's 6144-character limit for a managed policy
Files it does not know (the spec export) are left to the caller.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMAS = os.path.join(ROOT, "tests", "schemas")
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
EKSCTL_ADDITIONAL = {"autoscaling", "cloudformation", "logs"}


class Missing(Exception):
    pass


def run(cmd, **kw):
    if shutil.which(cmd[0]) is None:
        raise Missing(f"{cmd[0]} is not installed (tests/support/validators.sh install)")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)
    if p.returncode != 0:
        return (p.stdout + p.stderr).strip() or f"{cmd[0]} exited {p.returncode}"
    return None


def eksctl(path):
    with open(os.path.join(SCHEMAS, "eksctl-clusterconfig-v1alpha5.schema.json")) as f:
        schema = json.load(f)
    with open(path) as f:
        doc = yaml.safe_load(f)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        return "; ".join(f"{'.'.join(map(str, e.path)) or '.'}: {e.message}" for e in errors[:5])
    # eksctl's runtime rules (pkg/apis/eksctl.io/v1alpha5/validation.go).
    pc = doc.get("privateCluster") or {}
    vpc = doc.get("vpc") or {}
    extra = pc.get("additionalEndpointServices") or []
    if set(extra) - EKSCTL_ADDITIONAL:
        return f"privateCluster.additionalEndpointServices takes only {sorted(EKSCTL_ADDITIONAL)}"
    if extra and pc.get("skipEndpointCreation"):
        return "privateCluster.additionalEndpointServices cannot be set with skipEndpointCreation"
    if pc.get("enabled"):
        if "clusterEndpoints" in vpc:
            return "privateCluster.enabled with vpc.clusterEndpoints (eksctl overrides them)"
        if vpc.get("id") and not (vpc.get("subnets") or {}).get("private"):
            return "vpc.subnets.private must be specified in a fully-private cluster"
        for kind in ("nodeGroups", "managedNodeGroups"):
            for i, ng in enumerate(doc.get(kind) or []):
                if not ng.get("privateNetworking"):
                    return f"{kind}[{i}].privateNetworking must be enabled for a fully-private cluster"
    ce = vpc.get("clusterEndpoints")
    if ce is not None and not (ce.get("privateAccess") or ce.get("publicAccess")):
        return "Kubernetes API access must have one of public or private clusterEndpoints enabled"
    names = [ng.get("name") for kind in ("nodeGroups", "managedNodeGroups") for ng in doc.get(kind) or []]
    if any(not n for n in names) or len(set(names)) != len(names):
        return "node group names must be set and unique"
    return None


def eniconfig(path):
    with open(os.path.join(SCHEMAS, "eniconfig-crd.yaml")) as f:
        crd = yaml.safe_load(f)
    version = crd["spec"]["versions"][0]
    schema = version["schema"]["openAPIV3Schema"]
    api = f"{crd['spec']['group']}/{version['name']}"
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    if not docs:
        return "no ENIConfig in the file"
    seen = set()
    for d in docs:
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(d))
        if errors:
            return f"{errors[0].json_path}: {errors[0].message}"
        if d.get("apiVersion") != api or d.get("kind") != crd["spec"]["names"]["kind"]:
            return f"apiVersion/kind {d.get('apiVersion')}/{d.get('kind')}: the CRD serves {api}"
        name = (d.get("metadata") or {}).get("name") or ""
        if not DNS1123.match(name) or len(name) > 253:
            return f"metadata.name {name!r} is not a DNS-1123 subdomain"
        if name in seen:
            return f"two ENIConfigs named {name}"
        seen.add(name)
        if not str(d["spec"]["subnet"]).startswith("subnet-"):
            return f"{name}: spec.subnet {d['spec']['subnet']!r} is not a subnet ID"
    return None


def values(path):
    with open(path) as f:
        doc = json.load(f)
    env = doc.get("env")
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        return 'expected {"env": {NAME: "string"}}'
    return None


def zone(path):
    with open(path) as f:
        m = re.search(r"named-checkzone (\S+) ", f.read())
    if not m:
        return "the file does not name its origin"
    return run(["named-checkzone", m.group(1), path])


def windows(path):
    if shutil.which("pwsh"):
        script = ("$e=$null; [System.Management.Automation.Language.Parser]::ParseFile("
                  f"'{path}', [ref]$null, [ref]$e) | Out-Null; if ($e) {{ $e; exit 1 }}")
        return run(["pwsh", "-NoProfile", "-Command", script])
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l and not l.startswith("#")]
    shape = re.compile(r"^Add-DnsServerConditionalForwarderZone -Name '[a-z0-9.-]+' "
                       r"-MasterServers '[0-9.]+'(,'[0-9.]+')* -PassThru$")
    bad = [l for l in lines if not shape.match(l)]
    return f"unexpected line: {bad[0]}" if bad or not lines else None


def no_proxy(path):
    err = run(["sh", "-n", path])
    if err:
        return err
    p = subprocess.run(["sh", "-c", f'. "{path}" && [ -n "$NO_PROXY" ] && [ "$NO_PROXY" = "$no_proxy" ]'],
                       capture_output=True, text=True, timeout=30)
    return None if p.returncode == 0 else "NO_PROXY and no_proxy are not both set alike"


def iam(path):
    try:
        from parliament import analyze_policy_string
    except ImportError:
        raise Missing("parliament is not installed (tests/support/validators.sh install)")
    with open(path) as f:
        text = f.read()
    if len("".join(text.split())) > 6144:
        return "over IAM's 6144 characters for a managed policy"
    doc = json.loads(text)
    statements = doc["Statement"]
    reads = ("Describe", "List", "Get")

    def excused(finding):
        if finding.issue != "RESOURCE_STAR":
            return False
        actions = set(finding.detail)
        for st in statements:
            if actions <= set(st["Action"]) and st.get("Resource") == "*":
                if "Condition" in st:
                    return True
                if all(a.split(":", 1)[1].startswith(reads) for a in actions):
                    return True
        return False

    findings = [f for f in analyze_policy_string(text).findings if not excused(f)]
    if findings:
        return "; ".join(f"{f.issue}: {f.detail}" for f in findings)
    return None


def cloudformation(path):
    # The venv's cfn-lint (the one tests/support/validators.sh installed), not another on PATH.
    return run([os.path.join(os.path.dirname(sys.executable), "cfn-lint"), "--", path])


def cfn_import(path):
    """The resources-to-import file beside its template: each entry names a resource of
    the template, of its type, with a DeletionPolicy, by the identifier CloudFormation's
    own schema for the type gives (cfn-lint ships the schemas); every resource of the
    template is imported (an IMPORT change set into a new stack creates nothing)."""
    import yaml
    import cfnlint
    template = path[: -len("-import.json")] + ".yaml"
    if not os.path.exists(template):
        return f"no template {os.path.basename(template)} beside it"
    with open(template) as f:
        resources = (yaml.safe_load(f) or {}).get("Resources") or {}
    with open(path) as f:
        entries = json.load(f)
    if not isinstance(entries, list) or not entries:
        return "not a list of resources to import"
    schemas = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")
    with open(os.path.join(schemas, "providers", "us-east-1.json")) as f:
        by_type = json.load(f)
    seen = set()
    for e in entries:
        logical, kind = e.get("LogicalResourceId"), e.get("ResourceType")
        r = resources.get(logical)
        if r is None:
            return f"{logical} is not in the template"
        if r.get("Type") != kind:
            return f"{logical} is a {r.get('Type')} in the template, not a {kind}"
        if "DeletionPolicy" not in r:
            return f"{logical} has no DeletionPolicy (an import needs one)"
        if kind not in by_type:
            return f"{kind} is not a resource type CloudFormation knows"
        with open(os.path.join(schemas, "resources", by_type[kind] + ".json")) as f:
            schema = json.load(f)
        want = sorted(p.rsplit("/", 1)[-1] for p in schema.get("primaryIdentifier", []))
        if "read" not in schema.get("handlers", {}):
            return f"{kind} cannot be imported (no read handler)"
        got = sorted((e.get("ResourceIdentifier") or {}).keys())
        if got != want or not all(e["ResourceIdentifier"].values()):
            return f"{logical}: identifier {got}, and {kind} is imported by {want}"
        seen.add(logical)
    missing = sorted(set(resources) - seen)
    if missing:
        return f"not imported: {', '.join(missing)}"
    return None


def terraform(path):
    try:
        import hcl2
    except ImportError:
        raise Missing("python-hcl2 is not installed (tests/support/validators.sh install)")
    with open(path) as f:
        doc = hcl2.load(f)
    if not doc.get("resource") and not doc.get("import"):
        return "no resource and no import block"
    for imp in doc.get("import") or []:
        if not imp.get("to") or not imp.get("id"):
            return f"an import block without to and id: {imp}"
    checkov = os.path.join(ROOT, ".venv-checkov", "bin", "checkov")
    if not os.path.exists(checkov):
        raise Missing("checkov is not installed (tests/support/validators.sh install)")
    with tempfile.TemporaryDirectory(prefix="ept-checkov-") as cache:
        env = dict(os.environ, CKV_SKIP_PACKAGE_UPDATE_CHECK="true", BC_SKIP_MAPPING="TRUE",
                   CKV_CACHE_DIR=cache)
        p = subprocess.run([checkov, "--file", path, "--framework", "terraform", "--output", "json",
                            "--skip-download", "--quiet", "--compact"],
                           capture_output=True, text=True, timeout=300, env=env, cwd=cache)
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError:
        return f"checkov exited {p.returncode}: {(p.stdout + p.stderr).strip()[-2000:]}"
    reports = report if isinstance(report, list) else [report]
    failed, parse_errors, passed = [], 0, 0
    for r in reports:
        summary = r.get("summary") or {}
        parse_errors += summary.get("parsing_errors", 0)
        passed += summary.get("passed", 0)
        for c in (r.get("results") or {}).get("failed_checks") or []:
            failed.append(f"{c['check_id']} {c['resource']}: {c['check_name']}")
    if parse_errors:
        return f"checkov could not parse the file ({parse_errors} parsing errors)"
    if failed:
        return "checkov: " + "; ".join(failed)
    if not passed:
        return "checkov ran no check on the file"
    return None


def check(path):
    name = os.path.basename(path)
    if name.endswith("-eksctl.yaml"):
        return eksctl(path)
    if name.endswith("-cloudformation.yaml"):
        return cloudformation(path)
    if name.endswith("-cloudformation-import.json"):
        return cfn_import(path)
    if name.endswith(".tf"):
        return terraform(path)
    return {
        "eniconfig.yaml": eniconfig,
        "aws-node-values.json": values,
        "aws-node-runbook.sh": lambda p: run(["bash", "-n", p]),
        "dns-bind.conf": lambda p: run(["named-checkconf", p]),
        "dns-dnsmasq.conf": lambda p: run(["dnsmasq", "--test", f"--conf-file={p}"]),
        "endpoints.rpz.zone": zone,
        "dns-windows.ps1": windows,
        "no-proxy.env": no_proxy,
        "iam-policy.json": iam,
    }.get(name, lambda p: "skip")(path)


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: validate-export.py DIR")
    report, failed = {}, False
    for name in sorted(os.listdir(sys.argv[1])):
        try:
            err = check(os.path.join(sys.argv[1], name))
        except Missing as e:
            print(json.dumps({name: str(e)}))
            sys.exit(2)
        except Exception as e:  # a file the validator cannot even read is a failure
            err = f"{type(e).__name__}: {e}"
        if err == "skip":
            continue
        report[name] = err or "ok"
        failed |= err is not None
    print(json.dumps(report, indent=1, sort_keys=True))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
