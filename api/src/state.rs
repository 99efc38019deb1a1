//! The state every request handler, socket and resolver shares.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use sea_orm::DatabaseConnection;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use uuid::Uuid;

use crate::auth::origin::OriginPolicy;
use crate::auth::rate_limit::RateLimits;
use crate::auth::tokens::TokenKeys;
use crate::bus::Topic;
use crate::cluster::{Doorbell, Ring};
use crate::config::Config;
use crate::context::VideoContexts;
use crate::db::WriteLane;
use crate::flags::cache::FeatureCache;
use crate::notes::Notes;
use crate::notes::structurer::NoteStructurer;
use crate::settings::cache::SettingsCache;
use crate::telemetry::TelemetryRecorder;
use crate::voice::registry::VoiceRegistry;

/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    pub tokens: Arc<TokenKeys>,
    /// Devices revoked (by id); their open sockets close. Published by
    /// [`AppState::device_revoked`], which tells the other nodes too.
    pub revoked_devices: Arc<Topic<Uuid>>,
    /// Users disabled by an admin (by id); their open sockets close with 4403. Published by
    /// [`AppState::user_disabled`].
    pub disabled_users: Arc<Topic<Uuid>>,
    /// This server process's name (`LOSSY_NODE_ID`), shown with its live sessions.
    pub node: Arc<str>,
    /// When this process started serving (`serverHealth`).
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub rate_limits: Arc<RateLimits>,
    pub origins: Arc<OriginPolicy>,
    pub metrics: PrometheusHandle,
    pub shutdown: ShutdownSignal,
    /// The server's own telemetry; recording never waits.
    pub telemetry: TelemetryRecorder,
    /// The analytics rollups the hot paths feed (the same as `telemetry.rollups()`, whose
    /// writer flushes them).
    pub analytics: Arc<crate::analytics::Rollups>,
    /// Each user's evaluated flags between flag changes.
    pub features: Arc<FeatureCache>,
    /// The live voice sessions of this server.
    pub voice: Arc<VoiceRegistry>,
    /// The live leases of the users' video contexts.
    pub contexts: Arc<VideoContexts>,
    /// The connection the background writers share, with their turn on SQLite.
    pub lane: WriteLane,
    /// Turns transcripts into notes: the LLM structurer when one is configured, in front of
    /// the built-in one.
    pub structurer: Arc<dyn NoteStructurer>,
    /// Each user's settings between writes.
    pub settings: Arc<SettingsCache>,
    /// The notes feature's in-memory state: session feedback for the gate, the publisher.
    pub notes: Arc<Notes>,
    /// The durable job queue (refinements, postings) and the webhook client.
    pub jobs: Arc<crate::jobs::Jobs>,
    /// The LLM that refines notes after the built-in structurer answered, when one is
    /// configured; `submitTranscript` then queues a `RefineNote` job per kept note.
    pub refiner: Option<Arc<crate::notes::llm::LlmStructurer>>,
    /// Tells the other nodes on the same database what this one changed (silent on SQLite).
    pub doorbell: Doorbell,
}

impl AppState {
    /// The device was revoked: its sockets close, on every node.
    pub fn device_revoked(&self, device_id: Uuid) {
        self.revoked_devices.publish(device_id);
        self.doorbell.ring(Ring::DeviceRevoked(device_id));
    }

    /// The user was disabled: their sockets close, on every node.
    pub fn user_disabled(&self, user_id: Uuid) {
        self.disabled_users.publish(user_id);
        self.doorbell.ring(Ring::UserDisabled(user_id));
    }
}

/// Tells long-lived tasks (sockets) that the server is stopping, and counts them so the
/// server can wait until they have closed.
#[derive(Clone)]
pub struct ShutdownSignal {
    stopping: watch::Receiver<bool>,
    tracker: Arc<Tracker>,
}

#[derive(Default)]
struct Tracker {
    live: AtomicUsize,
    idle: Notify,
    /// Set when a stop was asked for: `/readyz` answers 503 so that load balancers send new
    /// clients elsewhere, while this node still serves for `LOSSY_DRAIN_SECS`.
    draining: std::sync::atomic::AtomicBool,
}

/// Held by a tracked task for as long as it runs.
pub struct TaskGuard(Arc<Tracker>);

impl Drop for TaskGuard {
    fn drop(&mut self) {
        if self.0.live.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// The server's side of the signal.
#[derive(Clone)]
pub struct ShutdownTrigger {
    stopping: Arc<watch::Sender<bool>>,
    tracker: Arc<Tracker>,
}

pub fn shutdown_pair() -> (ShutdownTrigger, ShutdownSignal) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let tracker = Arc::new(Tracker::default());
    (
        ShutdownTrigger {
            stopping: Arc::new(stop_tx),
            tracker: tracker.clone(),
        },
        ShutdownSignal {
            stopping: stop_rx,
            tracker,
        },
    )
}

impl ShutdownSignal {
    /// Resolves once shutdown has begun.
    pub async fn stopping(&self) {
        let mut rx = self.stopping.clone();
        // An error means the trigger is gone, which also means we are stopping.
        let _ = rx.wait_for(|stopping| *stopping).await;
    }

    /// Whether a stop was asked for (the node drains, then stops).
    pub fn is_draining(&self) -> bool {
        self.tracker.draining.load(Ordering::Acquire)
    }

    /// How many tracked tasks run now: the open sockets.
    pub fn tracked(&self) -> usize {
        self.tracker.live.load(Ordering::Acquire)
    }

    /// Counts the caller as a task the server waits for when stopping.
    pub fn track(&self) -> TaskGuard {
        self.tracker.live.fetch_add(1, Ordering::AcqRel);
        TaskGuard(self.tracker.clone())
    }
}

impl ShutdownTrigger {
    /// A stop was asked for: the node reports itself not ready but keeps serving.
    pub fn drain(&self) {
        self.tracker.draining.store(true, Ordering::Release);
    }

    pub fn begin(&self) {
        let _ = self.stopping.send(true);
    }

    /// Waits until every tracked task has ended, or `grace` has passed.
    pub async fn wait_for_tasks(&self, grace: Duration) {
        let all_ended = async {
            loop {
                let idle = self.tracker.idle.notified();
                tokio::pin!(idle);
                idle.as_mut().enable();
                if self.tracker.live.load(Ordering::Acquire) == 0 {
                    return;
                }
                idle.await;
            }
        };
        if tokio::time::timeout(grace, all_ended).await.is_err() {
            tracing::warn!(
                live = self.tracker.live.load(Ordering::Acquire),
                "some sockets did not close in time"
            );
        }
    }
}
