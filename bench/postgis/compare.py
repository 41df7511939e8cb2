#!/usr/bin/env python3
"""Checks that a SQL query ranks volunteers exactly like Tandem's matchesForFamily.

For K families of bench_family (see setup.sql), runs the query (expert.sql by
default, or --sql straightforward.sql) through psql and asks the running Tandem
server for matchesForFamily(first: 10), then compares the two top-10 lists: same
volunteers in the same order, scores within 1e-6, distances within 1e-3 km.
Exits 1 on any difference, after printing the first one in detail.

The K families are half from Brussels (home within 20 km of the Grand-Place)
and half from the rest of the country (the generated network's rural and
small-town families), the lowest rows of bench_family of each; it prints how
many of each it compared.

    python3 compare.py --tandem-url http://127.0.0.1:8099/graphql \
        --token=<token> --database-url postgres://postgres@127.0.0.1:5432/<db>

(Write --token=<token>: a token may start with "-".) Standard library only;
needs psql on the PATH.
"""

import argparse
import base64
import csv
import io
import json
import pathlib
import subprocess
import sys
import urllib.error
import urllib.request

SCORE_TOLERANCE = 1e-6
DISTANCE_TOLERANCE_KM = 1e-3
TOP = 10

HERE = pathlib.Path(__file__).parent
GRAND_PLACE = (50.8467, 4.3525)

MATCHES_QUERY = """
query Matches($familyId: ID!, $first: Int!) {
  matchesForFamily(familyId: $familyId, first: $first) {
    candidates {
      volunteer { id }
      score
      distanceKm
      overlapMinutesPerWeek
      breakdown { language location availability crisisType }
    }
  }
}
"""


def global_id(kind, key):
    """Tandem's global ID: base64url of "Kind:uuid", without padding."""
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode().rstrip("=")


def parse_global_id(gid):
    raw = base64.urlsafe_b64decode(gid + "=" * (-len(gid) % 4)).decode()
    kind, _, key = raw.partition(":")
    return kind, key


def psql(database_url, sql, variables=None):
    """Runs SQL through psql and returns the result rows as dicts."""
    command = ["psql", "--no-psqlrc", "--quiet", "--csv", "-v", "ON_ERROR_STOP=1"]
    for name, value in (variables or {}).items():
        command += ["-v", f"{name}={value}"]
    command += ["-d", database_url, "-f", "-"]
    done = subprocess.run(command, input=sql, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"psql failed:\n{done.stderr.strip()}")
    return list(csv.DictReader(io.StringIO(done.stdout)))


def topk_statement(path):
    """The query without its pgbench meta-commands (psql gets n with -v n=...)."""
    lines = pathlib.Path(path).read_text().splitlines()
    return "\n".join(line for line in lines if not line.startswith("\\")) + "\n"


def sql_top(database_url, statement, n):
    return [
        {
            "id": row["id"],
            "score": float(row["score"]),
            "distance_km": float(row["distance_km"]),
            "overlap_minutes": int(row["overlap_minutes"]),
            "breakdown": [
                float(row[k])
                for k in ("language", "location", "availability", "crisis_type")
            ],
        }
        for row in psql(database_url, statement, {"n": n})
    ]


def tandem_top(url, token, family_id):
    body = json.dumps(
        {
            "query": MATCHES_QUERY,
            "variables": {"familyId": global_id("Family", family_id), "first": TOP},
        }
    ).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as e:
        sys.exit(f"Tandem answered HTTP {e.code}: {e.read().decode(errors='replace')}")
    if answer.get("errors"):
        sys.exit(f"Tandem refused matchesForFamily: {json.dumps(answer['errors'])}")
    candidates = answer["data"]["matchesForFamily"]["candidates"]
    out = []
    for c in candidates:
        kind, key = parse_global_id(c["volunteer"]["id"])
        if kind != "Volunteer":
            sys.exit(f"unexpected volunteer ID {c['volunteer']['id']!r}")
        b = c["breakdown"]
        out.append(
            {
                "id": key,
                "score": c["score"],
                "distance_km": c["distanceKm"],
                "overlap_minutes": c["overlapMinutesPerWeek"],
                "breakdown": [
                    b["language"],
                    b["location"],
                    b["availability"],
                    b["crisisType"],
                ],
            }
        )
    return out


