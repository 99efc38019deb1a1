//! What a node does with another node's ring: the same as its own write would have done to
//! its sockets and caches, reading the change itself from the database. Applying a ring twice
//! is harmless, so a resync may overlap with rings that arrive after it.

use super::Ring;
use crate::flags::cache::FlagsChanged;
use crate::state::AppState;

/// Applies one ring from another node.
pub async fn apply(state: &AppState, ring: Ring) {
    match ring {
        Ring::NoteEvents { user_id, through } => {
            state.notes.stream.logged_elsewhere(user_id, through);
        }
        Ring::Settings { user_id, version } => {
            if let Err(err) = state
                .settings
                .reread(&state.db, user_id, Some(version))
                .await
            {
                tracing::warn!(error = ?err, %user_id, "could not re-read settings another node wrote");
            }
        }
        Ring::Flags => state.features.changed.publish(FlagsChanged),
        Ring::Adjustments(user_id) => state.notes.adjustments.forget_here(user_id),
        Ring::DeviceRevoked(device_id) => state.revoked_devices.publish(device_id),
        Ring::UserDisabled(user_id) => state.disabled_users.publish(user_id),
        Ring::SessionMoved(session_id) => state.voice.moved_away(session_id),
        Ring::Resync => resync(state).await,
    }
}

/// Catches up everything this node holds from the database, after rings may have been lost:
/// note streams read the log up to each watched user's last offset, cached settings are
/// re-read, flags re-evaluated and adjustments forgotten. Revocations and disablings missed in
/// that window take effect at the socket's next token refresh (tokens live 15 minutes by
/// default), which refuses them.
pub async fn resync(state: &AppState) {
    metrics::counter!("lossy_cluster_resyncs_total").increment(1);
    for user_id in state.notes.stream.watched_users() {
        match crate::notes::stream::log::last_seq(&state.db, user_id).await {
            Ok(through) => state.notes.stream.logged_elsewhere(user_id, through),
            Err(err) => {
                tracing::warn!(error = ?err, %user_id, "could not read a user's last note offset")
            }
        }
    }
    for user_id in state.settings.cached_users() {
        if let Err(err) = state.settings.reread(&state.db, user_id, None).await {
            tracing::warn!(error = ?err, %user_id, "could not re-read settings");
        }
    }
    state.features.changed.publish(FlagsChanged);
    state.notes.adjustments.forget_all_here();
}
