#!/usr/bin/env python3
"""Solves a DIMACS min-cost-flow file with OR-tools' SimpleMinCostFlow (C++).

    python3 bench/batch/ortools_mcf.py FILE.min [--runs N]

Reads the file once (not timed), then N times builds the solver's graph from the
arrays (timed apart: "load") and solves it ("solve"), and prints one JSON line
per run with the optimal cost, the flow on each arc kind, and the seconds.
Needs `pip install ortools` (and numpy, which it brings).
"""

import argparse
import json
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow


def read_dimacs(path):
    """(nodes, supplies {node: supply}, tails, heads, capacities, costs) of a
    DIMACS `p min` file; nodes numbered from 1, as in the file."""
    supplies = {}
    arcs = []
    nodes = 0
    with open(path, "rb") as f:
        for line in f:
            kind = line[:1]
            if kind == b"a":
                arcs.append(line)
            elif kind == b"n":
                _, node, supply = line.split()
                supplies[int(node)] = int(supply)
            elif kind == b"p":
                _, _, n, _ = line.split()
                nodes = int(n)
    table = np.loadtxt(arcs, dtype=np.int64, usecols=(1, 2, 3, 4, 5)) if arcs else np.zeros((0, 5))
    tails, heads, low, caps, costs = (table[:, i] for i in range(5))
    if np.any(low != 0):
        sys.exit("lower bounds other than 0 are not supported")
    return nodes, supplies, tails, heads, caps, costs


def solve(nodes, supplies, tails, heads, caps, costs):
    started = time.perf_counter()
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    for node, supply in supplies.items():
        smcf.set_node_supply(node, supply)
    # Node 0 is unused (DIMACS counts from 1): give it a supply of 0.
    smcf.set_node_supply(0, 0)
    loaded = time.perf_counter()
    status = smcf.solve()
    solved = time.perf_counter()
    if status != smcf.OPTIMAL:
        sys.exit(f"OR-tools: status {status}, not OPTIMAL")
    flows = smcf.flows(np.arange(smcf.num_arcs()))
    return {
        "optimal_cost": smcf.optimal_cost(),
        "assigned": int(flows[costs < 0].sum()),
        "load_seconds": loaded - started,
        "solve_seconds": solved - loaded,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    graph = read_dimacs(args.file)
    read = time.perf_counter() - started
    for _ in range(args.runs):
        r = solve(*graph)
        r["read_seconds"] = read
        r["arcs"] = len(graph[2])
        print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
