#!/usr/bin/env python3
"""Tandem next to its peers, in one run: see bench/README.md.

Called by bench/run after the installs and the release build. Standard library
only. Loads the synthetic network into PostgreSQL (once per scale), starts Tandem
and PostGraphile on that database with the same pool size, drives both with wrk
from a separate process on loopback, runs the PostGIS query with pgbench, runs
Tandem's SQLite default under a 90/10 read/write mix, and writes the tables into
BENCHMARKS.md and the raw figures into bench/results/latest.json (with --output
elsewhere, both go there instead, so a smoke run leaves the checked-in figures alone).
"""

import argparse
import base64
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
TANDEM = os.path.join(ROOT, "target", "release", "tandem")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
EMAIL = "bench@tandem.bench"
PASSWORD = "bench-password-2026"
TANDEM_PORT = 18080
PGL_PORT = 18081
SQLITE_PORT = 18082
POOL = 10


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(cmd, env=None, input=None, check=True):
    out = subprocess.run(
        cmd, env=env, input=input, capture_output=True, text=True, check=False
    )
    if check and out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out


def psql(url, sql):
    return run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", url, "-c", sql]).stdout.strip()


def gid(kind, key):
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode().rstrip("=")


def post(url, body, token=None):
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def wait_http(url, what, proc, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode} while starting")
        try:
            post(url, {"query": "{ __typename }"})
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise SystemExit(f"{what} did not answer at {url} within {seconds} s")


class Server:
    """A child process in its own process group, stopped at the end."""

    def __init__(self, name, cmd, env, logdir, cwd=None):
        self.name = name
        self.log = open(os.path.join(logdir, f"{name}.log"), "w")
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def tandem_env(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        TANDEM_DB_MAX_CONNECTIONS=str(POOL),
        TANDEM_ENV="production",
        RUST_LOG=env.get("RUST_LOG", "warn"),
    )
    return env


def ensure_network(url, args):
    """Creates and fills the benchmark database unless it already holds this scale."""
    scale = f"volunteers={args.volunteers} families={args.families} seed={args.seed}"
    db = args.database
    exists = psql(PG_ADMIN, f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    if exists and not args.regenerate:
        have = psql(url, "SELECT to_regclass('bench_meta') IS NOT NULL")
        if have == "t" and psql(url, "SELECT scale FROM bench_meta") == scale:
            log(f"reusing {db} ({scale})")
            return postgis_setup(url)
    if exists:
        psql(PG_ADMIN, f'DROP DATABASE "{db}" WITH (FORCE)')
    psql(PG_ADMIN, f'CREATE DATABASE "{db}"')
    log(f"generating {scale} into {db}")
    started = time.time()
    generate(url, args.volunteers, args.families, args.seed)
    log(f"(wall {time.time() - started:.0f} s)")
    run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", "VACUUM ANALYZE"])
    psql(url, f"CREATE TABLE bench_meta (scale text); INSERT INTO bench_meta VALUES ('{scale}')")
    postgis_setup(url)


def postgis_setup(url):
    """What a developer adds for the PostGIS query (idempotent), then fresh statistics."""
    for script in ("setup.sql", "expert-setup.sql"):
        started = time.time()
        run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f",
             os.path.join(BENCH, "postgis", script)])
        log(f"applied bench/postgis/{script} ({time.time() - started:.0f} s)")
    run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", "ANALYZE"])


def generate(url, volunteers, families, seed):
    out = run([TANDEM, "generate", "--volunteers", str(volunteers), "--families", str(families),
               "--seed", str(seed)], env=tandem_env(url))
    log(out.stdout.strip())


def ensure_user(url):
    run([TANDEM, "users", "add", "--email", EMAIL, "--name", "Benchmark coordinator",
         "--role", "coordinator", "--password-stdin"],
        env=tandem_env(url), input=PASSWORD, check=False)


def login(graphql):
    body = {"query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            "variables": {"e": EMAIL, "p": PASSWORD}}
    reply = post(graphql, body)
    if "errors" in reply:
        raise SystemExit(f"login failed: {reply['errors']}")
    return reply["data"]["login"]["token"]


def write_bodies(path, bodies):
    """One JSON body per line; the string "__WEIGHT__" becomes a bare placeholder
    that wrk replaces with a number per request."""
    with open(path, "w") as f:
        for b in bodies:
            f.write(json.dumps(b, separators=(",", ":")).replace('"__WEIGHT__"', "__WEIGHT__") + "\n")
    return path


def counters(url):
    """Tandem's counters from /metrics: kept and computed rankings, and the
    audit writer's wait (seconds summed, requests) and commits."""
    base = url.rsplit("/graphql", 1)[0]
    with urllib.request.urlopen(f"{base}/metrics", timeout=30) as resp:
        text = resp.read().decode()
    names = {
        'tandem_match_rankings_total{source="kept"}': "kept",
        'tandem_match_rankings_total{source="computed"}': "computed",
        "tandem_audit_write_duration_seconds_sum": "audit_wait_s",
        "tandem_audit_write_duration_seconds_count": "audit_requests",
        "tandem_audit_commits_total": "audit_commits",
    }
    counts = dict.fromkeys(names.values(), 0.0)
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name in names:
            counts[names[name]] = float(value)
    return counts


def tandem_series(label, runs_fn, url, args):
    """A series against Tandem, with what its counters say about it (over the
    warm-up and the timed runs): where the rankings came from, and how long
    requests waited for their audit entries to be committed."""
    before = counters(url)
    r = series(label, runs_fn, args)
    after = counters(url)
    d = {k: after[k] - before[k] for k in after}
    r["rankings"] = {"kept": d["kept"], "computed": d["computed"]}
    if d["audit_requests"]:
        r["audit"] = {"requests": d["audit_requests"],
                      "mean_wait_ms": 1000 * d["audit_wait_s"] / d["audit_requests"],
                      "requests_per_commit": d["audit_requests"] / max(d["audit_commits"], 1)}
    return r


def wrk(url, bodies, token, seconds, connections):
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", os.path.join(BENCH, "wrk", "graphql.lua"), url, "--", bodies, token or ""]
    out = run(cmd).stdout
    m = re.search(r"^RESULT (\{.*\})$", out, re.M)
    if not m:
        raise SystemExit(f"wrk printed no RESULT:\n{out}")
    r = json.loads(m.group(1))
    r["rps"] = r["requests"] / r["seconds"]
    r["errors"] = r["graphql_errors"] + r["http_errors"] + r["socket_errors"]
    return r


def pgbench(url, script, families, seconds, connections, logdir):
    prefix = os.path.join(logdir, "pgbench")
    for f in os.listdir(logdir):
        if f.startswith("pgbench"):
            os.remove(os.path.join(logdir, f))
    cmd = ["pgbench", "-n", "-c", str(connections), "-j", "2", "-T", str(seconds), "-M", "prepared",
           "-f", script, "-D", f"families={families}", "-l", "--log-prefix", prefix, url]
    out = run(cmd).stdout
    tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))
    failed = int(re.search(r"number of failed transactions: (\d+)", out).group(1))
    lat = []
    for f in os.listdir(logdir):
        if f.startswith("pgbench"):
            with open(os.path.join(logdir, f)) as fh:
                lat.extend(int(line.split()[2]) for line in fh if line.strip())
    lat.sort()
    pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000.0
    return {"rps": tps, "requests": len(lat), "mean_ms": sum(lat) / len(lat) / 1000.0,
            "p50_ms": pick(0.50), "p90_ms": pick(0.90),
            "p99_ms": pick(0.99), "max_ms": lat[-1] / 1000.0, "errors": failed}


