//! One socket from upgrade to close: the init handshake with its timeout and rate limits,
//! then the message loop. Every way a socket ends maps to one close code.

use std::net::IpAddr;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use uuid::Uuid;

use super::operations::Operations;
use super::protocol::{ClientMessage, CloseCode, InitPayload, ServerMessage};
use crate::auth::audit::{AuthEvent, AuthKind};
use crate::auth::{Viewer, devices, web_sessions};
use crate::error::AppError;
use crate::graphql::http::GraphqlState;
use crate::handshake;
use crate::state::AppState;
use crate::voice;

/// What the upgrade learned about the peer.
pub struct Peer {
    pub ip: Option<IpAddr>,
    /// Only from browsers whose origin passed the allow-list.
    pub session_cookie: Option<String>,
    pub offers_subprotocol: bool,
}

/// Put into every operation's request data: which socket it came from and what it agreed.
#[derive(Debug, Clone)]
pub struct SocketSession {
    pub socket_id: Uuid,
    pub protocol_version: u8,
}

pub(super) enum Outgoing {
    Message(Box<ServerMessage>),
    Close(CloseCode, String),
}

/// Messages waiting for a slow client before producers wait too.
const OUTBOX: usize = 256;
/// Most messages gathered into one write.
const WRITE_BATCH: usize = 32;
/// How long a closing socket gets to flush its last frames.
const FLUSH: Duration = Duration::from_secs(2);

type Close = (CloseCode, String);

fn close(code: CloseCode, reason: impl Into<String>) -> Option<Close> {
    Some((code, reason.into()))
}

pub async fn run(socket: WebSocket, peer: Peer, state: GraphqlState) {
    let _running = state.app.shutdown.track();
    let opened = metrics::gauge!("lossy_ws_open_sockets");
    opened.increment(1.0);
    let (sink, mut stream) = socket.split();
    let (outbox, outbox_rx) = mpsc::channel(OUTBOX);
    let writer = tokio::spawn(write_loop(sink, outbox_rx));

    let app = state.app.clone();
    let ending = if peer.offers_subprotocol {
        let mut connection = Connection {
            app: app.clone(),
            operations: Operations::new(
                state.schema,
                state.documents,
                outbox.clone(),
                app.config.ws_max_operations,
            ),
            outbox: outbox.clone(),
            peer,
            session: None,
        };
        let ending = connection.serve(&mut stream).await;
        connection.operations.cancel_all();
        if let Some((viewer, socket)) = &connection.session {
            // Boxed for the same reason as the handshake: it runs once, at the end.
            Box::pin(voice::service::socket_closed(
                &app,
                viewer.user_id,
                socket.socket_id,
            ))
            .await;
        }
        ending
    } else {
        close(
            CloseCode::SubprotocolNotAcceptable,
            "Subprotocol not acceptable",
        )
    };
    let code = ending.as_ref().map_or(1000, |(code, _)| code.code());
    metrics::counter!("lossy_ws_closed_total", "code" => code.to_string()).increment(1);
    if let Some((code, reason)) = ending {
        let _ = outbox.send(Outgoing::Close(code, reason)).await;
    }
    drop(outbox);
    let _ = tokio::time::timeout(FLUSH, writer).await;
    opened.decrement(1.0);
}

