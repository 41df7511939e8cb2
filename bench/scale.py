#!/usr/bin/env python3
"""The scale curve: Tandem at 10k, 100k and 1M volunteers on one machine.

    python3 bench/scale.py [--sizes 10000,100000,1000000] [--output bench/results/scale.json]

For each size, on PostgreSQL (database tandem_scale_<N>, generated once with
`tandem generate --volunteers N --families N/5 --seed 2026` and kept):
- start-up: `tandem serve` (production mode) is started and timed until it answers
  `{ __typename }`: migrations checked, the roster (every volunteer's record and the
  match index) and the register (every family) loaded from PostgreSQL;
- memory: the server's resident memory (VmRSS) once it answers, and per volunteer
  (the slope between sizes is the honest per-volunteer figure: the fixed part of the
  process falls out);
- the database's size.
Then, in-process, the matching engine alone (`target/release/examples/scale`): index
build time, the index's memory per volunteer, and top-10 p50/p99 computed afresh.

Build first: cargo build --release -p api && cargo build --release -p matching --example scale
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from bench import (PG_ADMIN, TANDEM, Server, log, psql, run, tandem_env,  # noqa: E402
                   wait_http)

PORT = 18090
SCALE_EXAMPLE = os.path.join(ROOT, "target", "release", "examples", "scale")


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def db_url(db):
    return f"postgres://postgres@127.0.0.1:5432/{db}?sslmode=disable"


def holds(db, scale):
    """True when database `db` exists and holds the network `scale`."""
    if psql(PG_ADMIN, f"SELECT 1 FROM pg_database WHERE datname = '{db}'") != "1":
        return False
    url = db_url(db)
    return (psql(url, "SELECT to_regclass('bench_meta') IS NOT NULL") == "t"
            and psql(url, "SELECT scale FROM bench_meta") == scale)


# Copies of a network: every volunteer and family again with new ids (md5 of the old
# id and the copy number), homes moved by up to 0.01 degree (about 1 km), family
# references suffixed; languages, trainings, children and plans copied with them;
# involvements and check-ins are not (the copies carry no load). The expert peer's
# schema and triggers (bench/postgis/expert-setup.sql) are dropped first.
COPY_SQL = """
DROP SCHEMA IF EXISTS expert CASCADE;
DROP TABLE IF EXISTS bench_family, bench_meta;
CREATE TEMP TABLE copy_no AS SELECT generate_series(1, {copies}) AS k;
CREATE FUNCTION pg_temp.new_id(id uuid, k integer) RETURNS uuid
    LANGUAGE sql IMMUTABLE AS $$ SELECT md5(id::text || '/' || k)::uuid $$;
CREATE FUNCTION pg_temp.jitter(id uuid, k integer, salt text) RETURNS float8
    LANGUAGE sql IMMUTABLE AS $$ SELECT (hashtext(id::text || k || salt) % 1000) / 1e5 $$;
