//! Data loaders: a list of notes or videos reads each note's decision and each video's summary
//! in one query for the whole list, not one per row. They live on the schema and keep no
//! cache (`NoCache`), so every request reads current rows; loads made within the same moment
//! are still batched together.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader, NoCache};
use lossy_entities::note_quality_decisions as decisions;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::listing::Counts;
use super::store;
use crate::error::AppError;

/// A loader's failure, shared by every load of its batch.
pub type LoadError = Arc<AppError>;

/// Turns a loader's answer into a resolver's: the shared error becomes an internal one (its
/// cause is logged with the reference the client sees).
pub fn loaded<T>(result: Result<T, LoadError>) -> Result<T, AppError> {
    result.map_err(|err| AppError::Internal(anyhow::anyhow!("data loader: {err:?}")))
}

/// Each note's quality decision, by note id.
pub struct DecisionLoader(pub DatabaseConnection);

impl Loader<Uuid> for DecisionLoader {
    type Value = decisions::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        store::decisions_of(&self.0, keys).await.map_err(Arc::new)
    }
}

/// Each video's note summary, by video id.
pub struct SummaryLoader(pub DatabaseConnection);

impl Loader<Uuid> for SummaryLoader {
    type Value = Counts;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        store::summaries(&self.0, keys).await.map_err(Arc::new)
    }
}

/// The loaders as schema data.
pub fn loaders(
    db: &DatabaseConnection,
) -> (
    DataLoader<DecisionLoader, NoCache>,
    DataLoader<SummaryLoader, NoCache>,
) {
    (
        DataLoader::with_cache(DecisionLoader(db.clone()), tokio::spawn, NoCache),
        DataLoader::with_cache(SummaryLoader(db.clone()), tokio::spawn, NoCache),
    )
}
