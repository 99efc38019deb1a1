//! The video context of PROTOCOL.md section 7: per user, which of their videos they review and
//! which tab owns the voice capture. The last active tab wins; the owner keeps the context
//! while its lease holds.
//!
//! Read in this order: [`ownership`] (the pure rules: claim, release, lapse, a deleted video,
//! and the events each sends), [`lease`] (the live leases, in memory), [`store`] (the rows),
//! [`registry`] (the shell that applies a rule, writes, publishes, and lapses leases in the
//! background), [`graphql`].
//!
//! # Events
//!
//! Every event goes to every socket of the user that subscribed to `videoContextEvents`, and
//! to nobody else. Each carries the context after the change (`version` bumped by one).
//!
//! | What happened | Events |
//! | --- | --- |
//! | A tab claims a context nobody owns | `CONTEXT_UPDATED` |
//! | A tab claims a context another tab owns | `CONTEXT_TAKEN`, then `CONTEXT_UPDATED`; both name the new owner, so the previous one knows it is read-only |
//! | The owner tab claims again with another video, page URL or voice session | `CONTEXT_UPDATED` |
//! | The owner tab claims again with nothing changed | none; the lease is renewed |
//! | The owner tab releases | `CONTEXT_AVAILABLE` (no owner, same video) |
//! | Another tab releases | none; nothing changes |
//! | The owner's lease lapses | `CONTEXT_AVAILABLE` |
//! | The context's video is deleted | `CONTEXT_CLEARED`, with no context |
//!
//! # Leases and voice sessions
//!
//! A claim gives the tab a lease of `LOSSY_CONTEXT_LEASE_MS` (15 s). Every `voiceEvent` the
//! owner's linked voice session takes (applied or ignored) renews it, in memory only; a claim
//! by the owner renews it too. A lapsed lease stays lapsed: the next sign of life does not
//! revive it, the tab claims again. `startVoiceSession` with a video claims the context for its
//! tab and links the new session; every claim ends the user's voice sessions on other tabs
//! once their utterance in flight has been submitted (`context_moved`).

pub mod graphql;
pub mod lease;
pub mod ownership;
pub mod registry;
pub mod store;

pub use ownership::Tab;
pub use registry::{ContextEvent, VideoContexts};
