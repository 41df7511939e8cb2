//! Tail latency, memory and plan quality: the figures criterion does not report.
//!
//! `cargo bench -p matching --bench latency` prints, for the top-10 query, p50/p99/max
//! over 2,000 different families; the index's memory per volunteer (its own estimate
//! and the growth of the process's resident memory); and, for the batch scenarios, one
//! timed run with the objective of the optimum next to the greedy baseline.

#![allow(clippy::unwrap_used)] // benchmark code: a panic is a broken benchmark

use std::time::{Duration, Instant};

use matching::synthetic::{Geography, Rng, TODAY, families, volunteer, volunteers};
use matching::{
    AssignmentInput, MatchIndex, Policy, Weights, rank_by_scan, suggest_assignments,
    suggest_assignments_greedy,
};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// Resident set size of this process, from /proc (Linux), in bytes.
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Top-10 latency: one warm-up pass over the families, then three timed passes; each
/// family's time is the median of its three (consecutive queries are always different
/// families, so caches are as warm as in service). The brute-force scan is timed once
/// for 200 families (it takes milliseconds).
fn top10_latency() {
    let policy = Policy::with_today(TODAY);
    let weights = Weights::default();
    println!("## top-10 latency over 2,000 families (median of 3 passes per family)");
    println!(
        "| volunteers | geography | index p50 | index p99 | index max | one-pass p99 | scan p50 | scan p99 | p50 ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for geography in [
        Geography::Brussels,
        Geography::Flanders,
        Geography::FlandersUniform,
    ] {
        let fams = families(99, 2_000, geography);
        for n in [1_000usize, 10_000, 100_000] {
            let pool = volunteers(42, n, geography, 2_000);
            let index = MatchIndex::build(pool.clone());
            let mut found = 0usize;
            for f in &fams {
                found += index.top_k(f, 10, &weights, &policy).candidates.len();
            }
            let mut passes: Vec<Vec<Duration>> = Vec::new();
            for _ in 0..3 {
                let pass = fams
                    .iter()
                    .map(|f| {
                        let start = Instant::now();
                        std::hint::black_box(index.top_k(f, 10, &weights, &policy));
                        start.elapsed()
                    })
                    .collect();
                passes.push(pass);
            }
            let mut times: Vec<Duration> = (0..fams.len())
                .map(|i| {
                    let mut three = [passes[0][i], passes[1][i], passes[2][i]];
                    three.sort();
                    three[1]
                })
                .collect();
            times.sort();
            let mut one_pass = passes[0].clone();
            one_pass.sort();
            let mut scan = Vec::new();
            for f in fams.iter().take(200) {
                let start = Instant::now();
                std::hint::black_box(rank_by_scan(&pool, f, 10, &weights, &policy));
                scan.push(start.elapsed());
            }
            scan.sort();
            let (p50, s50) = (percentile(&times, 0.5), percentile(&scan, 0.5));
            println!(
                "| {n} | {} | {} | {} | {} | {} | {} | {} | {:.0}x |",
                geography.name(),
                micros(p50),
                micros(percentile(&times, 0.99)),
                micros(*times.last().unwrap()),
                micros(percentile(&one_pass, 0.99)),
                micros(s50),
                micros(percentile(&scan, 0.99)),
                s50.as_secs_f64() / p50.as_secs_f64(),
            );
            eprintln!(
                "  ({n} volunteers, {}: {:.1} candidates per family on average)",
                geography.name(),
                found as f64 / fams.len() as f64
            );
        }
    }
}

fn memory() {
    println!("## memory of the index, 100,000 volunteers (flanders)");
    // Resident memory grown by streaming 100k upserts into an empty index: each profile
    // is dropped right after its upsert, so what stays is the index (including the
    // growth slack of its arrays and maps).
    let before = rss_bytes().unwrap_or(0);
    let mut rng = Rng::new(4242);
    let mut streamed = MatchIndex::new();
    for i in 0..100_000u128 {
        streamed.upsert(volunteer(&mut rng, 1_000_000 + i, Geography::Flanders, 256));
    }
    let after = rss_bytes().unwrap_or(0);
    println!(
        "- 100k `upsert`s into an empty index: RSS grew by {} bytes = {:.0} bytes per volunteer; `memory_bytes()` says {:.0}",
        after.saturating_sub(before),
        after.saturating_sub(before) as f64 / 100_000.0,
        streamed.memory_bytes() as f64 / 100_000.0
    );
    streamed.shrink_to_fit();
    println!(
        "- the same after `shrink_to_fit()`: `memory_bytes()` says {:.0} bytes per volunteer",
        streamed.memory_bytes() as f64 / 100_000.0
    );
    drop(streamed);
    let pool = volunteers(42, 100_000, Geography::Flanders, 256);
    let built = MatchIndex::build(pool);
    println!(
        "- `build`: `memory_bytes()` = {} bytes = {:.0} bytes per volunteer",
        built.memory_bytes(),
        built.memory_bytes() as f64 / 100_000.0
    );
    println!();
}

fn batches() {
    let policy = Policy::with_today(TODAY);
    let weights = Weights::default();
    println!();
    println!("## batch assignment, one run each (brussels)");
    println!(
        "| families x volunteers | optimal | greedy | objective optimal | objective greedy | assigned optimal | assigned greedy |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (nf, nv) in [(1_000usize, 10_000usize), (5_000, 50_000)] {
        let fams = families(11, nf, Geography::Brussels);
        let index = MatchIndex::build(volunteers(12, nv, Geography::Brussels, nf as u64));
        let input = AssignmentInput {
            families: &fams,
            pinned: &[],
            forbidden: &[],
        };
        let start = Instant::now();
        let optimal = suggest_assignments(&input, &index, &weights, &policy);
        let t_opt = start.elapsed();
        let start = Instant::now();
        let greedy = suggest_assignments_greedy(&input, &index, &weights, &policy);
        let t_greedy = start.elapsed();
        println!(
            "| {nf} x {nv} | {:.1} ms | {:.1} ms | {:.2} | {:.2} | {} | {} |",
            t_opt.as_secs_f64() * 1e3,
            t_greedy.as_secs_f64() * 1e3,
            optimal.objective,
            greedy.objective,
            optimal.assignments.len(),
            greedy.assignments.len(),
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we need.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    // Memory first, while the heap is fresh, so the RSS growth is the index's.
    memory();
    top10_latency();
    batches();
}
