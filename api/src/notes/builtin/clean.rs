//! Cleaning a transcript into a note's text. Hesitations ("um"), filler phrases ("you know",
//! "I mean"), a filler "like", stutters ("the the") and false starts ("can we, can you") go;
//! the reviewer's own words stay, in their order, with the recognizer's punctuation.
//!
//! Each rule removes only what is a filler without doubt. Most of them lean on the pauses the
//! recognizer marked with punctuation, so a transcript without punctuation keeps an ambiguous
//! "like" or "I mean": a note that reads a little loosely is better than one whose meaning
//! changed ("I like it", "it looks like a jump cut", "I mean the second shot").

use std::ops::Range;

use super::words::{is_apostrophe, key_of};

/// The note text of `transcript`: cleaned, whitespace normalised, first letter capitalised and
/// no pause mark at the end. Empty when the reviewer said nothing but fillers.
pub(super) fn clean(transcript: &str) -> String {
    let mut tokens = tokenise(transcript);
    drop_runs(&mut tokens, hesitation_at);
    drop_runs(&mut tokens, filler_phrase_at);
    drop_runs(&mut tokens, filler_like_at);
    drop_runs(&mut tokens, stutter_at);
    drop_runs(&mut tokens, false_start_at);
    render(&tokens)
}

/// Sounds that only fill a pause, after [`squeeze`] ("ummm" is "um", "mm-hmm" is "mhm").
const HESITATIONS: &[&str] = &["um", "uh", "uhm", "erm", "er", "hm", "m", "mhm"];

/// Words after which "like" carries meaning: a verb ("I like", "looks like", "would like") or
/// a comparison ("something like", "more like", "kind of like").
#[rustfmt::skip]
const LIKE_GOVERNORS: &[&str] = &[
    "i", "we", "you", "they", "he", "she", "i'd", "we'd", "you'd", "they'd", "would", "do",
    "don't", "does", "doesn't", "did", "didn't", "really", "also", "still", "not",
    "look", "looks", "looked", "looking", "feel", "feels", "felt", "feeling",
    "sound", "sounds", "sounded", "seem", "seems", "seemed",
    "something", "anything", "nothing", "more", "less", "much", "just", "exactly",
    "kind", "sort", "kinda", "sorta",
];

/// Words a filler "like" is often followed by ("it's like way too loud").
#[rustfmt::skip]
const INTENSIFIERS: &[&str] = &[
    "way", "really", "super", "totally", "literally", "so", "too", "very", "completely",
    "extremely", "basically", "just",
];

/// Words that start a clause: an utterance opening with "like" before one of them uses it as
/// a filler ("like the music is too loud", "like it drags").
#[rustfmt::skip]
const CLAUSE_OPENERS: &[&str] = &[
    "the", "it", "it's", "its", "we", "i", "i'm", "you", "they", "there", "there's", "that's",
    "maybe", "so", "just", "honestly", "basically",
];

/// Words before "you know" that make it a question or a condition ("do you know", "if you
/// know"), not a filler.
#[rustfmt::skip]
const KNOW_GOVERNORS: &[&str] = &[
    "do", "did", "does", "don't", "didn't", "doesn't", "if", "as", "what", "whether", "how",
];

/// Words reviewers say twice on purpose ("that that shot", "really really loud").
const MEANT_TWICE: &[&str] = &["that", "had", "very", "really", "way", "so", "much", "far"];

/// The longest stutter collapsed, in words ("can we can we").
const MAX_STUTTER_WORDS: usize = 4;

/// Words a false start is made of: it breaks off before anything with meaning was said.
#[rustfmt::skip]
const FALSE_START_WORDS: &[&str] = &[
    "can", "could", "would", "will", "should", "shall", "do", "does", "did", "is", "are", "was",
    "we", "you", "i", "it", "it's", "they", "the", "a", "an", "this", "there", "there's",
    "let's", "lets", "maybe", "if", "so", "just", "to", "and", "but",
];

/// The longest false start dropped, in words ("can we also, can you ...").
const MAX_FALSE_START_WORDS: usize = 3;

/// A word of the transcript as the recognizer wrote it, with the punctuation after it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    /// As written, with any punctuation before it ("Don't", "(um").
    word: String,
    /// The punctuation right after it (",", "?", "...", ",—"), often none.
    trailing: String,
    /// Lower case and without punctuation: what the rules compare.
    key: String,
    /// Whether a pause followed the word before the fillers after it were removed ("so, um,
    /// like, ..."): the note no longer shows it, the rules still see it.
    paused: bool,
}

impl Token {
    fn is(&self, key: &str) -> bool {
        self.key == key
    }

    fn is_one_of(&self, keys: &[&str]) -> bool {
        keys.contains(&self.key.as_str())
    }

