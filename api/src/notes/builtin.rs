//! The built-in structurer: deterministic and offline, a pure function of the transcript.
//!
//! A transcript goes through four steps, one private module each:
//!
//! 1. `clean`: fillers, stutters and false starts go; the reviewer's wording stays.
//! 2. `cancel`: a cancel phrase as the whole utterance or at its end ("..., actually scratch
//!    that") takes it back: [`Structured::Cancelled`].
//! 3. `classify`: the note's category, from weighted cues of post-production vocabulary
//!    (`lexicon`) found among its words (`words`).
//! 4. `confidence`: how sure the structurer is that this is a clear, actionable note.
//!
//! A transcript of fillers only ("um, uh") cleans to nothing. That is not a cancellation, as
//! the reviewer took nothing back, so it becomes an empty General note with confidence 0,
//! which any quality gate above 0 suppresses (the default `minConfidence` is 0.3).

mod cancel;
mod classify;
mod clean;
mod confidence;
mod lexicon;
mod words;

use async_trait::async_trait;

use super::structurer::{Category, NoteStructurer, Structured, StructuredNote, Transcript};
use words::Words;

/// The deterministic, offline [`NoteStructurer`]; also the LLM structurer's fallback.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinStructurer;

impl BuiltinStructurer {
    /// Structures `transcript` at once: the same transcript always gives the same answer.
    pub fn structure_now(&self, transcript: Transcript<'_>) -> Structured {
        let text = clean::clean(transcript.text);
        let words = Words::of(&text);
        if cancel::takes_back(&words) {
            return Structured::Cancelled;
        }
        if words.is_empty() {
            return Structured::Note(StructuredNote {
                text,
                category: Category::General,
                confidence: 0.0,
            });
        }
        let classification = classify::classify(&words);
        let confidence = confidence::confidence(transcript.confidence, &words, &classification);
        Structured::Note(StructuredNote {
            text,
            category: classification.category,
            confidence,
        })
    }
}

#[async_trait]
impl NoteStructurer for BuiltinStructurer {
    async fn structure(&self, transcript: Transcript<'_>) -> Structured {
        self.structure_now(transcript)
    }

    fn name(&self) -> &'static str {
        "builtin"
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Deserialize;

    use super::*;

    fn structure(text: &str, confidence: Option<f64>) -> Structured {
        BuiltinStructurer.structure_now(Transcript { text, confidence })
    }

    fn note(text: &str, confidence: Option<f64>) -> StructuredNote {
        match structure(text, confidence) {
            Structured::Note(note) => note,
            Structured::Cancelled => panic!("{text:?} was cancelled"),
        }
    }

    #[test]
    fn structures_a_spoken_note() {
        let note = note("um so the the music is, like, way too loud here", Some(0.9));
        assert_eq!(note.text, "So the music is way too loud here");
        assert_eq!(note.category, Category::Audio);
        assert!(
            (0.7..=0.9).contains(&note.confidence),
            "{}",
            note.confidence
        );
    }

    #[test]
    fn a_cancel_phrase_takes_the_utterance_back() {
        for cancelled in [
            "scratch that",
            "Never mind.",
            "make the logo bigger, actually scratch that",
            "the grade is too warm, um, delete that",
        ] {
            assert_eq!(
                structure(cancelled, Some(0.9)),
                Structured::Cancelled,
                "{cancelled:?}"
            );
        }
    }

    #[test]
    fn delete_that_shot_is_an_editing_note() {
        let note = note("delete that shot", Some(0.9));
        assert_eq!(note.text, "Delete that shot");
        assert_eq!(note.category, Category::Editing);
    }

    #[test]
    fn fillers_alone_make_an_empty_note_the_gate_suppresses() {
        let expected = StructuredNote {
            text: String::new(),
            category: Category::General,
            confidence: 0.0,
        };
        for fillers in ["um", "uh, hmm, you know", "", "   "] {
            assert_eq!(note(fillers, Some(0.95)), expected, "{fillers:?}");
        }
    }

