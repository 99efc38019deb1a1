//! How sure the built-in structurer is that a cleaned transcript is a clear, actionable note.
//!
//! ```text
//! confidence = heard × length × clarity
//!
//! heard   = the recognizer's confidence clamped to 0..=1, or 0.85 when it reports none
//! length  = 0 words: 0,  1 word: 0.4,  2 words: 0.6,  3 words: 0.8,  4 or more: 1
//! clarity = 0.5 + 0.3 × certainty + 0.2 × actionable
//!           certainty  = the classifier's margin: its probability for the chosen category
//!                        minus the runner-up's (0 when two fit equally, 1 when only one
//!                        does); 0 for a General note, which names no part of the video
//!                        however sure the classifier is that it is General
//!           actionable = 1 when the note asks for something ("should", "needs", "too ...",
//!                        "can we", a comparative, an opening imperative), else 0
//! ```
//!
//! Each factor is in 0..=1 and never decreases as what it measures grows, so neither does the
//! product. A product because any one doubt should be enough: what the recognizer misheard, what
//! is a single word, or what could be about two things cannot become a confident note however
//! clear its wording. With the recognizer at 0.9, a clear request lands near 0.9, a clear
//! observation ("the music is loud") near 0.72, and "um okay" (cleaned to "Okay") at 0.18,
//! below the default 0.3 quality gate. On notes the classifier gets wrong the margin is small
//! (half of them below 0.25, against 0.9 for those it gets right, in cross-validation on the
//! training corpus), so a doubtful category also lowers the confidence.

use crate::notes::structurer::Category;

use super::classify::Classification;
use super::words::Words;

/// What to assume of a recognizer that reports no confidence: most of what browsers hear is
/// right, and such a note should still be kept when it is clear.
pub(super) const UNREPORTED_RECOGNIZER_CONFIDENCE: f64 = 0.85;

/// The length factor by word count, from 0 words up; longer notes get the last one.
const LENGTH_FACTORS: [f64; 5] = [0.0, 0.4, 0.6, 0.8, 1.0];

const BASE_CLARITY: f64 = 0.5;
const CERTAINTY_CLARITY: f64 = 0.3;
const ACTIONABLE_CLARITY: f64 = 0.2;

/// Words and phrases with which reviewers ask for a change, anywhere in a note.
#[rustfmt::skip]
const REQUEST_CUES: &[&str] = &[
    "should", "shouldn't", "need", "needs", "needed", "has to", "have to", "must", "can we",
    "could we", "can you", "could you", "would you", "let's", "lets", "please", "try", "maybe",
    "i want", "i'd like", "would like", "what if", "how about", "too", "not enough", "a bit",
    "a little", "more", "less", "instead", "wrong", "missing", "fix",
];

/// Comparatives ask for a change on their own ("louder", "a touch warmer").
#[rustfmt::skip]
const COMPARATIVES: &[&str] = &[
    "louder", "quieter", "softer", "brighter", "darker", "warmer", "cooler", "shorter", "longer",
    "bigger", "smaller", "larger", "faster", "slower", "tighter", "earlier", "later", "sooner",
    "higher", "lower", "wider", "closer", "sharper", "punchier", "snappier",
];

/// Verbs that, opening a note, make it an instruction ("trim the intro", "make it pop").
#[rustfmt::skip]
const IMPERATIVES: &[&str] = &[
    "make", "cut", "trim", "move", "add", "remove", "lower", "raise", "boost", "bring", "pull",
    "push", "drop", "lose", "kill", "fix", "change", "tighten", "shorten", "extend", "swap",
    "replace", "use", "try", "fade", "hold", "speed", "slow", "keep", "take", "put", "check",
    "crop", "reframe", "grade", "brighten", "darken", "warm", "cool", "mute", "duck", "delete",
    "get", "give", "start", "end", "open", "reorder", "flip", "stabilise", "stabilize", "sharpen",
    "correct", "spell", "rename", "center", "centre", "align", "zoom", "punch", "shift", "nudge",
    "turn", "clean", "balance", "match", "fill", "reduce", "increase", "level", "desaturate",
    "saturate", "adjust", "tweak", "redo", "reshoot", "rewrite",
];

/// Words said before getting to the point ("so", "okay", "and then").
#[rustfmt::skip]
const LEAD_INS: &[&str] = &[
    "so", "okay", "ok", "and", "then", "also", "just", "maybe", "please", "now", "actually",
    "alright", "right", "yeah", "hey", "oh", "well", "here", "again", "but",
];

/// The confidence of a cleaned, non-empty note; see the module documentation.
pub(super) fn confidence(
    recognizer: Option<f64>,
    words: &Words,
    classification: &Classification,
) -> f64 {
    heard(recognizer) * length(words.len()) * clarity(words, classification)
}

fn heard(recognizer: Option<f64>) -> f64 {
    recognizer
        .filter(|confidence| confidence.is_finite())
        .map_or(UNREPORTED_RECOGNIZER_CONFIDENCE, |confidence| {
            confidence.clamp(0.0, 1.0)
        })
}

fn length(word_count: usize) -> f64 {
    let last = LENGTH_FACTORS.len() - 1;
    LENGTH_FACTORS[word_count.min(last)]
}

fn clarity(words: &Words, classification: &Classification) -> f64 {
    let actionable = if is_actionable(words) { 1.0 } else { 0.0 };
    BASE_CLARITY + CERTAINTY_CLARITY * certainty(classification) + ACTIONABLE_CLARITY * actionable
}

