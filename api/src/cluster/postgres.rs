//! The doorbell's two connections per node: the notifier sends this node's rings with
//! `pg_notify`, the listener receives the other nodes' with `LISTEN`. Both are their own
//! connections, outside the pool, so ringing never waits for (or holds) a write transaction.

use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnection, PgListener};
use sea_orm::sqlx::{self, Connection};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::ring::{self, Batch, Ring};
use super::{Outbox, deliver};
use crate::state::AppState;

/// The notification channel every node of one database listens on.
pub const CHANNEL: &str = "lossy_cluster";

/// Waits between attempts to reach PostgreSQL grow to this.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
const FIRST_BACKOFF: Duration = Duration::from_millis(100);

/// Starts the node's notifier and listener on `url` (the database's own URL).
pub fn start(state: &AppState, outbox: Outbox, url: String) -> Vec<tokio::task::JoinHandle<()>> {
    let node = outbox.node;
    vec![
        tokio::spawn(notify(outbox.rings, node, url.clone())),
        tokio::spawn(listen(state.clone(), node, url)),
    ]
}

/// Sends rings as they come, merged with whatever queued meanwhile. A batch that could not be
/// sent is kept (merged with later rings) and sent once PostgreSQL answers again.
async fn notify(mut rings: mpsc::UnboundedReceiver<Ring>, node: Uuid, url: String) {
    let mut batch = Batch::default();
    // A node that starts may be one that died: the others catch up what it wrote and never
    // rang for.
    batch.add(Ring::Resync);
    let mut connection: Option<PgConnection> = None;
    let mut backoff = Backoff::default();
    loop {
        if batch.is_empty() {
            match rings.recv().await {
                Some(ring) => batch.add(ring),
                None => return,
            }
        }
        while let Ok(ring) = rings.try_recv() {
            batch.add(ring);
        }
        let sent = match connection.as_mut() {
            Some(connection) => send(connection, &batch, node).await,
            None => match PgConnection::connect(&url).await {
                Ok(new) => {
                    let connection = connection.insert(new);
                    send(connection, &batch, node).await
                }
                Err(err) => Err(err),
            },
        };
        match sent {
            Ok(rung) => {
                metrics::counter!("lossy_cluster_rings_sent_total").increment(rung);
                batch = Batch::default();
                backoff.reset();
            }
            Err(err) => {
                tracing::warn!(error = %err, "could not ring the other nodes; retrying");
                connection = None;
                backoff.wait().await;
            }
        }
    }
}

/// Sends the batch; answers how many rings went.
async fn send(connection: &mut PgConnection, batch: &Batch, node: Uuid) -> sqlx::Result<u64> {
    for payload in batch.payloads(node) {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&mut *connection)
            .await?;
    }
    Ok(batch.rings().len() as u64)
}

/// Receives the other nodes' rings and applies them. Each time it (re)connects it catches up
/// from the database first: whatever was rung while it was not listening was not heard.
async fn listen(state: AppState, node: Uuid, url: String) {
    let mut backoff = Backoff::default();
    loop {
        let mut listener = match connect_listener(&url).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %err, "could not listen for the other nodes; retrying");
                backoff.wait().await;
                continue;
            }
        };
        backoff.reset();
        deliver::resync(&state).await;
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => heard(&state, node, notification.payload()).await,
                Ok(None) => {
                    tracing::warn!("lost the connection the other nodes ring on; reconnecting");
                    break;
                }
                Err(err) => {
                    tracing::warn!(error = %err, "listening for the other nodes failed; reconnecting");
                    break;
                }
            }
        }
    }
}

async fn connect_listener(url: &str) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

async fn heard(state: &AppState, node: Uuid, payload: &str) {
    let (received, unread) = match ring::decode(payload) {
        Ok(read) => read,
        Err(err) => {
            tracing::warn!(%err, "ignored a notification on {CHANNEL}");
            return;
        }
    };
    if !unread.is_empty() {
        tracing::warn!(?unread, "ignored rings this node does not know");
    }
    if received.node == node {
        return;
    }
    metrics::counter!("lossy_cluster_rings_received_total").increment(received.rings.len() as u64);
    for ring in received.rings {
        deliver::apply(state, ring).await;
    }
}

/// Doubling waits between attempts, up to [`MAX_BACKOFF`].
struct Backoff(Duration);

impl Default for Backoff {
    fn default() -> Self {
        Backoff(FIRST_BACKOFF)
    }
}

impl Backoff {
    async fn wait(&mut self) {
        tokio::time::sleep(self.0).await;
        self.0 = (self.0 * 2).min(MAX_BACKOFF);
    }

    fn reset(&mut self) {
        self.0 = FIRST_BACKOFF;
    }
}