    /// Whether the recognizer marked a pause or a sentence end after the word.
    fn pauses_after(&self) -> bool {
        self.paused || !self.trailing.is_empty()
    }

    fn ends_sentence(&self) -> bool {
        ends_sentence(&self.trailing)
    }

    /// The word as the note shows it: the pronoun "i" as "I", whatever the recognizer wrote.
    fn written(&self) -> String {
        let is_pronoun_i = self.is("i") || self.key.starts_with("i'");
        let word = if is_pronoun_i {
            capitalise_first(&self.word)
        } else {
            self.word.clone()
        };
        word + &self.trailing
    }
}

fn ends_sentence(punctuation: &str) -> bool {
    punctuation.contains(['.', '?', '!', '…'])
}

fn is_pause_mark(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '-' | '–' | '—')
}

/// Splits at whitespace; punctuation standing alone ("—", "...") joins the word before it.
fn tokenise(transcript: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    for chunk in transcript.split_whitespace() {
        let word_end = chunk
            .trim_end_matches(|c: char| !(c.is_alphanumeric() || is_apostrophe(c)))
            .len();
        let (word, trailing) = chunk.split_at(word_end);
        let key = key_of(word);
        if !key.is_empty() {
            tokens.push(Token {
                word: word.to_owned(),
                trailing: trailing.to_owned(),
                key,
                paused: false,
            });
        } else if let Some(previous) = tokens.last_mut() {
            previous.trailing.push_str(chunk);
        }
    }
    tokens
}

/// Walks the tokens once, removing every run of fillers that `filler_at` finds; it answers
/// with the length of the run starting at an index. After a removal the same index is looked
/// at again, now with the words that followed the run ("the the the").
fn drop_runs(tokens: &mut Vec<Token>, filler_at: fn(&[Token], usize) -> Option<usize>) {
    let mut at = 0;
    while at < tokens.len() {
        match filler_at(tokens, at) {
            Some(len) if len > 0 => remove(tokens, at..at + len),
            _ => at += 1,
        }
    }
}

/// Removes `tokens[range]` with the punctuation around it. A sentence end after the run moves
/// to the word before it ("it's too loud, um." -> "it's too loud."). Pauses marked on both
/// sides of the run only set it off, so both marks go ("it's, like, way too loud" -> "it's way
/// too loud"), but the word before keeps the pause for the rules that follow.
fn remove(tokens: &mut Vec<Token>, range: Range<usize>) {
    let range = range.start..range.end.min(tokens.len());
    let Some(last) = range.end.checked_sub(1).and_then(|i| tokens.get(i)) else {
        return;
    };
    let run_pauses = last.pauses_after();
    let after_run = last.trailing.clone();
    tokens.drain(range.clone());
    let Some(before) = range.start.checked_sub(1).and_then(|i| tokens.get_mut(i)) else {
        return;
    };
    if before.ends_sentence() || !run_pauses {
        return;
    }
    if ends_sentence(&after_run) {
        before.trailing = after_run;
    } else {
        if before.trailing.chars().all(is_pause_mark) {
            before.trailing.clear();
        }
        before.paused = true;
    }
}

fn word_before(tokens: &[Token], at: usize) -> Option<&Token> {
    tokens.get(at.checked_sub(1)?)
}

/// Whether the word at `at` starts the utterance or follows a marked pause.
fn opens_clause(tokens: &[Token], at: usize) -> bool {
    word_before(tokens, at).is_none_or(Token::pauses_after)
}

/// Whether the word at `at` ends the utterance or is followed by a marked pause.
fn closes_clause(tokens: &[Token], at: usize) -> bool {
    at + 1 >= tokens.len() || tokens.get(at).is_some_and(Token::pauses_after)
}

/// Whether the words from `at` on are `keys`.
fn says(tokens: &[Token], at: usize, keys: &[&str]) -> bool {
    tokens
        .get(at..at + keys.len())
        .is_some_and(|run| run.iter().zip(keys).all(|(token, key)| token.is(key)))
}

fn hesitation_at(tokens: &[Token], at: usize) -> Option<usize> {
    is_hesitation(&tokens.get(at)?.key).then_some(1)
}

/// Whether a word's key (lower case, no punctuation) only fills a pause. The classifier drops
/// the same words (api/classifier/train.py's `is_hesitation` must agree).
pub(super) fn is_hesitation(key: &str) -> bool {
    // A lone "m" is a letter ("the m in the logo"); held, it is a hum.
    key.len() >= 2 && HESITATIONS.contains(&squeeze(key).as_str())
}

