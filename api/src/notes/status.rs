//! A note's status (PROTOCOL.md section 6) and the moves a reviewer may make between them.
//!
//! The gate and the structurer set the first status: `ghost` for a kept note, `suppressed`
//! for one the gate hid, `cancelled` for an utterance taken back ("scratch that"); a note typed
//! by hand starts `firmed`. After that only the moves in [`NoteStatus::can_move_to`] are
//! allowed, so a view can rely on, say, a `posted` note never going back to `ghost`.

use async_graphql::Enum;

#[derive(
    Enum,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "snake_case")]
pub enum NoteStatus {
    /// New, not yet looked at.
    Ghost,
    /// Kept by the reviewer.
    Firmed,
    /// Dealt with.
    Resolved,
    /// Hidden by the quality gate; kept with its reason and shown on request.
    Suppressed,
    /// The reviewer took the utterance back.
    Cancelled,
    /// Waiting to be posted to the video's platform.
    Queued,
    Posting,
    Posted,
    Failed,
    /// Posting needs the reviewer (a login, a permission).
    NeedsIntervention,
}

impl NoteStatus {
    pub const ALL: [NoteStatus; 10] = [
        NoteStatus::Ghost,
        NoteStatus::Firmed,
        NoteStatus::Resolved,
        NoteStatus::Suppressed,
        NoteStatus::Cancelled,
        NoteStatus::Queued,
        NoteStatus::Posting,
        NoteStatus::Posted,
        NoteStatus::Failed,
        NoteStatus::NeedsIntervention,
    ];

    /// As stored (lower case, PROTOCOL.md section 6).
    pub fn as_str(self) -> &'static str {
        match self {
            NoteStatus::Ghost => "ghost",
            NoteStatus::Firmed => "firmed",
            NoteStatus::Resolved => "resolved",
            NoteStatus::Suppressed => "suppressed",
            NoteStatus::Cancelled => "cancelled",
            NoteStatus::Queued => "queued",
            NoteStatus::Posting => "posting",
            NoteStatus::Posted => "posted",
            NoteStatus::Failed => "failed",
            NoteStatus::NeedsIntervention => "needs_intervention",
        }
    }

    pub fn parse(stored: &str) -> Option<NoteStatus> {
        NoteStatus::ALL.into_iter().find(|s| s.as_str() == stored)
    }

    /// Whether lists show the note without being asked: suppressed and cancelled notes are
    /// kept (to count, reveal or restore) but hidden by default.
    pub fn is_shown_by_default(self) -> bool {
        !matches!(self, NoteStatus::Suppressed | NoteStatus::Cancelled)
    }

    /// Whether a reviewer (or a posting job) may move a note from `self` to `to`. Staying
    /// put is always allowed, so resending an update is harmless.
    pub fn can_move_to(self, to: NoteStatus) -> bool {
        use NoteStatus::*;
        self == to
            || matches!(
                (self, to),
                // Reviewing: keep it, deal with it, reopen it.
                (Ghost, Firmed | Resolved | Queued)
                    | (Firmed, Resolved | Queued)
                    | (Resolved, Firmed)
                    // Overruling the gate, or taking back a cancellation.
                    | (Suppressed | Cancelled, Ghost | Firmed)
                    // Posting: a job moves it along; failures can be retried or kept.
                    | (Queued, Posting | Firmed)
                    | (Posting, Posted | Failed | NeedsIntervention)
                    | (Failed | NeedsIntervention, Queued | Firmed)
                    | (Posted, Resolved)
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_by_stored_name() {
        for status in NoteStatus::ALL {
            assert_eq!(NoteStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(NoteStatus::parse("GHOST"), None);
    }

    #[test]
    fn the_gate_and_cancellation_are_not_reviewer_moves() {
        for from in NoteStatus::ALL {
            for to in [NoteStatus::Suppressed, NoteStatus::Cancelled] {
                assert_eq!(from.can_move_to(to), from == to, "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn posted_notes_do_not_go_back_to_review() {
        assert!(!NoteStatus::Posted.can_move_to(NoteStatus::Ghost));
        assert!(!NoteStatus::Posted.can_move_to(NoteStatus::Queued));
        assert!(NoteStatus::Posted.can_move_to(NoteStatus::Resolved));
        assert!(!NoteStatus::Ghost.can_move_to(NoteStatus::Posted));
        assert!(NoteStatus::Suppressed.can_move_to(NoteStatus::Firmed));
        assert!(NoteStatus::Resolved.can_move_to(NoteStatus::Firmed));
        assert!(!NoteStatus::Resolved.can_move_to(NoteStatus::Ghost));
    }

    #[test]
    fn only_suppressed_and_cancelled_are_hidden() {
        let hidden: Vec<_> = NoteStatus::ALL
            .into_iter()
            .filter(|s| !s.is_shown_by_default())
            .collect();
        assert_eq!(hidden, vec![NoteStatus::Suppressed, NoteStatus::Cancelled]);
    }
}
