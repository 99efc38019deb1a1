use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    lossy_api::memory::return_large_blocks_when_freed();
    lossy_api::cli::run(lossy_api::cli::Cli::parse()).await
}
