//! Cancel phrases: the reviewer taking the utterance back ("scratch that", "make the logo
//! bigger, actually never mind").
//!
//! A cancel phrase counts only as the whole utterance or at its very end: "delete that shot"
//! and "cancel that music cue" are notes about the edit. At the end, it still is a note when
//! the words before make it a request to the editor ("please delete that", "can we ignore
//! that") or part of a sentence ("let's not forget that").

use super::words::Words;

/// What reviewers say to take an utterance back.
const CANCEL_PHRASES: &[&str] = &[
    "scratch that",
    "strike that",
    "never mind",
    "nevermind",
    "never mind that",
    "delete that",
    "cancel that",
    "forget that",
    "forget it",
    "ignore that",
    "disregard that",
];

/// Words that, right before a cancel phrase, make it a request or a sentence about the video.
#[rustfmt::skip]
const REQUEST_WORDS: &[&str] = &[
    "please", "to", "can", "could", "would", "will", "should", "must", "might", "we", "you",
    "i'll", "we'll", "you'll", "let's", "lets", "not", "don't", "and", "then",
];

/// Whether the cleaned note's `words` take the utterance back.
pub(super) fn takes_back(words: &Words) -> bool {
    CANCEL_PHRASES.iter().any(|phrase| {
        words.ending_with(phrase).is_some_and(|at| {
            let before = at.checked_sub(1).and_then(|before| words.get(before));
            !before.is_some_and(|word| REQUEST_WORDS.contains(&word))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::builtin::words::is_well_formed;

    fn cancels(text: &str) -> bool {
        takes_back(&Words::of(text))
    }

    #[test]
    fn every_phrase_can_match() {
        for phrase in CANCEL_PHRASES.iter().chain(REQUEST_WORDS) {
            assert!(is_well_formed(phrase), "{phrase:?}");
        }
    }

    #[test]
    fn a_cancel_phrase_alone_takes_the_utterance_back() {
        for phrase in CANCEL_PHRASES {
            assert!(cancels(phrase), "{phrase:?}");
        }
        assert!(cancels("Scratch that."));
        assert!(cancels("Never-mind!"));
    }

    #[test]
    fn a_cancel_phrase_at_the_end_takes_the_utterance_back() {
        assert!(cancels("Make the logo bigger, actually scratch that"));
        assert!(cancels("The music is too loud. No wait, never mind."));
        assert!(cancels("The intro drags forget it"));
        assert!(cancels("Oh, delete that"));
    }

    #[test]
    fn a_cancel_phrase_elsewhere_or_as_a_request_is_a_note() {
        for note in [
            "Delete that shot",
            "Cancel that music cue, it clashes",
            "Scratch that out of the title",
            "Can we ignore that",
            "That flash frame, please delete that",
            "Let's not forget that",
            "The whoosh is too loud and we should delete that",
        ] {
            assert!(!cancels(note), "{note:?}");
        }
    }
}
