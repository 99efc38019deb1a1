//! Threshold adjustments the quality gate learned for a user (PROTOCOL.md section 8): when a
//! reviewer's deletions raise a category within a session, the user's threshold for that
//! category on that platform is nudged up for later sessions too. Each adjustment is a row the
//! reviewer can read (`qualityAdjustments`) and switch off (`setQualityAdjustment`); admins
//! list them across users (`learnedThresholds`), and admins or the user delete them
//! (`resetLearnedThresholds`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use lossy_entities::{quality_adjustments as adjustments, users};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::structurer::Category;
use crate::cluster::{Doorbell, Ring};
use crate::db::WriteLane;
use crate::error::{AppError, AppResult};

/// What one session's raise adds to the learned adjustment...
pub const LEARN_STEP: f64 = 0.05;
/// ...up to this much in all, so learning never hides a category for good.
pub const MAX_LEARNED: f64 = 0.2;
/// The scope of an adjustment that applies on every platform.
pub const ALL_PLATFORMS: &str = "all";

/// Each user's adjustments, kept in memory between writes: every transcript needs them, and
/// they change only when a server learns or switches one (it then calls
/// [`AdjustmentBook::forget`] after committing, which tells the other nodes too).
#[derive(Default)]
pub struct AdjustmentBook {
    users: Mutex<HashMap<Uuid, Known>>,
    doorbell: Doorbell,
}

/// What the book knows of one user: their adjustments once read, and how many writes it has
/// seen, so that a read that began before a write never stores what it read.
#[derive(Default)]
struct Known {
    writes: u64,
    rows: Option<Arc<Vec<adjustments::Model>>>,
}

impl Known {
    /// A write happened: what was read before it, or is being read now, is not kept.
    fn written(&mut self) {
        self.writes += 1;
        self.rows = None;
    }
}

impl AdjustmentBook {
    /// The enabled adjustments for the user's `category` on `platform` (and on all
    /// platforms), added up.
    pub async fn delta_for(
        &self,
        db: &impl ConnectionTrait,
        user_id: Uuid,
        platform: &str,
        category: Category,
    ) -> AppResult<f64> {
        let rows = self.of(db, user_id).await?;
        Ok(applying(&rows, platform, category))
    }

    async fn of(
        &self,
        db: &impl ConnectionTrait,
        user_id: Uuid,
    ) -> AppResult<Arc<Vec<adjustments::Model>>> {
        let writes = {
            let mut users = self.lock();
            let known = users.entry(user_id).or_default();
            if let Some(rows) = &known.rows {
                return Ok(rows.clone());
            }
            known.writes
        };
        let rows = Arc::new(list(db, user_id).await?);
        let mut users = self.lock();
        let known = users.entry(user_id).or_default();
        if known.writes == writes {
            known.rows = Some(rows.clone());
        }
        Ok(rows)
    }

    pub fn new(doorbell: Doorbell) -> Self {
        AdjustmentBook {
            users: Mutex::default(),
            doorbell,
        }
    }

    /// After a write of the user's adjustments: the next read goes to the database, here and
    /// on the other nodes.
    pub fn forget(&self, user_id: Uuid) {
        self.forget_here(user_id);
        self.doorbell.ring(Ring::Adjustments(user_id));
    }

    /// Another node wrote the user's adjustments.
    pub fn forget_here(&self, user_id: Uuid) {
        let mut users = self.lock();
        Known::written(users.entry(user_id).or_default());
    }

