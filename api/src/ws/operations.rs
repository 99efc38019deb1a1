//! The operations of one socket.
//!
//! Ordering rules (PROTOCOL.md 8.5): mutations run one at a time in the order received, each
//! waiting for the one before it; queries run at once; a subscription is in place (its
//! resolver has subscribed to the bus) before the socket reads its next message. Each
//! operation is its own task, so `complete` cancels exactly that operation.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use async_graphql::parser::types::OperationType;
use async_graphql::{ErrorExtensions, Request, Response, ServerError, Variables};
use futures_util::{FutureExt, Stream, StreamExt};
use tokio::sync::{mpsc, oneshot};
use tokio::task::AbortHandle;

use super::connection::{Outgoing, SocketSession};
use super::protocol::{CloseCode, ServerMessage, SubscribePayload};
use crate::auth::Viewer;
use crate::graphql::document_cache::DocumentCache;
use crate::graphql::{LossySchema, ensure_error_codes};
use crate::graphql_kit::SubscriptionRegistered;

/// A subscription resolver that neither subscribes nor fails within this time is not holding
/// the socket up any longer.
const REGISTRATION_WAIT: Duration = Duration::from_secs(5);

/// An operation that ended by itself: its id and which start of that id it was.
pub(super) type Finished = (String, u64);

struct Running {
    generation: u64,
    abort: AbortHandle,
}

pub(super) struct Operations {
    schema: LossySchema,
    documents: DocumentCache,
    outbox: mpsc::Sender<Outgoing>,
    cap: usize,
    running: HashMap<String, Running>,
    generation: u64,
    finished_tx: mpsc::UnboundedSender<Finished>,
    finished_rx: mpsc::UnboundedReceiver<Finished>,
    /// Resolves when the last mutation started on this socket has ended.
    previous_mutation: Option<oneshot::Receiver<()>>,
}

impl Operations {
    pub(super) fn new(
        schema: LossySchema,
        documents: DocumentCache,
        outbox: mpsc::Sender<Outgoing>,
        cap: usize,
    ) -> Self {
        let (finished_tx, finished_rx) = mpsc::unbounded_channel();
        Operations {
            schema,
            documents,
            outbox,
            cap,
            running: HashMap::new(),
            generation: 0,
            finished_tx,
            finished_rx,
            previous_mutation: None,
        }
    }

    pub(super) async fn finished(&mut self) -> Option<Finished> {
        self.finished_rx.recv().await
    }

    /// Drops a finished operation from the running set, unless its id was reused since.
    pub(super) fn forget(&mut self, (id, generation): Finished) {
        if self
            .running
            .get(&id)
            .is_some_and(|r| r.generation == generation)
        {
            self.running.remove(&id);
        }
    }

    /// The client's `complete`: stop the operation; nothing more is sent for it.
    pub(super) fn cancel(&mut self, id: &str) {
        if let Some(running) = self.running.remove(id) {
            running.abort.abort();
        }
    }

    pub(super) fn cancel_all(&mut self) {
        for (_, running) in self.running.drain() {
            running.abort.abort();
        }
    }

