//! The matching engine at 10k, 100k and 1M volunteers: index build, memory per
//! volunteer, and top-10 latency computed afresh (a language weight of its own for
//! every query, as the server's "ranked afresh" benchmark row; nothing is kept between
//! queries in this crate anyway).
//!
//! ```sh
//! cargo run --release -p matching --example scale [-- 10000 100000 1000000]
//! ```
//!
//! The volunteers are drawn like `tandem generate` draws them: a third around
//! Brussels, the rest over Flanders; 2,000 families likewise. Prints one JSON line
//! per size: build seconds, the index's own estimate of its bytes and the growth of
//! the process's resident memory while it was built (both per volunteer), and p50,
//! p99 and max of `top_k_candidates(10)` over the 2,000 families (each family's
//! median of 3 passes).

#![allow(clippy::unwrap_used, clippy::print_stdout)] // a command-line tool for benchmarks

use std::time::{Duration, Instant};

use matching::synthetic::{Geography, Rng, TODAY, family, volunteer};
use matching::{MatchIndex, Policy, Weights};

/// Resident set size of this process, from /proc (Linux), in bytes.
fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

fn geography(rng: &mut Rng) -> Geography {
    if rng.chance(1.0 / 3.0) {
        Geography::Brussels
    } else {
        Geography::Flanders
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

fn main() {
    let sizes: Vec<usize> = {
        let given: Vec<usize> = std::env::args()
            .skip(1)
            .map(|a| a.parse().unwrap())
            .collect();
        if given.is_empty() {
            vec![10_000, 100_000, 1_000_000]
        } else {
            given
        }
    };
    let policy = Policy::with_today(TODAY);
    let mut frng = Rng::new(7);
    let fams: Vec<_> = (0..2_000u128)
        .map(|i| {
            let g = geography(&mut frng);
            family(&mut frng, 1 + i, g)
        })
        .collect();
    for n in sizes {
        let mut rng = Rng::new(2026);
        let pool: Vec<_> = (0..n as u128)
            .map(|i| {
                let g = geography(&mut rng);
                volunteer(&mut rng, 1_000_000 + i, g, 2_000)
            })
            .collect();
        let rss_before = rss_bytes();
        let started = Instant::now();
        let index = MatchIndex::build(pool);
        let build = started.elapsed().as_secs_f64();
        let rss_grown = rss_bytes().saturating_sub(rss_before);
        let mut wrng = Rng::new(99);
        let weights: Vec<Weights> = (0..fams.len())
            .map(|_| Weights::new(0.2 + 0.3 * wrng.unit(), 0.25, 0.25, 0.15).unwrap())
            .collect();
        let mut passes: Vec<Vec<Duration>> = Vec::new();
        for _ in 0..3 {
            passes.push(
                fams.iter()
                    .zip(&weights)
                    .map(|(f, w)| {
                        let start = Instant::now();
                        std::hint::black_box(index.top_k_candidates(f, 10, w, &policy));
                        start.elapsed()
                    })
                    .collect(),
            );
        }
        let mut times: Vec<Duration> = (0..fams.len())
            .map(|i| {
                let mut three = [passes[0][i], passes[1][i], passes[2][i]];
                three.sort();
                three[1]
            })
            .collect();
        times.sort();
        println!(
            "{{\"volunteers\":{n},\"build_seconds\":{build},\"index_bytes_per_volunteer\":{:.1},\"rss_grown_bytes_per_volunteer\":{:.1},\"top10_p50_us\":{:.1},\"top10_p99_us\":{:.1},\"top10_max_us\":{:.1}}}",
            index.memory_bytes() as f64 / n as f64,
            rss_grown as f64 / n as f64,
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times.last().unwrap().as_secs_f64() * 1e6,
        );
        drop(index);
    }
}
