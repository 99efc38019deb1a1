//! How a job changes a note: the note row only if it is still at the version the job read
//! (as `notes::store::save` does), the job's own row (refinement, posting) in the same
//! transaction, and a `NoteUpdated` with an offset logged with them and published once
//! committed.
//!
//! `notes::store::save` writes the columns a reviewer edits; a refinement also changes the
//! note's confidence and structurer, and the job rows must commit with the note, hence this
//! twin. It logs and publishes through the same event log, so clients cannot tell them apart.

use lossy_entities::{note_posts, note_refinements, notes};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, TransactionTrait,
};

use crate::error::AppResult;
use crate::notes::stream::event::NoteEvent;
use crate::notes::stream::log;
use crate::state::AppState;

/// A row a job keeps beside the note.
#[derive(Debug, Clone)]
pub enum JobRow {
    Refinement(note_refinements::Model),
    Post(note_posts::Model),
}

/// What [`save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Saved,
    /// The note moved past `changed.version - 1` meanwhile (a reviewer's edit, another run of
    /// the same job): nothing was written.
    Conflict,
}

/// Writes `changed` over the stored note if it is still at `changed.version - 1`, with `rows`,
/// and publishes `NoteUpdated`.
pub async fn save(app: &AppState, changed: &notes::Model, rows: &[JobRow]) -> AppResult<Saved> {
    let turn = app.lane.turn().await;
    let txn = app.lane.db.begin().await?;
    let result = notes::Entity::update_many()
        .col_expr(notes::Column::Text, Expr::value(changed.text.clone()))
        .col_expr(
            notes::Column::Category,
            Expr::value(changed.category.clone()),
        )
        .col_expr(notes::Column::Confidence, Expr::value(changed.confidence))
        .col_expr(
            notes::Column::Structurer,
            Expr::value(changed.structurer.clone()),
        )
        .col_expr(notes::Column::Status, Expr::value(changed.status.clone()))
        .col_expr(notes::Column::Version, Expr::value(changed.version))
        .col_expr(notes::Column::UpdatedAt, Expr::value(changed.updated_at))
        .filter(notes::Column::Id.eq(changed.id))
        .filter(notes::Column::Version.eq(changed.version - 1))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(Saved::Conflict);
    }
    for row in rows {
        put(&txn, row).await?;
    }
    let events = log::with_summaries(&txn, vec![NoteEvent::updated(changed)]).await?;
    let logged = log::append(&txn, changed.user_id, events, changed.updated_at).await?;
    txn.commit().await?;
    drop(turn);
    app.notes.stream.published(changed.user_id, logged);
    Ok(Saved::Saved)
}

/// Writes job rows that do not change the note (no event: the note is the same).
pub async fn put_rows(app: &AppState, rows: &[JobRow]) -> AppResult<()> {
    let _turn = app.lane.turn().await;
    let txn = app.lane.db.begin().await?;
    for row in rows {
        put(&txn, row).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Inserts or replaces one job row.
async fn put(txn: &DatabaseTransaction, row: &JobRow) -> AppResult<()> {
    use note_posts::Column as P;
    use note_refinements::Column as R;
    match row {
        JobRow::Refinement(model) => {
            note_refinements::Entity::insert(model.clone().into_active_model())
                .on_conflict(
                    OnConflict::column(R::NoteId)
                        .update_columns([
                            R::State,
                            R::Attempts,
                            R::LastError,
                            R::BaseVersion,
                            R::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .exec_without_returning(txn)
                .await?;
        }
        JobRow::Post(model) => {
            note_posts::Entity::insert(model.clone().into_active_model())
                .on_conflict(
                    OnConflict::column(P::NoteId)
                        .update_columns([
                            P::Integration,
                            P::DeliveryId,
                            P::Attempts,
                            P::Reason,
                            P::QueuedAt,
                            P::PostedAt,
                            P::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .exec_without_returning(txn)
                .await?;
        }
    }
    Ok(())
}
