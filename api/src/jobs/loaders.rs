//! Data loaders for what the jobs keep beside notes, so that a list of notes reads every
//! note's refinement (or posting) in one query. Kept on `Notes`, with no cache: each load
//! reads current rows.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use lossy_entities::{note_posts, note_refinements};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::notes::loaders::LoadError;

/// Each note's refinement, by note id.
pub struct RefinementLoader(pub DatabaseConnection);

impl Loader<Uuid> for RefinementLoader {
    type Value = note_refinements::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = note_refinements::Entity::find()
            .filter(note_refinements::Column::NoteId.is_in(keys.iter().copied()))
            .all(&self.0)
            .await
            .map_err(|err| Arc::new(err.into()))?;
        Ok(rows.into_iter().map(|row| (row.note_id, row)).collect())
    }
}

/// Each note's latest posting, by note id.
pub struct PostingLoader(pub DatabaseConnection);

impl Loader<Uuid> for PostingLoader {
    type Value = note_posts::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = note_posts::Entity::find()
            .filter(note_posts::Column::NoteId.is_in(keys.iter().copied()))
            .all(&self.0)
            .await
            .map_err(|err| Arc::new(err.into()))?;
        Ok(rows.into_iter().map(|row| (row.note_id, row)).collect())
    }
}