def stolen_ticks():
    """CPU time the hypervisor took from this machine's CPUs (the `steal`
    column of /proc/stat), in clock ticks, all CPUs together."""
    with open("/proc/stat") as f:
        return int(f.readline().split()[8])


class FreezeWatch:
    """Watches the machine during one run: on each CPU a thread of this
    process, pinned to that CPU, sleeps 2 ms at a time and notes each wake-up
    that came 50 ms or more late. Under load a wake-up can wait some
    milliseconds for a CPU; 50 ms late means that the CPU stopped (a VM whose
    CPU its host took away). Spans seen on several CPUs that overlap count as
    one freeze (a thread that wakes while another holds the interpreter's
    lock waits for it, so a freeze of one CPU can show on both). The CPU time
    stolen from all of them over the run comes from /proc/stat."""

    TICK, FROZEN = 0.002, 0.050

    def __enter__(self):
        self.spans, self.done = [], threading.Event()
        self.started, self.stolen = time.monotonic(), stolen_ticks()
        self.cpu = CpuWatch(self.done)
        self.threads = [threading.Thread(target=self.watch, args=(cpu,), daemon=True)
                        for cpu in sorted(os.sched_getaffinity(0))]
        self.threads.append(threading.Thread(target=self.cpu.sample, daemon=True))
        for t in self.threads:
            t.start()
        return self

    def watch(self, cpu):
        os.sched_setaffinity(0, {cpu})  # on Linux, 0 is the calling thread
        last = time.monotonic()
        while not self.done.is_set():
            time.sleep(self.TICK)
            now = time.monotonic()
            if now - last - self.TICK >= self.FROZEN:
                self.spans.append((last + self.TICK, now))
            last = now

    def freezes(self):
        """The spans of every CPU, overlapping ones merged, in order."""
        merged = []
        for begin, end in sorted(self.spans):
            if merged and begin <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([begin, end])
        return [end - begin for begin, end in merged]

    def __exit__(self, *exc):
        self.done.set()
        for t in self.threads:
            t.join()
        cpu_seconds = (time.monotonic() - self.started) * os.cpu_count()
        stolen = (stolen_ticks() - self.stolen) / os.sysconf("SC_CLK_TCK")
        freezes = self.freezes()
        self.figures = {"freezes": len(freezes),
                        "frozen_ms": 1000 * sum(freezes),
                        "longest_freeze_ms": 1000 * max(freezes, default=0.0),
                        "stolen_pct": 100 * stolen / cpu_seconds,
                        **self.cpu.figures()}
        return False


def busy_ticks():
    """(busy, total) clock ticks of all CPUs together, from /proc/stat (busy:
    everything but idle, iowait and steal)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    total = sum(v)
    return total - v[3] - v[4] - v[7], total


def process_ticks():
    """{pid: (parent pid, user + system ticks, command line)} of every process."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(pid)] = (int(fields[1]), int(fields[11]) + int(fields[12]), cmdline)
    return out


class CpuWatch:
    """What the rest of the machine did during a run. The benchmark's own
    processes are this script's descendants (servers, wrk, pgbench) and the
    PostgreSQL backends serving the benchmark database (their process title
    names it); everything else busy on the machine is "others" (other people's
    compilers and tests on a shared machine, and PostgreSQL's shared background
    processes). Others = the machine's busy CPU time (/proc/stat) minus the
    benchmark's (/proc/PID/stat, sampled every 0.5 s so that processes that end
    during the run, like pgbench's backends, are counted up to their last sample).
    In cores: 1.0 is one CPU kept busy for the whole run."""

    database = None  # set by main: the benchmark database's name

    def __init__(self, done):
        self.done = done
        self.begin = time.monotonic()
        self.busy0 = busy_ticks()
        self.base = {pid: t for pid, (_, t, _) in process_ticks().items()}
        self.last = {}

    def ours(self, procs):
        me = os.getpid()
        mine = {me}
        children = {}
        for pid, (ppid, _, _) in procs.items():
            children.setdefault(ppid, []).append(pid)
        stack = [me]
        while stack:
            for c in children.get(stack.pop(), []):
                if c not in mine:
                    mine.add(c)
                    stack.append(c)
        if self.database:
            mine |= {pid for pid, (_, _, cmd) in procs.items()
                     if cmd.startswith("postgres:") and f" {self.database} " in cmd}
        return mine

    def take(self):
        procs = process_ticks()
        for pid in self.ours(procs):
            self.last[pid] = procs[pid][1]

    def sample(self):
        while not self.done.wait(0.5):
            self.take()

    def figures(self):
        self.take()
        busy1 = busy_ticks()
        seconds = max(time.monotonic() - self.begin, 1e-9)
        hz = os.sysconf("SC_CLK_TCK")
        busy = (busy1[0] - self.busy0[0]) / hz / seconds
        ours = sum(t - self.base.get(pid, 0) for pid, t in self.last.items()) / hz / seconds
        return {"busy_cores": busy, "ours_cores": ours, "others_cores": max(0.0, busy - ours)}


