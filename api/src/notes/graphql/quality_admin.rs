//! The admin console's quality page: decisions counted by decision, reason and category
//! (`noteQualitySummary`), the thresholds the gate learned across users (`learnedThresholds`),
//! and their reset (`resetLearnedThresholds`).

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::super::adjustments;
use super::super::quality::Decision;
use super::super::store;
use super::super::structurer::Category;
use super::types::QualityAdjustment;
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::graphql_kit::{ContextExt, parse_id};

/// How many of the gate's decisions had one decision, reason and category.
#[derive(SimpleObject)]
pub struct QualityDecisionCount {
    pub decision: Decision,
    /// `above_threshold`, `below_floor`, `below_threshold` or `below_session_threshold`.
    pub reason: String,
    pub category: Category,
    pub count: i32,
}

/// The user a quality query or reset is about: `user_id` if the caller may act for them
/// (admins for anyone, others for themselves), else `FORBIDDEN`.
fn acting_for(viewer: &Viewer, user_id: Option<&ID>) -> AppResult<Option<uuid::Uuid>> {
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let user_id = parse_id(user_id, "userId")?;
    if user_id != viewer.user_id && !viewer.is_admin() {
        return Err(AppError::forbidden(
            "only an admin may see or change another user's quality data",
        ));
    }
    Ok(Some(user_id))
}

/// A platform argument: trimmed, and `None` when empty.
fn platform_filter(platform: Option<String>) -> Option<String> {
    platform
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
}

#[derive(Default)]
pub struct QualityAdminQuery;

#[Object]
impl QualityAdminQuery {
    /// The quality gate's decisions counted by decision, reason and category, made at or
    /// after `from` and before `to`. Admins count every user's, or one user's with `userId`;
    /// anyone else counts their own (a `userId` other than theirs is `FORBIDDEN`).
    async fn note_quality_summary(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        user_id: Option<ID>,
    ) -> async_graphql::Result<Vec<QualityDecisionCount>> {
        let viewer = ctx.viewer()?;
        let user_id = match acting_for(viewer, user_id.as_ref())? {
            Some(user_id) => Some(user_id),
            None if viewer.is_admin() => None,
            None => Some(viewer.user_id),
        };
        if let (Some(from), Some(to)) = (from, to)
            && to <= from
        {
            return Err(AppError::bad_input("to", "`to` must be after `from`").into());
        }
        let rows = store::decision_counts(&ctx.state().db, user_id, from, to).await?;
        let counts = rows
            .into_iter()
            .map(|(decision, reason, category, count)| {
                Ok(QualityDecisionCount {
                    decision: Decision::parse(&decision).ok_or_else(|| {
                        AppError::Internal(anyhow::anyhow!("unknown stored decision {decision:?}"))
                    })?,
                    reason,
                    category: store::stored_category(&category)?,
                    count: i32::try_from(count).unwrap_or(i32::MAX),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(counts)
    }

    /// Learned thresholds across users (or one user), optionally on one platform, most
    /// recently changed first, at most 500. Admins only.
    async fn learned_thresholds(
        &self,
        ctx: &Context<'_>,
        user_id: Option<ID>,
        platform: Option<String>,
    ) -> async_graphql::Result<Vec<QualityAdjustment>> {
        ctx.admin()?;
        let user_id = user_id.map(|id| parse_id(&id, "userId")).transpose()?;
        let db = &ctx.state().db;
        let platform = platform_filter(platform);
        let rows = adjustments::learned(db, user_id, platform.as_deref()).await?;
        let with_owners = ctx.look_ahead().field("user").exists();
        Ok(QualityAdjustment::list(db, rows, with_owners).await?)
    }
}

#[derive(Default)]
pub struct QualityAdminMutation;

#[Object]
impl QualityAdminMutation {
    /// Deletes a user's learned thresholds (one platform, or all); answers how many were
    /// removed. The gate stops applying them at the user's next note. Admins, or the user
    /// themself.
    async fn reset_learned_thresholds(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        platform: Option<String>,
    ) -> async_graphql::Result<i32> {
        let viewer = ctx.viewer()?;
        let user_id = acting_for(viewer, Some(&user_id))?.unwrap_or(viewer.user_id);
        let app = ctx.state();
        let platform = platform_filter(platform);
        let removed = adjustments::reset(&app.db, user_id, platform.as_deref()).await;
        // Forgotten whatever the outcome: a failed statement may still have deleted rows.
        app.notes.adjustments.forget(user_id);
        Ok(i32::try_from(removed?).unwrap_or(i32::MAX))
    }
}
