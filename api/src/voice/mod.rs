//! The voice session of PROTOCOL.md section 5: one listening period of one device on one tab,
//! whose state the server alone decides.
//!
//! - [`machine`]: the pure state machine (states, events, timers, commands). Start here.
//! - [`session`]: the task that runs one live session: persist each step, then publish it.
//! - [`registry`]: the live sessions, their supervisor, and recovery at start-up.
//! - [`service`]: what notes, the video context and sockets ask of sessions; their only way in.
//! - [`status`]: the `voiceStatus` stream, which starts from the current statuses.
//! - [`store`]: the `voice_sessions` rows with their snapshots, and the transition log.
//! - [`writer`]: one writer that commits concurrent sessions' steps together.
//! - [`clock`]: milliseconds for the machine from tokio's clock.
//! - [`graphql`]: the mutations, queries and the `voiceStatus` subscription.
//! - [`live`]: the live sessions' board for the admin console; [`live_graphql`] serves it as
//!   `liveSessions` and `liveSessionsChanged`.

pub mod clock;
pub mod graphql;
pub mod live;
pub mod live_graphql;
pub mod machine;
pub mod registry;
pub mod service;
pub mod session;
pub mod status;
pub mod store;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod timers;
pub mod writer;