def watched(runs_fn):
    """One run, with what the machine did meanwhile (see FreezeWatch)."""
    with FreezeWatch() as watch:
        r = runs_fn()
    r["machine"] = watch.figures
    return r


def alternating(runs, args):
    """Several series measured turn about, in the same sitting: one warm-up run
    of each, then timed runs of each in turn (A B C, A B C, ...), so that the
    machine's moods fall on all of them alike. `runs` is a list of (key, label,
    run function, Tandem URL or None); Tandem series get their counters (see
    tandem_series). Returns {key: summary}."""
    for _, _, fn, _ in runs:
        fn()  # warm-up, not counted
    before = {key: counters(url) for key, _, _, url in runs if url}
    done = {key: [] for key, _, _, _ in runs}
    for _ in range(args.runs):
        for key, _, fn, url in runs:
            if url:
                c0 = counters(url)
            r = watched(fn)
            if url:
                c1 = counters(url)
                r["counters"] = {k: c1[k] - c0[k] for k in c1}
            done[key].append(r)
    out = {}
    for key, label, _, url in runs:
        out[key] = summarize(label, done[key])
        if url:
            d = {k: sum(r["counters"][k] for r in done[key]) for k in before[key]}
            out[key]["rankings"] = {"kept": d["kept"], "computed": d["computed"]}
            if d["audit_requests"]:
                out[key]["audit"] = {
                    "requests": d["audit_requests"],
                    "mean_wait_ms": 1000 * d["audit_wait_s"] / d["audit_requests"],
                    "requests_per_commit": d["audit_requests"] / max(d["audit_commits"], 1)}
    return out


def series(label, runs_fn, args):
    runs_fn()  # warm-up, not counted
    return summarize(label, [watched(runs_fn) for _ in range(args.runs)])


