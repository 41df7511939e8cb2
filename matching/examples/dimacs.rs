//! Batch assignment instances as DIMACS min-cost-flow files, and Tandem's solver timed
//! on the very same instances, for comparing with a C++ solver (bench/batch/).
//!
//! ```sh
//! cargo run --release -p matching --example dimacs -- write DIR
//! cargo run --release -p matching --example dimacs -- time FAMILIES VOLUNTEERS
//! ```
//!
//! The instances are those of the `batch` group of `benches/matching.rs`: `families(11,
//! F, Brussels)` and `volunteers(12, V, Brussels, F)` under the default policy and
//! weights, for (F, V) = (1,000, 10,000) and (5,000, 50,000).
//!
//! The flow network is the one `suggest_assignments` solves (see `matching::assign`),
//! written out whole: node `f` (1..=F) for each family with a supply of 1; one node per
//! volunteer with at least one eligible pair; the sink, last, with a demand of F. Arcs:
//! family -> volunteer for every eligible pair (capacity 1, cost `-round(priority *
//! score * scale)`), family -> sink (capacity 1, cost 0: the family stays unassigned),
//! volunteer -> sink (capacity: free capacity, cost 0). `scale` is the solver's own: the
//! largest weight becomes `min(2^40, 2^61 / (2F + 4))` units. The minimum cost is minus
//! the best plan's objective in those units; `write` puts Tandem's plan's objective in
//! the same units next to each file (`.json`), so a solver's optimum can be checked
//! against it exactly.
//!
//! `time` builds the same instance, solves it once with `suggest_assignments` (pair
//! enumeration from the index included, as in service) and prints one JSON line with
//! the seconds and the objective in units.

#![allow(clippy::unwrap_used, clippy::print_stdout)] // a command-line tool for benchmarks

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use matching::synthetic::{Geography, TODAY, families, volunteers};
use matching::{
    AssignmentInput, AssignmentPlan, FamilyProfile, MatchIndex, Policy, VolunteerProfile, Weights,
    priority, suggest_assignments,
};

/// The instances compared, as (families, volunteers).
const SIZES: [(usize, usize); 2] = [(1_000, 10_000), (5_000, 50_000)];

struct Instance {
    fams: Vec<FamilyProfile>,
    pool: Vec<VolunteerProfile>,
    index: MatchIndex,
    policy: Policy,
    weights: Weights,
}

impl Instance {
    fn new(nf: usize, nv: usize) -> Instance {
        let pool = volunteers(12, nv, Geography::Brussels, nf as u64);
        Instance {
            fams: families(11, nf, Geography::Brussels),
            index: MatchIndex::build(pool.clone()),
            pool,
            policy: Policy::with_today(TODAY),
            weights: Weights::default(),
        }
    }

    fn solve(&self) -> AssignmentPlan {
        let input = AssignmentInput {
            families: &self.fams,
            pinned: &[],
            forbidden: &[],
        };
        suggest_assignments(&input, &self.index, &self.weights, &self.policy)
    }

    /// Every eligible pair: (family position, volunteer id, priority * score).
    fn pairs(&self) -> Vec<(usize, u128, f64)> {
        let mut out = Vec::new();
        for (fi, f) in self.fams.iter().enumerate() {
            let p = priority(f, &self.policy);
            let all = self
                .index
                .top_k_candidates(f, self.pool.len(), &self.weights, &self.policy);
            out.extend(all.iter().map(|c| (fi, c.volunteer_id, p * c.score)));
        }
        out
    }

    /// The solver's scale for a largest weight of `max_weight`.
    fn scale(&self, max_weight: f64) -> f64 {
        let nf = self.fams.len() as u64;
        let unit_cap = ((1u64 << 61) / (2 * nf + 4)).min(1 << 40) as f64;
        if max_weight > 0.0 {
            unit_cap / max_weight
        } else {
            1.0
        }
    }

