//! A raw graphql-transport-ws client for frame-by-frame assertions.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for a frame it expects.
pub const FRAME_WAIT: Duration = Duration::from_secs(5);

pub struct RawSocket {
    inner: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What arrived next on a socket.
#[derive(Debug)]
pub enum Frame {
    Json(Value),
    Closed { code: u16, reason: String },
}

impl RawSocket {
    /// Opens a socket offering `graphql-transport-ws`, with an optional `Origin`.
    pub async fn connect(url: &str, origin: Option<&str>) -> RawSocket {
        Self::try_connect(url, origin, Some("graphql-transport-ws"))
            .await
            .expect("socket opens")
    }

    /// Opens a socket as a browser signed in to the dashboard would: with its session cookie
    /// and, unless `origin` is empty, its `Origin`.
    pub async fn connect_with_cookie(url: &str, origin: &str, cookie: &str) -> RawSocket {
        let origin = (!origin.is_empty()).then_some(origin);
        Self::open(url, origin, Some("graphql-transport-ws"), Some(cookie))
            .await
            .expect("socket opens")
    }

    /// Opens a socket whose kernel receive buffer is `bytes` small, so that a test that stops
    /// reading makes the server's writes wait soon (and its subscriptions fall behind).
    pub async fn connect_with_receive_buffer(url: &str, bytes: u32) -> RawSocket {
        let mut request = url.into_client_request().expect("a socket url");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let uri = request.uri();
        let address = format!(
            "{}:{}",
            uri.host().expect("a host"),
            uri.port_u16().expect("a port")
        );
        let address = tokio::net::lookup_host(address)
            .await
            .expect("resolve")
            .next()
            .expect("an address");
        let socket = if address.is_ipv4() {
            tokio::net::TcpSocket::new_v4()
        } else {
            tokio::net::TcpSocket::new_v6()
        }
        .expect("a tcp socket");
        socket.set_recv_buffer_size(bytes).expect("buffer size");
        let stream = socket.connect(address).await.expect("connect");
        let (inner, _) = tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(stream))
            .await
            .expect("socket opens");
        RawSocket { inner }
    }

    pub async fn try_connect(
        url: &str,
        origin: Option<&str>,
        subprotocol: Option<&str>,
    ) -> Result<RawSocket, tokio_tungstenite::tungstenite::Error> {
        Self::open(url, origin, subprotocol, None).await
    }

    async fn open(
        url: &str,
        origin: Option<&str>,
        subprotocol: Option<&str>,
        cookie: Option<&str>,
    ) -> Result<RawSocket, tokio_tungstenite::tungstenite::Error> {
        let mut request = url.into_client_request()?;
        if let Some(cookie) = cookie {
            request
                .headers_mut()
                .insert("Cookie", HeaderValue::from_str(cookie).expect("header"));
        }
        if let Some(protocol) = subprotocol {
            request.headers_mut().insert(
                "Sec-WebSocket-Protocol",
                HeaderValue::from_str(protocol).expect("header"),
            );
        }
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("Origin", HeaderValue::from_str(origin).expect("header"));
        }
        let (inner, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(RawSocket { inner })
    }

    pub async fn send(&mut self, value: Value) {
        self.send_text(&value.to_string()).await;
    }

    /// Sends `value`, answering how the socket failed instead of panicking (a test whose
    /// server is killed under it).
    pub async fn try_send(&mut self, value: &Value) -> Result<(), String> {
        self.inner
            .send(Message::Text(value.to_string().into()))
            .await
            .map_err(|error| format!("socket lost: {error}"))
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.inner
            .send(Message::Binary(bytes.into()))
            .await
            .expect("send a frame");
    }

    pub async fn send_text(&mut self, text: &str) {
        self.inner
            .send(Message::Text(text.into()))
            .await
            .expect("send a frame");
    }

    /// `connection_init` with a token; asserts the ack and answers its payload.
    pub async fn init(&mut self, token: &str) -> Value {
        self.send_init(json!({ "token": token, "requestedVersion": 2 }))
            .await;
        let ack = self.next_json().await;
        assert_eq!(
            ack["type"], "connection_ack",
            "expected connection_ack, got {ack}"
        );
        ack["payload"].clone()
    }

    /// Sends `connection_init` with `payload`, expecting nothing in particular.
    pub async fn send_init(&mut self, payload: Value) {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({
            "type": "subscribe",
            "id": id,
            "payload": { "query": query, "variables": variables },
        }))
        .await;
    }

    /// The next frame within `limit` (pings from the server are answered and skipped).
    pub async fn next_frame_within(&mut self, limit: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let message = tokio::time::timeout_at(deadline, self.inner.next())
                .await
                .ok()?;
            match message {
                None | Some(Err(_)) => {
                    return Some(Frame::Closed {
                        code: 1006,
                        reason: "connection dropped without a close frame".into(),
                    });
                }
                Some(Ok(Message::Text(text))) => {
                    return Some(Frame::Json(
                        serde_json::from_str(&text).expect("server sends JSON"),
                    ));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame.map_or((1005, String::new()), |f| {
                        (u16::from(f.code), f.reason.to_string())
                    });
                    return Some(Frame::Closed { code, reason });
                }
                Some(Ok(_)) => continue,
            }
        }
    }

    pub async fn next_frame(&mut self) -> Frame {
        self.next_frame_within(FRAME_WAIT)
            .await
            .expect("a frame arrives in time")
    }

    pub async fn next_json(&mut self) -> Value {
        match self.next_frame().await {
            Frame::Json(value) => value,
            Frame::Closed { code, reason } => {
                panic!("socket closed ({code} {reason}) while expecting a message")
            }
        }
    }

    /// Asserts the next frame is a close with `code`; answers the reason.
    pub async fn expect_close(&mut self, code: u16) -> String {
        match self.next_frame().await {
            Frame::Closed { code: got, reason } => {
                assert_eq!(got, code, "closed with {got} ({reason}), expected {code}");
                reason
            }
            Frame::Json(value) => panic!("expected close {code}, got message {value}"),
        }
    }

    /// Asserts nothing arrives for `quiet`.
    pub async fn expect_silence(&mut self, quiet: Duration) {
        if let Some(frame) = self.next_frame_within(quiet).await {
            panic!("expected nothing, got {frame:?}");
        }
    }

    /// Sends a close frame of our own.
    pub async fn close(mut self) {
        let _ = self.inner.close(None).await;
    }
}
