//! Builds the shared state and the router from a `Config`, binds the listener (port 0 picks a
//! free one, which tests use), and serves until a shutdown future resolves.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::auth::origin::OriginPolicy;
use crate::auth::rate_limit::RateLimits;
use crate::auth::tokens::TokenKeys;
use crate::auth::users::{self, FirstAdmin};
use crate::bus::Topic;
use crate::cluster::{Doorbell, Outbox};
use crate::config::Config;
use crate::context::VideoContexts;
use crate::error::AppError;
use crate::flags::cache::FeatureCache;
use crate::graphql::document_cache::DocumentCache;
use crate::graphql::http::GraphqlState;
use crate::settings::cache::SettingsCache;
use crate::state::{AppState, ShutdownTrigger, shutdown_pair};
use crate::telemetry::{TelemetryRecorder, TelemetryWriter};
use crate::voice::registry::VoiceRegistry;
use crate::web::WebAssets;
use crate::{auth, context, db, flags, graphql, http, observability, voice, web, ws};

/// How long open sockets get to close after shutdown begins.
const SOCKET_CLOSE_GRACE: Duration = Duration::from_secs(10);

/// How long running jobs get to finish once serving has ended; the queue runs the others
/// again after the restart.
const JOBS_STOP_GRACE: Duration = Duration::from_secs(5);

/// How long queued telemetry gets to be written once serving has ended.
const TELEMETRY_FLUSH_GRACE: Duration = Duration::from_secs(5);

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub struct Application {
    listener: TcpListener,
    state: AppState,
    router: Router,
    trigger: ShutdownTrigger,
    first_admin: FirstAdmin,
    telemetry_writer: TelemetryWriter,
    /// This node's rings for the others and the database URL they go through, on PostgreSQL.
    cluster: Option<(Outbox, String)>,
}

impl Application {
    /// Connects and migrates the database, creates the first admin on an empty one, loads the
    /// signing secret and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        crate::platforms::Platforms::get()?;
        let structurer = crate::notes::llm::note_structurer(
            &config.llm,
            Arc::new(crate::notes::builtin::BuiltinStructurer),
        )
        .context("setting up the note structurer (LOSSY_LLM_*)")?;
        tracing::info!(structurer = structurer.name(), "notes are structured");
        // With an LLM, notes are answered by the built-in structurer and refined by a job.
        let refiner = crate::notes::llm::LlmStructurer::from_config(
            &config.llm,
            Arc::new(crate::notes::builtin::BuiltinStructurer),
        )
        .context("setting up the note refiner (LOSSY_LLM_*)")?
        .map(Arc::new);
        let web_assets = Arc::new(WebAssets::load(config.web_dir.as_deref())?);
        let source = config
            .web_dir
            .as_ref()
            .map_or_else(|| "embedded".to_owned(), |dir| dir.display().to_string());
        if web_assets.has_app() {
            tracing::info!(files = web_assets.len(), %source, "web app loaded");
        } else {
            tracing::warn!(
                %source,
                "the web app is not built: `/` says how to build it (docs/web.md)"
            );
        }
        let db = db::connect_and_migrate(&config.storage).await?;
        let jobs = crate::jobs::Jobs::setup(&db, &config.jobs)
            .await
            .context("setting up the job queue")?;
        let first_admin = users::ensure_first_admin(
            &db,
            &config.admin_email,
            config.admin_password.as_ref().map(|s| s.expose()),
        )
        .await?;
        let secret =
            auth::secret::load_or_create(config.jwt_secret.as_ref(), &config.storage.data_dir)?;
        let tokens = TokenKeys::new(&secret, config.token_ttl())?;
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("binding {}", config.bind))?;
        let (trigger, shutdown) = shutdown_pair();
        // One lane: telemetry, voice steps and notes take turns on SQLite instead of colliding.
        let lane = db::WriteLane::new(db.clone());
        let analytics = Arc::new(crate::analytics::Rollups::new());
        let (telemetry, telemetry_writer) = TelemetryRecorder::start_with_rollups(
            lane.clone(),
            config.telemetry_queue_capacity,
            analytics.clone(),
            Duration::from_millis(config.analytics_flush_ms),
        );
        // Several nodes share a PostgreSQL database; each rings the others after its writes.
        let (doorbell, outbox) = match (db.get_database_backend(), &config.storage.database_url) {
            (sea_orm::DatabaseBackend::Postgres, Some(url)) => {
                let (doorbell, outbox) = Doorbell::wired();
                (doorbell, Some((outbox, url.expose().to_owned())))
            }
            _ => (Doorbell::silent(), None),
        };
        let voice = Arc::new(VoiceRegistry::new(lane.clone()));
        let contexts = Arc::new(VideoContexts::new(config.context_lease()));
        let notes = Arc::new(crate::notes::Notes::new(
            lane.clone(),
            config.note_events_retention(),
            doorbell.clone(),
        ));
        let node = config.node();
        let state = AppState {
            rate_limits: Arc::new(RateLimits::new(&config)),
            origins: Arc::new(OriginPolicy::new(&config)),
            config: Arc::new(config),
            db,
            tokens: Arc::new(tokens),
            revoked_devices: Arc::new(Topic::new("revoked_devices")),
            disabled_users: Arc::new(Topic::new("disabled_users")),
            node: node.into(),
            started_at: chrono::Utc::now(),
            metrics: observability::metrics_handle(),
            shutdown,
            telemetry,
            analytics,
            voice,
            contexts,
            lane,
            structurer,
            notes,
            settings: Arc::new(SettingsCache::new(doorbell.clone())),
            features: Arc::new(FeatureCache::new(doorbell.clone())),
            jobs: Arc::new(jobs),
            refiner,
            doorbell,
        };
        // Sessions that were live when the server last stopped wait, disconnected, for their
        // devices to resume them.
        let recovered = voice::registry::recover(&state)
            .await
            .map_err(AppError::into_anyhow)
            .context("recovering voice sessions")?;
        if recovered > 0 {
            tracing::info!(recovered, "voice sessions recovered in disconnected");
        }
        // Their tabs keep the video contexts they owned, with a lease counted from now.
        let owned = context::registry::restore(&state)
            .await
            .map_err(AppError::into_anyhow)
            .context("restoring video context leases")?;
        if owned > 0 {
            tracing::info!(owned, "video context leases restored");
        }
        let router = router(state.clone(), web_assets);
        Ok(Application {
            listener,
            state,
            router,
            trigger,
            first_admin,
            telemetry_writer,
            cluster: outbox,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// What start-up did about the admin account (the CLI prints a generated password once).
    pub fn first_admin(&self) -> &FirstAdmin {
        &self.first_admin
    }

    /// Serves until `shutdown` resolves, then closes sockets with 1001, lets in-flight
    /// requests finish, writes queued telemetry, and returns.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Application {
            listener,
            state,
            router,
            trigger,
            telemetry_writer,
            cluster,
            ..
        } = self;
        let mut background = spawn_background_tasks(&state);
        let leases = (state.db.clone(), state.node.clone());
        let state_drain_secs = state.config.drain_secs;
        if let Some((outbox, url)) = cluster {
            background.extend(crate::cluster::postgres::start(&state, outbox, url));
        }
        let workers = crate::jobs::start(&state);
        drop(state);
        let begin = trigger.clone();
        let drain_for = Duration::from_secs(state_drain_secs);
        let stop = async move {
            shutdown.await;
            // Load balancers see `/readyz` fail and stop sending new clients here first.
            begin.drain();
            if !drain_for.is_zero() {
                tracing::info!(
                    seconds = drain_for.as_secs(),
                    "draining before shutting down"
                );
                tokio::time::sleep(drain_for).await;
            }
            tracing::info!("shutting down");
            begin.begin();
        };
        // Status messages are small and latency matters more than packing them.
        let listener = listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(%err, "could not set TCP_NODELAY");
            }
        });
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await
        .context("serving")?;
        trigger.wait_for_tasks(SOCKET_CLOSE_GRACE).await;
        // The session tasks stopped with the sockets; another node may take them at once.
        voice::registry::release(&leases.0, &leases.1).await;
        workers.stop(JOBS_STOP_GRACE).await;
        for task in background {
            task.abort();
        }
        // Not left to the last recorder clone being dropped: tests and stray tasks may hold
        // the state for longer.
        telemetry_writer.finish(TELEMETRY_FLUSH_GRACE).await;
        Ok(())
    }
}