    /// Every user's next read goes to the database (after rings may have been lost).
    pub fn forget_all_here(&self) {
        self.lock().values_mut().for_each(Known::written);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Known>> {
        // Nothing panics while holding the lock; a poisoned one still holds valid data.
        self.users
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The enabled adjustments among `rows` that apply to `category` on `platform`, added up.
fn applying(rows: &[adjustments::Model], platform: &str, category: Category) -> f64 {
    rows.iter()
        .filter(|row| row.enabled && row.category == category.as_str())
        .filter(|row| row.platform == platform || row.platform == ALL_PLATFORMS)
        .map(|row| row.threshold_delta)
        .sum()
}

/// The user's adjustments, by platform then category.
pub async fn list(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<adjustments::Model>> {
    Ok(adjustments::Entity::find()
        .filter(adjustments::Column::UserId.eq(user_id))
        .order_by_asc(adjustments::Column::Platform)
        .order_by_asc(adjustments::Column::Category)
        .all(db)
        .await?)
}

/// Most adjustments `learnedThresholds` answers.
pub const MAX_LISTED: u64 = 500;

/// Adjustments of every user (or of `user_id`), on every platform (or `platform`), most
/// recently changed first, at most [`MAX_LISTED`].
pub async fn learned(
    db: &impl ConnectionTrait,
    user_id: Option<Uuid>,
    platform: Option<&str>,
) -> AppResult<Vec<adjustments::Model>> {
    let mut query = adjustments::Entity::find()
        .order_by_desc(adjustments::Column::UpdatedAt)
        .order_by_desc(adjustments::Column::Id)
        .limit(MAX_LISTED);
    if let Some(user_id) = user_id {
        query = query.filter(adjustments::Column::UserId.eq(user_id));
    }
    if let Some(platform) = platform {
        query = query.filter(adjustments::Column::Platform.eq(platform));
    }
    Ok(query.all(db).await?)
}

/// The accounts the adjustments belong to, by id: one query for any number of rows.
pub async fn owners(
    db: &impl ConnectionTrait,
    rows: &[adjustments::Model],
) -> AppResult<HashMap<Uuid, users::Model>> {
    let mut ids: Vec<Uuid> = rows.iter().map(|row| row.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.id, user))
        .collect())
}

/// Deletes the user's adjustments on `platform` (all of them without one); answers how many.
/// The caller then tells the [`AdjustmentBook`] to [`forget`](AdjustmentBook::forget) them.
/// One statement. A later deletion streak teaches a new adjustment from scratch.
pub async fn reset(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    platform: Option<&str>,
) -> AppResult<u64> {
    let mut delete =
        adjustments::Entity::delete_many().filter(adjustments::Column::UserId.eq(user_id));
    if let Some(platform) = platform {
        delete = delete.filter(adjustments::Column::Platform.eq(platform));
    }
    Ok(delete.exec(db).await?.rows_affected)
}

/// Records that a session raised `category` on `platform`: creates the adjustment at
/// [`LEARN_STEP`], or adds a step to it (at most [`MAX_LEARNED`]). One statement, so two
/// sessions learning at once both count.
pub async fn learn(
    lane: &WriteLane,
    user_id: Uuid,
    platform: &str,
    category: Category,
    session_id: Uuid,
) -> AppResult<()> {
    let now = Utc::now();
    let reason = format!(
        "{} deletions of {category} notes in voice session {session_id}",
        super::quality::DELETIONS_TO_RAISE
    );
    let row = adjustments::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        platform: Set(platform.to_owned()),
        category: Set(category.as_str().to_owned()),
        threshold_delta: Set(LEARN_STEP),
        enabled: Set(true),
        reason: Set(reason.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let stepped =
        Expr::col((adjustments::Entity, adjustments::Column::ThresholdDelta)).add(LEARN_STEP);
    let _turn = lane.turn().await;
    adjustments::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                adjustments::Column::UserId,
                adjustments::Column::Platform,
                adjustments::Column::Category,
            ])
            .value(
                adjustments::Column::ThresholdDelta,
                Expr::case(stepped.clone().gt(MAX_LEARNED), MAX_LEARNED).finally(stepped),
            )
            .value(adjustments::Column::Reason, reason)
            .value(adjustments::Column::UpdatedAt, now)
            .to_owned(),
        )
        .exec_without_returning(&lane.db)
        .await?;
    Ok(())
}

/// Switches one of the user's adjustments on or off; answers it as it now is.
pub async fn set_enabled(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
    enabled: bool,
) -> AppResult<adjustments::Model> {
    let updated = adjustments::Entity::update_many()
        .col_expr(adjustments::Column::Enabled, Expr::value(enabled))
        .col_expr(adjustments::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(adjustments::Column::Id.eq(id))
        .filter(adjustments::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::not_found("quality adjustment"));
    }
    adjustments::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("quality adjustment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(platform: &str, category: Category, delta: f64, enabled: bool) -> adjustments::Model {
        adjustments::Model {
            id: Uuid::new_v4(),
            user_id: Uuid::nil(),
            platform: platform.into(),
            category: category.as_str().into(),
            threshold_delta: delta,
            enabled,
            reason: String::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    /// Whether the book holds the user's rows (its next read is not a query).
    fn holds(book: &AdjustmentBook, user: Uuid) -> bool {
        book.lock()
            .get(&user)
            .is_some_and(|known| known.rows.is_some())
    }

    #[tokio::test]
    async fn a_write_here_rings_and_a_write_elsewhere_or_a_resync_forgets() {
        use crate::settings::store::testing::{add_user, database_with_user};
        let (db, alice) = database_with_user().await;
        let bob = add_user(&db, "bob@example.com").await;
        let (doorbell, mut outbox) = Doorbell::wired();
        let book = AdjustmentBook::new(doorbell);
        for user in [alice, bob] {
            book.delta_for(&db, user, "vimeo", Category::Audio)
                .await
                .unwrap();
            assert!(holds(&book, user));
        }

        book.forget(alice);
        assert!(!holds(&book, alice) && holds(&book, bob));
        assert_eq!(outbox.rings.try_recv().unwrap(), Ring::Adjustments(alice));

        book.delta_for(&db, alice, "vimeo", Category::Audio)
            .await
            .unwrap();
        book.forget_here(bob);
        assert!(holds(&book, alice) && !holds(&book, bob));
        book.forget_all_here();
        assert!(!holds(&book, alice) && !holds(&book, bob));
        assert!(
            outbox.rings.try_recv().is_err(),
            "only this node's writes ring"
        );
    }

    #[test]
    fn enabled_adjustments_of_the_platform_and_of_all_platforms_add_up() {
        let rows = [
            row("vimeo", Category::Audio, 0.05, true),
            row(ALL_PLATFORMS, Category::Audio, 0.1, true),
            row("youtube", Category::Audio, 0.2, true),
            row("vimeo", Category::Pacing, 0.2, true),
            row("vimeo", Category::Audio, 0.2, false),
        ];
        assert!((applying(&rows, "vimeo", Category::Audio) - 0.15).abs() < 1e-9);
        assert!((applying(&rows, "generic", Category::Audio) - 0.1).abs() < 1e-9);
        assert_eq!(applying(&rows, "vimeo", Category::Color), 0.0);
    }
}