/// How surely the note is about one part of the video: the classifier's margin, or 0 for a
/// General note.
fn certainty(classification: &Classification) -> f64 {
    let margin = classification.margin;
    if classification.category == Category::General || margin.is_nan() {
        0.0
    } else {
        margin.clamp(0.0, 1.0)
    }
}

/// Whether the note asks for something rather than only describing.
fn is_actionable(words: &Words) -> bool {
    let asks = |cues: &[&str]| cues.iter().any(|cue| words.contain(cue));
    asks(REQUEST_CUES) || asks(COMPARATIVES) || opens_with_imperative(words)
}

fn opens_with_imperative(words: &Words) -> bool {
    let first_meant = (0..words.len())
        .filter_map(|at| words.get(at))
        .find(|word| !LEAD_INS.contains(word));
    first_meant.is_some_and(|word| IMPERATIVES.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::builtin::words::is_well_formed;

    /// A classification of `category` with the given margin (the probability does not count).
    fn classified(category: Category, margin: f64) -> Classification {
        Classification {
            category,
            probability: margin,
            margin,
        }
    }

    fn note_confidence(recognizer: Option<f64>, text: &str, margin: f64) -> f64 {
        let classification = classified(Category::Audio, margin);
        confidence(recognizer, &Words::of(text), &classification)
    }

    #[test]
    fn a_clear_request_keeps_the_recognizer_confidence() {
        let confidence = note_confidence(Some(0.9), "The music is too loud here", 1.0);
        assert!((confidence - 0.9).abs() < 1e-9, "{confidence}");
    }

    #[test]
    fn a_clear_observation_lands_a_little_lower() {
        let confidence = note_confidence(Some(0.9), "The music in this part is loud", 1.0);
        assert!((confidence - 0.72).abs() < 1e-9, "{confidence}");
    }

    #[test]
    fn a_doubtful_category_lowers_the_confidence() {
        let text = "The music in this part is loud";
        let by_margin: Vec<f64> = [0.0, 0.25, 0.5, 0.9, 1.0]
            .into_iter()
            .map(|margin| note_confidence(Some(0.9), text, margin))
            .collect();
        assert!(by_margin.is_sorted(), "{by_margin:?}");
        assert!((by_margin[0] - 0.45).abs() < 1e-9, "{by_margin:?}");
        assert!(by_margin[0] < by_margin[4] - 0.25, "{by_margin:?}");
    }

    #[test]
    fn a_general_note_gets_no_credit_for_its_category() {
        let text = "Great work everyone on this version";
        let words = Words::of(text);
        let general = confidence(Some(0.9), &words, &classified(Category::General, 1.0));
        let unsure = confidence(Some(0.9), &words, &classified(Category::Audio, 0.0));
        assert_eq!(general, unsure);
        assert!((general - 0.45).abs() < 1e-9, "{general}");
    }

    #[test]
    fn a_vague_remark_scores_lower_than_a_clear_request() {
        let vague = confidence(
            Some(0.9),
            &Words::of("Okay"),
            &classified(Category::General, 0.6),
        );
        let clear = note_confidence(Some(0.9), "Can we bring the music down", 0.95);
        assert!(vague < 0.3 && clear > 0.85, "{vague} {clear}");
    }

    #[test]
    fn odd_margins_are_clamped_or_ignored() {
        let text = "The music is too loud here";
        assert_eq!(
            note_confidence(Some(0.9), text, 1.5),
            note_confidence(Some(0.9), text, 1.0)
        );
        assert_eq!(
            note_confidence(Some(0.9), text, -0.5),
            note_confidence(Some(0.9), text, 0.0)
        );
        assert_eq!(
            note_confidence(Some(0.9), text, f64::NAN),
            note_confidence(Some(0.9), text, 0.0)
        );
    }

    #[test]
    fn every_cue_can_match() {
        for cue in [REQUEST_CUES, COMPARATIVES, IMPERATIVES, LEAD_INS].concat() {
            assert!(is_well_formed(cue), "{cue:?}");
        }
    }

    #[test]
    fn recognises_requests() {
        for request in [
            "Can we make it louder",
            "The logo needs to be bigger",
            "So trim the first two seconds",
            "A touch warmer",
            "Too much headroom",
        ] {
            assert!(is_actionable(&Words::of(request)), "{request:?}");
        }
        for observation in ["The music is loud", "Okay", "I love this part"] {
            assert!(!is_actionable(&Words::of(observation)), "{observation:?}");
        }
    }

    #[test]
    fn short_notes_weigh_less() {
        let by_length: Vec<f64> = [
            "Louder",
            "Much louder",
            "Music much louder",
            "Music much louder please",
        ]
        .into_iter()
        .map(|text| note_confidence(Some(0.9), text, 1.0))
        .collect();
        assert!(by_length.is_sorted(), "{by_length:?}");
        assert!(by_length[0] < 0.5 && by_length[3] > 0.85, "{by_length:?}");
    }

    #[test]
    fn the_recognizer_confidence_carries_through() {
        let text = "The music is too loud here";
        let doubted = note_confidence(Some(0.5), text, 1.0);
        let trusted = note_confidence(Some(0.95), text, 1.0);
        let unreported = note_confidence(None, text, 1.0);
        assert!(doubted <= 0.5 && doubted < unreported && unreported < trusted);
    }

    #[test]
    fn odd_recognizer_confidences_are_clamped_or_ignored() {
        let text = "The music is too loud here";
        assert_eq!(note_confidence(Some(1.7), text, 1.0), 1.0);
        assert_eq!(note_confidence(Some(-0.2), text, 1.0), 0.0);
        assert_eq!(
            note_confidence(Some(f64::NAN), text, 1.0),
            note_confidence(None, text, 1.0)
        );
    }
}
