//! The handshake: what a client learns on connecting, as the `connection_ack` payload of
//! PROTOCOL.md section 3 and as the query `handshake(requestedVersion:)`. It carries the
//! protocol version in force, the user's flags and the voice configuration of section 5.5.

use std::collections::BTreeMap;

use async_graphql::{Context, Json, Object, SimpleObject};
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::flags::SERVER_VOICE_SESSION;
use crate::graphql_kit::ContextExt;
use crate::settings::UserSettings;
use crate::state::AppState;

/// The newest protocol version this server speaks.
pub const HIGHEST_VERSION: u8 = 2;

/// Protocol versions this server speaks, oldest first (PROTOCOL.md section 4).
pub const SUPPORTED_VERSIONS: [u8; 2] = [1, HIGHEST_VERSION];

/// The version to speak: the highest supported one that is at most what the client requested
/// and what the user prefers, and 1 while the user's `server_voice_session` flag is off (v2 is
/// the server-owned voice session). A request below 1 is `BAD_USER_INPUT` on
/// `requestedVersion`; one above what the server speaks gets the server's highest.
pub fn negotiate(requested: i32, voice_flag_on: bool, preferred: i32) -> Result<u8, AppError> {
    if requested < 1 {
        return Err(AppError::bad_input(
            "requestedVersion",
            format!("requestedVersion must be at least 1 (got {requested}); supported: 1, 2"),
        ));
    }
    let ceiling = if voice_flag_on {
        requested.min(preferred)
    } else {
        1
    };
    // A stored preference below 1 matches nothing and falls back to the oldest version.
    Ok(SUPPORTED_VERSIONS
        .into_iter()
        .filter(|version| i32::from(*version) <= ceiling)
        .max()
        .unwrap_or(SUPPORTED_VERSIONS[0]))
}

/// Which protocol versions exist and which one is in force.
#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct ProtocolInfo {
    pub supported_versions: Vec<u8>,
    pub active_version: u8,
}

/// What a client learns on connecting.
#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct Handshake {
    pub protocol: ProtocolInfo,
    /// Flag name → whether it is on for this user.
    pub features: Json<BTreeMap<String, bool>>,
    /// The voice configuration in force for this user (every name of PROTOCOL.md 5.5).
    pub config: Json<Value>,
    /// The server's clock, for clients to measure their offset.
    pub server_time: DateTime<Utc>,
}

impl Handshake {
    /// The handshake for an already negotiated version.
    pub fn new(
        active_version: u8,
        features: BTreeMap<String, bool>,
        settings: &UserSettings,
        server_time: DateTime<Utc>,
    ) -> Handshake {
        Handshake {
            protocol: ProtocolInfo {
                supported_versions: SUPPORTED_VERSIONS.to_vec(),
                active_version,
            },
            features: Json(features),
            config: Json(settings.voice_config()),
            server_time,
        }
    }

    /// The negotiated protocol version.
    pub fn active_version(&self) -> u8 {
        self.protocol.active_version
    }

    /// The `connection_ack` payload: the same names as the GraphQL type, with `serverTime` in
    /// RFC 3339 as in the protocol's example.
    pub fn to_json(&self) -> Value {
        json!({
            "protocol": {
                "supportedVersions": self.protocol.supported_versions,
                "activeVersion": self.protocol.active_version,
            },
            "features": self.features.0,
            "config": self.config.0,
            "serverTime": self.server_time.to_rfc3339_opts(SecondsFormat::Secs, true),
        })
    }
}

/// Where the handshake reads settings and flags: the server's state, or a bare connection
/// (the command line mints tokens without a running server).
pub trait HandshakeSource {
    /// The database holding settings and flags.
    fn database(&self) -> &DatabaseConnection;
}

impl HandshakeSource for AppState {
    fn database(&self) -> &DatabaseConnection {
        &self.db
    }
}

impl HandshakeSource for DatabaseConnection {
    fn database(&self) -> &DatabaseConnection {
        self
    }
}

/// The handshake of `user_id` asking for protocol `requested`: reads the user's settings and
/// flags, then negotiates.
pub async fn for_viewer(state: &AppState, user_id: Uuid, requested: i32) -> AppResult<Handshake> {
    let (active, features, settings) = read_and_negotiate(&state.db, user_id, requested).await?;
    Ok(Handshake::new(active, features, &settings, Utc::now()))
}

