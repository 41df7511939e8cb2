//! Criterion benchmarks: each scenario next to its baseline in the same run.
//!
//! `cargo bench -p matching --bench matching`; see `matching/BENCHMARKS.md`.

#![allow(clippy::unwrap_used)] // benchmark code: a panic is a broken benchmark

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use matching::synthetic::{Geography, TODAY, families, volunteers};
use matching::{
    AssignmentInput, MatchIndex, Policy, Weights, rank_by_scan, suggest_assignments,
    suggest_assignments_greedy,
};

fn top10(c: &mut Criterion) {
    let policy = Policy::with_today(TODAY);
    let weights = Weights::default();
    let mut group = c.benchmark_group("top10");
    for geography in [
        Geography::Brussels,
        Geography::Flanders,
        Geography::FlandersUniform,
    ] {
        let fams = families(7, 256, geography);
        for n in [1_000usize, 10_000, 100_000] {
            let pool = volunteers(42, n, geography, 256);
            let index = MatchIndex::build(pool.clone());
            let name = format!("{}/{}k", geography.name(), n / 1000);
            let mut i = 0;
            group.bench_function(format!("index/{name}"), |b| {
                b.iter(|| {
                    i = (i + 1) % fams.len();
                    black_box(index.top_k(&fams[i], 10, &weights, &policy))
                })
            });
            // The same ranking without the exclusion counts (`top_k_candidates`), what
            // a query that does not select `excluded` runs: it also skips R-tree boxes and
            // entries whose score bound cannot reach the top 10. `index/...` is its
            // baseline.
            let mut i = 0;
            group.bench_function(format!("candidates/{name}"), |b| {
                b.iter(|| {
                    i = (i + 1) % fams.len();
                    black_box(index.top_k_candidates(&fams[i], 10, &weights, &policy))
                })
            });
            let mut i = 0;
            group.bench_function(format!("scan/{name}"), |b| {
                b.iter(|| {
                    i = (i + 1) % fams.len();
                    black_box(rank_by_scan(&pool, &fams[i], 10, &weights, &policy))
                })
            });
        }
    }
    group.finish();
}

fn index_maintenance(c: &mut Criterion) {
    let mut group = c.benchmark_group("index");
    let pool = volunteers(42, 100_000, Geography::Flanders, 256);
    group.bench_function("build/flanders/100k", |b| {
        b.iter_batched(
            || pool.clone(),
            |pool| black_box(MatchIndex::build(pool)),
            BatchSize::LargeInput,
        )
    });
    // Baseline for the bulk build: the same 100k volunteers upserted one by one.
    group.bench_function("upsert_all/flanders/100k", |b| {
        b.iter_batched(
            || pool.clone(),
            |pool| {
                let mut index = MatchIndex::new();
                for v in pool {
                    index.upsert(v);
                }
                black_box(index)
            },
            BatchSize::LargeInput,
        )
    });
    // Replace existing volunteers with new versions (new home, reach, languages...), so
    // each upsert removes and re-inserts an R-tree entry; the index keeps 100k entries.
    let mut index = MatchIndex::build(pool.clone());
    let replacements = volunteers(43, 4096, Geography::Flanders, 256);
    let mut i = 0;
    group.bench_function("upsert/flanders/100k", |b| {
        b.iter_batched(
            || {
                i = (i + 1) % replacements.len();
                let mut v = replacements[i].clone();
                v.id = pool[(i * 24) % pool.len()].id;
                v
            },
            |v| index.upsert(v),
            BatchSize::SmallInput,
        )
    });
    // The baseline for one upsert is rebuilding the index: `build/flanders/100k`.
    group.finish();
}

fn batch(c: &mut Criterion) {
    let policy = Policy::with_today(TODAY);
    let weights = Weights::default();
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    for (nf, nv) in [(1_000usize, 10_000usize), (5_000, 50_000)] {
        let fams = families(11, nf, Geography::Brussels);
        let index = MatchIndex::build(volunteers(12, nv, Geography::Brussels, nf as u64));
        let input = AssignmentInput {
            families: &fams,
            pinned: &[],
            forbidden: &[],
        };
        let name = format!("brussels/{}k_x_{}k", nf / 1000, nv / 1000);
        group.bench_function(format!("optimal/{name}"), |b| {
            b.iter(|| black_box(suggest_assignments(&input, &index, &weights, &policy)))
        });
        group.bench_function(format!("greedy/{name}"), |b| {
            b.iter(|| {
                black_box(suggest_assignments_greedy(
                    &input, &index, &weights, &policy,
                ))
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = config();
    targets = top10, index_maintenance, batch
}
criterion_main!(benches);
