//! The note quality gate of PROTOCOL.md section 8, as a pure function of the note's confidence
//! and category, the user's settings and adjustments, and what the reviewer deleted in this
//! voice session.
//!
//! - A note below [`FLOOR`] is always suppressed.
//! - Otherwise the threshold is the user's `minConfidence` (default 0.3) plus any enabled
//!   adjustment learned for the user, platform and category.
//! - After [`DELETIONS_TO_RAISE`] deletions of one category within one voice session, that
//!   category's threshold for the rest of the session is `max(threshold + 0.1, 0.4)`. The count
//!   lives in [`SessionFeedback`], which ends with its session: the next session starts afresh.

use std::collections::BTreeMap;

use super::structurer::Category;

/// Below this confidence a note is always suppressed.
pub const FLOOR: f64 = 0.25;
/// Deletions of one category within a session that raise its threshold.
pub const DELETIONS_TO_RAISE: u32 = 5;
/// How much a raise adds to the threshold...
pub const RAISE_BY: f64 = 0.1;
/// ...with at least this as the result.
pub const RAISED_AT_LEAST: f64 = 0.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "QualityDecision", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Decision {
    Kept,
    Suppressed,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Kept => "kept",
            Decision::Suppressed => "suppressed",
        }
    }

    pub fn parse(stored: &str) -> Option<Decision> {
        [Decision::Kept, Decision::Suppressed]
            .into_iter()
            .find(|d| d.as_str() == stored)
    }
}

/// Why the gate decided as it did; stored with the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    AboveThreshold,
    BelowFloor,
    BelowThreshold,
    /// Below the threshold this session raised after deletions of the category.
    BelowRaisedThreshold,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::AboveThreshold => "above_threshold",
            Reason::BelowFloor => "below_floor",
            Reason::BelowThreshold => "below_threshold",
            Reason::BelowRaisedThreshold => "below_session_threshold",
        }
    }
}

/// The gate's answer for one note.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub decision: Decision,
    /// The threshold the note was held to.
    pub threshold: f64,
    pub reason: Reason,
}

/// The reviewer's deletions in one voice session, by category.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionFeedback {
    deletions: BTreeMap<Category, u32>,
}

impl SessionFeedback {
    /// Counts a deletion; answers true when it is the one that raises the category.
    pub fn deleted(&mut self, category: Category) -> bool {
        let count = self.deletions.entry(category).or_default();
        *count += 1;
        *count == DELETIONS_TO_RAISE
    }

    /// A restore takes its deletion back.
    pub fn restored(&mut self, category: Category) {
        if let Some(count) = self.deletions.get_mut(&category) {
            *count = count.saturating_sub(1);
        }
    }

    pub fn is_raised(&self, category: Category) -> bool {
        self.deletions.get(&category).copied().unwrap_or(0) >= DELETIONS_TO_RAISE
    }
}

/// The threshold for `category`: the user's base plus their enabled adjustment (kept within
/// 0..=1), raised when this session's deletions say so.
///
/// A raise is `max(base + 0.1, 0.4)` as PROTOCOL.md section 8 says, and never lowers an
/// adjusted threshold. It does not stack on the adjustment: the raise itself teaches the
/// user's adjustment, which would otherwise compound within the session that taught it.
pub fn threshold(base: f64, adjustment: f64, raised: bool) -> f64 {
    let adjusted = (base + adjustment).clamp(0.0, 1.0);
    if raised {
        adjusted.max((base + RAISE_BY).clamp(RAISED_AT_LEAST, 1.0))
    } else {
        adjusted
    }
}

