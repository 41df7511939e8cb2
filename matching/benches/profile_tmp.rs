#![allow(clippy::unwrap_used)]
mod synthetic;
use matching::{MatchIndex, Policy, Weights};
use synthetic::{Geography, TODAY, families, volunteers};
fn main() {
    let which = std::env::var("WHICH").unwrap_or_default();
    let geography = if which.contains("bru") {
        Geography::Brussels
    } else {
        Geography::Flanders
    };
    let policy = Policy::with_today(TODAY);
    let weights = Weights::default();
    let fams = families(99, 2_000, geography);
    let pool = volunteers(42, 100_000, geography, 2_000);
    let index = MatchIndex::build(pool);
    let mode: u8 = std::env::var("MODE")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    matching::MODE.store(mode, std::sync::atomic::Ordering::Relaxed);
    let start = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..5 {
        for f in &fams {
            n += index.top_k(f, 10, &weights, &policy).candidates.len();
        }
    }
    eprintln!("{n} {:?} per query", start.elapsed() / 10_000);
    let st: Vec<u64> = matching::STATS
        .iter()
        .map(|a| a.load(std::sync::atomic::Ordering::Relaxed) / 10_000)
        .collect();
    eprintln!(
        "per query: returned {} near {} scored {}",
        st[0], st[1], st[2]
    );
}
