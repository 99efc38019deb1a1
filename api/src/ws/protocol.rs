//! The graphql-transport-ws message set and close codes.

use serde::{Deserialize, Serialize};

/// Close codes of the protocol (PROTOCOL.md section 3), plus the WebSocket standard ones we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseCode {
    /// Server shutting down.
    GoingAway,
    /// A message above the configured size.
    MessageTooBig,
    /// The server failed; the client may retry.
    InternalError,
    BadRequest,
    Unauthorized,
    Forbidden,
    SubprotocolNotAcceptable,
    InitTimeout,
    SubscriberExists,
    TooManyInitRequests,
}

impl CloseCode {
    pub fn code(self) -> u16 {
        match self {
            CloseCode::GoingAway => 1001,
            CloseCode::MessageTooBig => 1009,
            CloseCode::InternalError => 1011,
            CloseCode::BadRequest => 4400,
            CloseCode::Unauthorized => 4401,
            CloseCode::Forbidden => 4403,
            CloseCode::SubprotocolNotAcceptable => 4406,
            CloseCode::InitTimeout => 4408,
            CloseCode::SubscriberExists => 4409,
            CloseCode::TooManyInitRequests => 4429,
        }
    }
}

/// A message from the client. Unknown `type`s and missing fields fail to parse, which closes
/// the socket with 4400.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<serde_json::Value>,
    },
    Ping {
        #[serde(default)]
        payload: Option<serde_json::Value>,
    },
    Pong {
        #[serde(default)]
        payload: Option<serde_json::Value>,
    },
    Subscribe {
        id: String,
        payload: SubscribePayload,
    },
    Complete {
        id: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribePayload {
    pub query: String,
    #[serde(default)]
    pub operation_name: Option<String>,
    #[serde(default)]
    pub variables: Option<serde_json::Value>,
    #[serde(default)]
    pub extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

/// What `connection_init.payload` may carry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitPayload {
    pub token: Option<String>,
    pub requested_version: Option<i32>,
    #[serde(default)]
    pub client: Option<ClientInfo>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ClientInfo {
    pub name: Option<String>,
    pub version: Option<String>,
}

/// A message to the client.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    ConnectionAck {
        payload: serde_json::Value,
    },
    Ping {
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<serde_json::Value>,
    },
    Pong {
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<serde_json::Value>,
    },
    Next {
        id: String,
        payload: async_graphql::Response,
    },
    Error {
        id: String,
        payload: Vec<async_graphql::ServerError>,
    },
    Complete {
        id: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_client_message() {
        let init: ClientMessage =
            serde_json::from_str(r#"{"type":"connection_init","payload":{"token":"t"}}"#).unwrap();
        assert!(matches!(
            init,
            ClientMessage::ConnectionInit { payload: Some(_) }
        ));
        let sub: ClientMessage = serde_json::from_str(
            r#"{"type":"subscribe","id":"1","payload":{"query":"{ me { id } }"}}"#,
        )
        .unwrap();
        assert!(matches!(sub, ClientMessage::Subscribe { ref id, .. } if id == "1"));
        for bad in [
            r#"{"type":"subscribe","payload":{"query":"{a}"}}"#,
            r#"{"type":"launch_missiles"}"#,
            r#"{"id":"1"}"#,
            r#"[1,2]"#,
        ] {
            assert!(serde_json::from_str::<ClientMessage>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pong_echoes_without_a_null_payload() {
        let pong = serde_json::to_string(&ServerMessage::Pong { payload: None }).unwrap();
        assert_eq!(pong, r#"{"type":"pong"}"#);
    }
}
