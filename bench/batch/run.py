#!/usr/bin/env python3
"""Batch assignment: Tandem's solver next to OR-tools' min-cost flow (C++), on
exactly the same instances, with the same objective and the same optimum.

    python3 bench/batch/run.py [--runs 3] [--output bench/results/batch.json]

1. `target/release/examples/dimacs write bench/batch/instances` writes each
   instance (1k families x 10k volunteers, 5k x 50k, Brussels) as a DIMACS
   min-cost-flow file, with Tandem's plan's objective in the file's cost units
   next to it (unless the files are there already);
2. OR-tools' SimpleMinCostFlow solves each file; its optimal cost must be minus
   Tandem's objective, to the unit, or the run stops;
3. timed runs in turn, in the same sitting: Tandem's `suggest_assignments`
   (a fresh process that builds the instance, then solves it once, timed: the
   pairs are enumerated from the match index inside the timed call, as in
   service), then OR-tools' solve (the graph already read; building OR-tools'
   graph from the arrays is timed apart as "load"), and again, `--runs` times.
   The CPU that other processes used during each run is recorded (CpuWatch of
   bench/bench.py).

Build first: cargo build --release -p matching --example dimacs
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from bench import CpuWatch  # noqa: E402
import ortools_mcf  # noqa: E402

DIMACS = os.path.join(ROOT, "target", "release", "examples", "dimacs")
SIZES = [(1_000, 10_000), (5_000, 50_000)]


def watched(fn):
    done = threading.Event()
    watch = CpuWatch(done)
    sampler = threading.Thread(target=watch.sample, daemon=True)
    sampler.start()
    try:
        r = fn()
    finally:
        done.set()
        sampler.join()
    r["cpu"] = watch.figures()
    return r


def tandem_once(nf, nv):
    out = subprocess.run([DIMACS, "time", str(nf), str(nv)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--instances", default=os.path.join(HERE, "instances"))
    p.add_argument("--output", default=os.path.join(ROOT, "bench", "results", "batch.json"))
    args = p.parse_args()
    names = [f"brussels_{nf // 1000}k_x_{nv // 1000}k" for nf, nv in SIZES]
    if not all(os.path.exists(os.path.join(args.instances, f"{n}.json")) for n in names):
        started = time.time()
        subprocess.run([DIMACS, "write", args.instances], check=True)
        print(f"wrote the instances ({time.time() - started:.0f} s)", file=sys.stderr)
    results = []
    for (nf, nv), name in zip(SIZES, names):
        meta = json.load(open(os.path.join(args.instances, f"{name}.json")))
        started = time.time()
        graph = ortools_mcf.read_dimacs(os.path.join(args.instances, f"{name}.min"))
        print(f"{name}: read {meta['arcs']:,} arcs ({time.time() - started:.0f} s)",
              file=sys.stderr)
        check = ortools_mcf.solve(*graph)
        same = check["optimal_cost"] == -meta["tandem_objective_units"]
        print(f"{name}: OR-tools optimum {check['optimal_cost']}, Tandem "
              f"{-meta['tandem_objective_units']}: {'same' if same else 'DIFFERENT'}",
              file=sys.stderr)
        if not same:
            sys.exit(f"{name}: the optima differ; not timing")
        tandem_runs, ortools_runs = [], []
        tandem_once(nf, nv)  # warm-up (page cache for the binary)
        for _ in range(args.runs):
            t = watched(lambda: tandem_once(nf, nv))
            o = watched(lambda: ortools_mcf.solve(*graph))
            tandem_runs.append(t)
            ortools_runs.append(o)
            print(f"{name}: tandem {t['seconds']:.3f} s (others {t['cpu']['others_cores']:.2f} "
                  f"cores), OR-tools solve {o['solve_seconds']:.3f} s + load "
                  f"{o['load_seconds']:.3f} s (others {o['cpu']['others_cores']:.2f} cores)",
                  file=sys.stderr)
        med = statistics.median
        results.append({
            **meta,
            "ortools_optimal_cost": check["optimal_cost"],
            "ortools_assigned": check["assigned"],
            "same_optimum": same,
            "tandem_seconds": med(r["seconds"] for r in tandem_runs),
            "ortools_solve_seconds": med(r["solve_seconds"] for r in ortools_runs),
            "ortools_load_seconds": med(r["load_seconds"] for r in ortools_runs),
            "tandem_others_cores": med(r["cpu"]["others_cores"] for r in tandem_runs),
            "ortools_others_cores": med(r["cpu"]["others_cores"] for r in ortools_runs),
            "runs": {"tandem": tandem_runs, "ortools": ortools_runs},
        })
    import ortools
    out = {"ortools": ortools.__version__, "runs": args.runs, "instances": results}
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(out, f, indent=2)
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
