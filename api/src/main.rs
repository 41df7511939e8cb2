//! `tandem`: a shim over `api::cli`.

/// mimalloc instead of glibc's malloc: under load the server allocates from
/// every worker thread at once, and glibc's arenas then spend their time on
/// locks and consolidation (seen in `perf` profiles of the families page).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    api::cli::init_tracing();
    api::cli::run().await
}
