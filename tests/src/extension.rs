//! A test client that drives voice sessions the way the extension does: one socket with
//! `voiceStatus` subscribed, operations answered by id, statuses queued apart.

use std::collections::{HashMap, VecDeque};

use serde_json::{Value, json};

use crate::ws::{Frame, RawSocket};
use crate::{TestApp, Tokens, subscribe_and_wait};

pub const STATUS: &str = "subscription { voiceStatus { sessionId state previousState cause seq command commandReason counters { speechDetections speechEnds notesCreated } } }";
pub const EVENT: &str = "mutation($input: VoiceEventInput!) { voiceEvent(input: $input) { sessionId appliedSeq state outcome reason } }";
pub const START: &str = "mutation($video: ID, $tab: Int!, $page: String!) {
    startVoiceSession(input: { videoId: $video, tabId: $tab, pageInstanceId: $page }) { id state lastAppliedSeq } }";

/// The subscription id under which every extension socket receives `voiceStatus`.
const STATUS_ID: &str = "status";

/// One extension socket: `voiceStatus` and any other subscriptions in place from the start,
/// operations answered by id, and subscription messages that arrive meanwhile queued per
/// subscription.
pub struct Extension {
    pub socket: RawSocket,
    queued: HashMap<String, VecDeque<Value>>,
    next_id: u32,
}

impl Extension {
    /// A socket of `tokens`' device with `voiceStatus` subscribed.
    pub async fn connect(app: &TestApp, tokens: &Tokens) -> Extension {
        Extension::connect_with(app, &tokens.token, &[]).await
    }

    /// The same, with `subscriptions` (id, query) in place as well.
    pub async fn connect_with(
        app: &TestApp,
        token: &str,
        subscriptions: &[(&str, &str)],
    ) -> Extension {
        Extension::connect_to(&app.ws_url(), token, subscriptions).await
    }

    /// The same, to the server at `ws_url` (one started as its own process).
    pub async fn connect_to(
        ws_url: &str,
        token: &str,
        subscriptions: &[(&str, &str)],
    ) -> Extension {
        let mut socket = RawSocket::connect(ws_url, None).await;
        socket.init(token).await;
        let mut queued = HashMap::new();
        for (id, query) in [(STATUS_ID, STATUS)].iter().chain(subscriptions) {
            // Each is in place before anything else is sent (PROTOCOL.md 8.5).
            let early = subscribe_and_wait(&mut socket, id, query).await;
            queued.insert((*id).to_owned(), early.into());
        }
        Extension {
            socket,
            queued,
            next_id: 0,
        }
    }

    /// Queues a message of one of the subscriptions; answers any other message back.
    fn queue(&mut self, message: Value) -> Option<Value> {
        let id = message["id"].as_str().unwrap_or_default();
        let Some(queue) = self.queued.get_mut(id) else {
            return Some(message);
        };
        queue.push_back(message["payload"]["data"].clone());
        None
    }

    /// Runs an operation and answers its `next` payload (or its `error` as `{"errors": ...}`).
    pub async fn call(&mut self, query: &str, variables: Value) -> Value {
        self.try_call(query, variables)
            .await
            .unwrap_or_else(|closed| panic!("{closed} while waiting for an answer"))
    }

    /// [`Extension::call`] on a socket that may be lost meanwhile (its server killed): answers
    /// how it closed instead of the answer.
    pub async fn try_call(&mut self, query: &str, variables: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = format!("op{}", self.next_id);
        let subscribe = json!({
            "type": "subscribe", "id": id, "payload": { "query": query, "variables": variables },
        });
        self.socket.try_send(&subscribe).await?;
        let mut answer = None;
        loop {
            let message = match self.socket.next_frame().await {
                Frame::Json(message) => message,
                Frame::Closed { code, reason } => {
                    return Err(format!("socket closed ({code} {reason})"));
                }
            };
            let Some(message) = self.queue(message) else {
                continue;
            };
            assert_eq!(message["id"], id.as_str(), "unexpected {message}");
            match (message["type"].as_str(), answer.take()) {
                (Some("next"), None) => answer = Some(message["payload"].clone()),
                (Some("complete"), Some(payload)) => return Ok(payload),
                (Some("error"), None) => return Ok(json!({ "errors": message["payload"] })),
                (other, _) => panic!("unexpected {other:?}: {message}"),
            }
        }
    }

