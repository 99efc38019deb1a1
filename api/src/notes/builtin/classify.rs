//! Choosing a note's category with the classifier that api/classifier/train.py learns from
//! the labelled corpus (api/classifier/train.tsv) and writes to [`super::model`].
//!
//! The classifier reads the transcript as the recogniser wrote it: its words lower-cased, runs
//! of letters, digits and apostrophes as [`Words`](super::words::Words) splits them, with the
//! hesitations the cleaning drops ("um", "uhh") left out and every number written in digits
//! read as `#`. Each word gives three kinds of features, each counted once per transcript:
//!
//! - `w:` the word ("w:music");
//! - `p:` the word with the one before it, or `^` at the start ("p:too loud", "p:^ make");
//! - `t:` each run of three letters of the word between `<` and `>` ("t:<mu", "t:usi"), so
//!   that a misheard or unseen form ("colours", "stabilised") still shares most of its
//!   evidence.
//!
//! A category's score is its bias plus the weights of the features the model knows; the scores
//! become probabilities with a softmax. train.py computes the same features (its `words` and
//! `features`); the `PARITY` texts it writes into the model check that both agree.

use crate::notes::structurer::Category;

use super::clean::is_hesitation;
use super::model::{BIAS, CATEGORIES, SCALE, WEIGHTS};
use super::words::{is_apostrophe, key_of};

/// How many categories the model scores: all of them.
const COUNT: usize = CATEGORIES.len();

/// The word a number written in digits is read as.
const NUMBER: &str = "#";

/// What stands before the first word in a word pair.
const START: &str = "^";

/// The category chosen for a note and how sure the model is of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Classification {
    pub(super) category: Category,
    /// The chosen category's probability.
    pub(super) probability: f64,
    /// The chosen category's probability minus the runner-up's: near 0 when two categories
    /// fit the words equally well, near 1 when only one does.
    pub(super) margin: f64,
}

pub(super) fn classify(transcript: &str) -> Classification {
    let (scores, knows_a_word) = scores(transcript);
    if !knows_a_word {
        // Not one word the corpus has: letter triples alone would guess from the spelling of
        // words nobody said to it ("zxqv blorf"), so the note is General with no margin, which
        // the confidence rules read as a vague remark.
        return Classification {
            category: Category::General,
            probability: 1.0 / COUNT as f64,
            margin: 0.0,
        };
    }
    let top = scores.iter().copied().max().unwrap_or_default();
    let exps = scores.map(|score| (f64::from(score - top) / SCALE).exp());
    let total: f64 = exps.iter().sum();
    let probabilities = exps.map(|e| e / total);

    // The first of equal scores wins, so a tie is settled the same way every time.
    let mut ranked: [usize; COUNT] = std::array::from_fn(|i| i);
    ranked.sort_by(|&a, &b| {
        probabilities[b]
            .total_cmp(&probabilities[a])
            .then(a.cmp(&b))
    });
    let [best, second, ..] = ranked;
    Classification {
        category: CATEGORIES[best],
        probability: probabilities[best],
        margin: probabilities[best] - probabilities[second],
    }
}

/// Each category's score in the model's unit (hundredths), in [`CATEGORIES`] order, and
/// whether the model knows any of the transcript's words as a word (`w:`).
fn scores(transcript: &str) -> ([i32; COUNT], bool) {
    let words = model_words(transcript);
    let mut rows: Vec<usize> = Vec::with_capacity(words.len() * 8);
    // Whether the model has the feature; its row is kept when it does.
    let mut lookup = |feature: &str| {
        let row = WEIGHTS.binary_search_by(|(known, _)| (*known).cmp(feature));
        if let Ok(row) = row {
            rows.push(row);
        }
        row.is_ok()
    };
    let mut feature = String::new();
    let mut knows_a_word = false;
    for (at, word) in words.iter().enumerate() {
        let before = at.checked_sub(1).and_then(|b| words.get(b));
        feature.clear();
        feature.extend(["w:", word]);
        knows_a_word |= lookup(&feature);
        feature.clear();
        feature.extend(["p:", before.map_or(START, String::as_str), " ", word]);
        lookup(&feature);
        let padded: Vec<char> = ['<'].into_iter().chain(word.chars()).chain(['>']).collect();
        for trigram in padded.windows(3) {
            feature.clear();
            feature.push_str("t:");
            feature.extend(trigram);
            lookup(&feature);
        }
    }
    // A feature counts once however often it occurs ("the the", "t:<th" in "the" and "this").
    rows.sort_unstable();
    rows.dedup();

    let mut scores = BIAS;
    for (_, weights) in rows.into_iter().filter_map(|row| WEIGHTS.get(row)) {
        for (score, weight) in scores.iter_mut().zip(weights) {
            *score += i32::from(*weight);
        }
    }
    (scores, knows_a_word)
}

