use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    lossy_api::cli::run(lossy_api::cli::Cli::parse()).await
}
