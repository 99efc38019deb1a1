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
//!   whose every write logs and publishes its events on the [`stream`].
//! - [`graphql`] and its [`loaders`].

pub mod adjustments;
pub mod builtin;
pub mod checks;
pub mod feedback;
pub mod graphql;
pub mod listing;
pub mod llm;
pub mod loaders;
pub mod quality;
pub mod service;
pub mod status;
pub mod store;
pub mod stream;
pub mod structurer;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, NoCache};

use crate::cluster::Doorbell;
use crate::db::WriteLane;
use crate::db::batch::BatchWriter;
use crate::jobs::loaders::{PostingLoader, RefinementLoader};

/// The notes feature's in-memory state, shared by every request.
pub struct Notes {
    /// Where new notes are written, together with those handed over at the same moment.
    pub writer: BatchWriter<store::NoteInserts>,
    /// Deletions per live voice session, for the gate's per-session raise.
    pub feedback: feedback::FeedbackBook,
    /// Every user's note events, live and from the log.
    pub stream: Arc<stream::NoteStream>,
    /// Each user's threshold adjustments, for the gate.
    pub adjustments: adjustments::AdjustmentBook,
    /// Each note's refinement and latest posting (kept by the jobs), for `Note`.
    pub refinements: DataLoader<RefinementLoader, NoCache>,
    pub postings: DataLoader<PostingLoader, NoCache>,
}

impl Notes {
    /// Starts the note writer on `lane`; note events are kept for `retention`.
    /// Writes other nodes must know of ring `doorbell`.
    pub fn new(lane: WriteLane, retention: Duration, doorbell: Doorbell) -> Notes {
        let stream = Arc::new(stream::NoteStream::new(retention, doorbell.clone()));
        let db = lane.db.clone();
        Notes {
            writer: BatchWriter::start(
                lane,
                store::NoteInserts {
                    stream: stream.clone(),
                },
            ),
            feedback: Default::default(),
            stream,
            adjustments: adjustments::AdjustmentBook::new(doorbell),
            refinements: DataLoader::with_cache(
                RefinementLoader(db.clone()),
                tokio::spawn,
                NoCache,
            ),
            postings: DataLoader::with_cache(PostingLoader(db), tokio::spawn, NoCache),
        }
    }
}
