#![allow(clippy::unwrap_used)]
mod synthetic;
use matching::{
    AssignmentInput, MatchIndex, Policy, Weights, suggest_assignments, suggest_assignments_greedy,
};
use synthetic::{Geography, TODAY, families, volunteers};
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    (fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap()) / 100.0
}
fn main() {
    let which = std::env::var("WHICH").unwrap_or_default();
    let policy = Policy::with_today(TODAY);
    let weights = Weights::default();
    if which.contains("batch") {
        let (nf, nv) = if which.contains("big") {
            (5_000, 50_000)
        } else {
            (1_000, 10_000)
        };
        let fams = families(11, nf, Geography::Brussels);
        let index = MatchIndex::build(volunteers(12, nv, Geography::Brussels, nf as u64));
        let input = AssignmentInput {
            families: &fams,
            pinned: &[],
            forbidden: &[],
        };
        for _ in 0..3 {
            let start = std::time::Instant::now();
            let plan = suggest_assignments(&input, &index, &weights, &policy);
            eprintln!(
                "optimal {:?} objective {:.2} assigned {}",
                start.elapsed(),
                plan.objective,
                plan.assignments.len()
            );
        }
        let start = std::time::Instant::now();
        let plan = suggest_assignments_greedy(&input, &index, &weights, &policy);
        eprintln!(
            "greedy {:?} objective {:.2} assigned {}",
            start.elapsed(),
            plan.objective,
            plan.assignments.len()
        );
        return;
    }
    if which.contains("build") {
        let pool = volunteers(42, 100_000, Geography::Flanders, 256);
        let mut total = std::time::Duration::ZERO;
        for _ in 0..20 {
            let p = pool.clone();
            let start = std::time::Instant::now();
            let index = MatchIndex::build(p);
            total += start.elapsed();
            drop(index);
        }
        eprintln!("build {:?}", total / 20);
        return;
    }
    let geography = if which.contains("bru") {
        Geography::Brussels
    } else {
        Geography::Flanders
    };
    let fams = families(99, 2_000, geography);
    let pool = volunteers(42, 100_000, geography, 2_000);
    let index = MatchIndex::build(pool);
    let start = std::time::Instant::now();
    let cpu = cpu_secs();
    let mut n = 0;
    for _ in 0..5 {
        for f in &fams {
            n += index.top_k(f, 10, &weights, &policy).candidates.len();
        }
    }
    eprintln!(
        "{n} {:?} per query, cpu {:.1} µs",
        start.elapsed() / 10_000,
        (cpu_secs() - cpu) / 10_000.0 * 1e6
    );
}