def first_difference(sql_rows, tandem_rows):
    """Why the two lists differ, or None when they agree."""
    if len(sql_rows) != len(tandem_rows):
        return f"SQL returned {len(sql_rows)} volunteers, Tandem {len(tandem_rows)}"
    for rank, (s, t) in enumerate(zip(sql_rows, tandem_rows), start=1):
        if s["id"] != t["id"]:
            return f"rank {rank}: SQL has volunteer {s['id']}, Tandem {t['id']}"
        if abs(s["score"] - t["score"]) > SCORE_TOLERANCE:
            return f"rank {rank}: score {s['score']!r} (SQL) vs {t['score']!r} (Tandem)"
        if abs(s["distance_km"] - t["distance_km"]) > DISTANCE_TOLERANCE_KM:
            return (
                f"rank {rank}: distance {s['distance_km']!r} km (SQL) "
                f"vs {t['distance_km']!r} km (Tandem)"
            )
    return None


def print_lists(sql_rows, tandem_rows):
    def line(r):
        if r is None:
            return "-"
        criteria = " ".join(f"{x:.6f}" for x in r["breakdown"])
        return (
            f"{r['id']}  score {r['score']:.9f}  {r['distance_km']:8.4f} km  "
            f"{r['overlap_minutes']:4d} min  [{criteria}]"
        )

    for rank in range(max(len(sql_rows), len(tandem_rows))):
        s = sql_rows[rank] if rank < len(sql_rows) else None
        t = tandem_rows[rank] if rank < len(tandem_rows) else None
        print(f"  #{rank + 1:<2} SQL     {line(s)}")
        print(f"      Tandem  {line(t)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tandem-url", required=True, help="the /graphql endpoint")
    parser.add_argument("--token", required=True, help="a staff session token")
    parser.add_argument("--database-url", required=True, help="Tandem's database")
    parser.add_argument(
        "--families",
        type=int,
        default=200,
        help="compare K families, half of them from Brussels (default: 200)",
    )
    parser.add_argument(
        "--sql",
        default=str(HERE / "expert.sql"),
        help="the query to check (default: expert.sql)",
    )
    args = parser.parse_args()

    half = int(args.families) // 2
    lat, lon = GRAND_PLACE
    near = (
        f"2 * 6371.0088 * asin(sqrt(sin(radians(f.latitude - {lat}) / 2) ^ 2 "
        f"+ cos(radians({lat})) * cos(radians(f.latitude)) "
        f"* sin(radians(f.longitude - {lon}) / 2) ^ 2)) <= 20"
    )
    families = psql(
        args.database_url,
        f"""
        (SELECT b.n, b.family_id, 'Brussels' AS area
         FROM bench_family b JOIN family f ON f.id = b.family_id
         WHERE {near} ORDER BY b.n LIMIT {half})
        UNION ALL
        (SELECT b.n, b.family_id, 'elsewhere' AS area
         FROM bench_family b JOIN family f ON f.id = b.family_id
         WHERE NOT ({near}) ORDER BY b.n LIMIT {int(args.families) - half});
        """,
    )
    if not families:
        sys.exit("bench_family is empty: run setup.sql on a seeded database first")

    statement = topk_statement(args.sql)
    identical = 0
    by_area = {}
    shown = False
    for family in families:
        sql_rows = sql_top(args.database_url, statement, family["n"])
        tandem_rows = tandem_top(args.tandem_url, args.token, family["family_id"])
        problem = first_difference(sql_rows, tandem_rows)
        seen, same = by_area.get(family["area"], (0, 0))
        by_area[family["area"]] = (seen + 1, same + (problem is None))
        if problem is None:
            identical += 1
        elif not shown:
            shown = True
            print(f"first mismatch: family n={family['n']} ({family['family_id']}): {problem}")
            print_lists(sql_rows, tandem_rows)

    areas = ", ".join(f"{area} {same}/{seen}" for area, (seen, same) in sorted(by_area.items()))
    name = pathlib.Path(args.sql).name
    print(
        f"{name} vs tandem: {identical}/{len(families)} families identical top-{TOP} ({areas})"
    )
    return 0 if identical == len(families) else 1


if __name__ == "__main__":
    sys.exit(main())