    #[test]
    fn a_vague_remark_scores_low() {
        let note = note("um okay", Some(0.9));
        assert_eq!(note.text, "Okay");
        assert_eq!(note.category, Category::General);
        assert!(note.confidence <= 0.2, "{}", note.confidence);
    }

    #[test]
    fn the_recognizer_confidence_matters() {
        let text = "the title card has a typo";
        assert!(note(text, Some(0.4)).confidence < note(text, Some(0.9)).confidence);
    }

    #[test]
    fn the_same_transcript_gives_the_same_note() {
        let transcript = Transcript {
            text: "Can we, can you make the lower third, uh, smaller",
            confidence: Some(0.8),
        };
        let first = BuiltinStructurer.structure_now(transcript);
        let Structured::Note(note) = &first else {
            panic!("{transcript:?} was cancelled");
        };
        assert_eq!(note.text, "Can you make the lower third smaller");
        for _ in 0..10 {
            assert_eq!(BuiltinStructurer.structure_now(transcript), first);
        }
    }

    #[tokio::test]
    async fn the_async_structurer_answers_as_the_synchronous_one() {
        let transcript = Transcript {
            text: "the skin tones are too orange",
            confidence: None,
        };
        let structurer = BuiltinStructurer;
        assert_eq!(
            structurer.structure(transcript).await,
            structurer.structure_now(transcript)
        );
        assert_eq!(structurer.name(), "builtin");
    }

    proptest! {
        #[test]
        fn confidence_stays_within_0_and_1(
            text in "[a-zA-Z ,.'!?-]{0,80}",
            recognizer in proptest::option::of(any::<f64>()),
        ) {
            if let Structured::Note(note) = structure(&text, recognizer) {
                prop_assert!((0.0..=1.0).contains(&note.confidence), "{}", note.confidence);
            }
        }
    }

    /// One utterance of the labelled set, as a reviewer said it.
    #[derive(Debug, Deserialize)]
    struct LabelledUtterance {
        text: String,
        category: String,
    }

    const LABELLED_SET: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/reviewer_utterances.json"
    );

    /// The categories chosen for the utterances labelled with one category.
    #[derive(Debug, Default)]
    struct Row {
        total: usize,
        correct: usize,
        chosen_instead: BTreeMap<Category, usize>,
    }

    #[test]
    fn classifies_the_labelled_reviewer_utterances() {
        let json = std::fs::read_to_string(LABELLED_SET).expect("the labelled set is readable");
        let utterances: Vec<LabelledUtterance> =
            serde_json::from_str(&json).expect("the labelled set is a list of {text, category}");
        assert!(
            utterances.len() >= 150,
            "only {} utterances",
            utterances.len()
        );

        let mut confusion: BTreeMap<Category, Row> = BTreeMap::new();
        for utterance in &utterances {
            let expected = Category::parse(&utterance.category)
                .unwrap_or_else(|| panic!("unknown category {:?}", utterance.category));
            let chosen = match structure(&utterance.text, None) {
                Structured::Note(note) => note.category,
                Structured::Cancelled => panic!("{:?} was cancelled", utterance.text),
            };
            let row = confusion.entry(expected).or_default();
            row.total += 1;
            if chosen == expected {
                row.correct += 1;
            } else {
                *row.chosen_instead.entry(chosen).or_default() += 1;
                eprintln!("{expected} taken for {chosen}: {:?}", utterance.text);
            }
        }

        let correct: usize = confusion.values().map(|row| row.correct).sum();
        let accuracy = correct as f64 / utterances.len() as f64;
        eprintln!("accuracy {correct}/{} = {accuracy:.3}", utterances.len());
        for (category, row) in &confusion {
            let mistaken_for: Vec<String> = row
                .chosen_instead
                .iter()
                .map(|(chosen, count)| format!("{chosen} {count}"))
                .collect();
            eprintln!(
                "  {:<8} {:>3}/{:<3} mistaken for: {}",
                category.as_str(),
                row.correct,
                row.total,
                if mistaken_for.is_empty() {
                    "-".to_owned()
                } else {
                    mistaken_for.join(", ")
                }
            );
        }
        assert!(accuracy >= 0.85, "accuracy {accuracy:.3} is below 0.85");
    }
}