async fn write_loop(mut sink: SplitSink<WebSocket, Message>, mut rx: mpsc::Receiver<Outgoing>) {
    // Grown as needed (an idle socket keeps a small one), not allocated at its most.
    let mut ready = Vec::new();
    while rx.recv_many(&mut ready, WRITE_BATCH).await > 0 {
        // Every message already waiting goes out in one write: an operation's `next` and its
        // `complete`, or a note and its video's summary, cost one system call, not one each.
        for outgoing in ready.drain(..) {
            match outgoing {
                Outgoing::Message(message) => {
                    let text = match serde_json::to_string(&*message) {
                        Ok(text) => text,
                        Err(err) => {
                            tracing::error!(%err, "could not serialize a socket message");
                            continue;
                        }
                    };
                    if sink.feed(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Outgoing::Close(code, reason) => {
                    // Close reasons are limited to 123 bytes on the wire.
                    let mut reason = reason;
                    while reason.len() > 123 {
                        reason.pop();
                    }
                    let frame = CloseFrame {
                        code: code.code(),
                        reason: reason.into(),
                    };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    let _ = sink.close().await;
                    return;
                }
            }
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
    let _ = sink.close().await;
}

struct Connection {
    app: AppState,
    operations: Operations,
    outbox: mpsc::Sender<Outgoing>,
    peer: Peer,
    /// Set once `connection_ack` is sent.
    session: Option<(Viewer, SocketSession)>,
}

impl Connection {
    /// Runs until the socket should end; answers how (None: the client went away).
    async fn serve(&mut self, stream: &mut SplitStream<WebSocket>) -> Option<Close> {
        let init_deadline = Instant::now() + self.app.config.ws_init_timeout();
        let shutdown = self.app.shutdown.clone();
        let revoked = self.app.revoked_devices.subscribe();
        tokio::pin!(revoked);
        let disabled = self.app.disabled_users.subscribe();
        tokio::pin!(disabled);
        loop {
            let acked = self.session.is_some();
            let expiry = self.token_expiry();
            tokio::select! {
                biased;
                () = shutdown.stopping() => return close(CloseCode::GoingAway, "server shutting down"),
                () = sleep_until(init_deadline), if !acked => {
                    return close(CloseCode::InitTimeout, "Connection initialisation timeout");
                }
                () = sleep_until(expiry.unwrap_or(init_deadline)), if expiry.is_some() => {
                    return close(CloseCode::Forbidden, "token expired");
                }
                Some(device) = revoked.next() => {
                    if self.session.as_ref().and_then(|(viewer, _)| viewer.device_id()) == Some(device) {
                        return close(CloseCode::Forbidden, "device revoked");
                    }
                }
                Some(user) = disabled.next() => {
                    if self.session.as_ref().map(|(viewer, _)| viewer.user_id) == Some(user) {
                        return close(CloseCode::Forbidden, "account disabled");
                    }
                }
                Some(finished) = self.operations.finished() => self.operations.forget(finished),
                message = stream.next() => {
                    let ending = match message {
                        None | Some(Ok(Message::Close(_))) => return None,
                        Some(Err(err)) => return read_error(&err),
                        Some(Ok(Message::Text(text))) => self.on_text(&text).await,
                        Some(Ok(Message::Binary(_))) => {
                            close(CloseCode::BadRequest, "binary messages are not part of graphql-transport-ws")
                        }
                        Some(Ok(_)) => None,
                    };
                    if ending.is_some() {
                        return ending;
                    }
                }
            }
        }
    }

    fn token_expiry(&self) -> Option<Instant> {
        let expires_at = self.session.as_ref()?.0.expires_at()?;
        let left = (expires_at - chrono::Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO);
        Some(Instant::now() + left)
    }

    async fn send(&self, message: ServerMessage) {
        let _ = self.outbox.send(Outgoing::Message(Box::new(message))).await;
    }

    async fn on_text(&mut self, text: &str) -> Option<Close> {
        let message = match serde_json::from_str::<ClientMessage>(text) {
            Ok(message) => message,
            Err(err) => {
                return close(
                    CloseCode::BadRequest,
                    format!("Invalid message received: {err}"),
                );
            }
        };
        match message {
            ClientMessage::ConnectionInit { payload } => {
                if self.session.is_some() {
                    return close(
                        CloseCode::TooManyInitRequests,
                        "Too many initialisation requests",
                    );
                }
                // Boxed: the handshake's future is the largest this loop awaits, and inline it
                // would size every socket's task for its whole life (8.6 KiB of an idle socket's
                // 19 KiB in a release build), though it runs once.
                Box::pin(self.init(payload)).await
            }
            ClientMessage::Ping { payload } => {
                self.send(ServerMessage::Pong { payload }).await;
                None
            }
            ClientMessage::Pong { .. } => None,
            ClientMessage::Subscribe { id, payload } => match &self.session {
                None => close(CloseCode::Unauthorized, "Unauthorized"),
                Some((viewer, socket)) => self
                    .operations
                    .start(id, payload, viewer.clone(), socket.clone())
                    .await
                    .err(),
            },
            ClientMessage::Complete { id } => {
                self.operations.cancel(&id);
                None
            }
        }
    }

    async fn init(&mut self, payload: Option<serde_json::Value>) -> Option<Close> {
        let payload = match payload {
            None | Some(serde_json::Value::Null) => InitPayload::default(),
            Some(value) => match serde_json::from_value::<InitPayload>(value) {
                Ok(payload) => payload,
                Err(err) => {
                    return close(
                        CloseCode::BadRequest,
                        format!("Invalid connection_init payload: {err}"),
                    );
                }
            },
        };
        let app = self.app.clone();
        let denied = |reason| AuthEvent::denied(AuthKind::WsJoin, reason).ip(self.peer.ip);
        if let Some(ip) = self.peer.ip
            && !app.rate_limits.allow_join_from_address(ip)
        {
            denied("rate_limited_address").record(&app.db).await;
            return close(
                CloseCode::TooManyInitRequests,
                "Too many joins from this address",
            );
        }
        let (viewer, token_version) = match self.authenticate(&payload).await {
            Ok(found) => found,
            Err(ending) => return Some(ending),
        };
        let requested = payload
            .requested_version
            .unwrap_or(i32::from(token_version));
        let handshake = match handshake::for_viewer(&app, viewer.user_id, requested).await {
            Ok(handshake) => handshake,
            Err(AppError::BadUserInput { message, .. }) => {
                return close(CloseCode::BadRequest, message);
            }
            Err(err) => {
                tracing::error!(error = ?err, "handshake failed");
                return close(CloseCode::InternalError, "internal error");
            }
        };
        let mut accepted = AuthEvent::accepted(AuthKind::WsJoin)
            .user(viewer.user_id)
            .ip(self.peer.ip)
            .detail(serde_json::json!({
                "client": payload.client,
                "protocolVersion": handshake.active_version(),
            }));
        if let Some(device) = viewer.device_id() {
            accepted = accepted.device(device);
        }
        accepted.record(&app.db).await;
        let socket = SocketSession {
            socket_id: Uuid::new_v4(),
            protocol_version: handshake.active_version(),
        };
        self.send(ServerMessage::ConnectionAck {
            payload: handshake.to_json(),
        })
        .await;
        self.session = Some((viewer, socket));
        None
    }

    /// A token in the payload, else the browser's session cookie. Refusals are audited here.
    async fn authenticate(&self, payload: &InitPayload) -> Result<(Viewer, u8), Close> {
        let app = &self.app;
        let denied = |reason| AuthEvent::denied(AuthKind::WsJoin, reason).ip(self.peer.ip);
        let forbidden = || (CloseCode::Forbidden, "Forbidden".to_owned());
        let internal = |err: AppError| {
            tracing::error!(error = ?err, "socket authentication failed");
            (CloseCode::InternalError, "internal error".to_owned())
        };
        if let Some(token) = &payload.token {
            let claims = match app.tokens.verify(token) {
                Ok(claims) => claims,
                Err(rejection) => {
                    denied(rejection.reason()).record(&app.db).await;
                    return Err(forbidden());
                }
            };
            if !app.rate_limits.allow_join_of_device(claims.did) {
                denied("rate_limited_device")
                    .user(claims.sub)
                    .device(claims.did)
                    .record(&app.db)
                    .await;
                return Err((
                    CloseCode::TooManyInitRequests,
                    "Too many joins from this device".into(),
                ));
            }
            return match devices::authenticate_claims(&app.db, &claims)
                .await
                .map_err(internal)?
            {
                Ok(authenticated) => Ok((authenticated.viewer, authenticated.protocol_version)),
                Err((refusal, _)) => {
                    denied(refusal.reason())
                        .user(claims.sub)
                        .device(claims.did)
                        .record(&app.db)
                        .await;
                    Err(forbidden())
                }
            };
        }
        if let Some(cookie) = &self.peer.session_cookie {
            return match web_sessions::authenticate(&app.db, cookie)
                .await
                .map_err(internal)?
            {
                Some(viewer) => Ok((viewer, handshake::HIGHEST_VERSION)),
                None => {
                    denied("session_expired").record(&app.db).await;
                    Err(forbidden())
                }
            };
        }
        denied("no_credentials").record(&app.db).await;
        Err(forbidden())
    }
}

/// Reading failed: a message above the size cap gets 1009; anything else means the peer is
/// gone. axum hides tungstenite's error type, so the capacity case is told by its message.
fn read_error(err: &axum::Error) -> Option<Close> {
    let text = err.to_string();
    if text.contains("Space limit exceeded")
        || text.contains("too long")
        || text.contains("too big")
    {
        close(CloseCode::MessageTooBig, "message too big")
    } else {
        tracing::debug!(%err, "socket read failed");
        None
    }
}
