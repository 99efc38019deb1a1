//! The `lossy` command line: `serve`, `migrate`, `schema`, `user add`, `token`, `flags`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::app::Application;
use crate::auth::password::Password;
use crate::auth::users::{self, Email, FirstAdmin, NewUser};
use crate::auth::{Role, devices, secret, tokens::TokenKeys};
use crate::config::{Config, Secret, StorageConfig};
use crate::{db, flags, graphql, handshake, observability, platforms};

#[derive(Parser)]
#[command(
    name = "lossy",
    version,
    about = "Lossy: voice-first video review server"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (migrates the database first).
    Serve(Box<Config>),
    /// Apply pending database migrations and exit.
    Migrate(StorageConfig),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Mint an access token for GraphiQL or curl.
    Token(TokenArgs),
    /// Inspect and change feature flags.
    #[command(subcommand)]
    Flags(FlagsCommand),
    /// The platform adapters (docs/platforms.md).
    #[command(subcommand)]
    Adapters(AdaptersCommand),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value = "")]
        name: String,
        /// Give the account the admin role.
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Args)]
struct TokenArgs {
    /// Whose token.
    #[arg(long)]
    email: String,
    /// Name of the device the token is for; reused when the user already has one by that name.
    #[arg(long, default_value = "cli")]
    device: String,
    /// Signing secret; as for `lossy serve`.
    #[arg(long, env = "LOSSY_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<Secret>,
    /// Lifetime of the token, in seconds.
    #[arg(long, env = "LOSSY_TOKEN_TTL_SECS", default_value_t = 900)]
    token_ttl_secs: u64,
    #[command(flatten)]
    storage: StorageConfig,
}

#[derive(Subcommand)]
enum AdaptersCommand {
    /// Print the adapter manifest the extension runs (the bytes of
    /// `GET /api/platform_adapters.json`).
    Export,
}

