//! How a job changes a note: the note row only if it is still at the version the job read
//! (`notes::store::overwrite`, as every change of a note), the job's own row (refinement,
//! posting) in the same transaction, and a `NoteUpdated` with an offset logged with them
//! (`notes::store::log_change`) and published once committed.

use lossy_entities::{note_posts, note_refinements, notes};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseTransaction, EntityTrait, IntoActiveModel};

use crate::error::AppResult;
use crate::notes::store;
use crate::notes::stream::event::NoteEvent;
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
    let txn = crate::db::begin_write(&app.lane.db).await?;
    if !store::overwrite(&txn, changed).await? {
        txn.rollback().await?;
        return Ok(Saved::Conflict);
    }
    for row in rows {
        put(&txn, row).await?;
    }
    let logged = store::log_change(&txn, changed, NoteEvent::updated(changed)).await?;
    txn.commit().await?;
    drop(turn);
    app.notes.stream.published(changed.user_id, logged);
    Ok(Saved::Saved)
}

/// Writes job rows that do not change the note (no event: the note is the same).
pub async fn put_rows(app: &AppState, rows: &[JobRow]) -> AppResult<()> {
    let _turn = app.lane.turn().await;
    let txn = crate::db::begin_write(&app.lane.db).await?;
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
