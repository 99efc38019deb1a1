//! Each user's settings, kept in memory between writes. Hot paths (every transcript is held
//! to the user's `minConfidence`) read here instead of the database.
//!
//! A node hands every write of its own (`updateSettings`) to [`SettingsCache::written`],
//! which tells the other nodes; they re-read the settings ([`SettingsCache::reread`]). A write
//! and a read racing to fill the cache cannot leave it stale: a read only fills a missing
//! entry, and a write or re-read only replaces an older version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{UserSettings, store};
use crate::bus::Topic;
use crate::cluster::{Doorbell, Ring};
use crate::error::AppResult;

pub struct SettingsCache {
    users: Mutex<HashMap<Uuid, Arc<UserSettings>>>,
    /// Every write, to `settingsChanged` subscribers.
    pub changed: Topic<SettingsChanged>,
    doorbell: Doorbell,
}

impl Default for SettingsCache {
    fn default() -> Self {
        SettingsCache::new(Doorbell::silent())
    }
}

/// A user's settings were written; carries the new settings.
#[derive(Debug, Clone)]
pub struct SettingsChanged {
    pub user_id: Uuid,
    pub settings: Arc<UserSettings>,
}

impl SettingsCache {
    pub fn new(doorbell: Doorbell) -> Self {
        SettingsCache {
            users: Mutex::default(),
            changed: Topic::new("settings_changed"),
            doorbell,
        }
    }

    /// This node wrote the user's settings: remembered, sent to this node's subscribers, and
    /// rung for the other nodes.
    pub fn written(&self, user_id: Uuid, settings: Arc<UserSettings>) {
        let version = settings.version;
        self.remember(user_id, settings.clone());
        self.changed.publish(SettingsChanged { user_id, settings });
        self.doorbell.ring(Ring::Settings { user_id, version });
    }

    /// Another node wrote the user's settings (`version`, when known): unless a version that
    /// recent is already known here, reads them and, when newer than what was known, remembers
    /// and publishes them.
    pub async fn reread(
        &self,
        db: &impl ConnectionTrait,
        user_id: Uuid,
        version: Option<i64>,
    ) -> AppResult<()> {
        let known = self.cached(user_id).map(|known| known.version);
        if known
            .zip(version)
            .is_some_and(|(known, rung)| known >= rung)
        {
            return Ok(());
        }
        let read = Arc::new(store::load(db, user_id).await?);
        if known.is_none_or(|known| known < read.version) {
            self.remember(user_id, read.clone());
            self.changed.publish(SettingsChanged {
                user_id,
                settings: read,
            });
        }
        Ok(())
    }

    /// The users whose settings this node keeps.
    pub fn cached_users(&self) -> Vec<Uuid> {
        self.users
            .lock()
            .map_or_else(|_| Vec::new(), |users| users.keys().copied().collect())
    }

    /// The user's settings, from the cache or read (and seeded) and remembered.
    pub async fn load(
        &self,
        db: &impl ConnectionTrait,
        user_id: Uuid,
    ) -> AppResult<Arc<UserSettings>> {
        if let Some(settings) = self.cached(user_id) {
            return Ok(settings);
        }
        let read = Arc::new(store::load(db, user_id).await?);
        let Ok(mut users) = self.users.lock() else {
            return Ok(read);
        };
        Ok(users.entry(user_id).or_insert(read).clone())
    }

    /// Takes the settings just written, unless a newer version is already known.
    pub fn remember(&self, user_id: Uuid, settings: Arc<UserSettings>) {
        if let Ok(mut users) = self.users.lock() {
            let newer = users
                .get(&user_id)
                .is_none_or(|known| known.version < settings.version);
            if newer {
                users.insert(user_id, settings);
            }
        }
    }

    fn cached(&self, user_id: Uuid) -> Option<Arc<UserSettings>> {
        self.users.lock().ok()?.get(&user_id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    fn settings(version: i64, min_confidence: f64) -> Arc<UserSettings> {
        Arc::new(UserSettings {
            version,
            min_confidence,
            ..UserSettings::default()
        })
    }

    #[tokio::test]
    async fn a_write_here_is_published_and_rung_for_the_other_nodes() {
        let (doorbell, mut outbox) = Doorbell::wired();
        let cache = SettingsCache::new(doorbell);
        let mut changes = Box::pin(cache.changed.subscribe());
        let user = Uuid::new_v4();
        cache.written(user, settings(5, 0.7));
        assert_eq!(cache.cached(user).unwrap().version, 5);
        assert_eq!(changes.next().await.unwrap().settings.version, 5);
        assert_eq!(
            outbox.rings.try_recv().unwrap(),
            Ring::Settings {
                user_id: user,
                version: 5
            }
        );
    }

    #[tokio::test]
    async fn a_write_on_another_node_is_reread_once_and_only_when_newer() {
        use crate::settings::store::testing::database_with_user;
        let (db, user) = database_with_user().await;
        let cache = SettingsCache::default();
        let mut changes = Box::pin(cache.changed.subscribe());
        assert_eq!(cache.load(&db, user).await.unwrap().version, 1);

        // Another node writes version 2 to the database and rings.
        let patch = crate::settings::SettingsPatch {
            cooldown_ms: Some(900),
            ..Default::default()
        };
        store::update(&db, user, &patch, None).await.unwrap();
        cache.reread(&db, user, Some(2)).await.unwrap();
        let change = changes.next().await.unwrap();
        assert_eq!(
            (change.settings.version, change.settings.cooldown_ms),
            (2, 900)
        );
        assert_eq!(cache.load(&db, user).await.unwrap().cooldown_ms, 900);

        // The same ring again, or a resync, finds nothing newer: nothing is published.
        cache.reread(&db, user, Some(2)).await.unwrap();
        cache.reread(&db, user, None).await.unwrap();
        assert_eq!(cache.cached_users(), vec![user]);
        cache.written(user, settings(3, 0.1));
        assert_eq!(changes.next().await.unwrap().settings.version, 3);
    }

    #[test]
    fn an_older_write_never_replaces_a_newer_one() {
        let cache = SettingsCache::default();
        let user = Uuid::new_v4();
        cache.remember(user, settings(3, 0.5));
        cache.remember(user, settings(2, 0.4));
        assert_eq!(cache.cached(user).unwrap().min_confidence, 0.5);
        cache.remember(user, settings(4, 0.6));
        assert_eq!(cache.cached(user).unwrap().min_confidence, 0.6);
    }
}
