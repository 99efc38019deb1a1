//! Settings in the database: one `user_settings` row per user, created with the defaults the
//! first time it is read, and written with optimistic concurrency on `version`.

use chrono::{SubsecRound, Utc};
use lossy_entities::user_settings;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, SqlErr,
};
use uuid::Uuid;

use super::{SettingsPatch, TranscriptionMode, UserSettings};
use crate::db;
use crate::error::{AppError, AppResult};

/// The user's settings, storing the defaults first if the user has none yet.
pub async fn load(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<UserSettings> {
    if let Some(row) = find(db, user_id).await? {
        return UserSettings::try_from(row);
    }
    seed(db, user_id).await?;
    // Read back rather than return the defaults: a concurrent first read may have won.
    find(db, user_id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))
        .and_then(UserSettings::try_from)
}

/// Applies `patch` to the user's settings in one transaction and returns the new settings.
///
/// With `expected_version`, the write happens only if the stored settings still have that
/// version (`CONFLICT` otherwise). A patch that fails validation writes nothing, not even the
/// default row.
pub async fn update(
    db: &DatabaseConnection,
    user_id: Uuid,
    patch: &SettingsPatch,
    expected_version: Option<i64>,
) -> AppResult<UserSettings> {
    let txn = db::begin_write(db).await?;
    let current = load(&txn, user_id).await?;
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(AppError::Conflict(format!(
            "settings changed since version {expected} (now version {}); reload and retry",
            current.version
        )));
    }
    let mut next = current.apply(patch)?;
    next.version = current.version + 1;
    // Microseconds, as PostgreSQL stores them: the answer must equal what later reads return.
    next.updated_at = Some(Utc::now().trunc_subsecs(6));
    // Guarded on the version read above: under PostgreSQL's default isolation another writer
    // can commit between that read and this write, and must not be silently overwritten.
    let written = user_settings::Entity::update_many()
        .set(to_active_model(user_id, &next))
        .filter(user_settings::Column::UserId.eq(user_id))
        .filter(user_settings::Column::Version.eq(current.version))
        .exec(&txn)
        .await?;
    if written.rows_affected != 1 {
        return Err(AppError::Conflict(
            "settings changed while saving; reload and retry".into(),
        ));
    }
    txn.commit().await?;
    Ok(next)
}