/// The transcript's words as the classifier reads them; see the module documentation.
fn model_words(transcript: &str) -> Vec<String> {
    transcript
        .split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c)))
        .map(key_of)
        .filter(|key| !key.is_empty() && !is_hesitation(key))
        .map(|key| {
            if key.bytes().all(|b| b.is_ascii_digit()) {
                NUMBER.to_owned()
            } else {
                key
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::model::PARITY;
    use super::*;

    fn category_of(text: &str) -> Category {
        classify(text).category
    }

    #[test]
    fn finds_the_scores_train_py_found() {
        for (text, expected) in PARITY {
            assert_eq!(scores(text).0, expected, "{text:?}");
        }
    }

    #[test]
    fn the_model_rows_are_sorted_and_unique_for_the_binary_search() {
        assert!(WEIGHTS.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn the_model_knows_every_category_in_protocol_order() {
        assert_eq!(CATEGORIES, Category::ALL);
    }

    #[test]
    fn reads_words_as_the_trainer_does() {
        let words = model_words("Um, the B-roll’s at 1:20 -- ummm 'cause 4K");
        assert_eq!(words, ["the", "b", "roll's", "at", "#", "#", "cause", "4k"]);
    }

    #[test]
    fn every_category_is_recognised_from_a_plain_note() {
        let examples = [
            (
                "the whole middle section drags tighten it up",
                Category::Pacing,
            ),
            ("that jump cut is jarring use a dissolve", Category::Editing),
            ("the music drowns out her voice", Category::Audio),
            ("her skin looks too orange in the grade", Category::Color),
            ("he's out of focus and the framing is off", Category::Visual),
            ("there's a typo in the lower third", Category::Graphics),
            ("that date is wrong fact check the claim", Category::Content),
            (
                "overall great work send me the next version",
                Category::General,
            ),
        ];
        for (text, expected) in examples {
            assert_eq!(category_of(text), expected, "{text:?}");
        }
    }

    #[test]
    fn punctuation_case_and_hesitations_change_nothing() {
        let plain = classify("the music is way too loud here");
        assert_eq!(
            classify("Um, the MUSIC is... uhh, way too loud here!"),
            plain
        );
    }

    #[test]
    fn a_note_without_known_words_is_general_and_unsure() {
        let classification = classify("zxqv blorf");
        assert_eq!(classification.category, Category::General);
        assert!(classification.margin < 0.5, "{classification:?}");
        assert_eq!(classify(""), classify("uh, um"));
    }

    #[test]
    fn probabilities_and_margins_are_probabilities() {
        for text in [
            "the music is too loud",
            "okay",
            "",
            "cut the logo music grade",
        ] {
            let Classification {
                probability,
                margin,
                ..
            } = classify(text);
            assert!(
                (0.0..=1.0).contains(&probability),
                "{text:?}: {probability}"
            );
            assert!((0.0..=probability).contains(&margin), "{text:?}: {margin}");
        }
    }

    #[test]
    fn a_clear_note_has_a_wider_margin_than_a_mixed_one() {
        let clear = classify("the music is way too loud under the interview");
        let mixed = classify("the music is loud and the colour is off and the cut is late");
        assert!(clear.margin > mixed.margin, "{clear:?} {mixed:?}");
    }
}
