//! A test client that drives voice sessions the way the extension does: one socket with
//! `voiceStatus` subscribed, operations answered by id, statuses queued apart.

use std::collections::VecDeque;

use serde_json::{Value, json};

use crate::ws::RawSocket;
use crate::{TestApp, Tokens};

pub const STATUS: &str = "subscription { voiceStatus { sessionId state previousState cause seq command commandReason counters { speechDetections speechEnds } } }";
pub const EVENT: &str = "mutation($input: VoiceEventInput!) { voiceEvent(input: $input) { sessionId appliedSeq state outcome reason } }";
pub const START: &str = "mutation($tab: Int!) { startVoiceSession(input: { tabId: $tab, pageInstanceId: \"page-1\" }) { id state lastAppliedSeq } }";

/// One extension socket: operation answers by id, `voiceStatus` messages queued apart.
pub struct Extension {
    pub socket: RawSocket,
    /// `voiceStatus` messages that arrived while waiting for an answer, oldest first.
    pub statuses: VecDeque<Value>,
    next_id: u32,
}

impl Extension {
    pub async fn connect(app: &TestApp, tokens: &Tokens) -> Extension {
        let mut socket = RawSocket::connect(&app.ws_url(), None).await;
        socket.init(&tokens.token).await;
        let mut extension = Extension {
            socket,
            statuses: VecDeque::new(),
            next_id: 0,
        };
        extension
            .socket
            .subscribe("status", STATUS, Value::Null)
            .await;
        // The socket runs later operations only once the subscription is in place.
        extension.call("{ __typename }", Value::Null).await;
        extension
    }

    /// Runs an operation and answers its `next` payload (or its `error` as `{"errors": ...}`).
    pub async fn call(&mut self, query: &str, variables: Value) -> Value {
        self.next_id += 1;
        let id = format!("op{}", self.next_id);
        self.socket.subscribe(&id, query, variables).await;
        loop {
            let message = self.socket.next_json().await;
            if message["id"] == "status" {
                self.statuses
                    .push_back(message["payload"]["data"]["voiceStatus"].clone());
                continue;
            }
            assert_eq!(message["id"], id.as_str(), "unexpected {message}");
            match message["type"].as_str() {
                Some("next") => {
                    let payload = message["payload"].clone();
                    assert_eq!(self.socket.next_json().await["type"], "complete");
                    return payload;
                }
                Some("error") => return json!({ "errors": message["payload"] }),
                other => panic!("unexpected {other:?}: {message}"),
            }
        }
    }

    pub async fn start(&mut self) -> String {
        let started = self.call(START, json!({ "tab": 7 })).await;
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
        if let Some(status) = self.statuses.pop_front() {
            return status;
        }
        let message = self.socket.next_json().await;
        assert_eq!(message["id"], "status", "unexpected {message}");
        message["payload"]["data"]["voiceStatus"].clone()
    }

    /// Statuses until one carries `command`.
    pub async fn command(&mut self, command: &str) -> Value {
        for _ in 0..20 {
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