/// Decides whether a note of `category` with `confidence` is shown.
pub fn decide(
    confidence: f64,
    category: Category,
    base: f64,
    adjustment: f64,
    session: &SessionFeedback,
) -> Verdict {
    let raised = session.is_raised(category);
    let held_to = threshold(base, adjustment, raised);
    let (decision, reason) = if confidence < FLOOR {
        (Decision::Suppressed, Reason::BelowFloor)
    } else if confidence < held_to {
        let reason = if raised && confidence >= threshold(base, adjustment, false) {
            Reason::BelowRaisedThreshold
        } else {
            Reason::BelowThreshold
        };
        (Decision::Suppressed, reason)
    } else {
        (Decision::Kept, Reason::AboveThreshold)
    };
    Verdict {
        decision,
        threshold: held_to,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: f64 = 0.3;

    fn verdict(confidence: f64, session: &SessionFeedback) -> Verdict {
        decide(confidence, Category::Audio, BASE, 0.0, session)
    }

    #[test]
    fn the_floor_suppresses_whatever_the_settings_say() {
        let fresh = SessionFeedback::default();
        let low = decide(0.24, Category::Audio, 0.0, 0.0, &fresh);
        assert_eq!(low.decision, Decision::Suppressed);
        assert_eq!(low.reason, Reason::BelowFloor);
        assert_eq!(
            decide(0.25, Category::Audio, 0.0, 0.0, &fresh).decision,
            Decision::Kept
        );
    }

    #[test]
    fn the_base_threshold_comes_from_the_users_setting() {
        let fresh = SessionFeedback::default();
        assert_eq!(verdict(0.3, &fresh).decision, Decision::Kept);
        let below = verdict(0.29, &fresh);
        assert_eq!(
            (below.decision, below.reason, below.threshold),
            (Decision::Suppressed, Reason::BelowThreshold, 0.3)
        );
        let strict = decide(0.6, Category::Audio, 0.7, 0.0, &fresh);
        assert_eq!(strict.decision, Decision::Suppressed);
        assert_eq!(strict.threshold, 0.7);
    }

    #[test]
    fn five_deletions_of_a_category_raise_only_that_category_for_the_session() {
        let mut session = SessionFeedback::default();
        for n in 1..DELETIONS_TO_RAISE {
            assert!(!session.deleted(Category::Audio), "deletion {n}");
            assert_eq!(verdict(0.35, &session).decision, Decision::Kept);
        }
        assert!(session.deleted(Category::Audio));
        // max(0.3 + 0.1, 0.4) = 0.4
        let raised = verdict(0.35, &session);
        assert_eq!(raised.decision, Decision::Suppressed);
        assert_eq!(raised.reason, Reason::BelowRaisedThreshold);
        assert!((raised.threshold - 0.4).abs() < 1e-9);
        assert_eq!(verdict(0.4, &session).decision, Decision::Kept);
        // Other categories keep the base.
        let pacing = decide(0.35, Category::Pacing, BASE, 0.0, &session);
        assert_eq!(pacing.decision, Decision::Kept);
        // A sixth deletion does not raise again.
        assert!(!session.deleted(Category::Audio));
        assert!((verdict(0.45, &session).threshold - 0.4).abs() < 1e-9);
    }

    #[test]
    fn a_raise_adds_a_tenth_to_a_high_base() {
        let mut session = SessionFeedback::default();
        for _ in 0..DELETIONS_TO_RAISE {
            session.deleted(Category::Color);
        }
        let verdict = decide(0.65, Category::Color, 0.6, 0.0, &session);
        assert!((verdict.threshold - 0.7).abs() < 1e-9);
        assert_eq!(verdict.decision, Decision::Suppressed);
    }

    #[test]
    fn a_new_session_starts_without_the_raise_and_restores_take_deletions_back() {
        let mut session = SessionFeedback::default();
        for _ in 0..DELETIONS_TO_RAISE {
            session.deleted(Category::Audio);
        }
        assert!(session.is_raised(Category::Audio));
        session.restored(Category::Audio);
        assert!(!session.is_raised(Category::Audio));

        let next = SessionFeedback::default();
        assert_eq!(verdict(0.35, &next).decision, Decision::Kept);
    }

    #[test]
    fn adjustments_move_the_threshold_within_bounds() {
        let fresh = SessionFeedback::default();
        assert!((threshold(0.3, 0.15, false) - 0.45).abs() < 1e-9);
        assert_eq!(threshold(0.95, 0.2, false), 1.0);
        assert_eq!(threshold(0.1, -0.5, false), 0.0);
        assert_eq!(threshold(0.95, 0.0, true), 1.0);
        // Raised: at least the protocol's raise, at least the adjusted threshold.
        assert!((threshold(0.3, 0.05, true) - 0.4).abs() < 1e-9);
        assert!((threshold(0.3, 0.15, true) - 0.45).abs() < 1e-9);
        assert!((threshold(0.3, -0.1, true) - 0.4).abs() < 1e-9);
        let adjusted = decide(0.4, Category::Audio, BASE, 0.15, &fresh);
        assert_eq!(adjusted.decision, Decision::Suppressed);
    }
}
