//! `tandem`: a shim over `api::cli`.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    api::cli::init_tracing();
    api::cli::run().await
}
