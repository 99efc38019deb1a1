//! Turning what a reviewer said into a note: the [`NoteStructurer`] trait and its vocabulary
//! (PROTOCOL.md section 6). Two structurers implement it: the built-in one (deterministic,
//! offline, [`super::builtin`]) and an OpenAI-compatible chat client ([`super::llm`]) that falls
//! back to the built-in one on any failure.

use std::fmt;

use async_trait::async_trait;

/// The eight note categories of PROTOCOL.md section 6.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    async_graphql::Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[graphql(name = "NoteCategory", rename_items = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Rhythm, speed, length of shots and scenes ("drags", "too slow", "tighten").
    Pacing,
    /// Cuts, transitions, shot order, trims ("jump cut", "cut earlier").
    Editing,
    /// Sound, music, dialogue levels, noise ("too loud", "music drowns her").
    Audio,
    /// Grading, colour balance, exposure in the grade ("too warm", "skin tones").
    Color,
    /// Framing, composition, focus, lighting, camera ("reframe", "out of focus").
    Visual,
    /// Titles, captions, lower thirds, on-screen text, logos ("typo in the title").
    Graphics,
    /// Story, script, facts, claims, names ("that date is wrong", "cut this line").
    Content,
    /// Anything else.
    General,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Pacing,
        Category::Editing,
        Category::Audio,
        Category::Color,
        Category::Visual,
        Category::Graphics,
        Category::Content,
        Category::General,
    ];

    /// The protocol's lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Pacing => "pacing",
            Category::Editing => "editing",
            Category::Audio => "audio",
            Category::Color => "color",
            Category::Visual => "visual",
            Category::Graphics => "graphics",
            Category::Content => "content",
            Category::General => "general",
        }
    }

    /// The category named `name` (lower case, as stored and as an LLM is asked to answer).
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the extension transcribed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transcript<'a> {
    pub text: &'a str,
    /// The speech recognizer's own confidence in 0..=1, when it gives one.
    pub confidence: Option<f64>,
}

/// A note as a structurer proposes it.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredNote {
    /// Cleaned up: fillers and false starts gone, first letter capitalised.
    pub text: String,
    pub category: Category,
    /// In 0..=1: how sure the structurer is that this is a clear, actionable note.
    pub confidence: f64,
}

/// What a transcript becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Structured {
    Note(StructuredNote),
    /// The reviewer took the utterance back ("scratch that", "never mind", "delete that").
    Cancelled,
}

#[async_trait]
pub trait NoteStructurer: Send + Sync {
    /// Structures `transcript`. Never fails: a structurer that depends on something outside
    /// the server answers with its fallback's result when that fails.
    async fn structure(&self, transcript: Transcript<'_>) -> Structured;

    /// Names the structurer in logs, telemetry and the note's provenance (`builtin`, `llm`).
    fn name(&self) -> &'static str;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_round_trip_by_name() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.as_str()), Some(category));
        }
        assert_eq!(Category::parse("Audio"), None);
        assert_eq!(Category::parse("lighting"), None);
    }
}
