//! Publish/subscribe between features and to GraphQL subscribers, in process.
//!
//! Each topic is a bounded broadcast channel. A subscriber that falls more than the channel's
//! capacity behind skips what it missed (counted in `lossy_bus_lagged_total`) rather than
//! slowing publishers: every event carried here is a full current state (settings, flags), so
//! the next event a slow subscriber does receive makes it whole again.

use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use uuid::Uuid;

use crate::settings::UserSettings;
use crate::voice::session::VoiceStatus;

const CAPACITY: usize = 1024;

pub struct Topic<T> {
    name: &'static str,
    sender: broadcast::Sender<T>,
}

impl<T: Clone + Send + 'static> Topic<T> {
    fn new(name: &'static str) -> Self {
        Topic {
            name,
            sender: broadcast::channel(CAPACITY).0,
        }
    }

    /// Delivers to every current subscriber; having none is fine.
    pub fn publish(&self, event: T) {
        let _ = self.sender.send(event);
    }

    /// Subscribes now: every event published after this call is seen.
    pub fn subscribe(&self) -> impl Stream<Item = T> + Send + 'static + use<T> {
        let name = self.name;
        BroadcastStream::new(self.sender.subscribe()).filter_map(move |item| async move {
            match item {
                Ok(event) => Some(event),
                Err(BroadcastStreamRecvError::Lagged(missed)) => {
                    metrics::counter!("lossy_bus_lagged_total", "topic" => name).increment(missed);
                    tracing::warn!(topic = name, missed, "slow subscriber skipped events");
                    None
                }
            }
        })
    }
}

/// A user's settings were written; carries the new settings.
#[derive(Debug, Clone)]
pub struct SettingsChanged {
    pub user_id: Uuid,
    pub settings: Arc<UserSettings>,
}

/// Some flag or override changed; subscribers re-evaluate for their user.
#[derive(Debug, Clone)]
pub struct FlagsChanged;

pub struct Bus {
    pub settings_changed: Topic<SettingsChanged>,
    pub flags_changed: Topic<FlagsChanged>,
    /// A device was revoked; its open sockets close.
    pub device_revoked: Topic<Uuid>,
    /// A voice session's status or command (`voiceStatus`).
    pub voice_status: Topic<VoiceStatus>,
}

impl Default for Bus {
    fn default() -> Self {
        Bus {
            settings_changed: Topic::new("settings_changed"),
            flags_changed: Topic::new("flags_changed"),
            device_revoked: Topic::new("device_revoked"),
            voice_status: Topic::new("voice_status"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_see_events_published_after_subscribing() {
        let topic = Topic::<u32>::new("test");
        topic.publish(1);
        let stream = topic.subscribe();
        topic.publish(2);
        topic.publish(3);
        let seen: Vec<u32> = stream.take(2).collect().await;
        assert_eq!(seen, vec![2, 3]);
    }

    #[tokio::test]
    async fn a_lagging_subscriber_skips_and_continues() {
        let topic = Topic::<usize>::new("test");
        let stream = topic.subscribe();
        for i in 0..CAPACITY + 10 {
            topic.publish(i);
        }
        let first: Vec<usize> = stream.take(1).collect().await;
        assert_eq!(first, vec![10]);
    }
}
