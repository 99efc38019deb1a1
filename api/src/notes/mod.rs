//! Notes (PROTOCOL.md sections 6 and 8): what a reviewer said about a moment of a video,
//! structured, judged by the quality gate, stored and streamed.
//!
//! Read in this order:
//! - [`structurer`]: the `NoteStructurer` trait and the note categories; [`builtin`] (the
//!   deterministic, offline structurer) and [`llm`] (an OpenAI-compatible chat endpoint with
//!   the built-in one as fallback) implement it.
//! - [`quality`]: the quality gate, a pure decision per note; [`feedback`] keeps each live
//!   voice session's deletions for it, [`adjustments`] the thresholds it learned per user.
//! - [`status`], [`checks`], [`listing`]: the other pure rules (status moves, input limits,
//!   which notes a list shows and how they add up).
//! - [`service`]: the operations (submit, create, update, delete, restore) over [`store`],
//!   publishing through [`events`].
//! - [`graphql`] and its [`loaders`].

pub mod adjustments;
pub mod builtin;
pub mod checks;
pub mod events;
pub mod feedback;
pub mod graphql;
pub mod listing;
pub mod llm;
pub mod loaders;
pub mod quality;
pub mod service;
pub mod status;
pub mod store;
pub mod structurer;

use crate::db::WriteLane;
use crate::db::batch::BatchWriter;

/// The notes feature's in-memory state, shared by every request.
pub struct Notes {
    /// Where new notes are written, together with those handed over at the same moment.
    pub writer: BatchWriter<store::NoteInserts>,
    /// Deletions per live voice session, for the gate's per-session raise.
    pub feedback: feedback::FeedbackBook,
    /// Publishes each video's events in commit order.
    pub publisher: events::NotePublisher,
    /// Each user's threshold adjustments, for the gate.
    pub adjustments: adjustments::AdjustmentBook,
}

impl Notes {
    /// Starts the note writer on `lane`.
    pub fn new(lane: WriteLane) -> Notes {
        Notes {
            writer: BatchWriter::start(lane, store::NoteInserts),
            feedback: Default::default(),
            publisher: Default::default(),
            adjustments: Default::default(),
        }
    }
}
