"""Issue 10's and issue 27's hostile-tester cases, run against the binary and a seeded moto,
with the figures of their closing notes:

  tests/support/hostile-cases.sh [BINARY]     (default target/debug/eks-private-tui)

Each case runs one command that must be refused: odd spec files and journals, names and
values AWS would refuse, quotas, escape sequences, bad options, endpoints that are not AWS.
Then three applies of one spec at once (one runs, the others are refused). It prints, per
case, the exit code, the time and the first line of stderr, and then the figures:
cases tried, clear errors (non-zero exit, an `error:` line, no raw control character),
account unchanged (the account read before and after the refused cases), panics, hangs
over 20 s, duplicates after the concurrent applies, and secrets (the secret key and the
access key ID) in any file or output the runs wrote. Exits 1 if any figure is off.
Issue 27's cases (names from the account that would rewrite the written spec, listings
that loop, writes to a full device or past a file-size limit, odd key and AWS config files,
a live lock forced, escapes and forged rows in every output mode, a 256 KiB stack) are each
judged held (safe, with a clear line), unclear (safe, but said badly), hazardous (the
spec rewritten, a failure reported as success, the account changed), a crash (a signal or
a panic) or a hang (over 20 s); the account must be unchanged across them.
Everything runs on loopback; the temp directory and the servers are removed at the end.
"""
import json, os, pty, re, shutil, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/debug/eks-private-tui")
REGION = "eu-west-2"
KEY_ID = "AKIAHOSTILECASES0001"
SECRET = "hostile-cases-secret-value-0123456789"
HANG = 20.0

work = tempfile.mkdtemp(prefix="ept-hostile-")
servers = []


def env(**extra):
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e.update(AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET,
             AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/dev/null",
             AWS_SHARED_CREDENTIALS_FILE="/dev/null", RUST_LOG="trace")
    e.pop("NO_COLOR", None)
    for k, v in extra.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return e


def start_moto():
    d = os.path.join(work, "moto")
    os.makedirs(d)
    out = subprocess.run([os.path.join(ROOT, "tests/support/moto.sh"), "start", d], capture_output=True,
                         text=True, env={**os.environ, "MOTO_WATCH_PID": str(os.getpid())}, check=True)
    servers.append(("moto", d))
    return out.stdout.strip()


def start_hostile(mode):
    pf = os.path.join(work, f"port-{mode}")
    p = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests/support/hostile.py"), "--mode", mode,
                          "--port-file", pf])
    servers.append(("proc", p))
    for _ in range(200):
        if os.path.exists(pf) and open(pf).read().strip():
            return "http://127.0.0.1:" + open(pf).read().strip()
        time.sleep(0.05)
    raise SystemExit(f"hostile.py {mode} did not start")


def stop_all():
    for kind, s in servers:
        if kind == "moto":
            subprocess.run([os.path.join(ROOT, "tests/support/moto.sh"), "stop", s], capture_output=True)
        else:
            s.kill()
            s.wait()
    shutil.rmtree(work, ignore_errors=True)


def run(args, url, extra_env=None, timeout=60):
    cmd = [BIN] + (["--endpoint-url", url] if url else []) + args
    log = os.path.join(work, f"log-{len(results)}.txt")
    if "--log-file" not in args:
        cmd += ["--log-file", log]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, env=env(**(extra_env or {})), timeout=timeout,
                           stdin=subprocess.DEVNULL)
        code, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        code, out, err = None, e.stdout or b"", e.stderr or b""
    took = time.monotonic() - start
    outputs.append(out + err)
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), took


results = []
outputs = []