    /// A plan's objective in units of `scale`, each pair rounded as the solver does.
    fn units(plan: &AssignmentPlan, scale: f64) -> i64 {
        plan.assignments
            .iter()
            .map(|a| units(a.priority * a.score, scale))
            .sum()
    }
}

fn units(weight: f64, scale: f64) -> i64 {
    (weight.max(0.0) * scale).round() as i64
}

fn write(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (nf, nv) in SIZES {
        let name = format!("brussels_{}k_x_{}k", nf / 1000, nv / 1000);
        let started = Instant::now();
        let inst = Instance::new(nf, nv);
        let pairs = inst.pairs();
        let max_weight = pairs.iter().map(|p| p.2).fold(0.0, f64::max);
        let scale = inst.scale(max_weight);
        let free: HashMap<u128, u32> = inst
            .pool
            .iter()
            .map(|v| (v.id, v.capacity.saturating_sub(v.current_load)))
            .collect();
        // Volunteer nodes in order of first appearance, after the families.
        let mut node: HashMap<u128, usize> = HashMap::new();
        let mut order: Vec<u128> = Vec::new();
        for &(_, v, _) in &pairs {
            node.entry(v).or_insert_with(|| {
                order.push(v);
                nf + order.len()
            });
        }
        let sink = nf + order.len() + 1;
        let arcs = pairs.len() + nf + order.len();
        let path = dir.join(format!("{name}.min"));
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&path).unwrap());
        writeln!(out, "c Tandem batch assignment, {name}: families(11, {nf}, Brussels), volunteers(12, {nv}, Brussels, {nf})").unwrap();
        writeln!(
            out,
            "c default policy and weights; cost = -round(priority * score * {scale:e})"
        )
        .unwrap();
        writeln!(
            out,
            "c nodes: families 1..={nf}, volunteers {}..={}, sink {sink}",
            nf + 1,
            sink - 1
        )
        .unwrap();
        writeln!(out, "p min {sink} {arcs}").unwrap();
        for f in 1..=nf {
            writeln!(out, "n {f} 1").unwrap();
        }
        writeln!(out, "n {sink} -{nf}").unwrap();
        for &(fi, v, w) in &pairs {
            writeln!(out, "a {} {} 0 1 {}", fi + 1, node[&v], -units(w, scale)).unwrap();
        }
        for f in 1..=nf {
            writeln!(out, "a {f} {sink} 0 1 0").unwrap();
        }
        for v in &order {
            writeln!(out, "a {} {sink} 0 {} 0", node[v], free[v]).unwrap();
        }
        out.flush().unwrap();
        let plan = inst.solve();
        let summary = format!(
            "{{\"instance\":\"{name}\",\"families\":{nf},\"volunteers\":{nv},\"nodes\":{sink},\"arcs\":{arcs},\"eligible_pairs\":{},\"scale\":{scale:e},\"tandem_objective\":{},\"tandem_objective_units\":{},\"tandem_assigned\":{}}}",
            pairs.len(),
            plan.objective,
            Instance::units(&plan, scale),
            plan.assignments.len()
        );
        std::fs::write(dir.join(format!("{name}.json")), format!("{summary}\n")).unwrap();
        println!("{summary}");
        eprintln!(
            "wrote {} ({:.1} s)",
            path.display(),
            started.elapsed().as_secs_f64()
        );
    }
}

fn time(nf: usize, nv: usize) {
    let inst = Instance::new(nf, nv);
    let started = Instant::now();
    let plan = inst.solve();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"families\":{nf},\"volunteers\":{nv},\"seconds\":{seconds},\"objective\":{},\"assigned\":{}}}",
        plan.objective,
        plan.assignments.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["write", dir] => write(Path::new(dir)),
        ["time", nf, nv] => time(nf.parse().unwrap(), nv.parse().unwrap()),
        _ => {
            eprintln!("usage: dimacs write DIR | dimacs time FAMILIES VOLUNTEERS");
            std::process::exit(2);
        }
    }
}