/// `key` with held sounds shortened to one letter and hyphens dropped: "ummm" is "um",
/// "hmmm" is "hm", "mm-hmm" is "mhm".
fn squeeze(key: &str) -> String {
    let mut squeezed: String = key.chars().filter(|c| *c != '-').collect();
    let mut previous = None;
    squeezed.retain(|c| previous.replace(c) != Some(c));
    squeezed
}

/// "you know" and "I mean" said in passing: closing the utterance or followed by a pause, and
/// for "I mean" also preceded by one ("what I mean" and "do you know" carry meaning).
fn filler_phrase_at(tokens: &[Token], at: usize) -> Option<usize> {
    let closes_after = |len: usize| closes_clause(tokens, at + len - 1);
    if says(tokens, at, &["you", "know", "what", "i", "mean"]) && closes_after(5) {
        return Some(5);
    }
    let question_or_condition = word_before(tokens, at)
        .is_some_and(|before| !before.pauses_after() && before.is_one_of(KNOW_GOVERNORS));
    let you_know = says(tokens, at, &["you", "know"]) && !question_or_condition;
    let i_mean = says(tokens, at, &["i", "mean"]) && opens_clause(tokens, at);
    ((you_know || i_mean) && closes_after(2)).then_some(2)
}

/// A "like" that only fills a pause: set off by pauses (", like,"), opening the utterance
/// before a clause ("like the music is too loud") or hedging an intensifier where no verb or
/// comparison governs it ("it's like way too loud", but not "looks like really washed out").
fn filler_like_at(tokens: &[Token], at: usize) -> Option<usize> {
    let like = tokens.get(at).filter(|token| token.is("like"))?;
    let before = word_before(tokens, at);
    let after = tokens.get(at + 1);

    let set_off = opens_clause(tokens, at) && closes_clause(tokens, at);
    let opening =
        at == 0 && !like.pauses_after() && after.is_some_and(|a| a.is_one_of(CLAUSE_OPENERS));
    let hedging = !like.pauses_after()
        && after.is_some_and(|a| a.is_one_of(INTENSIFIERS))
        && !before.is_some_and(|b| !b.pauses_after() && b.is_one_of(LIKE_GOVERNORS));
    (set_off || opening || hedging).then_some(1)
}

/// The first copy of words said twice in a row ("the the logo", "can we, can we make it").
/// Longer repeats are looked for first, so "can we can we" loses two words, not none.
fn stutter_at(tokens: &[Token], at: usize) -> Option<usize> {
    (1..=MAX_STUTTER_WORDS)
        .rev()
        .find(|&len| is_stutter(tokens, at, len))
}

fn is_stutter(tokens: &[Token], at: usize, len: usize) -> bool {
    let (Some(first), Some(second)) =
        (tokens.get(at..at + len), tokens.get(at + len..at + 2 * len))
    else {
        return false;
    };
    let same_words = first.iter().zip(second).all(|(a, b)| a.key == b.key);
    // "Louder. Louder." insists rather than stutters.
    let crosses_sentence = first.iter().any(Token::ends_sentence);
    let on_purpose = matches!(first, [word] if word.is_one_of(MEANT_TWICE));
    same_words && !crosses_sentence && !on_purpose
}

/// A false start: a few function words broken off by a pause and restarted with the same word
/// ("can we, can you make it louder"); the restart is what the reviewer meant.
fn false_start_at(tokens: &[Token], at: usize) -> Option<usize> {
    let opener = tokens.get(at)?;
    if !opens_clause(tokens, at) {
        return None;
    }
    (1..=MAX_FALSE_START_WORDS).find(|&len| {
        let Some(fragment) = tokens.get(at..at + len) else {
            return false;
        };
        let Some((last, inner)) = fragment.split_last() else {
            return false;
        };
        let breaks_off = last.pauses_after() && !last.ends_sentence();
        let restarts = tokens
            .get(at + len)
            .is_some_and(|next| next.key == opener.key);
        breaks_off
            && restarts
            && !inner.iter().any(Token::pauses_after)
            && fragment
                .iter()
                .all(|token| token.is_one_of(FALSE_START_WORDS))
    })
}

fn render(tokens: &[Token]) -> String {
    let text = tokens
        .iter()
        .map(Token::written)
        .collect::<Vec<_>>()
        .join(" ");
    // A note ends where the reviewer stopped, not on a pause.
    capitalise_first(text.trim_end_matches(is_pause_mark))
}

