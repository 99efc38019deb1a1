//! The graphql-transport-ws front (PROTOCOL.md section 3). async-graphql's own handler does
//! not follow the protocol's close codes, so this layer owns the socket: the upgrade and its
//! origin rule here, the message loop in `connection`, operations in `operations`, and the
//! wire format in `protocol`. async-graphql only executes the operations.

mod connection;
mod operations;
pub mod protocol;

pub use connection::SocketSession;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::audit::{AuthEvent, AuthKind};
use crate::auth::origin::OriginPolicy;
use crate::auth::web_sessions;
use crate::graphql::http::GraphqlState;

pub const SUBPROTOCOL: &str = "graphql-transport-ws";

/// Each socket's read buffer, allocated whole for as long as the socket is open. This
/// protocol's messages are mostly well under 1 KiB; a larger one is read in several chunks.
/// (tungstenite's default, 128 KiB, was nearly all of an idle socket's 142 KiB.)
const READ_BUFFER: usize = 4 * 1024;
/// Frames gathered before they must be written: the socket's writer gathers every message
/// already waiting and flushes once, so one system call carries them all. The buffer grows
/// only as large as what was gathered (an idle socket's holds its `connection_ack`).
const WRITE_BUFFER: usize = 16 * 1024;

/// `GET /graphql`: a WebSocket upgrade, or a pointer to the right way to call.
pub async fn upgrade(State(state): State<GraphqlState>, request: Request) -> Response {
    let (mut parts, _body) = request.into_parts();
    let ip = crate::http::client_ip(&parts);
    let Ok(upgrade) = WebSocketUpgrade::from_request_parts(&mut parts, &state).await else {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            "POST GraphQL requests to /graphql, or open a WebSocket with the graphql-transport-ws subprotocol",
        )
            .into_response();
    };
    let headers: HeaderMap = parts.headers;
    if !state.app.origins.allows_socket(&headers) {
        AuthEvent::denied(AuthKind::OriginCheck, "origin_not_allowed")
            .ip(ip)
            .detail(serde_json::json!({ "origin": OriginPolicy::origin(&headers) }))
            .record(&state.app.db)
            .await;
        return (StatusCode::FORBIDDEN, "this origin may not open sockets").into_response();
    }
    let offers_subprotocol = headers
        .get_all(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == SUBPROTOCOL);
    let browser = OriginPolicy::origin(&headers).is_some();
    let session_cookie = browser
        .then(|| web_sessions::cookie_value(&headers))
        .flatten();
    let max = state.app.config.ws_max_message_bytes;
    upgrade
        .protocols([SUBPROTOCOL])
        .max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .on_upgrade(move |socket| {
            connection::run(
                socket,
                connection::Peer {
                    ip,
                    session_cookie,
                    offers_subprotocol,
                },
                state,
            )
        })
}