def summarize(label, results):
    med = lambda k: statistics.median(r[k] for r in results)
    summary = {
        "rps": med("rps"), "mean_ms": med("mean_ms"), "p50_ms": med("p50_ms"), "p99_ms": med("p99_ms"),
        "worst_p99_ms": max(r["p99_ms"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "requests": sum(r["requests"] for r in results), "runs": results,
        "freezes": sum(r["machine"]["freezes"] for r in results),
        "stolen_pct": statistics.median(r["machine"]["stolen_pct"] for r in results),
        "others_cores": statistics.median(r["machine"].get("others_cores", 0.0) for r in results),
        "ours_cores": statistics.median(r["machine"].get("ours_cores", 0.0) for r in results),

        "max_others_cores": max(r["machine"].get("others_cores", 0.0) for r in results),
    }
    first = next((r.get("first_error") for r in results if r.get("first_error")), "")
    log(f"{label}: {summary['rps']:.0f} req/s, p50 {summary['p50_ms']:.2f} ms, "
        f"p99 {summary['p99_ms']:.2f} ms, errors {summary['errors']}, machine froze "
        f"{summary['freezes']} times, stole {summary['stolen_pct']:.1f}%, others used "
        f"{summary['others_cores']:.2f} cores {first}")
    if first:
        summary["first_error"] = first
    return summary


VOLUNTEER_T = ("query Volunteer($id: ID!) { volunteer(id: $id) { id name status "
               "languages { language { code } level } } }")
VOLUNTEER_P = ("query Volunteer($id: UUID!) { volunteerByRowId(rowId: $id) { rowId name status "
               "volunteerLanguagesByVolunteerId { nodes { languageCode level } } } }")
FAMILIES_T = ("query Families { families(first: 20) { edges { node { id reference displayName "
              "status plan { status pointOfContact } children { ageYears } } } "
              "pageInfo { endCursor hasNextPage } } }")
FAMILIES_P = ("query Families { allFamilies(first: 20) { nodes { rowId reference displayName status "
              "planByFamilyId { status pointOfContact } familyChildrenByFamilyId { nodes { ageYears } } } "
              "pageInfo { endCursor hasNextPage } } }")
MATCHES_T = ("query Matches($id: ID!) { matchesForFamily(familyId: $id, first: 10) { "
             "consideredVolunteers candidates { volunteer { id name } score distanceKm } } }")
# The same with a language weight that differs on every request (wrk puts a fresh
# number in place of __WEIGHT__): no ranking can be kept from an earlier request.
MATCHES_COLD_T = ("query Matches($id: ID!, $w: Float!) { matchesForFamily(familyId: $id, first: 10, "
                  "weights: {language: $w}) { consideredVolunteers candidates { volunteer { id name } "
                  "score distanceKm } } }")
FLOOR = "{ __typename }"
LATENCY_CONNECTIONS = (1, 4, 16)


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024 // 1024
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem, "kernel": platform.release()}


def versions(url):
    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    pkg = json.load(open(os.path.join(BENCH, "postgraphile", "package.json")))
    deps = pkg.get("dependencies", {})
    node = os.path.join(BENCH, "postgraphile", "node_modules", "node", "bin", "node")
    return {
        "tandem": first_line(["git", "-C", ROOT, "describe", "--always", "--dirty"]),
        "rustc": first_line(["rustc", "--version"]),
        "postgresql": psql(url, "SHOW server_version"),
        "postgis": psql(url, "SELECT extversion FROM pg_extension WHERE extname = 'postgis'"),
        "postgraphile": deps.get("postgraphile", "?"),
        "node": first_line([node, "--version"]),
        "wrk": first_line(["wrk", "-v"]),
        "pgbench": first_line(["pgbench", "--version"]),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--volunteers", type=int, default=100_000)
    p.add_argument("--families", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--seconds", type=int, default=10, help="length of one run")
    p.add_argument("--runs", type=int, default=3, help="runs per scenario (after one warm-up)")
    p.add_argument("--connections", type=int, default=50)
    p.add_argument("--database", default="tandem_bench")
    p.add_argument("--sqlite-volunteers", type=int, help="SQLite mix scale (default: --volunteers)")
    p.add_argument("--sqlite-families", type=int, help="SQLite mix scale (default: --families)")
    p.add_argument("--regenerate", action="store_true", help="drop and generate the data again")
    p.add_argument("--skip-batch", action="store_true",
                   help="leave out the batch comparison with OR-tools (bench/batch/run.py)")
    p.add_argument("--skip-scale", action="store_true",
                   help="leave out the scale curve (bench/scale.py)")
    p.add_argument("--scale-sizes", default="10000,100000,1000000",
                   help="volunteers for the scale curve, comma-separated")
    p.add_argument("--compare-families", type=int, default=200,
                   help="families for which expert.sql must return Tandem's top 10 (half Brussels)")
    p.add_argument("--output", default=os.path.join(ROOT, "BENCHMARKS.md"))
    p.add_argument("--report-from", metavar="FILE.json",
                   help="only write the report again from the raw figures of an earlier run "
                        "(after editing bench/NOTES.md)")
    args = p.parse_args()
    if args.report_from:
        with open(args.report_from) as f:
            raw = json.load(f)
        for key, value in raw["info"]["args"].items():
            if key not in ("output", "report_from"):
                setattr(args, key, value)
        write_report(args.output, raw["info"], raw["results"], args)
        log(f"wrote {args.output} from {args.report_from}")
        return
    args.sqlite_volunteers = args.sqlite_volunteers or args.volunteers
    args.sqlite_families = args.sqlite_families or args.families

    # Loopback: no TLS for either server (sqlx would otherwise negotiate it).
    url = f"postgres://postgres@127.0.0.1:5432/{args.database}?sslmode=disable"
    CpuWatch.database = args.database
    logdir = tempfile.mkdtemp(prefix="tandem-bench-")
    ensure_network(url, args)
    ensure_user(url)
    servers = []
    results = {}
    try:
        tandem = Server("tandem", [TANDEM, "serve", "--bind", f"127.0.0.1:{TANDEM_PORT}"],
                        tandem_env(url), logdir)
        servers.append(tandem)
        pgl_env = dict(os.environ, BENCH_DATABASE_URL=url, BENCH_POOL_SIZE=str(POOL),
                       BENCH_PGL_PORT=str(PGL_PORT))
        pgl = Server("postgraphile", [os.path.join(BENCH, "postgraphile", "serve.sh")], pgl_env,
                     logdir, cwd=os.path.join(BENCH, "postgraphile"))
        servers.append(pgl)
        t_url = f"http://127.0.0.1:{TANDEM_PORT}/graphql"
        p_url = f"http://127.0.0.1:{PGL_PORT}/graphql"
        wait_http(t_url, "tandem", tandem.proc)
        wait_http(p_url, "postgraphile", pgl.proc)
        token = login(t_url)

        volunteers = psql(url, "SELECT id FROM volunteer ORDER BY md5(id::text) LIMIT 1000").split()
        families = psql(url, "SELECT family_id FROM bench_family ORDER BY n LIMIT 1000").split()
        n_families = int(psql(url, "SELECT count(*) FROM bench_family"))
        files = {
            "floor": write_bodies(os.path.join(logdir, "floor.jsonl"), [{"query": FLOOR}]),
            "volunteer_t": write_bodies(os.path.join(logdir, "volunteer_t.jsonl"), [
                {"query": VOLUNTEER_T, "variables": {"id": gid("Volunteer", v)}} for v in volunteers]),
            "volunteer_p": write_bodies(os.path.join(logdir, "volunteer_p.jsonl"), [
                {"query": VOLUNTEER_P, "variables": {"id": v}} for v in volunteers]),
            "families_t": write_bodies(os.path.join(logdir, "families_t.jsonl"), [{"query": FAMILIES_T}]),
            "families_p": write_bodies(os.path.join(logdir, "families_p.jsonl"), [{"query": FAMILIES_P}]),
            "matches_t": write_bodies(os.path.join(logdir, "matches_t.jsonl"), [
                {"query": MATCHES_T, "variables": {"id": gid("Family", f)}} for f in families]),
            "matches_cold_t": write_bodies(os.path.join(logdir, "matches_cold_t.jsonl"), [
                {"query": MATCHES_COLD_T, "variables": {"id": gid("Family", f), "w": "__WEIGHT__"}}
                for f in families]),
        }
        # Both sides must answer the same questions without errors before they are timed.
        for name, target, key, tok in [
            ("volunteer", t_url, "volunteer_t", token), ("volunteer", p_url, "volunteer_p", None),
            ("families", t_url, "families_t", token), ("families", p_url, "families_p", None),
            ("matches", t_url, "matches_t", token),
            ("matches, ranked afresh", t_url, "matches_cold_t", token),
        ]:
            with open(files[key]) as f:
                body = json.loads(f.readline().replace("__WEIGHT__", "0.35"))
            reply = post(target, body, tok)
            if "errors" in reply or not reply.get("data"):
                raise SystemExit(f"{name} on {target} answers with errors: {reply}")
        # Both SQL queries must return exactly Tandem's top 10 (half of the families
        # compared from Brussels, half from elsewhere) before either is timed.
        for query, k in (("expert.sql", args.compare_families), ("straightforward.sql", 20)):
            out = run([sys.executable, os.path.join(BENCH, "postgis", "compare.py"),
                       "--tandem-url", t_url, f"--token={token}", "--database-url", url,
                       "--families", str(k), "--sql", os.path.join(BENCH, "postgis", query)])
            log(out.stdout.strip().splitlines()[-1])
            results.setdefault("compare", {})[query] = out.stdout.strip().splitlines()[-1]

        c, s = args.connections, args.seconds
        expert = os.path.join(BENCH, "postgis", "expert.sql")
        straight = os.path.join(BENCH, "postgis", "straightforward.sql")
        # PostGraphile: both servers warm (each series starts with a warm-up run);
        # PostGraphile 5 keeps no results between requests, and neither does Tandem
        # for these three queries (it keeps the records, not the answers).
        for key, title, t_body, p_body in [
            ("floor", "{ __typename }", ("floor", None), ("floor", None)),
            ("volunteer", "volunteer by primary key, with languages",
             ("volunteer_t", token), ("volunteer_p", None)),
            ("families", "20 families with plan and children",
             ("families_t", token), ("families_p", None)),
        ]:
            got = alternating([
                ("tandem", f"{key} tandem",
                 lambda b=t_body: wrk(t_url, files[b[0]], b[1], s, c), t_url),
                ("other", f"{key} PostGraphile 5",
                 lambda b=p_body: wrk(p_url, files[b[0]], b[1], s, c), None),
            ], args)
            results[key] = {"title": title, "peer": "PostGraphile 5", **got}
        # matchesForFamily, four series in turn at 50 connections: Tandem ranking
        # afresh (a language weight of its own on every request, so no ranking is
        # kept), the expert SQL, Tandem answering from kept rankings, and the
        # straightforward SQL. Then the first two again at one connection.
        got = alternating([
            ("afresh", "matches afresh tandem",
             lambda: wrk(t_url, files["matches_cold_t"], token, s, c), t_url),
            ("expert", "matches expert SQL",
             lambda: pgbench(url, expert, n_families, s, c, logdir), None),
            ("kept", "matches kept tandem",
             lambda: wrk(t_url, files["matches_t"], token, s, c), t_url),
            ("straight", "matches straightforward SQL",
             lambda: pgbench(url, straight, n_families, s, c, logdir), None),
        ], args)
        expert_sql = "PostgreSQL + PostGIS, expert SQL (pgbench, prepared)"
        results["matches_cold"] = {
            "title": f"top 10 volunteers for a family, {args.volunteers:,} volunteers, "
                     "ranked afresh on every request",
            "peer": expert_sql, "tandem": got["afresh"], "other": got["expert"]}
        results["matches_straight"] = {
            "title": "the same, against the straightforward SQL",
            "peer": "PostgreSQL + PostGIS, straightforward SQL (pgbench, prepared)",
            "tandem": got["afresh"], "other": got["straight"]}
        results["matches"] = {
            "title": "top 10, answered from kept rankings where they apply (see below)",
            "peer": expert_sql, "tandem": got["kept"], "other": got["expert"]}
        got1 = alternating([
            ("afresh", "matches afresh tandem, 1 connection",
             lambda: wrk(t_url, files["matches_cold_t"], token, s, 1), t_url),
            ("expert", "matches expert SQL, 1 client",
             lambda: pgbench(url, expert, n_families, s, 1, logdir), None),
        ], args)
        results["matches_cold_1"] = {
            "title": "top 10 ranked afresh, 1 connection (latency, no queueing)",
            "peer": expert_sql, "tandem": got1["afresh"], "other": got1["expert"]}
        for r in results.values():
            if isinstance(r, dict) and "tandem" in r and "other" in r:
                r["ratio"] = r["tandem"]["rps"] / r["other"]["rps"] if r["other"]["rps"] else None
        # Closed-loop load: at 50 connections latency is mostly queueing. The
        # same query at fewer connections shows the latency of one request.
        results["matches_by_connections"] = {
            str(n): tandem_series(f"matches tandem at {n} connections",
                                  lambda n=n: wrk(t_url, files["matches_t"], token, s, n), t_url, args)
            for n in LATENCY_CONNECTIONS
        }
        for srv in servers:
            srv.stop()
        servers.clear()
        results["sqlite_mix"] = sqlite_mix(args, logdir)
        # Batch assignment next to OR-tools, and the scale curve: their figures go to
        # bench/results/batch.json and scale.json, which the report reads.
        if not args.skip_batch:
            log("batch assignment next to OR-tools (bench/batch/run.py)")
            subprocess.run([sys.executable, os.path.join(BENCH, "batch", "run.py"),
                            "--runs", "5"], check=True)
        if not args.skip_scale:
            log("the scale curve (bench/scale.py)")
            subprocess.run([sys.executable, os.path.join(BENCH, "scale.py"),
                            "--sizes", args.scale_sizes], check=True)
        info = {"machine": machine(), "versions": versions(url), "args": vars(args),
                "date": datetime.date.today().isoformat()}
    finally:
        for srv in servers:
            srv.stop()
    with open(raw_figures_path(args.output), "w") as f:
        json.dump({"info": info, "results": results}, f, indent=2)
    write_report(args.output, info, results, args)
    log(f"wrote {args.output}; logs in {logdir}")
    if not os.environ.get("BENCH_KEEP_LOGS"):
        shutil.rmtree(logdir, ignore_errors=True)


def raw_figures_path(output):
    """bench/results/latest.json for the checked-in report; next to any other --output."""
    if os.path.abspath(output) == os.path.join(ROOT, "BENCHMARKS.md"):
        os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
        return os.path.join(BENCH, "results", "latest.json")
    return os.path.splitext(output)[0] + ".json"


def sqlite_mix(args, logdir):
    """Tandem's default (embedded SQLite) under 90% reads and 10% writes."""
    folder = os.path.join(logdir, "sqlite")
    os.makedirs(folder, exist_ok=True)
    url = f"sqlite://{folder}/tandem.db?mode=rwc"
    env = tandem_env(url)
    n_vol, n_fam = args.sqlite_volunteers, args.sqlite_families
    log(f"generating {n_vol} volunteers and {n_fam} families into SQLite")
    generate(url, n_vol, n_fam, args.seed)
    ensure_user(url)
    srv = Server("tandem-sqlite", [TANDEM, "serve", "--bind", f"127.0.0.1:{SQLITE_PORT}"], env, logdir)
    try:
        t_url = f"http://127.0.0.1:{SQLITE_PORT}/graphql"
        wait_http(t_url, "tandem on SQLite", srv.proc)
        token = login(t_url)
        ids = post(t_url, {"query": "{ volunteers(first: 100) { edges { node { id } } } "
                                    "waitingList(first: 100) { edges { node { id } } } }"}, token)["data"]
        volunteers = [e["node"]["id"] for e in ids["volunteers"]["edges"]]
        families = [e["node"]["id"] for e in ids["waitingList"]["edges"]][:100]
        reads = ([{"query": VOLUNTEER_T, "variables": {"id": v}} for v in volunteers]
                 + [{"query": FAMILIES_T}] * 50
                 + [{"query": MATCHES_T, "variables": {"id": f}} for f in families])
        writes = []
        for i, v in enumerate(volunteers[:50]):
            writes.append({"query": CHECK_IN, "variables": {"v": v}})
            writes.append({"query": CREATE_VOLUNTEER, "variables": {"name": f"Mix volunteer {i}"}})
        # 90/10: nine read lines for every write line.
        bodies = []
        for i in range(900):
            bodies.append(reads[i % len(reads)])
            if i % 9 == 8:
                bodies.append(writes[(i // 9) % len(writes)])
        path = write_bodies(os.path.join(logdir, "mix.jsonl"), bodies)
        before = post(t_url, {"query": "{ volunteers(first: 1) { totalCount } }"}, token)
        summary = series("sqlite 90/10 tandem",
                         lambda: wrk(t_url, path, token, args.seconds, args.connections), args)
        after = post(t_url, {"query": "{ volunteers(first: 1) { totalCount } }"}, token)
        summary["volunteers_created"] = (after["data"]["volunteers"]["totalCount"]
                                         - before["data"]["volunteers"]["totalCount"])
        summary["scale"] = f"{n_vol} volunteers, {n_fam} families"
        return summary
    finally:
        srv.stop()


CHECK_IN = ("mutation CheckIn($v: ID!) { logCheckIn(input: { volunteerId: $v, kind: CALL, "
            "wellbeing: 4, concern: NONE, notes: \"load test\" }) { id } }")
CREATE_VOLUNTEER = ("mutation Create($name: String!) { createVolunteer(input: { name: $name, "
                    "status: ACTIVE, languages: [{ language: \"nl\", level: NATIVE }], "
                    "home: { postalCode: \"1000\" }, availability: [] }) { id } }")


def froze(r):
    """How often the machine froze during a series' timed runs (older raw figures: n/a)."""
    return r.get("freezes", "n/a")


def median_stolen(results):
    """The median share of CPU time stolen by the host over every timed run."""
    shares = []

    def collect(x):
        if isinstance(x, dict):
            if "stolen_pct" in x.get("machine", {}):
                shares.append(x["machine"]["stolen_pct"])
            for v in x.values():
                collect(v)
        elif isinstance(x, list):
            for v in x:
                collect(v)
    collect(results)
    return f"{statistics.median(shares):.1f}%" if shares else "n/a"


def fmt_ms(x):
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def per_cpu_second(r):
    """Requests per CPU-second of the benchmark's own processes, median over the
    timed runs (from the runs' figures, so older raw figures work too)."""
    v = [x["rps"] / x["machine"]["ours_cores"] for x in r.get("runs", [])
         if x.get("machine", {}).get("ours_cores")]
    return statistics.median(v) if v else None


def cpu_ratio(r):
    a, b = per_cpu_second(r["tandem"]), per_cpu_second(r["other"])
    return f"{a / b:.1f}x" if a and b else "n/a"


def load_results(name):
    path = os.path.join(BENCH, "results", name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def batch_section():
    """Batch assignment next to OR-tools (bench/batch/run.py)."""
    b = load_results("batch.json")
    if not b:
        return []
    lines = [
        "",
        "## Batch assignment next to a C++ solver",
        "",
        "`suggestAssignments` on the instances of `matching/benches` (Brussels, default "
        "policy and weights), written out whole as DIMACS min-cost-flow files by "
        "`matching/examples/dimacs.rs` (every eligible pair an arc of cost −round(priority × "
        "score × scale), with the solver's own scale) and solved by OR-tools' "
        f"`SimpleMinCostFlow` (C++, ortools {b['ortools']} from PyPI) on exactly those files "
        "(`bench/batch/run.py`). The optimum is the same to the unit in both. Times are "
        f"medians of {b['runs']} runs taken in turn. Tandem's time is one call of "
        "`suggest_assignments` from the match index, pair enumeration included (it reads each "
        "family's 16 best pairs, solves, and reads all pairs only for the families the "
        "optimality check asks about); OR-tools' is its `solve()` on the whole graph already "
        "built, the building timed apart.",
        "",
        "| instance | eligible pairs (arcs) | optimum (units) | same optimum | Tandem s | OR-tools solve s | OR-tools graph build s | Tandem / OR-tools solve | others' CPU, cores (T/OR) |",
        "|---|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in b["instances"]:
        lines.append(
            f"| {r['families']:,} families x {r['volunteers']:,} volunteers | "
            f"{r['eligible_pairs']:,} ({r['arcs']:,}) | {r['tandem_objective_units']:,} | "
            f"{'yes' if r['same_optimum'] else '**no**'} | {r['tandem_seconds']:.3f} | "
            f"{r['ortools_solve_seconds']:.3f} | {r['ortools_load_seconds']:.3f} | "
            f"**{r['tandem_seconds'] / r['ortools_solve_seconds']:.2f}x** | "
            f"{r['tandem_others_cores']:.2f}/{r['ortools_others_cores']:.2f} |")
    return lines


def scale_section(results):
    """The scale curve (bench/scale.py)."""
    sc = load_results("scale.json")
    if not sc:
        return []
    engine = {e["volunteers"]: e for e in sc.get("engine", [])}
    lines = [
        "",
        "## Scale: 10k, 100k and 1M volunteers on one machine",
        "",
        "`bench/scale.py`: `tandem serve` on PostgreSQL at each size (families: a fifth of "
        "the volunteers), timed from its start to its first answer (migrations checked, "
        "every volunteer and family loaded, the match index built), and its resident "
        "memory then; the matching engine alone (`matching/examples/scale.rs`, in-process, "
        "one thread): index build, its memory, and top-10 computed afresh over 2,000 families "
        "(a language weight of its own per query; median of 3 passes per family). Start-up "
        "and RSS are those of the faster of the start-ups timed. The 100k database is the "
        "benchmark's own; the 1M one is the 100k network copied ten times (new ids, homes "
        "moved by up to 1 km; see the notes), ten times denser on the same map. The same "
        "requests through GraphQL at 100k are the table at the top.",
        "",
        "| volunteers | start-up s | server RSS MiB | database MiB | index build ms | index bytes / volunteer | top-10 afresh p50 µs | p99 µs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sizes = sorted({r["volunteers"] for r in sc.get("server", [])} | set(engine))
    server = {r["volunteers"]: r for r in sc.get("server", [])}
    for n in sizes:
        r, e = server.get(n), engine.get(n)
        srv = (f"{r['startup_seconds']:.2f} | {r['rss_bytes'] / 2**20:,.0f} | "
               f"{r['database_bytes'] / 2**20:,.0f}") if r else "n/a | n/a | n/a"
        eng = (f"{1000 * e['build_seconds']:,.0f} | {e['index_bytes_per_volunteer']:,.0f} | "
               f"{e['top10_p50_us']:,.0f} | {e['top10_p99_us']:,.0f}") if e else "n/a | n/a | n/a | n/a"
        lines.append(f"| {n:,} | {srv} | {eng} |")
    rows = sorted(server.values(), key=lambda r: r["volunteers"])
    if len(rows) >= 2:
        a, z = rows[0], rows[-1]
        per = (z["rss_bytes"] - a["rss_bytes"]) / (z["volunteers"] - a["volunteers"])
        start = (z["startup_seconds"] - a["startup_seconds"]) / (z["volunteers"] - a["volunteers"])
        lines += [
            "",
            f"Between {a['volunteers']:,} and {z['volunteers']:,} volunteers the server grew by "
            f"{per:,.0f} bytes of resident memory per volunteer (with a fifth as many "
            f"families) and its start-up by {1e6 * start:,.1f} µs per volunteer.",
        ]
    return lines


def shared_heading(results):
    """Whether other work took a noticeable share of the machine during any row."""
    others = [r[side]["others_cores"] for r in results.values()
              if isinstance(r, dict) and "tandem" in r
              for side in ("tandem", "other") if "others_cores" in r.get(side, {})]
    if others and max(others) >= 0.25:
        return f"**The machine was shared** (others took up to {max(others):.2f} cores in a row)."
    return (f"**The machine was quiet** (others took at most {max(others, default=0):.2f} "
            "cores in any row).")


def write_report(path, info, results, args):
    m, v = info["machine"], info["versions"]
    lines = [
        "# Benchmarks: Tandem next to PostGraphile and PostGIS",
        "",
        f"Written by `bench/run` on {info['date']}; run it again to reproduce (see bench/README.md "
        "for what it installs and does). Each figure is the median of "
        f"{args.runs} runs of {args.seconds} s after a warm-up run, "
        f"{args.connections} connections from wrk (2 threads) in a separate process on loopback. "
        "Every response body is checked: a GraphQL error with HTTP 200 counts as an error, "
        "not a success. Tandem runs as in production (`TANDEM_ENV=production`, bearer token, "
        "audit on); both servers use a pool of "
        f"{POOL} PostgreSQL connections (Tandem's audit writer holds one more). The ratio is "
        "Tandem's throughput over the peer's, measured in the same sitting with the runs of "
        "both sides taken in turn (Tandem, peer, Tandem, peer, ...; the four series of "
        "`matchesForFamily` at 50 connections in turn likewise), so that the machine's moods "
        "fall on both: compare ratios, not absolute figures across runs. Both servers are warm "
        "(each series starts with a warm-up run, not counted). PostGraphile 5 has no result "
        "cache, so it computes every answer; Tandem keeps no answers for its three rows either "
        "(it keeps records in memory, the roster and the register, not responses); only "
        "`matchesForFamily` has kept answers, and they get a row of their own.",
        "",
        f"Data: `tandem generate --volunteers {args.volunteers} --families {args.families} "
        f"--seed {args.seed}` (a third of the volunteers around Brussels, the rest spread over "
        "Flanders; a quarter of the families have a volunteer).",
        "",
        shared_heading(results) + " \"others' CPU\" is the CPU that processes other than the "
        "benchmark's own (servers, PostgreSQL backends of the benchmark database, wrk, "
        "pgbench) used during the timed runs of a row, in cores (2.0 = both CPUs), median over "
        "the runs, Tandem's runs / the peer's (from /proc/stat and /proc/PID/stat, see "
        "`CpuWatch` in bench/bench.py). On a 2-core machine, 0.5 cores of others is a quarter "
        "of the machine taken from whichever side ran then; the ratios are honest only "
        "where both sides saw alike.",
        "",
        "The machine itself may stop now and then: \"machine froze\" counts, over the timed "
        "runs of a row, the times a CPU stopped for 50 ms or more (threads of `bench.py`, one "
        "pinned to each CPU, sleep 2 ms at a time and note each wake-up that late; on a VM, "
        "its host took the CPU away; the CPU time stolen from either CPU, median over all "
        "timed runs: "
        f"{median_stolen(results)}). wrk counts a "
        "freeze in every connection's latencies, corrected for coordinated omission, so one "
        "freeze of 100 ms at 50 connections adds about 1% of a run's samples between 0 and "
        "100 ms: a p99 far above the p50 in a row with freezes is the machine's (see the notes).",
        "",
        "The last column divides each side's throughput by the CPU its own processes used "
        "(server, its PostgreSQL backends, the load generator; requests per CPU-second) and "
        "gives Tandem's over the peer's: on a shared machine the scheduler hands CPU to "
        "runnable threads, so a peer run with 50 PostgreSQL backends takes more of the "
        "machine from other people's processes than Tandem's two runtime threads do, and the "
        "plain ratio then favours the peer (see the notes).",
        "",
        "| scenario | Tandem req/s | p50 ms | p99 ms | peer | peer req/s | p50 ms | p99 ms | ratio | errors (T/peer) | machine froze (T/peer) | others' CPU, cores (T/peer) | ratio per CPU-second |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---|---|---|---:|",
    ]
    def per_cpu(t, o):
        a, b = per_cpu_second(t), per_cpu_second(o)
        return f"{a / b:.1f}x" if a and b else "n/a"
    def others(r):
        return f"{r.get('others_cores', float('nan')):.2f}" if "others_cores" in r else "n/a"
    for key in ["floor", "volunteer", "families", "matches_cold", "matches_cold_1",
                "matches_straight", "matches"]:
        if key not in results:
            continue
        r = results[key]
        t, o = r["tandem"], r["other"]
        lines.append(
            f"| {r['title']} | {t['rps']:,.0f} | {fmt_ms(t['p50_ms'])} | {fmt_ms(t['p99_ms'])} | "
            f"{r['peer']} | {o['rps']:,.1f} | {fmt_ms(o['p50_ms'])} | {fmt_ms(o['p99_ms'])} | "
            f"**{r['ratio']:.1f}x** | {t['errors']}/{o['errors']} | {froze(t)}/{froze(o)} | "
            f"{others(t)}/{others(o)} | {per_cpu(t, o)} |")
    def kept_share(r):
        k = r["tandem"].get("rankings", {})
        total = k.get("kept", 0) + k.get("computed", 0)
        return f"{100 * k.get('kept', 0) / total:.1f}%" if total else "n/a"
    compared = results.get("compare", {})
    lines += [
        "",
        "**Like with like.** The headline for `matchesForFamily` is the row \"ranked afresh\": "
        "every request carries a language weight of its own, so Tandem computes every ranking, "
        "as the SQL peer computes every answer. The peer is the best SQL I could write for it "
        "(`bench/postgis/expert-setup.sql` and `expert.sql`: a row per volunteer kept by "
        "triggers, generated columns, the availability as a 672-bit bitset, language, "
        "training and crisis masks, one partial GiST index over each volunteer's reach box "
        "and an intarray signature, one index scan scored with arithmetic, a prepared "
        "statement); before the timed runs it returned exactly Tandem's top 10 "
        f"({compared.get('expert.sql', 'n/a')}). The straightforward SQL of earlier "
        "reports (`straightforward.sql`: the same rules over Tandem's own tables, JSON "
        f"parsed per row; {compared.get('straightforward.sql', 'n/a')}) is kept as a second "
        "row, for what it is.",
        "",
        "**Kept rankings** (last row): `matchesForFamily` answers from rankings kept from "
        "earlier requests when nothing they depend on has changed (same family profile, "
        "`first`, weights and day; see README, \"What each server holds in memory\"). The "
        "benchmark asks about the same 1,000 families again and again, so of the rankings in "
        f"the timed runs of that row, {kept_share(results['matches'])} came from kept ones "
        f"(ranked afresh row: {kept_share(results['matches_cold'])}). The SQL peer keeps no "
        "answers (it could, with a materialized table per family refreshed by the same "
        "triggers; it was not written), so that row does not compare like with like and "
        "its ratio is not quoted anywhere.",
    ]
    s = results["sqlite_mix"]
    lines += [
        "",
        f"SQLite default (embedded, {s['scale']}), 90% reads (volunteer by id, families page, "
        "matches) and 10% writes (`logCheckIn`, `createVolunteer`): "
        f"**{s['rps']:,.0f} req/s**, p50 {fmt_ms(s['p50_ms'])} ms, p99 {fmt_ms(s['p99_ms'])} ms, "
        f"**{s['errors']} errors** in {s['requests']:,} timed requests; "
        f"{s['volunteers_created']:,} volunteers created during the runs; the machine froze "
        f"{froze(s)} times.",
        "",
        "`matchesForFamily(first: 10)` by number of connections (closed loop: each connection "
        "sends its next request when the previous one is answered, so the mean latency is the "
        "number of connections over the throughput; wrk's percentiles are corrected for "
        "coordinated omission, see the notes below). Every answer waits until "
        "the audit entry of its read of the family is committed; the audit columns come from "
        "Tandem's `/metrics` over the warm-up and timed runs: the mean of that wait, and how "
        "many requests' entries the writer committed together.",
        "",
        "| connections | req/s | mean ms | p50 ms | p99 ms | audit wait, mean ms | requests per audit commit | errors | machine froze |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sweep = dict(results["matches_by_connections"])
    sweep[str(args.connections)] = results["matches"]["tandem"]
    for n, r in sorted(sweep.items(), key=lambda kv: int(kv[0])):
        a = r.get("audit")
        mean = fmt_ms(1000 * int(n) / r["rps"])
        wait = f"{fmt_ms(a['mean_wait_ms'])} | {a['requests_per_commit']:.1f}" if a else "n/a | n/a"
        lines.append(f"| {n} | {r['rps']:,.0f} | {mean} | {fmt_ms(r['p50_ms'])} | "
                     f"{fmt_ms(r['p99_ms'])} | {wait} | {r['errors']} | {froze(r)} |")
    lines += batch_section() + scale_section(results)
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    targets = [
        ("primary-key lookup: ≥ 3x PostGraphile, p99 ≤ 30 ms", results["volunteer"],
         lambda r: r["ratio"] >= 3 and r["tandem"]["p99_ms"] <= 30,
         lambda r: f"{r['ratio']:.1f}x, p99 {fmt_ms(r['tandem']['p99_ms'])} ms "
                   f"(machine froze {froze(r['tandem'])} times)"),
        ("20-row families page: ≥ 2.5x PostGraphile", results["families"],
         lambda r: r["ratio"] >= 2.5, lambda r: f"{r['ratio']:.1f}x"),
        ("matchesForFamily(first: 10), 100k, ranked afresh: p99 ≤ 10 ms, ≥ 10x the expert PostGIS SQL",
         results["matches_cold"],
         lambda r: r["ratio"] >= 10 and r["tandem"]["p99_ms"] <= 10,
         lambda r: f"{r['ratio']:.1f}x ({cpu_ratio(r)} per CPU-second), p99 "
                   f"{fmt_ms(r['tandem']['p99_ms'])} ms (machine froze {froze(r['tandem'])} times)"),
        ("the same at 1 connection (no target of its own)", results["matches_cold_1"],
         None, lambda r: f"{r['ratio']:.1f}x ({cpu_ratio(r)} per CPU-second), p99 "
                        f"{fmt_ms(r['tandem']['p99_ms'])} ms"),
        ("SQLite 90/10 at 50 connections: zero errors", s,
         lambda r: r["errors"] == 0, lambda r: f"{r['errors']} errors"),
    ]
    for name, r, ok, show in targets:
        met = "—" if ok is None else ("yes" if ok(r) else "**no**")
        lines.append(f"| {name} | {show(r)} | {met} |")
    lines += [
        "",
        "## Machine and versions",
        "",
        f"- {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Linux {m['kernel']}; the "
        "servers, PostgreSQL and the load generator share these cores.",
    ] + [f"- {k}: {val}" for k, val in v.items()]
    notes = os.path.join(BENCH, "NOTES.md")
    if os.path.exists(notes):
        lines += ["", open(notes).read().rstrip()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
