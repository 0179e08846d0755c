#!/usr/bin/env python3
"""make bench: performance figures of terraform-provider-rbac (not a test).

Each row is measured side by side with its baseline:
  1. provider overhead: apply + no-op plan of N roles vs N built-in terraform_data
     (emulator without latency or rate limit, provider without client-side limit;
     the baseline's configuration loads no plugin at all). Median of BENCH_REPEAT
     runs (default 3), each run interleaving provider and baseline, with the range.
  2. rate-limit floor: apply 950 and 1000 Flashduty roles at the documented
     limits (BENCH_RATE_N), with the requests made and 429s reaching Terraform
  3. requests per create / update / delete / refresh of BENCH_REFRESH_N roles
     per vendor (emulator counts, logins left out)
  4. start-up (`terraform providers schema -json`), peak RSS, binary size
  5. requests per create / update / delete / refresh of BENCH_HOLDERS_N
     holders (default 500) per assignment resource
  6. an access review (`data "rbac_access"`) of BENCH_REVIEW_N people
     (default 500) present in every vendor: requests per vendor and time
Also: the CPU of a no-op plan split between terraform and the provider (the
provider's share of it, target <= 7% at 1000 roles), and, when
BENCH_BASELINE_BIN names another build's provider binary (a release zip's,
or one built from an earlier commit), the same plan and CPU share of that
build beside ours ("front").
Results are printed and written to bench/results/. BENCH_SECTIONS picks a
reduced run (e.g. BENCH_SECTIONS=writes,rate BENCH_REFRESH_N=20 BENCH_RATE_N=950).
"""
import json, os, re, resource, shutil, statistics, subprocess, sys, tempfile, threading, time, datetime, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("RBAC_BIN_DIR", os.path.join(ROOT, "target", "release"))
TF = os.environ.get("TF_ACC_TERRAFORM_PATH", shutil.which("terraform") or "/usr/local/bin/terraform")
KEY = "bench-flashduty-key"
ROOTLY_TOKEN = "bench-rootly-token"
ZENML_KEY = "ZENPROKEY_bench-zenml-key"
SLASHID_ORG, SLASHID_KEY = "af5fbd30-7ce7-4548-8b30-4cd59cb2aba1", "bench-slashid-key"
ZENML_ORG = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"  # the emulator's organization
# Overhead rows: median of this many runs, each run side by side.
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
REFRESH_N = int(os.environ.get("BENCH_REFRESH_N", "200"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000").split(",")]
RATE_NS = [int(n) for n in os.environ.get("BENCH_RATE_N", "950,1000").split(",")]
# Which parts to run (a reduced run, e.g. BENCH_SECTIONS=writes,rate):
# overhead (plan/apply vs terraform_data, CPU, RSS), front, writes, rate, schema.
SECTIONS = set(os.environ.get("BENCH_SECTIONS", "overhead,front,writes,rate,schema,assignments,access").split(","))
HOLDERS_N = int(os.environ.get("BENCH_HOLDERS_N", "500"))
REVIEW_N = int(os.environ.get("BENCH_REVIEW_N", "500"))


class Emulator:
    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [os.path.join(BIN, "rbac-emulator"), "--listen", "127.0.0.1:0", "--flashduty-app-key", KEY,
             "--rootly-api-token", ROOTLY_TOKEN, "--zenml-api-key", ZENML_KEY,
             "--slashid-org-id", SLASHID_ORG, "--slashid-api-key", SLASHID_KEY, *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip()

    def stats(self):
        with urllib.request.urlopen(self.url + "/__emulator/stats") as r:
            return json.load(r)

    def reset_stats(self):
        # No body: the emulator answers without reading one, and closes with
        # a reset (SO_LINGER 0), which could break the send of a body (EPIPE).
        for attempt in range(5):
            try:
                req = urllib.request.Request(self.url + "/__emulator/reset-stats", data=b"", method="POST")
                urllib.request.urlopen(req).read()
                return
            except OSError:
                if attempt == 4:
                    raise
                time.sleep(0.2)

    def stop(self):
        self.proc.kill()
        self.proc.wait()

    def call(self, method, path, body=None, headers=None):
        """A vendor or control call, as another API client would make it."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers=dict({"Content-Type": "application/json"}, **(headers or {})))
        with urllib.request.urlopen(req) as r:
            text = r.read()
        return json.loads(text) if text else None


def cli_config(plugin_dir):
    """A CLI configuration that takes the rbac provider from `plugin_dir`."""
    return ('provider_installation {\n  dev_overrides {\n    "rbac-provider/rbac" = "%s"\n  }\n  direct {}\n}\n'
            % plugin_dir)


REQUIRED = 'terraform {\n  required_providers {\n    rbac = { source = "rbac-provider/rbac" }\n  }\n}\n'


def workspace(emu, body, rbac=True):
    """A working directory for `body`; with rbac=False it uses no plugin at
    all (the terraform_data baseline must not start our provider)."""
    d = tempfile.mkdtemp(prefix="rbac-bench-")
    with open(os.path.join(d, "terraform.rc"), "w") as f:
        f.write(cli_config(BIN))
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write((REQUIRED if rbac else "") + body)
    env = dict(os.environ, TF_CLI_CONFIG_FILE=os.path.join(d, "terraform.rc"), CHECKPOINT_DISABLE="1",
               TF_IN_AUTOMATION="1", TF_INPUT="0", FLASHDUTY_APP_KEY=KEY,
               FLASHDUTY_BASE_URL=(emu.url + "/flashduty") if emu else "http://127.0.0.1:1/flashduty",
               ROOTLY_API_TOKEN=ROOTLY_TOKEN, ROOTLY_BASE_URL=(emu.url if emu else "http://127.0.0.1:1") + "/rootly",
               SLASHID_ORG_ID=SLASHID_ORG, SLASHID_API_KEY=SLASHID_KEY,
               SLASHID_BASE_URL=(emu.url if emu else "http://127.0.0.1:1") + "/slashid",
               ZENML_PRO_API_KEY=ZENML_KEY, ZENML_PRO_URL=(emu.url if emu else "http://127.0.0.1:1") + "/zenml")
    env.pop("TF_LOG", None)
    return d, env


def tf(d, env, *args, check=True):
    start = time.monotonic()
    p = subprocess.run([TF, *args, "-no-color"], cwd=d, env=env, capture_output=True, text=True)
    took = time.monotonic() - start
    if check and p.returncode not in (0,):
        sys.exit("terraform %s failed:\n%s\n%s" % (" ".join(args), p.stdout[-3000:], p.stderr[-3000:]))
    return took, p


def roles_config(n, limited):
    limits = "" if limited else "    max_requests_per_second = 0\n    max_requests_per_minute = 0\n"
    return ('provider "rbac" {\n  flashduty {\n%s  }\n}\n' % limits +
            'resource "rbac_flashduty_role" "r" {\n  count = %d\n  role_name = "bench-${count.index}"\n'
            '  permission_ids = [501]\n}\n' % n)


# Per vendor: the configuration of n roles, `v` being the value an update changes.
VENDOR_CONFIGS = {
    "flashduty": lambda n, v: ('provider "rbac" {\n  flashduty {\n    max_requests_per_second = 0\n'
                               '    max_requests_per_minute = 0\n  }\n}\n'
                               'resource "rbac_flashduty_role" "r" {\n  count = %d\n  role_name = "bench-${count.index}"\n'
                               '  description = "%s"\n  permission_ids = [501]\n}\n' % (n, v)),
    # SlashID lists names only: one GET per role is the floor of its refresh.
    "slashid": lambda n, v: ('provider "rbac" {\n  slashid {}\n}\n'
                             'resource "rbac_slashid_role" "r" {\n  count = %d\n  name = "bench-${count.index}"\n'
                             '  description = "%s"\n}\n' % (n, v)),
    "rootly": lambda n, v: ('provider "rbac" {\n  rootly {\n    max_requests_per_minute = 0\n  }\n}\n'
                            'resource "rbac_rootly_on_call_role" "r" {\n  count = %d\n  name = "bench-${count.index}"\n'
                            '  alerts_permissions = [%s]\n}\n' % (n, '"read"' if v == "one" else '"read", "update"')),
    "zenml": lambda n, v: ('provider "rbac" {\n  zenml {}\n}\n'
                           'resource "rbac_zenml_role" "r" {\n  count = %d\n  organization_id = "%s"\n'
                           '  level = "workspace"\n  name = "bench-${count.index}"\n  description = "%s"\n}\n'
                           % (n, ZENML_ORG, v)),
}


def vendor_requests(stats):
    """Requests the emulator answered, token exchanges (ZenML login) left out."""
    return sum(c for k, v in stats["endpoints"].items() if not k.endswith("/auth/login")
               for s, c in v.items())


def write_calls(vendor, n):
    """Requests per role of one vendor: create, update and delete (each
    without a refresh, -refresh=false, so that only the write is counted)
    and the refresh of a no-op plan; also the refresh's busiest endpoints."""
    print("bench: %s writes of %d roles" % (vendor, n), file=sys.stderr)
    emu = Emulator("--rate-limit", "off")
    d, env = workspace(emu, VENDOR_CONFIGS[vendor](n, "one"))
    per_role = {}
    tf(d, env, "apply", "-auto-approve")
    per_role["create"] = vendor_requests(emu.stats()) / n
    emu.reset_stats()
    tf(d, env, "plan", "-detailed-exitcode")
    stats = emu.stats()
    per_role["refresh"] = vendor_requests(stats) / n
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(REQUIRED + VENDOR_CONFIGS[vendor](n, "two"))
    emu.reset_stats()
    tf(d, env, "apply", "-auto-approve", "-refresh=false")
    per_role["update"] = vendor_requests(emu.stats()) / n
    emu.reset_stats()
    tf(d, env, "destroy", "-auto-approve", "-refresh=false")
    per_role["delete"] = vendor_requests(emu.stats()) / n
    emu.stop()
    calls = {}
    for k, c in stats["endpoints"].items():
        calls[endpoint_pattern(k)] = calls.get(endpoint_pattern(k), 0) + sum(v for s, v in c.items() if s.isdigit())
    return per_role, calls


def limit_floor(requests, limits):
    """Seconds the limits themselves need for `requests` requests: request i
    goes at the earliest time that keeps every sliding window within its
    limit, i.e. no sooner than one window after request i - limit."""
    times = []
    for i in range(requests):
        t = times[-1] if times else 0.0
        for limit, window in limits:
            if i >= limit:
                t = max(t, times[i - limit] + window)
        times.append(t)
    return times[-1] if times else 0.0


def endpoint_pattern(endpoint):
    """`GET /slashid/rbac/roles/<org>%2Fbench-7` -> `GET /slashid/rbac/roles/{name}`."""
    return re.sub(r"(/roles|/permissions|/on_call_roles)/[^/]+$", r"\1/{id}", endpoint)


def data_config(n):
    return 'resource "terraform_data" "r" {\n  count = %d\n  input = "bench-${count.index}"\n}\n' % n


class RssSampler(threading.Thread):
    """Peak VmHWM of any terraform-provider-rbac process while running."""
    def __init__(self):
        super().__init__(daemon=True)
        self.peak_kib, self.running = 0, True

    def run(self):
        while self.running:
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open("/proc/%s/cmdline" % pid, "rb") as f:
                        if b"terraform-provider-rbac" not in f.read().split(b"\0")[0]:
                            continue
                    with open("/proc/%s/status" % pid) as f:
                        m = re.search(r"VmHWM:\s+(\d+)", f.read())
                        if m:
                            self.peak_kib = max(self.peak_kib, int(m.group(1)))
                except OSError:
                    pass
            time.sleep(0.1)


# Stands in for the provider binary to account for its CPU: runs the real
# one, then appends "<provider user+sys> <own user+sys>" to a file.
CPU_WRAPPER = """#!%s
import os, resource, subprocess, sys
code = subprocess.call([%r] + sys.argv[1:])
child, own = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
with open(%r, "a") as f:
    f.write("%%f %%f\\n" %% (child.ru_utime + child.ru_stime, own.ru_utime + own.ru_stime))
sys.exit(code)
"""


def cpu_split(d, env, d2, env2, provider_bin=None):
    """CPU seconds of one no-op plan in the applied workspaces `d` (our
    provider, its emulator still running) and `d2` (terraform_data):
    (terraform's own, the provider's, provider processes started,
    terraform_data's plan). Terraform's share is what a plugin costs on
    Terraform's side of the protocol, whatever the provider does."""
    wrapper_dir = tempfile.mkdtemp(prefix="rbac-bench-cpu-")
    log = os.path.join(wrapper_dir, "cpu.log")
    with open(os.path.join(wrapper_dir, "terraform-provider-rbac"), "w") as f:
        f.write(CPU_WRAPPER % (sys.executable, provider_bin or os.path.join(BIN, "terraform-provider-rbac"), log))
    os.chmod(os.path.join(wrapper_dir, "terraform-provider-rbac"), 0o755)
    # The same state, with Terraform pointed at the wrapper instead.
    rc = os.path.join(wrapper_dir, "terraform.rc")
    with open(rc, "w") as f:
        f.write(cli_config(wrapper_dir))
    _, total = tf_cpu(d, dict(env, TF_CLI_CONFIG_FILE=rc), "plan", "-detailed-exitcode")
    with open(log) as f:
        runs = [tuple(map(float, line.split())) for line in f if line.strip()]
    provider, wrappers = sum(r[0] for r in runs), sum(r[1] for r in runs)
    _, data = tf_cpu(d2, env2, "plan", "-detailed-exitcode")
    return total - provider - wrappers, provider, len(runs), data


def tf_cpu(d, env, *args):
    """Like tf(), also returning the CPU seconds of terraform and every
    process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    took, p = tf(d, env, *args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def spread(times):
    """`0.52 s (0.50-0.61)`: the median of the runs, and their range."""
    if len(times) == 1:
        return "%.2f s" % times[0]
    return "%.2f s (%.2f-%.2f)" % (statistics.median(times), min(times), max(times))


def endpoint_calls(stats, path):
    return sum(v for k, v in stats["endpoints"].get("POST /flashduty" + path, {}).items() if k.isdigit())


def main():
    rows = []
    for n in (SIZES if "overhead" in SECTIONS else []):
        emu = Emulator("--rate-limit", "off")
        d, env = workspace(emu, roles_config(n, limited=False))
        d2, env2 = workspace(None, data_config(n), rbac=False)
        runs = {"apply_rbac": [], "plan_rbac": [], "apply_data": [], "plan_data": []}
        sampler = RssSampler(); sampler.start()
        for run in range(REPEAT):
            if run:
                tf(d, env, "destroy", "-auto-approve")
                tf(d2, env2, "destroy", "-auto-approve")
            runs["apply_rbac"].append(tf(d, env, "apply", "-auto-approve")[0])
            sampler.running = False
            emu.reset_stats()
            runs["plan_rbac"].append(tf(d, env, "plan", "-detailed-exitcode")[0])
            if not run:
                stats = emu.stats()
            runs["apply_data"].append(tf(d2, env2, "apply", "-auto-approve")[0])
            runs["plan_data"].append(tf(d2, env2, "plan", "-detailed-exitcode")[0])
        own, provider, launches, data_cpu = cpu_split(d, env, d2, env2)
        emu.stop()
        for op in ("apply", "plan"):
            rbac, data = runs[op + "_rbac"], runs[op + "_data"]
            rows.append(("%s %d roles vs terraform_data" % ("apply" if op == "apply" else "no-op plan", n),
                         "%s vs %s" % (spread(rbac), spread(data)),
                         "%.2f" % (statistics.median(rbac) / statistics.median(data)), "<= 1.5"))
        rows.append(("flashduty: API calls, no-op refresh of %d roles" % n,
                     "%d /role/list, %d /role/info" % (endpoint_calls(stats, "/role/list"), endpoint_calls(stats, "/role/info")),
                     "%.3f calls/role" % (stats["total"] / n), "O(1) list calls"))
        rows.append(("CPU of no-op plan %d roles vs terraform_data" % n,
                     "terraform %.2f s + provider %.2f s (%d processes) vs %.2f s" % (own, provider, launches, data_cpu),
                     "%.2f (terraform alone %.2f)" % ((own + provider) / data_cpu, own / data_cpu), ""))
        rows.append(("provider's share of the CPU of a no-op plan of %d roles" % n,
                     "%.1f%% (provider %.2f s of %.2f s)" % (100 * provider / (own + provider), provider, own + provider),
                     "", "<= 7%" if n >= 1000 else ""))
        if n == max(SIZES):
            rows.append(("provider peak RSS during %d-role apply" % n, "%.1f MiB" % (sampler.peak_kib / 1024), "", "< 30 MiB"))

    if "front" in SECTIONS:
        front_rows(rows)
    if "writes" in SECTIONS:
        writes_rows(rows)
    if "rate" in SECTIONS:
        rate_rows(rows)
    if "schema" in SECTIONS:
        schema_rows(rows)
    if "assignments" in SECTIONS:
        assignment_rows(rows)
    if "access" in SECTIONS:
        access_rows(rows)
    report(rows)


def front_rows(rows):
    """Our build against another (BENCH_BASELINE_BIN: a provider binary of an
    earlier release or commit, e.g. the one whose front proxied to
    tf-provider's server): no-op plan time and the provider's CPU share,
    the same workspace and state for both."""
    baseline = os.environ.get("BENCH_BASELINE_BIN")
    if not baseline:
        print("front: skipped (set BENCH_BASELINE_BIN to a provider binary to compare with)")
        return
    n = max(SIZES)
    emu = Emulator("--rate-limit", "off")
    d, env = workspace(emu, roles_config(n, limited=False))
    d2, env2 = workspace(None, data_config(n), rbac=False)
    tf(d, env, "apply", "-auto-approve")
    tf(d2, env2, "apply", "-auto-approve")
    base_dir = tempfile.mkdtemp(prefix="rbac-bench-baseline-")
    shutil.copy(baseline, os.path.join(base_dir, "terraform-provider-rbac"))
    with open(os.path.join(base_dir, "terraform.rc"), "w") as f:
        f.write(cli_config(base_dir))
    base_env = dict(env, TF_CLI_CONFIG_FILE=os.path.join(base_dir, "terraform.rc"))
    before, after = [], []
    for _ in range(REPEAT):
        before.append(tf(d, base_env, "plan", "-detailed-exitcode")[0])
        after.append(tf(d, env, "plan", "-detailed-exitcode")[0])
    shares = []
    for binary in (os.path.join(base_dir, "terraform-provider-rbac"), None):
        own, provider, _, _ = cpu_split(d, env, d2, env2, provider_bin=binary)
        shares.append(100 * provider / (own + provider))
    emu.stop()
    rows.append(("no-op plan %d roles: baseline build -> this build" % n,
                 "%s -> %s" % (spread(before), spread(after)),
                 "%.2fx faster" % (statistics.median(before) / statistics.median(after)), ""))
    rows.append(("provider's CPU share, no-op plan %d roles: baseline -> this build" % n,
                 "%.1f%% -> %.1f%%" % tuple(shares), "", "<= 7%"))


def writes_rows(rows):
    # Writes cost one request where the vendor's answer (or the plan) says
    # all the state needs (README.md, "Performance", the target column).
    write_targets = {"flashduty": "1 / 1 / 1, refresh O(1) lists",
                     # SlashID lists hold names only: one GET per role.
                     "slashid": "1 / 1 / 1, refresh 1 GET per role",
                     "rootly": "<= 1.1 each, refresh O(1) lists", "zenml": "<= 1.1 each, refresh O(1) lists"}
    for vendor in VENDOR_CONFIGS:
        per_role, calls = write_calls(vendor, REFRESH_N)
        detail = ", ".join("%d %s" % (c, e) for e, c in sorted(calls.items(), key=lambda x: -x[1])[:3])
        rows.append(("%s: requests per create / update / delete / refresh (%d roles)" % (vendor, REFRESH_N),
                     " / ".join("%.2f" % per_role[op] for op in ("create", "update", "delete", "refresh")),
                     "", write_targets[vendor]))
        rows.append(("%s: API calls, no-op refresh of %d roles" % (vendor, REFRESH_N), detail,
                     "%.3f calls/role" % per_role["refresh"], "O(1) list calls"))


def rate_rows(rows):
    # Flashduty at its documented limits. With one request per role, 950
    # roles fit in one minute's window (floor about 19 s at 50/s); 1000 need
    # a second minute for the last requests.
    for rate_n in RATE_NS:
        emu = Emulator("--rate-limit", "on")
        d, env = workspace(emu, roles_config(rate_n, limited=True))
        took, p = tf(d, env, "apply", "-auto-approve", check=False)
        stats = emu.stats()
        emu.stop()
        total = stats["total"]
        floor = limit_floor(total, [(50, 1.0), (1000, 60.0)])
        throttled = sum(v.get("429", 0) for v in stats["endpoints"].values())
        surfaced = (p.stdout + p.stderr).count("RequestTooFrequently")
        rows.append(("apply %d roles at 50/s + 1000/min" % rate_n,
                     "%.1f s for %d requests (floor %.1f s)" % (took, total, floor),
                     "%.3f" % (took / max(floor, 1)), "<= 1.10"))
        rows.append(("requests for %d roles at the limits" % rate_n, "%d" % total,
                     "%+d" % (total - rate_n), "<= roles + 5"))
        rows.append(("429s seen by the emulator / reaching Terraform (%d roles)" % rate_n,
                     "%d / %d" % (throttled, surfaced), "exit %d" % p.returncode, "0 reaching Terraform"))


def schema_rows(rows):
    d, env = workspace(None, 'provider "rbac" {}\n')
    times = [tf(d, env, "providers", "schema", "-json")[0] for _ in range(5)]
    rows.append(("terraform providers schema -json", "%.3f s (best of 5)" % min(times), "", "well under 1 s"))
    size = os.path.getsize(os.path.join(BIN, "terraform-provider-rbac"))
    rows.append(("release binary size", "%.1f MiB" % (size / 1048576), "", ""))


def assignment_setup(emu, vendor, n):
    """Seeds `n` holders of `vendor` in the emulator; returns (the
    configuration of one assignment per holder given a value, the two
    values: created with, updated to)."""
    rootly = {"Authorization": "Bearer " + ROOTLY_TOKEN}
    if vendor == "flashduty":
        add = [{"member_name": "Bench %d" % i, "email": "bench%d@example.com" % i, "role_ids": [8]} for i in range(n)]
        ids = [m["member_id"] for m in emu.call("POST", "/__emulator/flashduty/members", {"add": add})["added"]]
        keys = ", ".join('"%d"' % i for i in ids)
        return (lambda v: 'provider "rbac" {\n  flashduty {\n    max_requests_per_second = 0\n'
                '    max_requests_per_minute = 0\n  }\n}\nresource "rbac_flashduty_member_roles" "m" {\n'
                '  for_each = toset([%s])\n  member_id = tonumber(each.key)\n  role_ids = %s\n}\n' % (keys, v)), ("[6]", "[2, 6]")
    if vendor == "rootly":
        ids = [emu.call("POST", "/__emulator/rootly/users", {"email": "bench%d@example.com" % i})["id"] for i in range(n)]
        roles = emu.call("GET", "/rootly/v1/on_call_roles?page[size]=100", headers=rootly)["data"]
        role = {r["attributes"]["name"]: r["id"] for r in roles}
        keys = ", ".join('"%s"' % i for i in ids)
        return (lambda v: 'provider "rbac" {\n  rootly {\n    max_requests_per_minute = 0\n  }\n}\n'
                'resource "rbac_rootly_user_on_call_role" "u" {\n  for_each = toset([%s])\n  user_id = each.key\n'
                '  on_call_role_id = "%s"\n}\n' % (keys, v)), (role["User"], role["Observer"])
    if vendor == "slashid":
        ids = ["pid:01900000-0000-7000-8000-2%011d" % i for i in range(n)]
        emu.call("POST", "/__emulator/slashid/persons", {"add": [{"person_id": i} for i in ids]})
        sid = {"SlashID-OrgID": SLASHID_ORG, "SlashID-API-Key": SLASHID_KEY}
        for role in ("reader", "writer"):
            emu.call("POST", "/slashid/rbac/roles", {"name": "%s/%s" % (SLASHID_ORG, role), "description": "",
                                                      "permissions": []}, headers=sid)
        keys = ", ".join('"%s"' % i for i in ids)
        return (lambda v: 'provider "rbac" {\n  slashid {}\n}\nresource "rbac_slashid_person_roles" "p" {\n'
                '  for_each = toset([%s])\n  person_id = each.key\n  roles = %s\n}\n' % (keys, v)), \
            ('["reader"]', '["reader", "writer"]')
    ids = ["0000beef-0000-4000-8000-%012x" % i for i in range(n)]
    login = urllib.request.Request(emu.url + "/zenml/auth/login", data=("password=" + ZENML_KEY).encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(login) as r:
        zen = {"Authorization": "Bearer " + json.load(r)["access_token"]}
    roles = emu.call("GET", "/zenml/organizations/%s/roles?level=organization" % ZENML_ORG, headers=zen)
    role = {r["name"]: r["id"] for r in roles}
    keys = ", ".join('"%s"' % i for i in ids)
    return (lambda v: 'provider "rbac" {\n  zenml {}\n}\nresource "rbac_zenml_role_assignment" "a" {\n'
            '  for_each = toset([%s])\n  role_id = "%s"\n  user_id = each.key\n}\n' % (keys, v)), \
        (role["Viewer"], role["Editor"])


def assignment_rows(rows):
    """Requests per holder of each assignment resource: create, update
    (-refresh=false, so only the writes count), delete, and a no-op plan's
    refresh. A write is one request; a refresh walks the vendor's listing
    once (SlashID has no listing of persons' roles: one GET per person)."""
    # A create is 1 request plus O(list pages) per run (the plan-time check
    # of what it revokes reads the listing taken first); SlashID has no
    # listing of persons' roles, so that check is one GET per person in the
    # plan walk and one in the apply walk, and a refresh one GET per person.
    targets = {"flashduty": "1 + O(pages) / 1 / 0 / O(pages)",
               "rootly": "1 + O(pages) / 1 / 0 / O(pages)",
               "slashid": "1 + 2 GETs / 1 / 1 / 1 GET per person",
               "zenml": "1 + O(roles) / 2 (replace) / 1 / O(roles)"}
    types = {"flashduty": "rbac_flashduty_member_roles", "rootly": "rbac_rootly_user_on_call_role",
             "slashid": "rbac_slashid_person_roles", "zenml": "rbac_zenml_role_assignment"}
    for vendor in ("flashduty", "rootly", "slashid", "zenml"):
        print("bench: %s assignments of %d holders" % (vendor, HOLDERS_N), file=sys.stderr)
        emu = Emulator("--rate-limit", "off")
        config, (one, two) = assignment_setup(emu, vendor, HOLDERS_N)
        d, env = workspace(emu, config(one))
        per = {}
        emu.reset_stats()
        tf(d, env, "apply", "-auto-approve")
        per["create"] = vendor_requests(emu.stats()) / HOLDERS_N
        emu.reset_stats()
        tf(d, env, "plan", "-detailed-exitcode")
        per["refresh"] = vendor_requests(emu.stats()) / HOLDERS_N
        with open(os.path.join(d, "main.tf"), "w") as f:
            f.write(REQUIRED + config(two))
        emu.reset_stats()
        tf(d, env, "apply", "-auto-approve", "-refresh=false")
        per["update"] = vendor_requests(emu.stats()) / HOLDERS_N
        emu.reset_stats()
        tf(d, env, "destroy", "-auto-approve", "-refresh=false")
        per["delete"] = vendor_requests(emu.stats()) / HOLDERS_N
        emu.stop()
        rows.append(("%s: requests per create / update / delete / refresh (%d holders)" % (types[vendor], HOLDERS_N),
                     " / ".join("%.3f" % per[op] for op in ("create", "update", "delete", "refresh")),
                     "", targets[vendor]))


def access_setup(emu, n):
    """`n` people with an account in every vendor: Flashduty members
    (Responder), Rootly users, SlashID persons (email handles), ZenML users,
    a tenth of them in a team holding the workspace Admin, and the others
    holding the organization Viewer directly. Returns their emails."""
    emails = ["review%d@example.com" % i for i in range(n)]
    emu.call("POST", "/__emulator/flashduty/members",
             {"add": [{"member_name": "Review %d" % i, "email": e, "role_ids": [6]} for i, e in enumerate(emails)]})
    for e in emails:
        emu.call("POST", "/__emulator/rootly/users", {"email": e})
    emu.call("POST", "/__emulator/slashid/persons",
             {"add": [{"person_id": "pid:01900000-0000-7000-8000-3%011d" % i, "email": e}
                      for i, e in enumerate(emails)]})
    users = ["0000feed-0000-4000-8000-%012x" % i for i in range(n)]
    team = "0000feed-0000-4000-9000-000000000001"
    emu.call("POST", "/__emulator/zenml/people",
             {"users": [{"id": u, "email": e, "name": e} for u, e in zip(users, emails)],
              "teams": [{"id": team, "name": "Reviewed", "members": users[: max(1, n // 10)]}]})
    login = urllib.request.Request(emu.url + "/zenml/auth/login", data=("password=" + ZENML_KEY).encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(login) as r:
        zen = {"Authorization": "Bearer " + json.load(r)["access_token"]}
    roles = emu.call("GET", "/zenml/organizations/%s/roles" % ZENML_ORG, headers=zen)
    role = {(r["level"], r["name"]): r["id"] for r in roles}
    emu.call("POST", "/zenml/roles/%s/assignments?team_id=%s&workspace_id=%s"
             % (role[("workspace", "Admin")], team, "0000feed-0000-4000-a000-000000000001"), headers=zen)
    for u in users[max(1, n // 10):]:
        emu.call("POST", "/zenml/roles/%s/assignments?user_id=%s" % (role[("organization", "Viewer")], u),
                 headers=zen)
    return emails


def access_rows(rows):
    """An access review of REVIEW_N people present in every vendor: the
    requests each vendor answered for one plan (O(list pages), except
    SlashID: 2 per person), and the plan's time."""
    print("bench: access review of %d people" % REVIEW_N, file=sys.stderr)
    emu = Emulator("--rate-limit", "off")
    emails = access_setup(emu, REVIEW_N)
    config = ('provider "rbac" {}\ndata "rbac_access" "review" {\n  emails = %s\n}\n'
              'output "grants" {\n  value = length(data.rbac_access.review.grants)\n}\n' % json.dumps(emails))
    d, env = workspace(emu, config)
    emu.reset_stats()
    took, _ = tf(d, env, "plan")
    stats = emu.stats()
    emu.stop()
    per_vendor = {}
    for endpoint, outcomes in stats["endpoints"].items():
        if endpoint.endswith("/auth/login"):
            continue
        vendor = endpoint.split("/")[1]
        per_vendor[vendor] = per_vendor.get(vendor, 0) + sum(outcomes.values())
    figure = ", ".join("%s %d" % (v, per_vendor.get(v, 0)) for v in ("flashduty", "rootly", "slashid", "zenml"))
    rows.append(("rbac_access: requests for a review of %d people (per vendor)" % REVIEW_N, figure,
                 "%.2f calls/person" % (sum(per_vendor.values()) / REVIEW_N),
                 "O(pages); SlashID 1 + 2 per person"))
    rows.append(("rbac_access: plan of a %d-person review" % REVIEW_N, "%.2f s" % took, "", ""))


def report(rows):
    header = ("measurement", "figure", "ratio", "target")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(4)]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in [header] + rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    text = "# make bench, %s\n\nterraform: %s; machine: %d cores\n\n%s\n" % (
        stamp, subprocess.run([TF, "version"], capture_output=True, text=True).stdout.splitlines()[0],
        os.cpu_count(), "\n".join(lines))
    print(text)
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", stamp + ".md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