def case(name, args, url, expect_code=None, extra_env=None):
    code, out, err, took = run(args, url, extra_env)
    first = next((l for l in err.splitlines() if l.strip()), "")
    raw_control = any(ord(c) < 32 and c not in "\n\t" or c in "\u202e\u200b" for c in out + err)
    # An `error:` line on stderr, or the plan's own refusal (findings on stdout, exit 1).
    said = (any(l.startswith("error") for l in err.splitlines())
            or (("cannot be planned" in out or "cannot be applied" in out) and "error" in out))
    clear = (code not in (0, None) and (expect_code is None or code == expect_code)
             and said and not raw_control)
    results.append(dict(name=name, code=code, took=took, first=first, clear=clear,
                        panic="panicked" in err, hang=code is None or took > HANG))
    print(f"{'ok ' if clear else 'BAD'} {code!s:>4} {took:5.1f}s  {name}: {first[:110]}")


def boto(url, code):
    """Run boto3 `code` against moto (its venv), with `ec2`, `eks` and `URL` defined."""
    f = os.path.join(work, f"boto-{time.monotonic_ns()}.py")
    with open(f, "w") as h:
        h.write("import boto3, sys, json, time\n"
                f"URL = {url!r}\n"
                f"k = dict(endpoint_url=URL, region_name={REGION!r}, aws_access_key_id='test', aws_secret_access_key='test')\n"
                "ec2 = boto3.client('ec2', **k); eks = boto3.client('eks', **k)\n" + code)
    out = subprocess.run([os.path.join(ROOT, "tests/support/moto.sh"), "python", f], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"boto3 setup failed: {out.stderr}")
    return out.stdout


results27 = []


def judge(name, verdict, code, took, first):
    """Issue 27's verdict for one case: held, unclear or hazardous; crash and hang win."""
    if code is None or took > HANG:
        verdict = "hang"
    elif code < 0 or code > 128:
        verdict = "crash"
    results27.append(dict(name=name, verdict=verdict))
    print(f"{verdict:9} {code!s:>4} {took:5.1f}s  {name}: {first[:100] if verdict == 'held' else first[:700]}")


def one_clear_line(err):
    lines = [l for l in err.splitlines() if l.strip()]
    return (len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) < 1000
            and "panicked" not in err and not any(ord(c) < 32 and c not in "\t" for c in lines[0]))


def refused(name, args, url, extra_env=None, must=(), stdout=None):
    """A case that must be refused: exit 2, one clear `error:` line naming `must`."""
    cmd_env = extra_env or {}
    if stdout is not None:
        cmd = [BIN] + (["--endpoint-url", url] if url else []) + args
        start = time.monotonic()
        try:
            p = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env(**cmd_env), timeout=60,
                               stdin=subprocess.DEVNULL)
            code, err = p.returncode, p.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            code, err = None, ""
        took = time.monotonic() - start
        outputs.append(err.encode())
    else:
        code, _, err, took = run(args, url, extra_env)
    first = next((l for l in err.splitlines() if l.strip()), "")
    if code == 0:
        verdict = "hazardous"
    elif code == 2 and one_clear_line(err) and all(m in err for m in must):
        verdict = "held"
    else:
        verdict = "unclear"
    judge(name, verdict, code, took, first)


def in_pty(args, url):
    """`args` with stdout on a terminal (so colour is on): the bytes it wrote."""
    master, slave = pty.openpty()
    cmd = [BIN, "--endpoint-url", url] + args
    p = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         env=env(TERM="xterm-256color"))
    os.close(slave)
    data = b""
    start = time.monotonic()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    p.wait(timeout=60)
    os.close(master)
    return p.returncode, data.decode("utf-8", "replace"), p.stderr.read().decode(), time.monotonic() - start