#[derive(Subcommand)]
enum FlagsCommand {
    /// List flags with their default, rollout and override count.
    List {
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Change a flag's default and/or rollout percentage.
    Set {
        name: String,
        #[arg(long, value_enum)]
        default: Option<OnOff>,
        #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
        rollout: Option<u8>,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Force a flag on or off for one user, or clear that.
    Override {
        name: String,
        #[arg(long)]
        email: String,
        #[arg(value_enum)]
        state: OverrideState,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
enum OverrideState {
    On,
    Off,
    Clear,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(config) => serve(*config).await,
        Command::Migrate(storage) => {
            observability::init_logging(crate::config::LogFormat::Text);
            db::connect_and_migrate(&storage).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::Adapters(AdaptersCommand::Export) => {
            print!("{}", platforms::manifest::exported());
            Ok(())
        }
        Command::User(UserCommand::Add {
            email,
            password,
            name,
            admin,
            storage,
        }) => {
            let db = db::connect_and_migrate(&storage).await?;
            let new = NewUser {
                email: Email::parse(&email).map_err(user_error)?,
                password: Password::parse(&password).map_err(user_error)?,
                name,
                role: if admin { Role::Admin } else { Role::User },
            };
            let user = users::create(&db, new).await.map_err(user_error)?;
            println!("created {} ({}) with id {}", user.email, user.role, user.id);
            Ok(())
        }
        Command::Token(args) => token(args).await,
        Command::Flags(command) => flags_command(command).await,
    }
}

fn user_error(err: crate::error::AppError) -> anyhow::Error {
    err.into_anyhow()
}

async fn serve(config: Config) -> anyhow::Result<()> {
    observability::init_logging(config.log_format);
    let app = Application::build(config).await?;
    // Installed before the banner, so a Ctrl-C right after start-up is already graceful.
    let stop = stop_signal()?;
    match app.first_admin() {
        FirstAdmin::Generated { email, password } => {
            println!();
            println!("  Created the admin account (shown only this once):");
            println!("    email:    {email}");
            println!("    password: {password}");
            println!();
        }
        FirstAdmin::Created { email } => println!("  Created the admin account {email}"),
        FirstAdmin::Existing => {}
    }
    let addr = app.local_addr();
    println!("  Lossy is listening on http://{addr}  (GraphiQL: http://{addr}/graphiql)");
    tracing::info!(%addr, "listening");
    app.run_until(stop).await
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, the signal service managers send.
#[cfg(unix)]
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

async fn find_user(
    db: &DatabaseConnection,
    email: &str,
) -> anyhow::Result<lossy_entities::users::Model> {
    let email = Email::parse(email).map_err(user_error)?;
    users::find_by_email(db, &email)
        .await
        .map_err(user_error)?
        .ok_or_else(|| anyhow::anyhow!("no account with the email {}", email.as_str()))
}

async fn token(args: TokenArgs) -> anyhow::Result<()> {
    let db = db::connect_and_migrate(&args.storage).await?;
    let user = find_user(&db, &args.email).await?;
    let secret = secret::load_or_create(args.jwt_secret.as_ref(), &args.storage.data_dir)?;
    let keys = TokenKeys::new(&secret, std::time::Duration::from_secs(args.token_ttl_secs))?;
    let name = devices::device_name(&args.device).map_err(user_error)?;
    let existing = lossy_entities::devices::Entity::find()
        .filter(lossy_entities::devices::Column::UserId.eq(user.id))
        .filter(lossy_entities::devices::Column::Name.eq(name.clone()))
        .filter(lossy_entities::devices::Column::RevokedAt.is_null())
        .one(&db)
        .await?;
    let device_id = existing.map_or_else(Uuid::new_v4, |d| d.id);
    let version =
        handshake::active_version_for(&db, user.id, i32::from(handshake::HIGHEST_VERSION))
            .await
            .map_err(user_error)?;
    let refresh_ttl = chrono::Duration::days(30);
    let pair = devices::issue(&db, &keys, user.id, device_id, name, version, refresh_ttl)
        .await
        .map_err(user_error)?;
    eprintln!(
        "token for {} on device {device_id}, protocol v{version}, valid until {}",
        user.email,
        pair.access.claims.expires_at().to_rfc3339()
    );
    println!("{}", pair.access.token);
    Ok(())
}

async fn flags_command(command: FlagsCommand) -> anyhow::Result<()> {
    match command {
        FlagsCommand::List { storage } => {
            let db = db::connect_and_migrate(&storage).await?;
            let rows = flags::store::list(&db).await.map_err(user_error)?;
            println!(
                "{:<28} {:>7} {:>8} {:>9}  description",
                "flag", "default", "rollout", "overrides"
            );
            for flag in rows {
                println!(
                    "{:<28} {:>7} {:>7}% {:>9}  {}",
                    flag.name,
                    if flag.default_enabled { "on" } else { "off" },
                    flag.rollout_percent,
                    flag.override_count,
                    flag.description
                );
            }
        }
        FlagsCommand::Set {
            name,
            default,
            rollout,
            storage,
        } => {
            let db = db::connect_and_migrate(&storage).await?;
            let default = default.map(|d| matches!(d, OnOff::On));
            flags::store::set_flag(&db, &name, default, rollout)
                .await
                .map_err(user_error)?;
            println!("{name} updated; running servers pick it up within LOSSY_FLAG_POLL_MS");
        }
        FlagsCommand::Override {
            name,
            email,
            state,
            storage,
        } => {
            let db = db::connect_and_migrate(&storage).await?;
            let user = find_user(&db, &email).await?;
            let enabled = match state {
                OverrideState::On => Some(true),
                OverrideState::Off => Some(false),
                OverrideState::Clear => None,
            };
            flags::store::set_override(&db, &name, user.id, enabled)
                .await
                .map_err(user_error)?;
            println!("{name} override for {} set", user.email);
        }
    }
    Ok(())
}