    /// Starts an operation; `Err` is how the socket must close.
    pub(super) async fn start(
        &mut self,
        id: String,
        payload: SubscribePayload,
        viewer: Viewer,
        socket: SocketSession,
    ) -> Result<(), (CloseCode, String)> {
        if self.running.contains_key(&id) {
            return Err((
                CloseCode::SubscriberExists,
                format!("Subscriber for {id} already exists"),
            ));
        }
        if self.running.len() >= self.cap {
            let message = format!(
                "this socket already runs {} operations; complete one first",
                self.cap
            );
            let refusal = ServerMessage::Error {
                id,
                payload: vec![coded_error(message, "RATE_LIMITED")],
            };
            let _ = self.outbox.send(Outgoing::Message(Box::new(refusal))).await;
            return Ok(());
        }
        let kind = self
            .documents
            .operation_type(&payload.query, payload.operation_name.as_deref());
        let mut request = Request::new(payload.query).data(viewer).data(socket);
        if let Some(name) = payload.operation_name {
            request = request.operation_name(name);
        }
        if let Some(variables) = payload.variables {
            request = request.variables(Variables::from_json(variables));
        }

        self.generation += 1;
        let generation = self.generation;
        let reply = Reply {
            id: id.clone(),
            outbox: self.outbox.clone(),
        };
        let done = FinishedGuard {
            finished: (id.clone(), generation),
            tx: self.finished_tx.clone(),
        };
        let schema = self.schema.clone();
        let on_panic = reply.clone();
        let abort = match kind {
            OperationType::Subscription => {
                let (registered, ready) = SubscriptionRegistered::new();
                let stream = schema.execute_stream(request.data(registered));
                let task = tokio::spawn(guarded(on_panic, done, reply.stream(stream)));
                let _ = tokio::time::timeout(REGISTRATION_WAIT, ready).await;
                task.abort_handle()
            }
            OperationType::Mutation => {
                let previous = self.previous_mutation.take();
                let (this_done, next_waits) = oneshot::channel::<()>();
                self.previous_mutation = Some(next_waits);
                let work = async move {
                    if let Some(previous) = previous {
                        // Ok or Err (the previous one was cancelled): either way it is over.
                        let _ = previous.await;
                    }
                    let response = schema.execute(request).await;
                    reply.single(response).await;
                    drop(this_done);
                };
                tokio::spawn(guarded(on_panic, done, work)).abort_handle()
            }
            OperationType::Query => {
                let work = async move {
                    let response = schema.execute(request).await;
                    reply.single(response).await;
                };
                tokio::spawn(guarded(on_panic, done, work)).abort_handle()
            }
        };
        self.running.insert(id, Running { generation, abort });
        Ok(())
    }
}

/// Sends an operation's answers on its socket.
#[derive(Clone)]
struct Reply {
    id: String,
    outbox: mpsc::Sender<Outgoing>,
}

impl Reply {
    async fn send(&self, message: ServerMessage) -> bool {
        self.outbox
            .send(Outgoing::Message(Box::new(message)))
            .await
            .is_ok()
    }

    /// A response that failed before execution (parse, validation, limits: no data, and no
    /// error raised by a field) is an `error`; anything else, also an operation whose fields
    /// failed while executing, is `next` with its errors followed by `complete`, as the
    /// reference server of graphql-transport-ws does.
    async fn single(&self, mut response: Response) {
        ensure_error_codes(&mut response.errors);
        if failed_before_execution(&response) {
            self.send(ServerMessage::Error {
                id: self.id.clone(),
                payload: response.errors,
            })
            .await;
            return;
        }
        if self
            .send(ServerMessage::Next {
                id: self.id.clone(),
                payload: response,
            })
            .await
        {
            self.send(ServerMessage::Complete {
                id: self.id.clone(),
            })
            .await;
        }
    }

    async fn stream(self, stream: impl Stream<Item = Response>) {
        tokio::pin!(stream);
        let mut first = true;
        while let Some(mut response) = stream.next().await {
            ensure_error_codes(&mut response.errors);
            if first && response.data == async_graphql::Value::Null && !response.errors.is_empty() {
                self.send(ServerMessage::Error {
                    id: self.id.clone(),
                    payload: response.errors,
                })
                .await;
                return;
            }
            first = false;
            let next = ServerMessage::Next {
                id: self.id.clone(),
                payload: response,
            };
            if !self.send(next).await {
                return;
            }
        }
        self.send(ServerMessage::Complete {
            id: self.id.clone(),
        })
        .await;
    }
}

fn failed_before_execution(response: &Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// Tells the socket an operation ended, however it ended (also when aborted or panicking).
struct FinishedGuard {
    finished: Finished,
    tx: mpsc::UnboundedSender<Finished>,
}

impl Drop for FinishedGuard {
    fn drop(&mut self) {
        let _ = self.tx.send(self.finished.clone());
    }
}

/// Runs an operation's work; a panic becomes an `INTERNAL_SERVER_ERROR` for that operation
/// instead of a silently dead task.
async fn guarded(reply: Reply, done: FinishedGuard, work: impl std::future::Future<Output = ()>) {
    if AssertUnwindSafe(work).catch_unwind().await.is_err() {
        tracing::error!(operation = %reply.id, "an operation panicked");
        let error = coded_error("internal server error".into(), "INTERNAL_SERVER_ERROR");
        reply
            .send(ServerMessage::Error {
                id: reply.id.clone(),
                payload: vec![error],
            })
            .await;
    }
    drop(done);
}

fn coded_error(message: String, code: &'static str) -> ServerError {
    let mut error = ServerError::new(message, None);
    error.extensions = async_graphql::Error::new("")
        .extend_with(|_, ext| ext.set("code", code))
        .extensions;
    error
}
