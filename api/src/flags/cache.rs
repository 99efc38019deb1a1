//! Each user's evaluated flags, kept between changes. Hot paths (every voice event checks the
//! voice flag) read here instead of the database; any flag change empties the cache, since one
//! flag or override can change many users' answers.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use futures_util::StreamExt;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::store;
use crate::bus::Topic;
use crate::cluster::{Doorbell, Ring};
use crate::error::AppResult;
use crate::state::AppState;

pub struct FeatureCache {
    users: Mutex<HashMap<Uuid, BTreeMap<String, bool>>>,
    /// Some flag or override changed; subscribers (this cache, `featuresChanged`) re-evaluate.
    pub changed: Topic<FlagsChanged>,
    doorbell: Doorbell,
}

impl Default for FeatureCache {
    fn default() -> Self {
        FeatureCache::new(Doorbell::silent())
    }
}

/// Some flag or override changed; subscribers re-evaluate for their user.
#[derive(Debug, Clone)]
pub struct FlagsChanged;

impl FeatureCache {
    pub fn new(doorbell: Doorbell) -> Self {
        FeatureCache {
            users: Mutex::default(),
            changed: Topic::new("flags_changed"),
            doorbell,
        }
    }

    /// This node changed a flag or an override: in force for its next request, sent to its
    /// subscribers, and rung for the other nodes (whose subscribers this cache then follows).
    pub fn written(&self) {
        self.clear();
        self.changed.publish(FlagsChanged);
        self.doorbell.ring(Ring::Flags);
    }

    /// The user's flags, from the cache or evaluated and remembered.
    pub async fn features_for(
        &self,
        db: &impl ConnectionTrait,
        user_id: Uuid,
    ) -> AppResult<BTreeMap<String, bool>> {
        if let Some(features) = self
            .users
            .lock()
            .ok()
            .and_then(|users| users.get(&user_id).cloned())
        {
            return Ok(features);
        }
        let features = store::features_for(db, user_id).await?;
        if let Ok(mut users) = self.users.lock() {
            users.insert(user_id, features.clone());
        }
        Ok(features)
    }

    pub fn clear(&self) {
        if let Ok(mut users) = self.users.lock() {
            users.clear();
        }
    }
}

/// Empties the cache on every flag change until the server stops. Subscribed before it
/// returns, so no change published after start-up is missed.
pub fn invalidate_on_changes(
    state: &AppState,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    let changes = state.features.changed.subscribe();
    let cache = state.features.clone();
    let shutdown = state.shutdown.clone();
    async move {
        tokio::pin!(changes);
        loop {
            tokio::select! {
                () = shutdown.stopping() => return,
                change = changes.next() => match change {
                    Some(_) => cache.clear(),
                    None => return,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_change_here_empties_the_cache_and_is_published_and_rung() {
        let (doorbell, mut outbox) = Doorbell::wired();
        let cache = FeatureCache::new(doorbell);
        let mut changes = Box::pin(cache.changed.subscribe());
        let user = Uuid::new_v4();
        cache
            .users
            .lock()
            .unwrap()
            .insert(user, BTreeMap::from([("voice".to_owned(), true)]));
        cache.written();
        assert!(cache.users.lock().unwrap().is_empty());
        assert!(changes.next().await.is_some());
        assert_eq!(outbox.rings.try_recv().unwrap(), Ring::Flags);
    }
}
