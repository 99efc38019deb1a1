//! Each user's settings, kept in memory between writes. Hot paths (every transcript is held
//! to the user's `minConfidence`) read here instead of the database.
//!
//! This server is the only writer of settings (`updateSettings`), and it hands every write to
//! [`SettingsCache::remember`]. A write and a read racing to fill the cache cannot leave it
//! stale: a read only fills a missing entry, and a write only replaces an older version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{UserSettings, store};
use crate::bus::Topic;
use crate::error::AppResult;

pub struct SettingsCache {
    users: Mutex<HashMap<Uuid, Arc<UserSettings>>>,
    /// Every write, to `settingsChanged` subscribers.
    pub changed: Topic<SettingsChanged>,
}

impl Default for SettingsCache {
    fn default() -> Self {
        SettingsCache {
            users: Mutex::default(),
            changed: Topic::new("settings_changed"),
        }
    }
}

/// A user's settings were written; carries the new settings.
#[derive(Debug, Clone)]
pub struct SettingsChanged {
    pub user_id: Uuid,
    pub settings: Arc<UserSettings>,
}

impl SettingsCache {
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
    use super::*;

    fn settings(version: i64, min_confidence: f64) -> Arc<UserSettings> {
        Arc::new(UserSettings {
            version,
            min_confidence,
            ..UserSettings::default()
        })
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
