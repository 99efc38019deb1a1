//! The cleaned note as lower-case words: what the cancel phrases and the cues of actionable
//! feedback are matched against, always on whole words.
//!
//! A pattern is one or more words separated by single spaces (`"jump cut"`); a word ending in
//! `*` is a stem and matches every word it starts (`"saturat*"`: "saturated", "saturation",
//! but not "desaturated"). A word also matches its possessive ("the music's too loud").

/// The words of a text in lower case, split at anything that is neither a letter, a digit nor
/// an apostrophe: "B-roll" is `b roll` and "1:20" is `1 20`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Words(Vec<String>);

impl Words {
    pub(super) fn of(text: &str) -> Words {
        let words = text
            .split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c)))
            .filter_map(|word| Some(key_of(word)).filter(|key| !key.is_empty()))
            .collect();
        Words(words)
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn get(&self, index: usize) -> Option<&str> {
        self.0.get(index).map(String::as_str)
    }

    /// Whether `pattern` occurs anywhere.
    pub(super) fn contain(&self, pattern: &str) -> bool {
        (0..self.0.len()).any(|at| self.match_at(at, pattern))
    }

    /// Where `pattern` starts when the words end with it.
    pub(super) fn ending_with(&self, pattern: &str) -> Option<usize> {
        let at = self.0.len().checked_sub(pattern_len(pattern))?;
        self.match_at(at, pattern).then_some(at)
    }

    /// Whether `pattern` occurs starting with the word at `at`.
    pub(super) fn match_at(&self, at: usize, pattern: &str) -> bool {
        let mut words = self.0.iter().skip(at);
        pattern
            .split(' ')
            .all(|wanted| words.next().is_some_and(|word| word_matches(word, wanted)))
    }
}

/// How many words `pattern` has.
pub(super) fn pattern_len(pattern: &str) -> usize {
    pattern.split(' ').count()
}

/// `word` in lower case, without the punctuation around it and with typographic apostrophes
/// made plain, so "Don’t," and "don't" compare equal.
pub(super) fn key_of(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .collect()
}

pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Whether `pattern` can match at all: words as [`Words::of`] makes them (lower case, no
/// hyphen), single spaces, a `*` only at the end of a word.
#[cfg(test)]
pub(super) fn is_well_formed(pattern: &str) -> bool {
    pattern.split(' ').all(|word| {
        let word = word.strip_suffix('*').unwrap_or(word);
        !word.is_empty() && Words::of(word).0 == [word]
    })
}

fn word_matches(word: &str, wanted: &str) -> bool {
    match wanted.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == wanted || word.strip_suffix("'s") == Some(wanted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_punctuation_and_lowers_case() {
        let words = Words::of("The B-roll at 1:20, isn’t it?");
        let expected = ["the", "b", "roll", "at", "1", "20", "isn't", "it"];
        assert_eq!(words, Words(expected.map(String::from).to_vec()));
    }

    #[test]
    fn matches_whole_words_stems_and_possessives() {
        let words = Words::of("the music's way too saturated");
        assert!(words.contain("music"));
        assert!(words.contain("too saturat*"));
        assert!(!words.contain("too saturation"));
        assert!(!words.contain("mus"));
        assert!(!words.contain("saturated music"));
    }

    #[test]
    fn tells_patterns_that_can_match_from_those_that_cannot() {
        for good in ["music", "jump cut", "saturat*", "i'd like", "180"] {
            assert!(is_well_formed(good), "{good:?}");
        }
        for bad in ["Music", "jump  cut", "b-roll", "sat*urated", "", "*"] {
            assert!(!is_well_formed(bad), "{bad:?}");
        }
    }

    #[test]
    fn finds_a_pattern_at_the_end_only_there() {
        let words = Words::of("make it bigger, actually scratch that");
        assert_eq!(words.ending_with("scratch that"), Some(4));
        assert_eq!(words.ending_with("make it"), None);
        assert_eq!(Words::of("that").ending_with("scratch that"), None);
    }
}