INSERT INTO volunteer ({volunteer_cols})
SELECT {volunteer_select} FROM volunteer v CROSS JOIN copy_no c;
INSERT INTO volunteer_language ({volunteer_language_cols})
SELECT {volunteer_language_select} FROM volunteer_language v CROSS JOIN copy_no c;
INSERT INTO training_completion ({training_completion_cols})
SELECT {training_completion_select} FROM training_completion v CROSS JOIN copy_no c;
INSERT INTO family ({family_cols})
SELECT {family_select} FROM family v CROSS JOIN copy_no c;
INSERT INTO family_language ({family_language_cols})
SELECT {family_language_select} FROM family_language v CROSS JOIN copy_no c;
INSERT INTO family_child ({family_child_cols})
SELECT {family_child_select} FROM family_child v CROSS JOIN copy_no c;
INSERT INTO plan ({plan_cols})
SELECT {plan_select} FROM plan v CROSS JOIN copy_no c;
"""

CHANGED = {
    "volunteer": {"id": "pg_temp.new_id(v.id, c.k)",
                  "latitude": "v.latitude + pg_temp.jitter(v.id, c.k, 'lat')",
                  "longitude": "v.longitude + pg_temp.jitter(v.id, c.k, 'lon')",
                  "email": "NULL"},
    "volunteer_language": {"volunteer_id": "pg_temp.new_id(v.volunteer_id, c.k)"},
    "training_completion": {"id": "pg_temp.new_id(v.id, c.k)",
                            "volunteer_id": "pg_temp.new_id(v.volunteer_id, c.k)"},
    "family": {"id": "pg_temp.new_id(v.id, c.k)",
               "reference": "left(v.reference, 14) || '-' || c.k",
               "latitude": "v.latitude + pg_temp.jitter(v.id, c.k, 'lat')",
               "longitude": "v.longitude + pg_temp.jitter(v.id, c.k, 'lon')"},
    "family_language": {"family_id": "pg_temp.new_id(v.family_id, c.k)"},
    "family_child": {"id": "pg_temp.new_id(v.id, c.k)",
                     "family_id": "pg_temp.new_id(v.family_id, c.k)"},
    "plan": {"id": "pg_temp.new_id(v.id, c.k)",
             "family_id": "pg_temp.new_id(v.family_id, c.k)"},
}


def copy_network(url, copies):
    fill = {"copies": copies}
    for table, changed in CHANGED.items():
        cols = psql(url, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) "
                         "FROM information_schema.columns WHERE table_schema = 'public' "
                         f"AND table_name = '{table}' AND is_generated = 'NEVER'").split(",")
        fill[f"{table}_cols"] = ", ".join(cols)
        fill[f"{table}_select"] = ", ".join(changed.get(c, f"v.{c}") for c in cols)
    run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=COPY_SQL.format(**fill))


def ensure(n, seed):
    scale = f"volunteers={n} families={n // 5} seed={seed}"
    # The benchmark's own database holds the 100k network.
    if holds("tandem_bench", scale):
        return db_url("tandem_bench"), None
    db = f"tandem_scale_{n}"
    url = db_url(db)
    if holds(db, scale):
        return url, None
    exists = psql(PG_ADMIN, f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    if exists:
        psql(PG_ADMIN, f'DROP DATABASE "{db}" WITH (FORCE)')
    # Above 100k: the 100k network copied (tandem generate writes through the API's
    # input checks, about 300 s per 100k volunteers on a busy 2-core machine).
    base = f"volunteers=100000 families=20000 seed={seed}"
    if n > 100_000 and n % 100_000 == 0:
        source = next((d for d in ("tandem_bench", "tandem_scale_100000") if holds(d, base)), None)
        if source:
            log(f"copying {source} {n // 100_000} times into {db}")
            started = time.time()
            psql(PG_ADMIN, f'CREATE DATABASE "{db}" TEMPLATE "{source}"')
            copy_network(url, n // 100_000 - 1)
            run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", "VACUUM ANALYZE"])
            psql(url, f"CREATE TABLE bench_meta (scale text); "
                      f"INSERT INTO bench_meta VALUES ('{scale}')")
            return url, f"copied from the 100k network in {time.time() - started:.0f} s"
    psql(PG_ADMIN, f'CREATE DATABASE "{db}"')
    log(f"generating {scale} into {db}")
    started = time.time()
    run([TANDEM, "generate", "--volunteers", str(n), "--families", str(n // 5), "--seed",
         str(seed)], env=tandem_env(url))
    took = time.time() - started
    run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", "VACUUM ANALYZE"])
    psql(url, f"CREATE TABLE bench_meta (scale text); INSERT INTO bench_meta VALUES ('{scale}')")
    return url, f"generated in {took:.0f} s"


def startup(url, logdir, runs):
    """Seconds from spawn to the first answer, and the resident memory then."""
    out = []
    for _ in range(runs):
        started = time.monotonic()
        srv = Server("tandem-scale", [TANDEM, "serve", "--bind", f"127.0.0.1:{PORT}"],
                     tandem_env(url), logdir)
        try:
            wait_http(f"http://127.0.0.1:{PORT}/graphql", "tandem", srv.proc, seconds=1800)
            seconds = time.monotonic() - started
            out.append({"seconds": seconds, "rss_bytes": rss_bytes(srv.proc.pid)})
        finally:
            srv.stop()
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--startups", type=int, default=2, help="start-ups timed per size")
    p.add_argument("--output", default=os.path.join(ROOT, "bench", "results", "scale.json"))
    args = p.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    logdir = os.path.join("/tmp", "tandem-scale-logs")
    os.makedirs(logdir, exist_ok=True)
    server = []
    for n in sizes:
        url, generated = ensure(n, args.seed)
        runs = startup(url, logdir, args.startups)
        db_bytes = int(psql(url, "SELECT pg_database_size(current_database())"))
        best = min(runs, key=lambda r: r["seconds"])
        row = {"volunteers": n, "families": n // 5, "data": generated or "kept from an earlier run",
               "startup_seconds": best["seconds"], "rss_bytes": best["rss_bytes"],
               "database_bytes": db_bytes, "startups": runs}
        log(f"{n}: start-up {best['seconds']:.2f} s, RSS {best['rss_bytes'] / 2**20:.0f} MiB, "
            f"database {db_bytes / 2**20:.0f} MiB")
        server.append(row)
    engine = []
    out = subprocess.run([SCALE_EXAMPLE, *map(str, sizes)], capture_output=True, text=True,
                         check=True)
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            engine.append(json.loads(line))
            log(f"engine: {line}")
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump({"server": server, "engine": engine}, f, indent=2)
    log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
