//! Flags and overrides in the database, and the poller that notices changes made by another
//! process (`lossy flags set` writes to the same database, not to this server's bus).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use lossy_entities::{feature_flag_overrides, feature_flags, users};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use tokio::time::MissedTickBehavior;
use uuid::Uuid;

use super::cache::FlagsChanged;
use super::evaluate::{Rule, bucket, evaluate};
use super::{FlagName, rollout_percent};
use crate::bus::Topic;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A flag as stored, with how many users override it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagRow {
    pub name: String,
    pub description: String,
    pub default_enabled: bool,
    pub rollout_percent: u8,
    pub override_count: u64,
    pub updated_at: DateTime<Utc>,
}

/// One user's override of one flag, with the user's email so people can read it.
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideRow {
    pub flag_name: String,
    pub user_id: Uuid,
    pub email: String,
    pub enabled: bool,
}

/// Every flag, by name.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<FlagRow>> {
    let flags = feature_flags::Entity::find()
        .order_by_asc(feature_flags::Column::Name)
        .all(db)
        .await?;
    let counts: BTreeMap<String, i64> = feature_flag_overrides::Entity::find()
        .select_only()
        .column(feature_flag_overrides::Column::FlagName)
        .column_as(
            Expr::col(feature_flag_overrides::Column::UserId).count(),
            "override_count",
        )
        .group_by(feature_flag_overrides::Column::FlagName)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(flags
        .into_iter()
        .map(|flag| {
            let count = counts.get(&flag.name).copied().unwrap_or_default();
            flag_row(flag, u64::try_from(count).unwrap_or_default())
        })
        .collect())
}

/// One flag, or `NOT_FOUND` if its row is missing.
pub async fn find(db: &impl ConnectionTrait, name: FlagName) -> AppResult<FlagRow> {
    let flag = feature_flags::Entity::find_by_id(name.as_str())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("feature flag {name}")))?;
    let count = feature_flag_overrides::Entity::find()
        .filter(feature_flag_overrides::Column::FlagName.eq(name.as_str()))
        .count(db)
        .await?;
    Ok(flag_row(flag, count))
}

/// The overrides of one flag, or of every flag, ordered by flag and email. One query.
pub async fn overrides(
    db: &impl ConnectionTrait,
    flag: Option<FlagName>,
) -> AppResult<Vec<OverrideRow>> {
    let mut query = feature_flag_overrides::Entity::find()
        .select_only()
        .columns([
            feature_flag_overrides::Column::FlagName,
            feature_flag_overrides::Column::UserId,
        ])
        .column(users::Column::Email)
        .column(feature_flag_overrides::Column::Enabled)
        .join(
            JoinType::InnerJoin,
            feature_flag_overrides::Relation::Users.def(),
        )
        .order_by_asc(feature_flag_overrides::Column::FlagName)
        .order_by_asc(users::Column::Email);
    if let Some(flag) = flag {
        query = query.filter(feature_flag_overrides::Column::FlagName.eq(flag.as_str()));
    }
    let rows = query
        .into_tuple::<(String, Uuid, String, bool)>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(flag_name, user_id, email, enabled)| OverrideRow {
            flag_name,
            user_id,
            email,
            enabled,
        })
        .collect())
}

/// Every user's id with their override of `flag` (if any), by email: two queries, the users
/// and the flag's overrides, whatever the number of users. Reads every user, which suits a
/// preview over up to tens of thousands of accounts (a few MB, tens of milliseconds).
pub async fn users_with_override(
    db: &impl ConnectionTrait,
    flag: &str,
) -> AppResult<Vec<(Uuid, Option<bool>)>> {
    let ids = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .order_by_asc(users::Column::Email)
        .order_by_asc(users::Column::Id)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let overrides: HashMap<Uuid, bool> = feature_flag_overrides::Entity::find()
        .select_only()
        .column(feature_flag_overrides::Column::UserId)
        .column(feature_flag_overrides::Column::Enabled)
        .filter(feature_flag_overrides::Column::FlagName.eq(flag))
        .into_tuple::<(Uuid, bool)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(ids
        .into_iter()
        .map(|id| (id, overrides.get(&id).copied()))
        .collect())
}

