//! The `video_contexts` rows: one per user who ever claimed a context, written only when the
//! context changes (never for a lease renewal), each write guarded by the version it read.

use chrono::{DateTime, SubsecRound, Utc};
use lossy_entities::video_contexts;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TryInsertResult,
};
use uuid::Uuid;

use super::ownership::{Ownership, Tab, VideoContext, Viewing};
use crate::error::AppResult;

/// The user's context as stored (a context never claimed when there is no row).
pub async fn load(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<VideoContext> {
    let row = video_contexts::Entity::find_by_id(user_id).one(db).await?;
    Ok(row.map_or_else(|| VideoContext::none(user_id), context_of))
}

/// Every stored context with an owner, for the leases at start-up.
pub async fn owned(db: &impl ConnectionTrait) -> AppResult<Vec<VideoContext>> {
    let rows = video_contexts::Entity::find()
        .filter(video_contexts::Column::OwnerDeviceId.is_not_null())
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(context_of)
        .filter(|context| context.ownership.is_some())
        .collect())
}

/// Writes `context` if the stored one still has version `read` (0: no row yet). Answers
/// whether it wrote; `false` means another writer got there first, and the caller decides
/// again from what is stored now.
pub async fn save(
    db: &impl ConnectionTrait,
    context: &VideoContext,
    read: i64,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let row = active_model(context, now);
    if read == 0 {
        // ON CONFLICT DO NOTHING rather than catching the violation: a failed statement would
        // abort an enclosing PostgreSQL transaction.
        let inserted = video_contexts::Entity::insert(row)
            .on_conflict_do_nothing()
            .exec_without_returning(db)
            .await?;
        return Ok(matches!(inserted, TryInsertResult::Inserted(n) if n > 0));
    }
    let written = video_contexts::Entity::update_many()
        .set(row)
        .filter(video_contexts::Column::UserId.eq(context.user_id))
        .filter(video_contexts::Column::Version.eq(read))
        .exec(db)
        .await?;
    Ok(written.rows_affected == 1)
}

/// Microseconds, as PostgreSQL stores them, so what a mutation answers equals what a later
/// read returns.
fn stored(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

fn active_model(context: &VideoContext, now: DateTime<Utc>) -> video_contexts::ActiveModel {
    let viewing = context.viewing.as_ref();
    let ownership = context.ownership.as_ref();
    let tab = ownership.map(|o| &o.tab);
    video_contexts::ActiveModel {
        user_id: Set(context.user_id),
        voice_session_id: Set(ownership.and_then(|o| o.session_id)),
        video_id: Set(viewing.map(|v| v.video_id)),
        platform: Set(viewing.map(|v| v.platform.clone())),
        current_url: Set(viewing.map(|v| v.current_url.clone())),
        owner_device_id: Set(tab.map(|t| t.device_id)),
        owner_tab_id: Set(tab.map(|t| t.tab_id)),
        owner_page_instance_id: Set(tab.map(|t| t.page_instance_id.clone())),
        claimed_at: Set(ownership.map(|o| stored(o.claimed_at))),
        lease_expires_at: Set(ownership.map(|o| stored(o.lease_expires_at))),
        version: Set(context.version),
        updated_at: Set(stored(now)),
    }
}

/// The row as a context. A row whose video is gone (deleted, the key set to null) names
/// nothing and has no owner, whatever else it still holds.
fn context_of(row: video_contexts::Model) -> VideoContext {
    let viewing = match (row.video_id, row.platform, row.current_url) {
        (Some(video_id), Some(platform), Some(current_url)) => Some(Viewing {
            video_id,
            platform,
            current_url,
        }),
        _ => None,
    };
    let ownership = match (
        &viewing,
        row.owner_device_id,
        row.owner_tab_id,
        row.owner_page_instance_id,
        row.claimed_at,
        row.lease_expires_at,
    ) {
        (
            Some(_),
            Some(device_id),
            Some(tab_id),
            Some(page_instance_id),
            Some(claimed_at),
            Some(lease_expires_at),
        ) => Some(Ownership {
            tab: Tab {
                device_id,
                tab_id,
                page_instance_id,
            },
            session_id: row.voice_session_id,
            claimed_at,
            lease_expires_at,
        }),
        _ => None,
    };
    VideoContext {
        user_id: row.user_id,
        version: row.version,
        viewing,
        ownership,
    }
}
