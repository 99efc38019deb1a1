//! Choosing a note's category by weighing the cues of every [`Lexicon`] found in its words.
//!
//! A category's score is the sum of the weights of its cues present in the note, each cue
//! counted once: [`STRONG_CUE`] or [`WEAK_CUE`], plus [`PER_EXTRA_WORD`] for each word of a
//! phrase beyond the first, since "jump cut" says more than "cut". The highest score wins;
//! equal scores go to the category listed first in [`LEXICONS`]; no cue at all is General.

use crate::notes::structurer::Category;

use super::lexicon::{LEXICONS, Lexicon};
use super::words::{Words, pattern_len};

pub(super) const STRONG_CUE: f64 = 2.0;
pub(super) const WEAK_CUE: f64 = 1.0;
pub(super) const PER_EXTRA_WORD: f64 = 1.0;

/// The category chosen for a note and how much evidence chose it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Classification {
    pub(super) category: Category,
    /// The winning category's score; 0 when no cue was found and the note fell back to General.
    pub(super) score: f64,
}

pub(super) fn classify(words: &Words) -> Classification {
    let fallback = Classification {
        category: Category::General,
        score: 0.0,
    };
    LEXICONS
        .iter()
        .map(|lexicon| Classification {
            category: lexicon.category,
            score: score(lexicon, words),
        })
        // Strictly greater, so that a tie keeps the category listed first.
        .fold(fallback, |best, candidate| {
            if candidate.score > best.score {
                candidate
            } else {
                best
            }
        })
}

fn score(lexicon: &Lexicon, words: &Words) -> f64 {
    let tier = |cues: &[&str], weight: f64| -> f64 {
        cues.iter()
            .filter(|cue| words.contain(cue))
            .map(|cue| cue_weight(cue, weight))
            .sum()
    };
    tier(lexicon.strong, STRONG_CUE) + tier(lexicon.weak, WEAK_CUE)
}

fn cue_weight(cue: &str, tier_weight: f64) -> f64 {
    let extra_words = pattern_len(cue).saturating_sub(1);
    tier_weight + PER_EXTRA_WORD * extra_words as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category_of(text: &str) -> Category {
        classify(&Words::of(text)).category
    }

    #[test]
    fn every_category_is_recognised_from_its_own_vocabulary() {
        let examples = [
            ("The middle section drags, tighten it up", Category::Pacing),
            ("That jump cut is jarring", Category::Editing),
            ("The music drowns out her voice", Category::Audio),
            ("Skin tones look too orange in the grade", Category::Color),
            ("He's out of focus and the framing is off", Category::Visual),
            ("There's a typo in the lower third", Category::Graphics),
            (
                "That date is wrong, fact check the claim",
                Category::Content,
            ),
            (
                "Overall great work, send me the next version",
                Category::General,
            ),
        ];
        for (text, expected) in examples {
            assert_eq!(category_of(text), expected, "{text:?}");
        }
    }

    #[test]
    fn without_any_cue_a_note_is_general_with_no_score() {
        let classification = classify(&Words::of("Hmm, okay then"));
        assert_eq!(classification.category, Category::General);
        assert_eq!(classification.score, 0.0);
    }

    #[test]
    fn a_phrase_outweighs_a_word_it_contains() {
        assert_eq!(category_of("Cut it down"), Category::Pacing);
        assert_eq!(category_of("Cut to the wide"), Category::Editing);
        assert_eq!(category_of("The slow motion shot"), Category::Editing);
    }

    #[test]
    fn a_specific_cue_outweighs_praise() {
        assert_eq!(category_of("Great music choice"), Category::Audio);
        assert_eq!(category_of("Love the colours here"), Category::Color);
    }

    #[test]
    fn ties_go_to_the_category_listed_first() {
        // "loud" (audio) and "logo" (graphics) are both strong cues.
        assert_eq!(category_of("loud logo"), Category::Audio);
    }

    #[test]
    fn cues_weigh_more_with_each_word() {
        assert_eq!(cue_weight("cut", STRONG_CUE), 2.0);
        assert_eq!(cue_weight("jump cut", STRONG_CUE), 3.0);
        assert_eq!(cue_weight("goes on too long", STRONG_CUE), 5.0);
        assert_eq!(cue_weight("hold", WEAK_CUE), 1.0);
    }
}
