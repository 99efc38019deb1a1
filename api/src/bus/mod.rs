//! Publish/subscribe between features and to GraphQL subscribers, in process.
//!
//! Each topic is a bounded broadcast channel. A subscriber that falls more than the channel's
//! capacity behind skips what it missed (counted in `lossy_bus_lagged_total`) rather than
//! slowing publishers: every event carried here is a full current state (settings, flags), so
//! the next event a slow subscriber does receive makes it whole again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use uuid::Uuid;

use crate::context::ContextEvent;
use crate::notes::events::NoteEvent;
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
        lagged_skipped(self.name, self.sender.subscribe())
    }
}

/// A topic split by key (a user): publishing reaches only that key's subscribers, so work per
/// event does not grow with the number of subscribers of other keys. Channels are made on
/// first subscription and dropped once nobody listens.
pub struct KeyedTopic<K, T> {
    name: &'static str,
    channels: Mutex<HashMap<K, broadcast::Sender<T>>>,
}

impl<K: Eq + Hash + Copy, T: Clone + Send + 'static> KeyedTopic<K, T> {
    fn new(name: &'static str) -> Self {
        KeyedTopic {
            name,
            channels: Mutex::new(HashMap::new()),
        }
    }

    /// Delivers to the key's current subscribers; having none is fine.
    pub fn publish(&self, key: K, event: T) {
        let Ok(mut channels) = self.channels.lock() else {
            return;
        };
        if let Some(sender) = channels.get(&key) {
            if sender.receiver_count() == 0 {
                channels.remove(&key);
            } else {
                let _ = sender.send(event);
            }
        }
    }

    /// Subscribes to one key now: every event published for it after this call is seen. The
    /// receiver is made under the lock, so `publish` cannot drop the channel in between.
    pub fn subscribe(&self, key: K) -> impl Stream<Item = T> + Send + 'static + use<K, T> {
        let receiver = self.channels.lock().ok().map(|mut channels| {
            channels
                .entry(key)
                .or_insert_with(|| broadcast::channel(KEYED_CAPACITY).0)
                .subscribe()
        });
        let receiver = receiver.unwrap_or_else(|| broadcast::channel(1).1);
        lagged_skipped(self.name, receiver)
    }
}

/// A receiver as a stream that skips (and counts) what a slow subscriber missed.
fn lagged_skipped<T: Clone + Send + 'static>(
    name: &'static str,
    receiver: broadcast::Receiver<T>,
) -> impl Stream<Item = T> + Send + 'static + use<T> {
    BroadcastStream::new(receiver).filter_map(move |item| async move {
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

/// Per-key channels are small: one key's events come from one user's activity.
const KEYED_CAPACITY: usize = 256;

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
    /// A voice session's status or command (`voiceStatus`), by user.
    pub voice_status: KeyedTopic<Uuid, VoiceStatus>,
    /// Changes to a user's notes (`noteEvents`), by user.
    pub note_events: KeyedTopic<Uuid, NoteEvent>,
    /// A change of a user's video context (`videoContextEvents`), by user.
    pub video_context: KeyedTopic<Uuid, ContextEvent>,
}

impl Default for Bus {
    fn default() -> Self {
        Bus {
            settings_changed: Topic::new("settings_changed"),
            flags_changed: Topic::new("flags_changed"),
            device_revoked: Topic::new("device_revoked"),
            voice_status: KeyedTopic::new("voice_status"),
            note_events: KeyedTopic::new("note_events"),
            video_context: KeyedTopic::new("video_context"),
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
    async fn keyed_topics_deliver_only_to_their_key_and_forget_idle_keys() {
        let topic = KeyedTopic::<u8, u32>::new("test");
        let alice = topic.subscribe(1);
        let bob = topic.subscribe(2);
        topic.publish(1, 10);
        topic.publish(2, 20);
        topic.publish(1, 11);
        assert_eq!(alice.take(2).collect::<Vec<_>>().await, vec![10, 11]);
        assert_eq!(bob.take(1).collect::<Vec<_>>().await, vec![20]);
        // Both subscribers are gone; publishing drops their channels.
        topic.publish(1, 12);
        topic.publish(2, 21);
        assert!(topic.channels.lock().unwrap().is_empty());
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
