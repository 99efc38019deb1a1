//! Keyset paging conditions for lists read newest first: the rows after a cursor, without
//! counting rows to skip (so rows added while a client pages never shift a page).

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

/// The rows after cursor `(at, id)` of a list ordered newest first (`at` DESC, `id` DESC).
pub fn older_than(
    at_column: impl ColumnTrait,
    id_column: impl ColumnTrait,
    (at, id): (DateTime<Utc>, Uuid),
) -> Condition {
    Condition::any()
        .add(at_column.lt(at))
        .add(Condition::all().add(at_column.eq(at)).add(id_column.lt(id)))
}