    /// The next message of subscription `id` (its `data`), waiting for it if none is queued.
    pub async fn next_on(&mut self, id: &str) -> Value {
        loop {
            if let Some(data) = self.queued.get_mut(id).and_then(VecDeque::pop_front) {
                return data;
            }
            let message = self.socket.next_json().await;
            if let Some(other) = self.queue(message) {
                panic!("unexpected {other} while waiting on {id}");
            }
        }
    }

    /// What subscription `id` received and nobody took yet, oldest first.
    pub fn queued_on(&self, id: &str) -> impl Iterator<Item = &Value> {
        self.queued.get(id).into_iter().flatten()
    }

    /// Starts a session on tab 7 without a video.
    pub async fn start(&mut self) -> String {
        self.start_on(None, 7, "page-1").await
    }

    /// Starts a session on `tab` and page, for `video` when given.
    pub async fn start_on(&mut self, video: Option<&str>, tab: i32, page: &str) -> String {
        let started = self
            .call(START, json!({ "video": video, "tab": tab, "page": page }))
            .await;
        let session = &started["data"]["startVoiceSession"];
        assert_eq!(session["state"], "OBSERVING", "{started}");
        session["id"].as_str().expect("session id").to_owned()
    }

    pub async fn event(&mut self, input: Value) -> Value {
        let answer = self.call(EVENT, json!({ "input": input })).await;
        answer["data"]["voiceEvent"].clone()
    }

    /// The next `voiceStatus`, waiting for it if none is queued.
    pub async fn status(&mut self) -> Value {
        self.next_on(STATUS_ID).await["voiceStatus"].clone()
    }

    /// The `voiceStatus` messages received and not taken yet.
    pub fn statuses(&self) -> impl Iterator<Item = &Value> {
        self.queued_on(STATUS_ID).map(|data| &data["voiceStatus"])
    }

    /// Statuses until one carries `command`.
    pub async fn command(&mut self, command: &str) -> Value {
        for _ in 0..50 {
            let status = self.status().await;
            if status["command"] == command {
                return status;
            }
        }
        panic!("no {command} command arrived");
    }
}

pub fn speech_start(session: &str, seq: i64, utterance: &str) -> Value {
    json!({
        "sessionId": session, "seq": seq, "kind": "SPEECH_START", "occurredAt": chrono::Utc::now(),
        "utteranceId": utterance, "mediaTime": 12.5, "videoPlaying": true,
    })
}

pub fn speech_end(session: &str, seq: i64, utterance: &str, duration_ms: i64) -> Value {
    json!({
        "sessionId": session, "seq": seq, "kind": "SPEECH_END", "occurredAt": chrono::Utc::now(),
        "utteranceId": utterance, "durationMs": duration_ms, "reason": "NATURAL_END",
    })
}

pub fn heartbeat(session: &str, seq: i64) -> Value {
    json!({ "sessionId": session, "seq": seq, "kind": "HEARTBEAT", "occurredAt": chrono::Utc::now() })
}

/// A new reviewer with a device token, whose settings are changed by `settings` (GraphQL
/// input fields, such as `cooldownMs: 0`).
pub async fn reviewer_with(app: &TestApp, settings: &str) -> Tokens {
    let (_, tokens) = app.new_user_with_token().await;
    let updated = app
        .graphql(
            &tokens.token,
            &format!("mutation {{ updateSettings(input: {{ {settings} }}) {{ version }} }}"),
            Value::Null,
        )
        .await;
    assert!(
        updated["data"]["updateSettings"]["version"].is_number(),
        "{updated}"
    );
    tokens
}