async fn find(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<user_settings::Model>, DbErr> {
    user_settings::Entity::find_by_id(user_id).one(db).await
}

/// Inserts the default row unless one exists. `ON CONFLICT DO NOTHING` rather than catching a
/// unique violation, because a failed statement would abort an enclosing PostgreSQL
/// transaction.
async fn seed(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<()> {
    let now = Utc::now();
    let defaults = UserSettings {
        updated_at: Some(now),
        ..UserSettings::default()
    };
    let mut row = to_active_model(user_id, &defaults);
    row.created_at = Set(now);
    let inserted = user_settings::Entity::insert(row)
        .on_conflict_do_nothing()
        .exec_without_returning(db)
        .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(err)
            if matches!(
                err.sql_err(),
                Some(SqlErr::ForeignKeyConstraintViolation(_))
            ) =>
        {
            Err(AppError::not_found("user"))
        }
        Err(err) => Err(err.into()),
    }
}

impl TryFrom<user_settings::Model> for UserSettings {
    type Error = AppError;

    fn try_from(row: user_settings::Model) -> AppResult<Self> {
        Ok(UserSettings {
            cooldown_ms: row.cooldown_ms,
            merge_within_ms: row.merge_within_ms,
            min_speech_ms: row.min_speech_ms,
            max_speech_ms: row.max_speech_ms,
            auto_pause_video: row.auto_pause_video,
            auto_resume_delay_ms: row.auto_resume_delay_ms,
            idle_stop_ms: row.idle_stop_ms,
            heartbeat_interval_ms: row.heartbeat_interval_ms,
            heartbeat_timeout_ms: row.heartbeat_timeout_ms,
            max_restarts: row.max_restarts,
            restart_window_ms: row.restart_window_ms,
            session_ttl_ms: row.session_ttl_ms,
            start_threshold: row.vad_start_threshold,
            end_threshold: row.vad_end_threshold,
            min_silence_ms: row.vad_min_silence_ms,
            pre_roll_ms: row.vad_pre_roll_ms,
            min_confidence: row.min_confidence,
            preferred_protocol_version: row.preferred_protocol_version,
            client_preferences: row.client_preferences,
            transcription_mode: TranscriptionMode::parse(&row.transcription_mode)?,
            transcription_endpoint: row.transcription_endpoint,
            transcription_model: row.transcription_model,
            version: row.version,
            updated_at: Some(row.updated_at),
        })
    }
}

/// Every column but `created_at`, which only the first insert sets.
fn to_active_model(user_id: Uuid, settings: &UserSettings) -> user_settings::ActiveModel {
    user_settings::ActiveModel {
        user_id: Set(user_id),
        cooldown_ms: Set(settings.cooldown_ms),
        merge_within_ms: Set(settings.merge_within_ms),
        min_speech_ms: Set(settings.min_speech_ms),
        max_speech_ms: Set(settings.max_speech_ms),
        auto_pause_video: Set(settings.auto_pause_video),
        auto_resume_delay_ms: Set(settings.auto_resume_delay_ms),
        idle_stop_ms: Set(settings.idle_stop_ms),
        heartbeat_interval_ms: Set(settings.heartbeat_interval_ms),
        heartbeat_timeout_ms: Set(settings.heartbeat_timeout_ms),
        max_restarts: Set(settings.max_restarts),
        restart_window_ms: Set(settings.restart_window_ms),
        session_ttl_ms: Set(settings.session_ttl_ms),
        vad_start_threshold: Set(settings.start_threshold),
        vad_end_threshold: Set(settings.end_threshold),
        vad_min_silence_ms: Set(settings.min_silence_ms),
        vad_pre_roll_ms: Set(settings.pre_roll_ms),
        min_confidence: Set(settings.min_confidence),
        preferred_protocol_version: Set(settings.preferred_protocol_version),
        client_preferences: Set(settings.client_preferences.clone()),
        transcription_mode: Set(settings.transcription_mode.as_str().to_owned()),
        transcription_endpoint: Set(settings.transcription_endpoint.clone()),
        transcription_model: Set(settings.transcription_model.clone()),
        version: Set(settings.version),
        created_at: NotSet,
        updated_at: settings.updated_at.map_or(NotSet, Set),
    }
}

/// A migrated in-memory database for the store tests of settings, flags and the handshake.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::Utc;
    use lossy_entities::users;
    use lossy_migration::{Migrator, MigratorTrait};
    use sea_orm::ActiveValue::Set;
    use sea_orm::{ActiveModelTrait, Database, DatabaseConnection};
    use uuid::Uuid;

    /// A fresh database (SQLite in memory, all migrations applied) with `user@example.com`.
    pub(crate) async fn database_with_user() -> (DatabaseConnection, Uuid) {
        let db = Database::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite");
        Migrator::up(&db, None).await.expect("migrations");
        let user = add_user(&db, "user@example.com").await;
        (db, user)
    }

    /// Inserts a plain user and returns its id.
    pub(crate) async fn add_user(db: &DatabaseConnection, email: &str) -> Uuid {
        let now = Utc::now();
        let id = Uuid::new_v4();
        users::ActiveModel {
            id: Set(id),
            email: Set(email.to_owned()),
            password_hash: Set(String::new()),
            name: Set(email.to_owned()),
            role: Set("user".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            disabled_at: Set(None),
        }
        .insert(db)
        .await
        .expect("user");
        id
    }
}

#[cfg(test)]
mod tests {
    use lossy_entities::user_settings;
    use sea_orm::{EntityTrait, PaginatorTrait};
    use serde_json::json;

    use super::testing::database_with_user;
    use super::*;

    #[tokio::test]
    async fn the_first_read_stores_the_defaults_once() {
        let (db, user) = database_with_user().await;
        let first = load(&db, user).await.expect("load");
        assert_eq!(
            UserSettings {
                updated_at: None,
                ..first.clone()
            },
            UserSettings::default()
        );
        assert!(first.updated_at.is_some());
        assert_eq!(load(&db, user).await.expect("load again"), first);
        assert_eq!(
            user_settings::Entity::find()
                .count(&db)
                .await
                .expect("count"),
            1
        );
    }

    #[tokio::test]
    async fn settings_of_an_unknown_user_are_not_found() {
        let (db, _) = database_with_user().await;
        let result = load(&db, Uuid::new_v4()).await;
        assert!(matches!(result, Err(AppError::NotFound(_))), "{result:?}");
    }

    #[tokio::test]
    async fn an_update_is_stored_and_bumps_the_version() {
        let (db, user) = database_with_user().await;
        let patch = SettingsPatch {
            cooldown_ms: Some(900),
            client_preferences: Some(json!({ "theme": "dark" })),
            ..SettingsPatch::default()
        };
        let updated = update(&db, user, &patch, Some(1)).await.expect("update");
        assert_eq!(updated.version, 2);
        assert_eq!(updated.cooldown_ms, 900);
        let stored = load(&db, user).await.expect("load");
        assert_eq!(stored.cooldown_ms, 900);
        assert_eq!(stored.client_preferences, json!({ "theme": "dark" }));
        assert_eq!(stored.version, 2);
        assert_eq!(
            stored.merge_within_ms,
            UserSettings::default().merge_within_ms
        );
    }

    #[tokio::test]
    async fn a_stale_expected_version_is_a_conflict_and_writes_nothing() {
        let (db, user) = database_with_user().await;
        let patch = SettingsPatch {
            max_restarts: Some(5),
            ..SettingsPatch::default()
        };
        update(&db, user, &patch, None).await.expect("first update");
        let stale = update(&db, user, &patch, Some(1)).await;
        match stale {
            Err(AppError::Conflict(message)) => {
                assert!(message.contains("since version 1"), "{message}");
            }
            other => panic!("expected CONFLICT, got {other:?}"),
        }
        assert_eq!(load(&db, user).await.expect("load").version, 2);
    }

    #[tokio::test]
    async fn an_invalid_patch_writes_nothing_not_even_the_defaults() {
        let (db, user) = database_with_user().await;
        let patch = SettingsPatch {
            cooldown_ms: Some(-1),
            ..SettingsPatch::default()
        };
        let result = update(&db, user, &patch, None).await;
        assert!(
            matches!(result, Err(AppError::BadUserInput { .. })),
            "{result:?}"
        );
        assert_eq!(
            user_settings::Entity::find()
                .count(&db)
                .await
                .expect("count"),
            0
        );
    }
}
