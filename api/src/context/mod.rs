//! The video context of PROTOCOL.md section 7: per user, which of their videos they review and
//! which tab owns the voice capture. The last active tab wins; the owner keeps the context
//! while its lease holds.
//!
//! Read in this order: [`ownership`] (the pure rules: claim, release, lapse, a deleted video,
//! and the events each sends), [`lease`] (the live leases, in memory), [`store`] (the rows),
//! [`registry`] (the shell that applies a rule, writes, publishes, and lapses leases in the
//! background), [`graphql`].
//!
//! Which events each change sends, the leases and the switch rule are written down once, for
//! client authors, in docs/video-context.md; the rules' own docs say the same per function.
//! In short: ownership changes are written (guarded by `version`) and published on
//! `VideoContexts::events` to every socket of the user; lease renewals by the linked voice
//! session's accepted events stay in memory; a claim ends the user's voice sessions on other
//! tabs once their utterance in flight has been submitted.

pub mod graphql;
pub mod lease;
pub mod ownership;
pub mod registry;
pub mod store;

pub use ownership::Tab;
pub use registry::{ContextEvent, VideoContexts};
