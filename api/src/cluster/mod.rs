//! Several servers (nodes) on one PostgreSQL database: what one node changes reaches the
//! others' sockets and caches, with PostgreSQL `LISTEN/NOTIFY` as the doorbell.
//!
//! The database stays the truth. A node that writes something others keep in memory or stream
//! (note events, settings, flags, learned adjustments, revoked devices, disabled users) rings
//! the doorbell after its transaction committed ([`Doorbell::ring`]); the ring says what
//! changed and how far, never the change itself. One notifier task per node sends the rings
//! it has gathered, merged, on its own connection ([`postgres`]); one listener per node
//! receives the others' and applies them ([`deliver`]): note streams read the new events from
//! the log by offset, caches re-read or forget. A notification lost (a connection cut, a
//! restart of PostgreSQL) costs nothing but time: on reconnecting, the listener catches
//! everything up from the database and the notifier tells the others to do the same.
//!
//! On SQLite there is one node, and the doorbell is silent.
//!
//! Read in this order: [`ring`], [`deliver`], [`postgres`].

pub mod deliver;
pub mod postgres;
pub mod ring;

use tokio::sync::mpsc;
use uuid::Uuid;

pub use ring::Ring;

/// Where a node's writes ring for the other nodes. Cheap to clone; ringing never waits.
#[derive(Clone, Default)]
pub struct Doorbell {
    rings: Option<mpsc::UnboundedSender<Ring>>,
}

/// The rings a node has to send, for its notifier.
pub struct Outbox {
    pub(crate) rings: mpsc::UnboundedReceiver<Ring>,
    /// This node's id in payloads, so that its listener skips its own rings.
    pub(crate) node: Uuid,
}

impl Doorbell {
    /// A doorbell whose rings go to the returned outbox.
    pub fn wired() -> (Doorbell, Outbox) {
        let (sender, rings) = mpsc::unbounded_channel();
        (
            Doorbell {
                rings: Some(sender),
            },
            Outbox {
                rings,
                node: Uuid::new_v4(),
            },
        )
    }

    /// A doorbell nobody hears: one node alone.
    pub fn silent() -> Doorbell {
        Doorbell::default()
    }

    /// Tells the other nodes, once the notifier's turn comes. The caller has committed.
    pub fn ring(&self, ring: Ring) {
        if let Some(rings) = &self.rings {
            // Closed only once the notifier has stopped with the server.
            let _ = rings.send(ring);
        }
    }
}
