//! What resolvers need from their context: the app, the caller, and the signal that a
//! subscription is in place.

use std::sync::Mutex;

use async_graphql::Context;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::sync::oneshot;

use crate::auth::Viewer;
use crate::bus::Topic;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What resolvers need from their context.
pub trait ContextExt {
    fn state(&self) -> &AppState;
    /// The caller, or `UNAUTHENTICATED`.
    fn viewer(&self) -> AppResult<&Viewer>;
    /// The caller when an admin, else `FORBIDDEN` (or `UNAUTHENTICATED`).
    fn admin(&self) -> AppResult<&Viewer>;
    /// Subscribes to `topic` and tells the socket layer the subscription is in place, so that
    /// operations sent after it on the same socket run only once it is.
    fn subscribe<T: Clone + Send + 'static>(&self, topic: &Topic<T>) -> BoxStream<'static, T>;
    /// The same for a stream the resolver subscribed itself (a keyed topic).
    fn subscribed<T>(&self, stream: BoxStream<'static, T>) -> BoxStream<'static, T>;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn viewer(&self) -> AppResult<&Viewer> {
        self.data_opt::<Viewer>()
            .ok_or_else(|| AppError::unauthenticated("sign in or send a bearer token"))
    }

    fn admin(&self) -> AppResult<&Viewer> {
        let viewer = self.viewer()?;
        viewer.require_admin()?;
        Ok(viewer)
    }

    fn subscribe<T: Clone + Send + 'static>(&self, topic: &Topic<T>) -> BoxStream<'static, T> {
        self.subscribed(topic.subscribe().boxed())
    }

    fn subscribed<T>(&self, stream: BoxStream<'static, T>) -> BoxStream<'static, T> {
        if let Some(registered) = self.data_opt::<SubscriptionRegistered>() {
            registered.signal();
        }
        stream
    }
}

/// Put into a subscription's request data by the socket layer; fired once the resolver has
/// subscribed. If the resolver fails first, the sender is dropped with the request, which the
/// socket layer treats the same way.
#[derive(Default)]
pub struct SubscriptionRegistered(Mutex<Option<oneshot::Sender<()>>>);

impl SubscriptionRegistered {
    pub fn new() -> (Self, oneshot::Receiver<()>) {
        let (tx, rx) = oneshot::channel();
        (SubscriptionRegistered(Mutex::new(Some(tx))), rx)
    }

    fn signal(&self) {
        if let Some(tx) = self.0.lock().ok().and_then(|mut slot| slot.take()) {
            let _ = tx.send(());
        }
    }
}