fn spawn_background_tasks(state: &AppState) -> Vec<tokio::task::JoinHandle<()>> {
    let flag_poll = Duration::from_millis(state.config.flag_poll_ms.max(100));
    let limits = state.rate_limits.clone();
    vec![
        tokio::spawn(db::checkpoint_wal(state.lane.clone())),
        tokio::spawn(context::registry::lapse_expired_leases(state.clone())),
        tokio::spawn(voice::registry::keep_leases(state.clone())),
        tokio::spawn(state.notes.stream.clone().prune_expired(state.lane.clone())),
        tokio::spawn(flags::cache::invalidate_on_changes(state)),
        tokio::spawn(flags::store::watch_external_changes(
            state.clone(),
            flag_poll,
        )),
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                limits.forget_idle_keys();
            }
        }),
    ]
}

fn router(state: AppState, web_assets: Arc<WebAssets>) -> Router {
    let config = state.config.clone();
    let documents = DocumentCache::default();
    let graphql_state = GraphqlState {
        schema: graphql::build_schema_keeping(&config, Some(state.clone()), documents.clone()),
        documents,
        app: state.clone(),
    };
    let graphql_routes = Router::new()
        .route("/graphql", post(graphql::http::execute).get(ws::upgrade))
        .with_state(graphql_state);
    let origins = state.origins.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(
            move |origin: &HeaderValue, parts| {
                origin
                    .to_str()
                    .is_ok_and(|origin| origins.allows(origin, &parts.headers))
            },
        ))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT]);
    Router::new()
        .merge(graphql_routes)
        .route("/healthz", get(http::health::healthz))
        .route("/readyz", get(http::health::readyz))
        .route("/metrics", get(http::health::metrics))
        .route(
            "/api/platform_adapters.json",
            get(crate::platforms::http::manifest),
        )
        .merge(auth::http::routes())
        // `/`, `/graphiql`, and the fallback: the app's client routes and files, and the JSON
        // 404 for every other path.
        .merge(web::routes(web_assets))
        .with_state(state)
        .layer(middleware::from_fn(count_requests))
        .layer(cors)
        .layer(RequestBodyLimitLayer::new(config.http_body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.http_timeout_secs),
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let request_id = request
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    crate::error::AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// `lossy_http_requests_total` by route, method and status, and the latency histogram.
async fn count_requests(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("lossy_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("lossy_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}
