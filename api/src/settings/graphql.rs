//! `settings`, `updateSettings` and `settingsChanged`: the caller's own settings.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, Subscription};
use futures_util::{Stream, StreamExt, future, stream};

use super::{SettingsPatch, UserSettings, store};
use crate::graphql_kit::ContextExt;

/// Settings queries.
#[derive(Default)]
pub struct SettingsQuery;

#[Object]
impl SettingsQuery {
    /// The caller's settings (the defaults until first changed).
    async fn settings(&self, ctx: &Context<'_>) -> async_graphql::Result<UserSettings> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let settings = state.settings.load(&state.db, viewer.user_id).await?;
        Ok(settings.as_ref().clone())
    }
}

/// Changes to some of the caller's settings.
#[derive(Debug, InputObject)]
pub struct UpdateSettingsInput {
    #[graphql(flatten)]
    pub settings: SettingsPatch,
    /// Write only if the stored settings still have this version (`CONFLICT` otherwise).
    pub expected_version: Option<i64>,
}

/// Settings mutations.
#[derive(Default)]
pub struct SettingsMutation;

#[Object]
impl SettingsMutation {
    /// Changes the given settings, keeps the others, and returns the new settings. Every
    /// socket of the user receives them on `settingsChanged`.
    async fn update_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateSettingsInput,
    ) -> async_graphql::Result<UserSettings> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let settings = store::update(
            &state.db,
            viewer.user_id,
            &input.settings,
            input.expected_version,
        )
        .await?;
        state
            .settings
            .written(viewer.user_id, Arc::new(settings.clone()));
        Ok(settings)
    }
}

/// Settings subscriptions.
#[derive(Default)]
pub struct SettingsSubscription;

#[Subscription]
impl SettingsSubscription {
    /// The caller's settings each time they are written, from any device. With `since`, the
    /// version the client holds, stored settings newer than that come first: a client that
    /// resubscribes after a gap (or took its settings from the handshake) misses no change.
    async fn settings_changed(
        &self,
        ctx: &Context<'_>,
        since: Option<i64>,
    ) -> async_graphql::Result<impl Stream<Item = UserSettings> + use<>> {
        let user_id = ctx.viewer()?.user_id;
        let state = ctx.state();
        // Subscribed before reading, so a write in between is in one or the other.
        let changes = ctx.subscribe(&state.settings.changed);
        let (first, floor) = match since {
            None => (None, i64::MIN),
            Some(since) => {
                let current = state.settings.load(&state.db, user_id).await?;
                let newer = (current.version > since).then(|| UserSettings::clone(&current));
                (newer, since.max(current.version))
            }
        };
        let later = changes.filter_map(move |change| {
            future::ready(
                (change.user_id == user_id && change.settings.version > floor)
                    .then(|| UserSettings::clone(&change.settings)),
            )
        });
        Ok(stream::iter(first).chain(later))
    }
}