def issue27(url, vpc, seed):
    """Issue 27's classes. The account is set up first (hostile names, a live lock); the
    caller compares the account before and after the cases."""
    print("\nissue 27")
    sn = seed["subnets"]
    # 1. Names that would rewrite the written spec: a VPC's and its subnets' Name tags
    # holding each line or paragraph break, then YAML.
    takeover = "clusterEndpoint:\n  publicAccess: true\n  publicAccessCidrs: [0.0.0.0/1, 128.0.0.0/1]"
    breaks = ["\n", "\r", "\u0085", "\u2028", "\u2029", "\r\n"]
    # (EC2 answers in XML, which cannot carry ESC: escapes come through a spec value below.)
    names = [f"prod{b}{takeover}" for b in breaks] + ["x\u202eexe.txt", "x\nVPC vpc-forged 10.0.0.0/8"]
    targets = [vpc] + [sn[f"prod-private-{z}"] for z in "abc"] + [sn[f"prod-public-{z}"] for z in "abc"]
    pairs = list(zip(targets, names))
    originals = json.loads(boto(url, f"ids = {targets!r}\n"
                                     "out = {}\n"
                                     "for t in ec2.describe_tags(Filters=[{'Name': 'resource-id', 'Values': ids}, "
                                     "{'Name': 'key', 'Values': ['Name']}])['Tags']:\n"
                                     "    out[t['ResourceId']] = t['Value']\n"
                                     "print(json.dumps(out))\n"))
    boto(url, f"pairs = {pairs!r}\n"
              "for rid, name in pairs:\n"
              "    ec2.create_tags(Resources=[rid], Tags=[{'Key': 'Name', 'Value': name}])\n")
    written = os.path.join(work, "hostile-names.yaml")
    code, out, err, took = run(["spec", "new", "--region", REGION, "--vpc", vpc, "--spec", written], url)
    text = open(written).read() if os.path.exists(written) else ""
    # The spec as loaded (the `spec` export writes it back without comments): none of the
    # names' YAML in it, and the plan opens nothing to 0.0.0.0/1.
    _, loaded, lerr, _ = run(["export", "--format", "spec", "--spec", written], url) if text else (None, "", "", 0)
    pcode, pout, perr, _ = run(["plan", "-o", "json", "--spec", written], url) if text else (None, "", "", 0)
    half = re.compile(r"(?<![\d.])(0|128)\.0\.0\.0/1(?!\d)")
    opened = []
    if pcode in (0, 1) and pout.strip():
        opened = [a["address"] for a in json.loads(pout)["actions"]
                  for x in a["attributes"] if half.search(str(x.get("after")))]
    rewritten = (not loaded or half.search(loaded) or "name: other" in loaded
                 or opened or pcode not in (0, 1))
    why = ("it loads as written" if not rewritten
           else f"loaded: {loaded[:300]!r}; {lerr[:200]!r}; plan exit {pcode}: {perr[:200]!r}; opened {opened}")
    judge("spec new: Name tags with line breaks then YAML", "hazardous" if (code != 0 or rewritten) else "held",
          code, took, why)
    # The same names in every output mode: no live escape, no forged row.
    code, out, err, took = run(["inventory", "--region", REGION], url)
    forged = any(l.startswith("VPC vpc-forged") for l in out.splitlines())
    raw = "\x1b" in out or "\u202e" in out
    judge("inventory text: a Name with a newline and a VPC line", "hazardous" if forged or raw else "held",
          code, took, "no forged row" if not forged else "forged row")
    code, data, err, took = in_pty(["inventory", "--region", REGION], url)
    live = "\x1b[30;40m" in data
    judge("inventory on a terminal (colour): ESC[30;40m in a Name", "hazardous" if live else "held",
          code, took, "escaped" if not live else "live SGR")
    code, data, err, took = in_pty(["check", "--spec", written], url)
    live = "\u202e" in data
    judge("check on a terminal (colour): the same names in findings", "hazardous" if live else "held",
          code, took, "escaped" if not live else "live bidi")
    dark = write(os.path.join(work, "dark.yaml"),
                 open(written).read().replace("name: prod-private", 'name: "x\\e[30;40mhidden"', 1))
    code, data, err, took = in_pty(["check", "--spec", dark], url)
    live = "\x1b[30;40m" in data + err
    judge("check on a terminal (colour): ESC[30;40m in metadata.name", "hazardous" if live else "held",
          code, took, "escaped" if not live else "live SGR")

    # 3. Listings that loop: every page answers NextToken "loop".
    for action in ["DescribeSubnets", "DescribeVpcs", "DescribeSecurityGroups", "DescribeRouteTables"]:
        pf = os.path.join(work, f"loop-{action}")
        p = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests/support/proxy.py"), "--target", url,
                              "--port-file", pf, "--loop-token", action])
        servers.append(("proc", p))
        for _ in range(200):
            if os.path.exists(pf) and open(pf).read().strip():
                break
            time.sleep(0.05)
        loop_url = "http://127.0.0.1:" + open(pf).read().strip()
        refused(f"plan: {action} pages in a loop", ["plan", "--spec", written], loop_url,
                must=["NextToken repeated", action])

    # 5. Writes that fail: a full device, a file-size limit.
    with open("/dev/full", "wb") as full:
        refused("export eksctl to /dev/full", ["export", "--format", "eksctl", "--spec", written], url,
                must=["could not be written whole"], stdout=full)
    with open("/dev/full", "wb") as full:
        refused("spec new to /dev/full", ["spec", "new", "--region", REGION, "--vpc", vpc], url,
                must=["could not be written whole"], stdout=full)
    out_dir = os.path.join(work, "fsize")
    cmd = (f"ulimit -f 1 && exec {BIN} --endpoint-url {url} export --format all --out {out_dir} "
           f"--spec {written}")
    start = time.monotonic()
    p = subprocess.run(["bash", "-c", cmd], capture_output=True, env=env(), timeout=60)
    took = time.monotonic() - start
    err = p.stderr.decode("utf-8", "replace")
    tmp_left = [f for f in os.listdir(out_dir) if f.endswith(".tmp")] if os.path.isdir(out_dir) else []
    # `all` says which formats it skipped, one line each; the failure is one `error:` line.
    errors = [l for l in err.splitlines() if not l.startswith("skipped ")]
    verdict = ("hazardous" if p.returncode == 0 or tmp_left
               else "held" if p.returncode == 2 and one_clear_line("\n".join(errors)) else "unclear")
    judge("export --format all past a 1 KiB file-size limit", verdict, p.returncode, took,
          (errors or [""])[0])

    # 6. Odd key and AWS config files.
    conf = os.path.join(work, "xdg", "eks-private-tui")
    os.makedirs(conf)
    key = os.path.join(conf, "keybindings.toml")
    os.mkfifo(key)
    refused("wizard: key file is a FIFO", ["--region", REGION], url, {"XDG_CONFIG_HOME": os.path.dirname(conf)},
            must=["not a regular file"])
    os.remove(key)
    os.symlink(os.path.join(work, "shadow"), key)
    refused("wizard: key file links to a secret file", ["--region", REGION], url,
            {"XDG_CONFIG_HOME": os.path.dirname(conf)}, must=["symbolic link"])
    fifo = os.path.join(work, "aws-config-fifo")
    os.mkfifo(fifo)
    refused("inventory: AWS_CONFIG_FILE is a FIFO", ["inventory", "--region", REGION], url,
            {"AWS_CONFIG_FILE": fifo}, must=["AWS_CONFIG_FILE", "not a regular file"])
    refused("inventory: AWS_SHARED_CREDENTIALS_FILE is /dev/zero", ["inventory", "--region", REGION], url,
            {"AWS_SHARED_CREDENTIALS_FILE": "/dev/zero"}, must=["not a regular file"])

    # 7. A live lock (its lease renewed just now) forced; 8. a holder tag of many lines.
    lock = boto(url, f"g = ec2.create_security_group(VpcId={vpc!r}, GroupName='eks-private-tui-lock-prod-private', "
                     "Description='lock', TagSpecifications=[{'ResourceType': 'security-group', 'Tags': ["
                     "{'Key': 'eks-private-tui:lock', 'Value': 'prod-private'},"
                     "{'Key': 'eks-private-tui:holder', 'Value': 'ops@elsewhere pid 1\\nforged line ' + 'x' * 240},"
                     "{'Key': 'eks-private-tui:since', 'Value': str(int(time.time()))},"
                     "{'Key': 'eks-private-tui:heartbeat', 'Value': str(int(time.time()))},"
                     "{'Key': 'eks-private-tui:operation', 'Value': 'apply'}]}])\n"
                     "print(g['GroupId'])\n").strip()
    refused("apply: the spec is locked by a holder with a newline in its tag",
            ["apply", "--auto-approve", "--spec", written], url, must=["the spec is locked"])
    refused("apply --force-unlock of a live lock", ["apply", "--auto-approve", "--spec", written,
                                                     "--force-unlock", lock], url, must=["is alive"])
    boto(url, f"ec2.delete_security_group(GroupId={lock!r})\n")

    # 8. One line, whatever the input; --help from the parser's list.
    refused("--region of 10 800 characters", ["inventory", "--region", "eu-" + "x" * 10800 + "-1"], url)
    code, out, err, took = run(["export", "--help"], None)
    judge("export --help names every format", "held" if "terraform" in out and "nodeclass" in out else "unclear",
          code, took, "lists terraform")

    # 9. 256 KiB of stack.
    start = time.monotonic()
    p = subprocess.run(["bash", "-c", f"ulimit -s 256 && exec {BIN} --endpoint-url {url} plan --spec {written}"],
                       capture_output=True, env=env(), timeout=60)
    took = time.monotonic() - start
    judge("plan under ulimit -s 256", "held" if p.returncode in (0, 1) else "unclear", p.returncode, took,
          (p.stderr.decode("utf-8", "replace").splitlines() or ["planned"])[0])
    # Put the names back, so that the account compares equal.
    boto(url, f"originals = {originals!r}\n"
              f"for rid in {targets!r}:\n"
              "    if rid in originals:\n"
              "        ec2.create_tags(Resources=[rid], Tags=[{'Key': 'Name', 'Value': originals[rid]}])\n"
              "    else:\n"
              "        ec2.delete_tags(Resources=[rid], Tags=[{'Key': 'Name'}])\n")


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def main():
    url = start_moto()
    seed = json.loads(subprocess.run([os.path.join(ROOT, "tests/support/moto.sh"), "python",
                                      os.path.join(ROOT, "tests/support/seed.py"), "demo", "--endpoint", url,
                                      "--region", REGION], capture_output=True, text=True,
                                     check=True).stdout)
    vpc = seed["vpc"]
    good = os.path.join(work, "good.yaml")
    code, _, err, _ = run(["spec", "new", "--region", REGION, "--vpc", vpc, "--spec", good], url)
    assert code == 0, err
    base = open(good).read()

    def account():
        code, out, err, _ = run(["inventory", "-o", "json", "--region", REGION], url)
        assert code == 0, err
        inv = json.loads(out)
        return json.dumps(inv["vpcs"], sort_keys=True)

    before = account()

    def spec_case(name, text, commands=("plan", "apply --auto-approve"), code=None, mode=0o644):
        path = write(os.path.join(work, f"case-{len(results)}.yaml"), text, mode)
        for c in commands:
            case(f"{c.split()[0]}: {name}", c.split() + ["--spec", path], url, code)

    name_line = "name: " + base.split("name: ", 1)[1].split("\n", 1)[0]
    renamed = lambda n: base.replace(name_line, "name: " + json.dumps(n), 1)
    spec_case("metadata.name of 300 characters", renamed("n" * 300))
    spec_case("metadata.name with shell metacharacters", renamed("a;rm -rf /$(id)`x`"))
    spec_case("metadata.name in Unicode", renamed("prod-\u00e9\u4e2d"))
    spec_case("empty metadata.name", renamed(""))
    spec_case("ESC/OSC in metadata.name", renamed("x\u001b]0;pwned\u0007\u001b[2J"))
    spec_case("U+202E and NUL in metadata.name", renamed("abc\u202eexe.\u0000"))
    spec_case("unknown clusterName", base.replace("clusterName: prod", "clusterName: nope", 1)
              if "clusterName:" in base else base + "clusterName: nope\n")
    spec_case("20 000 allowHttpsFromCidrs",
              base + "clusterEndpoint:\n  privateAccess: true\n  publicAccess: false\n  allowHttpsFromCidrs:\n"
              + "".join(f"  - 10.{100 + i // 256 % 100}.{i % 256}.0/24\n" for i in range(20000)))
    spec_case("41 publicAccessCidrs",
              base + "clusterEndpoint:\n  privateAccess: true\n  publicAccess: true\n  publicAccessCidrs:\n"
              + "".join(f"  - 52.{i}.0.0/16\n" for i in range(41)))
    lines = base.split("\n")
    at = next(i for i, l in enumerate(lines) if l.startswith("nodeSubnets:"))
    dup = "\n".join(lines[:at + 1] + [f"  {REGION}a: subnet-0dup"] + lines[at + 1:])
    spec_case("duplicate key inside nodeSubnets", dup)
    spec_case("duplicate top-level key", base + "region: " + REGION + "\n")
    spec_case("unknown field", base + "privateDNS: true\n")
    spec_case("broken YAML", base + "@bad: ][\n")
    spec_case("empty file", "")
    spec_case("binary garbage", "\u0000\u00ff\u0001garbage\u0007")
    spec_case("another region", base.replace(f"region: {REGION}", "region: eu-west-1", 1))
    spec_case("a VPC that does not exist", base.replace(vpc, "vpc-0123456789abcdef0", 1))
    bomb = "a0: &a0 \"" + "x" * (1 << 20) + "\"\n" + "".join(
        f"a{d}: &a{d} [" + ", ".join([f"*a{d - 1}"] * 20) + "]\n" for d in range(1, 3))
    spec_case("1.1 MB of YAML aliases", bomb + base)
    small_bomb = "a0: &a0 \"" + "x" * (600 << 10) + "\"\n" + "a1: &a1 [" + ", ".join(["*a0"] * 20) + "]\n"
    spec_case("600 KB of aliases expanding to 12 MB", small_bomb + base)
    spec_case("2 MiB spec", base + "#" + "x" * (2 << 20) + "\n")

    secret = write(os.path.join(work, "shadow"), "root:$6$secrethash:19000:0:99999:7:::\n", 0o600)
    link = os.path.join(work, "link.yaml")
    os.symlink(secret, link)
    case("plan: spec symlinked to a secret file", ["plan", "--spec", link], url)
    fifo = os.path.join(work, "fifo.yaml")
    os.mkfifo(fifo)
    case("plan: spec is a FIFO", ["plan", "--spec", fifo], url)
    case("plan: spec is a directory", ["plan", "--spec", work], url)
    case("plan: spec is /dev/zero", ["plan", "--spec", "/dev/zero"], url)
    j = write(os.path.join(work, "j.yaml"), base)
    target = write(os.path.join(work, "keep"), "keep me\n")
    os.symlink(target, j + ".journal")
    case("apply: journal symlinked to another file", ["apply", "--auto-approve", "--spec", j], url)
    f2 = write(os.path.join(work, "f.yaml"), base)
    os.mkfifo(f2 + ".journal")
    case("apply: journal is a FIFO", ["apply", "--auto-approve", "--spec", f2], url)
    case("plan: --log-file is the spec", ["plan", "--spec", good, "--log-file", good], url)

    case("--endpoint-url port 99999", ["inventory", "--region", REGION], "http://127.0.0.1:99999", 2)
    case("--endpoint-url ftp://", ["inventory", "--region", REGION], "ftp://example", 2)
    case("--endpoint-url with user:password", ["inventory", "--region", REGION], "http://u:p@127.0.0.1:1", 2)
    case("--profile nosuch with env keys", ["inventory", "--region", REGION, "--profile", "nosuch"], url, 2)
    case("--profile nosuch", ["inventory", "--region", REGION, "--profile", "nosuch"], url, 2,
         {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None})
    case("AWS_REGION=xx", ["inventory"], url, 2, {"AWS_REGION": "xx"})
    case("--region xx", ["inventory", "--region", "xx"], url, 2)
    case("--region eu-foo-1", ["inventory", "--region", "eu-foo-1"], url, 2)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    s.close()
    case("nothing listens at --endpoint-url", ["inventory", "--region", REGION], closed, 2)
    for mode in ["blackhole", "drip", "endless", "garbage", "redirect"]:
        case(f"endpoint: {mode}", ["inventory", "--region", REGION], start_hostile(mode), 2)
        case(f"apply through endpoint: {mode}", ["apply", "--auto-approve", "--spec", good],
             start_hostile(mode), 2)

    after = account()
    unchanged = before == after

    # Issue 27: the account before and after its cases (its setup tags names and makes a
    # lock, and puts both back).
    before27 = account()
    issue27(url, vpc, seed)
    unchanged27 = before27 == account()

    # Three applies of one spec at once: one runs, the others are refused; then exactly
    # one of each resource.
    conc = write(os.path.join(work, "conc.yaml"),
                 base + "secondaryCidr:\n  cidr: 100.64.0.0/16\n  podSubnets:\n"
                 + "".join(f"    {REGION}{z}: 100.64.{32 * i}.0/19\n" for i, z in enumerate("abc")))
    procs = [subprocess.Popen([BIN, "--endpoint-url", url, "apply", "--auto-approve", "--spec", conc,
                               "--log-file", os.path.join(work, f"conc-{i}.log")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
             for i in range(3)]
    codes = []
    for p in procs:
        o, e = p.communicate(timeout=300)
        outputs.append(o + e)
        codes.append(p.returncode)
    inv = json.loads(run(["inventory", "-o", "json", "--region", REGION], url)[1])
    v = next(x for x in inv["vpcs"] if x["id"] == vpc)
    assoc = sum(1 for c in v["cidrs"] if c["cidr"] == "100.64.0.0/16" and c["state"] == "associated")
    pods = sum(1 for s in v["subnets"] if s["cidr"].startswith("100.64."))
    duplicates = max(0, assoc - 1) + max(0, pods - 3)
    code, _, err, _ = run(["destroy", "--auto-approve", "--spec", conc], url)
    assert code == 0, err

    # Secrets: in the outputs, and in every file the runs wrote (logs, journals, specs).
    marks = [SECRET.encode(), KEY_ID.encode(), b"secrethash"]
    leaks = sum(o.count(m) for o in outputs for m in marks)
    for dirpath, _, files in os.walk(work):
        if dirpath.startswith(os.path.join(work, "moto")):
            continue
        for name in files:
            p = os.path.join(dirpath, name)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            data = open(p, "rb").read()
            if name != "shadow":
                leaks += sum(data.count(m) for m in marks)

    n = len(results)
    clear = sum(r["clear"] for r in results)
    panics = sum(r["panic"] for r in results)
    hangs = sum(r["hang"] for r in results)
    print()
    print(f"cases tried            {n} (+ 3 concurrent applies)")
    print(f"clear errors           {clear} of {n}")
    print(f"account unchanged      {'yes' if unchanged else 'NO'}")
    print(f"panics                 {panics}")
    print(f"hangs over {HANG:.0f} s        {hangs} (slowest {max(r['took'] for r in results):.1f} s)")
    print(f"concurrent applies     exit codes {sorted(codes)}; duplicates {duplicates}")
    print(f"secrets in files/output {leaks}")
    v = [r["verdict"] for r in results27]
    print()
    print("issue 27")
    print(f"cases                  {len(v)}")
    for k in ["held", "unclear", "hazardous", "crash", "hang"]:
        print(f"{k:22} {v.count(k)}")
    print(f"account changed        {'no' if unchanged27 else 'YES'}")
    print(f"secret leaks           {leaks}")
    ok = (clear == n and unchanged and panics == 0 and hangs == 0 and duplicates == 0 and leaks == 0
          and sorted(codes)[0] == 0 and all(c != 0 for c in sorted(codes)[1:])
          and unchanged27 and all(x in ("held", "unclear") for x in v))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        stop_all()
    sys.exit(rc)