/// The users with these ids, by id. One query.
pub async fn users_by_id(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, users::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.id, user))
        .collect())
}

/// A stored flag's name and rule, or `NOT_FOUND`: evaluation follows the table, so a preview
/// may concern any stored flag.
pub async fn rule_of(db: &impl ConnectionTrait, name: &str) -> AppResult<(String, Rule)> {
    let flag = feature_flags::Entity::find_by_id(name.trim())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("feature flag {}", name.trim())))?;
    let rule = Rule {
        default_enabled: flag.default_enabled,
        rollout_percent: stored_percent(flag.rollout_percent),
    };
    Ok((flag.name, rule))
}

/// Every flag's value for `user_id`: two queries, the flags and this user's overrides.
pub async fn features_for(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<BTreeMap<String, bool>> {
    let flags = feature_flags::Entity::find().all(db).await?;
    let overrides: BTreeMap<String, bool> = feature_flag_overrides::Entity::find()
        .filter(feature_flag_overrides::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.flag_name, row.enabled))
        .collect();
    Ok(flags
        .into_iter()
        .map(|flag| {
            let on = evaluate(
                flag.default_enabled,
                stored_percent(flag.rollout_percent),
                overrides.get(&flag.name).copied(),
                bucket(&flag.name, user_id),
            );
            (flag.name, on)
        })
        .collect())
}