/// Only the version [`for_viewer`] would negotiate (what access tokens record).
pub async fn active_version_for(
    source: &impl HandshakeSource,
    user_id: Uuid,
    requested: i32,
) -> AppResult<u8> {
    let (active, _, _) = read_and_negotiate(source.database(), user_id, requested).await?;
    Ok(active)
}

async fn read_and_negotiate(
    db: &DatabaseConnection,
    user_id: Uuid,
    requested: i32,
) -> AppResult<(u8, BTreeMap<String, bool>, UserSettings)> {
    let settings = crate::settings::store::load(db, user_id).await?;
    let features = crate::flags::store::features_for(db, user_id).await?;
    let voice_flag_on = features.get(SERVER_VOICE_SESSION).copied().unwrap_or(false);
    let active = negotiate(
        requested,
        voice_flag_on,
        settings.preferred_protocol_version,
    )?;
    Ok((active, features, settings))
}

/// The handshake query.
#[derive(Default)]
pub struct HandshakeQuery;

#[Object]
impl HandshakeQuery {
    /// What a socket's `connection_ack` would carry for the caller asking for
    /// `requestedVersion`.
    async fn handshake(
        &self,
        ctx: &Context<'_>,
        requested_version: i32,
    ) -> async_graphql::Result<Handshake> {
        let viewer = ctx.viewer()?;
        Ok(for_viewer(ctx.state(), viewer.user_id, requested_version).await?)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_active_version_is_the_highest_both_sides_speak() {
        assert_eq!(negotiate(1, true, 2).ok(), Some(1));
        assert_eq!(negotiate(2, true, 2).ok(), Some(2));
        assert_eq!(negotiate(3, true, 2).ok(), Some(2));
    }

    #[test]
    fn the_voice_flag_off_means_version_1() {
        assert_eq!(negotiate(2, false, 2).ok(), Some(1));
        assert_eq!(negotiate(3, false, 2).ok(), Some(1));
    }

    #[test]
    fn a_user_preferring_version_1_gets_it() {
        assert_eq!(negotiate(2, true, 1).ok(), Some(1));
        // A stored preference out of range never yields an unsupported version.
        assert_eq!(negotiate(2, true, 0).ok(), Some(1));
    }

    #[test]
    fn a_requested_version_below_1_is_refused() {
        for requested in [0, -1] {
            match negotiate(requested, true, 2) {
                Err(AppError::BadUserInput { field, .. }) => {
                    assert_eq!(field.as_deref(), Some("requestedVersion"));
                }
                other => panic!("expected BAD_USER_INPUT, got {other:?}"),
            }
        }
    }

    #[test]
    fn the_ack_payload_has_the_protocol_shape() {
        let features = BTreeMap::from([
            ("server_voice_session".to_owned(), true),
            ("server_telemetry".to_owned(), false),
        ]);
        let settings = UserSettings::default();
        let time = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).single();
        let Some(time) = time else {
            panic!("a valid time");
        };
        let payload = Handshake::new(2, features, &settings, time).to_json();
        assert_eq!(
            payload,
            json!({
                "protocol": {"supportedVersions": [1, 2], "activeVersion": 2},
                "features": {"server_voice_session": true, "server_telemetry": false},
                "config": settings.voice_config(),
                "serverTime": "2026-11-23T12:00:00Z",
            })
        );
        assert_eq!(payload["config"]["heartbeatIntervalMs"], json!(5000));
    }

    #[tokio::test]
    async fn the_stored_flag_and_preference_decide_the_version() {
        use crate::flags::store::set_override;
        use crate::settings::SettingsPatch;
        use crate::settings::store::{testing::database_with_user, update};

        let (db, user) = database_with_user().await;
        assert_eq!(active_version_for(&db, user, 2).await.ok(), Some(2));

        let prefer_v1 = SettingsPatch {
            preferred_protocol_version: Some(1),
            ..SettingsPatch::default()
        };
        update(&db, user, &prefer_v1, None).await.expect("update");
        assert_eq!(active_version_for(&db, user, 2).await.ok(), Some(1));

        let prefer_v2 = SettingsPatch {
            preferred_protocol_version: Some(2),
            ..SettingsPatch::default()
        };
        update(&db, user, &prefer_v2, None).await.expect("update");
        set_override(&db, SERVER_VOICE_SESSION, user, Some(false))
            .await
            .expect("override");
        assert_eq!(active_version_for(&db, user, 2).await.ok(), Some(1));
    }
}
