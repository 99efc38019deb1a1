//! Publish/subscribe between features and to GraphQL subscribers, in process. Each feature
//! owns its topics (settings, flags, voice statuses, video context events, note events); this
//! module only knows how topics work.
//!
//! Each topic is a bounded broadcast channel, so a slow subscriber never slows publishers. One
//! that falls more than the channel's capacity behind misses events (counted in
//! `lossy_bus_lagged_total`). With `subscribe` it skips them, which suits topics whose every
//! event is a full current state (settings, flags): the next one makes it whole again. With
//! `subscribe_noting_misses` it is told, and makes itself whole: note streams read what they
//! missed from the event log, voice status streams send the current status.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

const CAPACITY: usize = 1024;

pub struct Topic<T> {
    name: &'static str,
    sender: broadcast::Sender<T>,
}

impl<T: Clone + Send + 'static> Topic<T> {
    pub fn new(name: &'static str) -> Self {
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
    pub fn new(name: &'static str) -> Self {
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
        lagged_skipped(self.name, self.receiver(key))
    }

    /// Like `subscribe`, but a subscriber that fell behind is told how many events it missed.
    pub fn subscribe_noting_misses(
        &self,
        key: K,
    ) -> impl Stream<Item = Delivery<T>> + Send + 'static + use<K, T> {
        let name = self.name;
        BroadcastStream::new(self.receiver(key)).map(move |item| match item {
            Ok(event) => Delivery::Event(event),
            Err(BroadcastStreamRecvError::Lagged(missed)) => {
                metrics::counter!("lossy_bus_lagged_total", "topic" => name).increment(missed);
                Delivery::Missed(missed)
            }
        })
    }

    /// The keys someone subscribes to now.
    pub fn keys(&self) -> Vec<K> {
        self.channels.lock().map_or_else(
            |_| Vec::new(),
            |channels| {
                channels
                    .iter()
                    .filter(|(_, sender)| sender.receiver_count() > 0)
                    .map(|(key, _)| *key)
                    .collect()
            },
        )
    }

    fn receiver(&self, key: K) -> broadcast::Receiver<T> {
        let receiver = self.channels.lock().ok().map(|mut channels| {
            channels
                .entry(key)
                .or_insert_with(|| broadcast::channel(KEYED_CAPACITY).0)
                .subscribe()
        });
        receiver.unwrap_or_else(|| broadcast::channel(1).1)
    }
}

/// What a subscriber that notes misses receives.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery<T> {
    Event(T),
    /// This many events went by while the subscriber was behind.
    Missed(u64),
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

/// Per-key channels are small: one key's events come from one user's activity, and a
/// subscriber that falls behind makes itself whole (see the module's comment). A broadcast
/// channel allocates every slot when it is made, so this is paid per user with a socket open
/// for each keyed topic: 256 slots cost 7 KiB a user, 64 cost under 2 KiB.
const KEYED_CAPACITY: usize = 64;

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
        assert_eq!(topic.keys(), vec![2]);
        assert_eq!(bob.take(1).collect::<Vec<_>>().await, vec![20]);
        assert!(topic.keys().is_empty());
        // Both subscribers are gone; publishing drops their channels.
        topic.publish(1, 12);
        topic.publish(2, 21);
        assert!(topic.channels.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_subscriber_noting_misses_is_told_how_many() {
        let topic = KeyedTopic::<u8, usize>::new("test");
        let stream = topic.subscribe_noting_misses(1);
        for i in 0..KEYED_CAPACITY + 3 {
            topic.publish(1, i);
        }
        let first: Vec<_> = stream.take(2).collect().await;
        assert_eq!(first, vec![Delivery::Missed(3), Delivery::Event(3)]);
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
