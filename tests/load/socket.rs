//! The WebSocket plumbing both the reviewers and the echo clients use, and the
//! `graphql-transport-ws` steps every reviewer socket takes.

use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long the end of a run waits for the close handshake.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// Opens a socket to `url`, offering `subprotocol` when given.
pub async fn connect(url: &str, subprotocol: Option<&str>) -> anyhow::Result<Socket> {
    let mut request = url.into_client_request().context("socket URL")?;
    if let Some(protocol) = subprotocol {
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_str(protocol).context("subprotocol header")?,
        );
    }
    // Nagle off on the client: each event is one small frame that must leave at once.
    let (socket, _) = tokio_tungstenite::connect_async_with_config(request, None, true)
        .await
        .with_context(|| format!("connect to {url}"))?;
    Ok(socket)
}

pub async fn send_json(socket: &mut Socket, value: &Value) -> anyhow::Result<()> {
    socket
        .send(Message::Text(value.to_string().into()))
        .await
        .context("send a frame")
}

/// Answers the peer's keep-alive `ping`.
pub async fn pong(socket: &mut Socket) -> anyhow::Result<()> {
    send_json(socket, &json!({ "type": "pong" })).await
}

/// What `socket.next()` answers.
pub type Frame = Option<Result<Message, tokio_tungstenite::tungstenite::Error>>;

/// What arrived on a socket.
pub enum Incoming {
    Json(Value),
    /// Not JSON: a protocol violation by the peer.
    Garbage,
    /// A frame the protocol ignores (ping, pong, binary).
    Other,
    Closed(String),
}

/// The `subscribe` frame that starts operation `id` (every GraphQL operation, mutations
/// included, starts with one in `graphql-transport-ws`).
pub fn operation(id: &str, query: &str, variables: Value) -> String {
    json!({ "type": "subscribe", "id": id, "payload": { "query": query, "variables": variables } })
        .to_string()
}

/// Sends the `subscribe` frame of operation `id`.
pub async fn subscribe(
    socket: &mut Socket,
    id: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<()> {
    socket
        .send(Message::Text(operation(id, query, variables).into()))
        .await
        .context("send a frame")
}

/// Opens a `graphql-transport-ws` socket signed in with a device token (protocol v2), as the
/// extension does; each step must finish within `step`.
pub async fn open_graphql(url: &str, token: &str, step: Duration) -> anyhow::Result<Socket> {
    let mut socket = tokio::time::timeout(step, connect(url, Some("graphql-transport-ws")))
        .await
        .context("socket did not open in time")??;
    send_json(
        &mut socket,
        &json!({ "type": "connection_init", "payload": { "token": token, "requestedVersion": 2 } }),
    )
    .await?;
    let ack = next_json(&mut socket, Instant::now() + step).await?;
    if ack["type"] != "connection_ack" {
        bail!("expected connection_ack, got {ack}");
    }
    Ok(socket)
}

/// The first `next` of operation `id` before `deadline`, skipping other operations' messages
/// (a subscription's events may come first). Meant for set-up, which must be clean: an `error`
/// of any operation, or `id` completing without an answer, fails.
pub async fn answer_of(socket: &mut Socket, id: &str, deadline: Instant) -> anyhow::Result<Value> {
    loop {
        let message = next_json(socket, deadline).await?;
        match (message["type"].as_str(), message["id"] == id) {
            (Some("error"), _) => bail!("operation {} refused: {message}", message["id"]),
            (Some("next"), true) => return Ok(message),
            (Some("complete"), true) => bail!("operation {id} completed without an answer"),
            _ => continue,
        }
    }
}

/// Interprets what `socket.next()` answered.
pub fn classify(frame: Frame) -> Incoming {
    match frame {
        None => Incoming::Closed("dropped".to_owned()),
        Some(Err(err)) => Incoming::Closed(format!("dropped ({err})")),
        Some(Ok(Message::Text(text))) => match serde_json::from_str(&text) {
            Ok(value) => Incoming::Json(value),
            Err(_) => Incoming::Garbage,
        },
        Some(Ok(Message::Close(frame))) => Incoming::Closed(
            frame.map_or_else(|| "1005".to_owned(), |f| u16::from(f.code).to_string()),
        ),
        Some(Ok(_)) => Incoming::Other,
    }
}

/// The next JSON message before `deadline`, skipping pings; a close or a timeout is an error.
pub async fn next_json(socket: &mut Socket, deadline: Instant) -> anyhow::Result<Value> {
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .context("timed out waiting for a message")?;
        match classify(frame) {
            Incoming::Json(value) => return Ok(value),
            Incoming::Garbage => bail!("a message that is not JSON"),
            Incoming::Other => continue,
            Incoming::Closed(how) => bail!("socket closed ({how})"),
        }
    }
}

/// Closes our side and waits briefly for the peer's close frame.
pub async fn close(mut socket: Socket) {
    let _ = socket.close(None).await;
    let _ = tokio::time::timeout(CLOSE_WAIT, async {
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
}