/// Changes a flag's default and/or rollout and returns the flag. Unknown names and rollouts
/// above 100 are `BAD_USER_INPUT` (on `name` and `rolloutPercent`).
pub async fn set_flag(
    db: &impl ConnectionTrait,
    name: &str,
    default_enabled: Option<bool>,
    rollout: Option<u8>,
) -> AppResult<FlagRow> {
    let name = FlagName::parse(name)?;
    if let Some(percent) = rollout {
        rollout_percent(percent.into())?;
    }
    let changes = feature_flags::ActiveModel {
        default_enabled: default_enabled.map_or(NotSet, Set),
        rollout_percent: rollout.map(i16::from).map_or(NotSet, Set),
        // Always set: the poller of other processes notices changes by this time.
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    let written = feature_flags::Entity::update_many()
        .set(changes)
        .filter(feature_flags::Column::Name.eq(name.as_str()))
        .exec(db)
        .await?;
    if written.rows_affected == 0 {
        return Err(AppError::not_found(format!("feature flag {name}")));
    }
    find(db, name).await
}

/// Sets (`Some`) or clears (`None`) the user's override of a flag. An unknown flag is
/// `BAD_USER_INPUT` on `name`; an unknown user is `NOT_FOUND`.
pub async fn set_override(
    db: &impl ConnectionTrait,
    name: &str,
    user_id: Uuid,
    enabled: Option<bool>,
) -> AppResult<()> {
    let flag = FlagName::parse(name)?;
    if users::Entity::find_by_id(user_id).count(db).await? == 0 {
        return Err(AppError::not_found("user"));
    }
    let Some(enabled) = enabled else {
        feature_flag_overrides::Entity::delete_many()
            .filter(feature_flag_overrides::Column::FlagName.eq(flag.as_str()))
            .filter(feature_flag_overrides::Column::UserId.eq(user_id))
            .exec(db)
            .await?;
        return Ok(());
    };
    find(db, flag).await?;
    let now = Utc::now();
    let row = feature_flag_overrides::ActiveModel {
        flag_name: Set(flag.as_str().to_owned()),
        user_id: Set(user_id),
        enabled: Set(enabled),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let upsert = OnConflict::columns([
        feature_flag_overrides::Column::FlagName,
        feature_flag_overrides::Column::UserId,
    ])
    .update_columns([
        feature_flag_overrides::Column::Enabled,
        feature_flag_overrides::Column::UpdatedAt,
    ])
    .to_owned();
    feature_flag_overrides::Entity::insert(row)
        .on_conflict(upsert)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A short text that changes whenever a flag or override is written or an override is
/// deleted: the row count and latest `updated_at` of both tables.
pub async fn fingerprint(db: &impl ConnectionTrait) -> AppResult<String> {
    let (flags, flags_at) =
        count_and_latest::<feature_flags::Entity>(db, feature_flags::Column::UpdatedAt).await?;
    let (overrides, overrides_at) = count_and_latest::<feature_flag_overrides::Entity>(
        db,
        feature_flag_overrides::Column::UpdatedAt,
    )
    .await?;
    let at = |time: Option<DateTime<Utc>>| {
        time.map(|t| t.to_rfc3339_opts(SecondsFormat::Nanos, true))
            .unwrap_or_default()
    };
    Ok(format!(
        "flags {flags} {}; overrides {overrides} {}",
        at(flags_at),
        at(overrides_at)
    ))
}

/// Polls [`fingerprint`] every `every` and publishes `FlagsChanged` when it moves, so that
/// flag changes written by another process reach open sockets. Runs until shutdown begins.
/// Changes made through this server are published at once by their mutation as well;
/// subscribers only send what differs, so the second notice costs one evaluation.
pub async fn watch_external_changes(state: AppState, every: Duration) {
    tokio::select! {
        () = state.shutdown.stopping() => {}
        () = publish_fingerprint_changes(&state.db, &state.features.changed, every) => {}
    }
}

async fn publish_fingerprint_changes(
    db: &impl ConnectionTrait,
    changed: &Topic<FlagsChanged>,
    every: Duration,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last: Option<String> = None;
    loop {
        ticker.tick().await;
        match fingerprint(db).await {
            Ok(current) => {
                if last.as_ref().is_some_and(|last| *last != current) {
                    tracing::debug!("feature flags changed in the database");
                    changed.publish(FlagsChanged);
                }
                last = Some(current);
            }
            Err(err) => {
                tracing::warn!(error = ?err, "could not read the feature flag fingerprint");
            }
        }
    }
}

async fn count_and_latest<E>(
    db: &impl ConnectionTrait,
    updated_at: E::Column,
) -> AppResult<(u64, Option<DateTime<Utc>>)>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let count = E::find().count(db).await?;
    // Reads the column itself rather than MAX(): the aggregate's type differs between SQLite
    // (text) and PostgreSQL (timestamptz).
    let latest = E::find()
        .select_only()
        .column(updated_at)
        .order_by_desc(updated_at)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await?;
    Ok((count, latest))
}

fn flag_row(flag: feature_flags::Model, override_count: u64) -> FlagRow {
    FlagRow {
        rollout_percent: stored_percent(flag.rollout_percent),
        override_count,
        name: flag.name,
        description: flag.description,
        default_enabled: flag.default_enabled,
        updated_at: flag.updated_at,
    }
}

/// The column is a plain small integer; a value edited out of range by hand is clamped rather
/// than failing every evaluation.
fn stored_percent(raw: i16) -> u8 {
    u8::try_from(raw.clamp(0, 100)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;
    use crate::settings::store::testing::{add_user, database_with_user};

    async fn is_on(db: &impl ConnectionTrait, user: Uuid, flag: &str) -> Option<bool> {
        features_for(db, user)
            .await
            .expect("features")
            .get(flag)
            .copied()
    }

    fn bad_input_field(result: AppResult<impl std::fmt::Debug>) -> Option<String> {
        match result {
            Err(AppError::BadUserInput { field, .. }) => field,
            other => panic!("expected BAD_USER_INPUT, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn the_seeded_flags_are_on_for_everyone() {
        let (db, user) = database_with_user().await;
        let features = features_for(&db, user).await.expect("features");
        let names: Vec<&str> = features.keys().map(String::as_str).collect();
        let mut known = super::super::KNOWN_FLAGS.to_vec();
        known.sort_unstable();
        assert_eq!(names, known);
        assert!(features.values().all(|on| *on));
    }

    #[tokio::test]
    async fn an_override_applies_to_its_user_only_and_clears() {
        let (db, user) = database_with_user().await;
        let other = add_user(&db, "other@example.com").await;
        set_override(&db, "server_telemetry", user, Some(false))
            .await
            .expect("set");
        assert_eq!(is_on(&db, user, "server_telemetry").await, Some(false));
        assert_eq!(is_on(&db, other, "server_telemetry").await, Some(true));

        let rows = overrides(&db, None).await.expect("overrides");
        assert_eq!(
            rows,
            vec![OverrideRow {
                flag_name: "server_telemetry".into(),
                user_id: user,
                email: "user@example.com".into(),
                enabled: false,
            }]
        );
        let listed = list(&db).await.expect("list");
        let counts: Vec<(&str, u64)> = listed
            .iter()
            .map(|f| (f.name.as_str(), f.override_count))
            .collect();
        assert!(counts.contains(&("server_telemetry", 1)), "{counts:?}");
        assert!(counts.contains(&("server_voice_session", 0)), "{counts:?}");

        // Setting again updates in place.
        set_override(&db, "server_telemetry", user, Some(true))
            .await
            .expect("set again");
        assert_eq!(overrides(&db, None).await.expect("o").len(), 1);

        set_override(&db, "server_telemetry", user, None)
            .await
            .expect("clear");
        assert!(overrides(&db, None).await.expect("o").is_empty());
    }

    #[tokio::test]
    async fn overrides_refuse_unknown_flags_and_users() {
        let (db, user) = database_with_user().await;
        let field = bad_input_field(set_override(&db, "nope", user, Some(true)).await);
        assert_eq!(field.as_deref(), Some("name"));
        let missing = set_override(&db, "server_telemetry", Uuid::new_v4(), Some(true)).await;
        assert!(matches!(missing, Err(AppError::NotFound(_))), "{missing:?}");
    }

    #[tokio::test]
    async fn the_default_and_rollout_decide_without_an_override() {
        let (db, user) = database_with_user().await;
        let row = set_flag(&db, "server_notes_channel", Some(false), None)
            .await
            .expect("set");
        assert!(!row.default_enabled);
        assert_eq!(row.rollout_percent, 0);
        assert_eq!(is_on(&db, user, "server_notes_channel").await, Some(false));

        let row = set_flag(&db, "server_notes_channel", None, Some(100))
            .await
            .expect("set");
        assert!(!row.default_enabled, "an omitted default is kept");
        assert_eq!(row.rollout_percent, 100);
        assert_eq!(is_on(&db, user, "server_notes_channel").await, Some(true));
    }

    #[tokio::test]
    async fn set_flag_refuses_unknown_names_and_rollouts_above_100() {
        let (db, _) = database_with_user().await;
        let field = bad_input_field(set_flag(&db, "server_magic", Some(true), None).await);
        assert_eq!(field.as_deref(), Some("name"));
        let field = bad_input_field(set_flag(&db, "server_telemetry", None, Some(101)).await);
        assert_eq!(field.as_deref(), Some("rolloutPercent"));
    }

    #[tokio::test]
    async fn the_fingerprint_moves_with_every_write_and_only_then() {
        let (db, user) = database_with_user().await;
        let start = fingerprint(&db).await.expect("fingerprint");
        assert_eq!(fingerprint(&db).await.expect("fingerprint"), start);

        set_flag(&db, "server_telemetry", Some(false), None)
            .await
            .expect("set");
        let after_flag = fingerprint(&db).await.expect("fingerprint");
        assert_ne!(after_flag, start);

        set_override(&db, "server_telemetry", user, Some(true))
            .await
            .expect("set");
        let after_override = fingerprint(&db).await.expect("fingerprint");
        assert_ne!(after_override, after_flag);

        set_override(&db, "server_telemetry", user, None)
            .await
            .expect("clear");
        assert_ne!(fingerprint(&db).await.expect("fingerprint"), after_override);
    }

    #[tokio::test]
    async fn the_poller_publishes_changes_written_elsewhere() {
        let (db, _) = database_with_user().await;
        let changed = Topic::new("flags_changed");
        let mut changes = Box::pin(changed.subscribe());
        let every = Duration::from_millis(10);
        let poller = publish_fingerprint_changes(&db, &changed, every);
        let scenario = async {
            // Several polls with nothing written: nothing is published.
            let quiet = tokio::time::timeout(Duration::from_millis(100), changes.next()).await;
            assert!(quiet.is_err(), "published without a change");
            set_flag(&db, "server_telemetry", Some(false), None)
                .await
                .expect("set");
            let seen = tokio::time::timeout(Duration::from_secs(5), changes.next()).await;
            assert!(
                matches!(seen, Ok(Some(FlagsChanged))),
                "change not published"
            );
        };
        tokio::select! {
            () = poller => panic!("the poller stopped"),
            () = scenario => {}
        }
    }
}