/// `text` with its first letter or digit in upper case (after any opening quote).
fn capitalise_first(text: &str) -> String {
    let Some((at, first)) = text.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
        return text.to_owned();
    };
    let (opening, rest) = text.split_at(at);
    let mut capitalised = String::with_capacity(text.len());
    capitalised.push_str(opening);
    capitalised.extend(first.to_uppercase());
    capitalised.push_str(&rest[first.len_utf8()..]);
    capitalised
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_cleans(transcript: &str, expected: &str) {
        assert_eq!(clean(transcript), expected, "cleaning {transcript:?}");
    }

    #[test]
    fn drops_hesitations_however_long_they_are_held() {
        assert_cleans("um the music is too loud", "The music is too loud");
        assert_cleans(
            "Uh, the logo, ummm, needs to be bigger",
            "The logo needs to be bigger",
        );
        assert_cleans("erm hmm the intro drags", "The intro drags");
        assert_cleans("it's too dark, uh.", "It's too dark.");
        assert_cleans(
            "hmm... the transition — uh — feels slow",
            "The transition feels slow",
        );
        assert_cleans("mm-hmm, the grade is nice", "The grade is nice");
    }

    #[test]
    fn fillers_in_a_row_are_all_dropped() {
        assert_cleans(
            "so um, like, the the logo, uh, is too big, you know?",
            "So the logo is too big?",
        );
        assert_cleans(
            "Um, so, like, can we, uh, can you move the title up a bit?",
            "So can you move the title up a bit?",
        );
        assert_cleans(
            "yeah, no, the the cut is, um, is early",
            "Yeah, no, the cut is early",
        );
    }

    #[test]
    fn drops_like_only_where_it_fills_a_pause() {
        assert_cleans(
            "the music is, like, way too loud",
            "The music is way too loud",
        );
        assert_cleans("Like, the title is wrong", "The title is wrong");
        assert_cleans("like the music is too loud", "The music is too loud");
        assert_cleans("it's like way too long", "It's way too long");
        assert_cleans("make it pop more, like", "Make it pop more");
    }

    #[test]
    fn keeps_like_where_it_means_something() {
        for meaningful in [
            "I like it",
            "I like the new grade",
            "It looks like a jump cut",
            "Something like two seconds shorter",
            "It feels like it drags",
            "I'd like the logo bigger",
            "Make it more like the first version",
            "It looks like really washed out",
            "Like this but brighter",
        ] {
            assert_cleans(meaningful, meaningful);
        }
    }

    #[test]
    fn drops_you_know_and_i_mean_said_in_passing() {
        assert_cleans("it's too loud, you know", "It's too loud");
        assert_cleans("the cut, you know, feels abrupt", "The cut feels abrupt");
        assert_cleans("it drags you know what I mean", "It drags");
        assert_cleans("I mean, the colour is off", "The colour is off");
        assert_cleans("it's too loud you know?", "It's too loud?");
    }

    #[test]
    fn keeps_you_know_and_i_mean_that_carry_meaning() {
        for meaningful in [
            "Do you know who this is",
            "You know the shot where she laughs, cut it",
            "I mean the second shot, not the first",
            "That's not what I mean",
        ] {
            assert_cleans(meaningful, meaningful);
        }
    }

    #[test]
    fn collapses_repeated_words() {
        assert_cleans("the the logo is too small", "The logo is too small");
        assert_cleans("can we can we make it louder", "Can we make it louder");
        assert_cleans("can we, can we make it louder", "Can we make it louder");
        assert_cleans("the the the title", "The title");
        assert_cleans("cut it cut it earlier", "Cut it earlier");
    }

    #[test]
    fn keeps_words_said_twice_on_purpose() {
        assert_cleans("really really loud", "Really really loud");
        assert_cleans(
            "I think that that shot is soft",
            "I think that that shot is soft",
        );
        assert_cleans("Louder. Louder.", "Louder. Louder.");
    }

    #[test]
    fn keeps_the_restart_of_a_false_start() {
        assert_cleans("can we, can you make it louder", "Can you make it louder");
        assert_cleans("is it, is the music too loud?", "Is the music too loud?");
        // Not a false start: "fine" was said and meant.
        assert_cleans("it's fine, it's just long", "It's fine, it's just long");
    }

    #[test]
    fn normalises_whitespace_capitalisation_and_the_end() {
        assert_cleans("  the   logo\tis  off , ", "The logo is off");
        assert_cleans("the logo is off,", "The logo is off");
        assert_cleans("the logo is off —", "The logo is off");
        assert_cleans("\"intro\" card is wrong", "\"Intro\" card is wrong");
        assert_cleans("i think i'm hearing a hum", "I think I'm hearing a hum");
        assert_cleans("ça va, the colour", "Ça va, the colour");
    }

    #[test]
    fn an_utterance_of_fillers_only_becomes_empty() {
        for fillers in [
            "um",
            "uh, um...",
            "like",
            "Um, you know",
            "hmm, I mean,",
            "",
            "  ",
        ] {
            assert_cleans(fillers, "");
        }
    }
}
