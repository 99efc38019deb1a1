//! Reading the model's answer: the chat-completions body, then the note object in its first
//! message. Pure, so that every way a model can answer badly is tested without a server.

use serde::Deserialize;

use crate::notes::structurer::{Category, StructuredNote};

/// Longest note text accepted, in characters. A remark is a sentence or two; a model that
/// writes more has not done what it was asked.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Why an answer is not used.
#[derive(Debug, thiserror::Error)]
pub enum InvalidAnswer {
    #[error("the body is not a chat completion")]
    NotACompletion(#[source] serde_json::Error),
    #[error("the completion has no message content")]
    NoContent,
    #[error("the message is not the note object")]
    NotANoteObject(#[source] serde_json::Error),
    #[error("unknown category {0:?}")]
    UnknownCategory(String),
    #[error("the text is empty")]
    EmptyText,
    #[error("the text has {0} characters, more than {MAX_TEXT_CHARS}")]
    TextTooLong(usize),
    #[error("the confidence {0} is not in 0..=1")]
    ConfidenceOutOfRange(f64),
}

/// The parts of a chat-completions response that matter here; the rest is ignored.
#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    /// Null when the model answered with something else than text (a refusal, a tool call).
    content: Option<String>,
}

/// The object the system prompt asks for, before validation.
#[derive(Deserialize)]
struct NoteObject {
    category: String,
    text: String,
    confidence: f64,
}

/// The note in a chat-completions response body: its first choice's message, read by
/// [`parse_note`].
pub fn parse_completion(body: &[u8]) -> Result<StructuredNote, InvalidAnswer> {
    let completion: Completion =
        serde_json::from_slice(body).map_err(InvalidAnswer::NotACompletion)?;
    let content = completion
        .choices
        .into_iter()
        .next()
        .and_then(|choice| choice.message.content)
        .ok_or(InvalidAnswer::NoContent)?;
    parse_note(&content)
}

/// The note in a message's content: the JSON object the prompt asks for, bare or in a
/// Markdown code fence, with a known category, a non-empty text of at most
/// [`MAX_TEXT_CHARS`] characters and a confidence in 0..=1.
pub fn parse_note(content: &str) -> Result<StructuredNote, InvalidAnswer> {
    let object: NoteObject =
        serde_json::from_str(strip_code_fence(content)).map_err(InvalidAnswer::NotANoteObject)?;
    Ok(StructuredNote {
        category: category(&object.category)?,
        text: text(&object.text)?.to_owned(),
        confidence: confidence(object.confidence)?,
    })
}

/// Models asked for bare JSON still often wrap it in a fence (```` ```json … ``` ````); the
/// object inside is what they meant.
fn strip_code_fence(content: &str) -> &str {
    let trimmed = content.trim();
    match trimmed
        .strip_prefix("```")
        .and_then(|rest| rest.strip_suffix("```"))
    {
        // The info string (`json`, `JSON` or none) is letters only; the object starts at `{`.
        Some(fenced) => fenced
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .trim(),
        None => trimmed,
    }
}

/// Categories are lower case, but a model that answers " Audio" means audio.
fn category(name: &str) -> Result<Category, InvalidAnswer> {
    Category::parse(&name.trim().to_lowercase())
        .ok_or_else(|| InvalidAnswer::UnknownCategory(name.to_owned()))
}

fn text(text: &str) -> Result<&str, InvalidAnswer> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 {
        Err(InvalidAnswer::EmptyText)
    } else if chars > MAX_TEXT_CHARS {
        Err(InvalidAnswer::TextTooLong(chars))
    } else {
        Ok(text)
    }
}

fn confidence(confidence: f64) -> Result<f64, InvalidAnswer> {
    // NaN and the infinities are outside the range too.
    if (0.0..=1.0).contains(&confidence) {
        Ok(confidence)
    } else {
        Err(InvalidAnswer::ConfidenceOutOfRange(confidence))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn note(category: Category, text: &str, confidence: f64) -> StructuredNote {
        StructuredNote {
            text: text.into(),
            category,
            confidence,
        }
    }

    fn object(category: &str, text: &str, confidence: f64) -> String {
        json!({ "category": category, "text": text, "confidence": confidence }).to_string()
    }

    #[test]
    fn a_bare_object_is_the_note() {
        assert_eq!(
            parse_note(r#"{"category": "audio", "text": "Music is too loud", "confidence": 0.9}"#)
                .unwrap(),
            note(Category::Audio, "Music is too loud", 0.9)
        );
    }

    #[test]
    fn fenced_objects_are_unwrapped() {
        let inner = object("pacing", "This drags", 0.5);
        for content in [
            format!("```json\n{inner}\n```"),
            format!("```JSON\n{inner}\n```"),
            format!("```\n{inner}\n```"),
            format!("```json {inner}```"),
            format!("\n  ```json\n{inner}\n```  \n"),
        ] {
            assert_eq!(
                parse_note(&content).unwrap(),
                note(Category::Pacing, "This drags", 0.5),
                "{content:?}"
            );
        }
    }

    #[test]
    fn prose_around_the_object_is_invalid() {
        let inner = object("pacing", "This drags", 0.5);
        for content in [
            format!("Here is the note: {inner}"),
            format!("Sure!\n```json\n{inner}\n```"),
            format!("```json\n{inner}"),
            "```".to_owned(),
            String::new(),
        ] {
            assert!(
                matches!(parse_note(&content), Err(InvalidAnswer::NotANoteObject(_))),
                "{content:?}"
            );
        }
    }

    #[test]
    fn anything_but_the_object_is_invalid() {
        for content in [
            "[]",
            r#""audio""#,
            "null",
            r#"{"category": "audio", "text": "Too loud"}"#,
            r#"{"category": "audio", "confidence": 0.5}"#,
            r#"{"category": 3, "text": "Too loud", "confidence": 0.5}"#,
            r#"{"category": "audio", "text": "Too loud", "confidence": "0.5"}"#,
            r#"{"category": "audio", "text": "Too loud", "confidence": null}"#,
            r#"{"category": "audio", "text": "Too loud", "confidence": 1e999}"#,
        ] {
            assert!(
                matches!(parse_note(content), Err(InvalidAnswer::NotANoteObject(_))),
                "{content}"
            );
        }
    }

    #[test]
    fn extra_fields_are_ignored() {
        let content =
            r#"{"category": "color", "text": "Too warm", "confidence": 1, "reason": "grade"}"#;
        assert_eq!(
            parse_note(content).unwrap(),
            note(Category::Color, "Too warm", 1.0)
        );
    }

    #[test]
    fn categories_are_read_loosely_but_must_exist() {
        for name in ["graphics", " Graphics ", "GRAPHICS\n"] {
            assert_eq!(
                parse_note(&object(name, "Typo in the title", 0.8))
                    .unwrap()
                    .category,
                Category::Graphics
            );
        }
        for name in ["lighting", "", "audio/visual"] {
            assert!(matches!(
                parse_note(&object(name, "Typo in the title", 0.8)),
                Err(InvalidAnswer::UnknownCategory(_))
            ));
        }
    }

    #[test]
    fn text_is_trimmed_and_must_not_be_empty() {
        assert_eq!(
            parse_note(&object("editing", "  Cut earlier \n", 0.7))
                .unwrap()
                .text,
            "Cut earlier"
        );
        for text in ["", " \n\t "] {
            assert!(matches!(
                parse_note(&object("editing", text, 0.7)),
                Err(InvalidAnswer::EmptyText)
            ));
        }
    }

    #[test]
    fn text_is_limited_in_characters_not_bytes() {
        let longest = "é".repeat(MAX_TEXT_CHARS);
        assert_eq!(
            parse_note(&object("content", &longest, 0.7)).unwrap().text,
            longest
        );
        assert!(matches!(
            parse_note(&object("content", &format!("{longest}é"), 0.7)),
            Err(InvalidAnswer::TextTooLong(n)) if n == MAX_TEXT_CHARS + 1
        ));
    }

    #[test]
    fn confidence_must_be_in_zero_to_one() {
        for valid in [0.0, 0.25, 1.0] {
            assert_eq!(
                parse_note(&object("visual", "Reframe", valid))
                    .unwrap()
                    .confidence,
                valid
            );
        }
        for invalid in [-0.01, 1.01, 90.0] {
            assert!(matches!(
                parse_note(&object("visual", "Reframe", invalid)),
                Err(InvalidAnswer::ConfidenceOutOfRange(_))
            ));
        }
    }

    #[test]
    fn a_completion_yields_its_first_message() {
        let body = json!({
            "id": "chatcmpl-1",
            "choices": [
                { "index": 0, "message": { "role": "assistant", "content": object("general", "Nice", 0.4) } },
                { "index": 1, "message": { "role": "assistant", "content": "ignored" } },
            ],
        });
        assert_eq!(
            parse_completion(body.to_string().as_bytes()).unwrap(),
            note(Category::General, "Nice", 0.4)
        );
    }

    #[test]
    fn a_completion_without_text_is_invalid() {
        for body in [
            json!({ "choices": [] }),
            json!({ "choices": [{ "message": { "role": "assistant", "content": null } }] }),
        ] {
            assert!(matches!(
                parse_completion(body.to_string().as_bytes()),
                Err(InvalidAnswer::NoContent)
            ));
        }
        for body in ["", "<html>Bad gateway</html>", r#"{"error": "overloaded"}"#] {
            assert!(matches!(
                parse_completion(body.as_bytes()),
                Err(InvalidAnswer::NotACompletion(_))
            ));
        }
    }

    proptest! {
        #[test]
        fn any_content_is_a_note_or_an_error_never_a_panic(content in any::<String>()) {
            let _ = parse_note(&content);
        }

        #[test]
        fn valid_notes_come_back_unchanged(
            category in proptest::sample::select(Category::ALL.to_vec()),
            text in "[A-Za-z][A-Za-z ,.'é]{0,200}[a-z.]",
            // Hundredths, which JSON carries exactly (serde_json's float parsing is not exact
            // for every f64 without its `float_roundtrip` feature).
            confidence in (0..=100u32).prop_map(|n| f64::from(n) / 100.0),
        ) {
            let content = object(category.as_str(), &text, confidence);
            prop_assert_eq!(parse_note(&content).unwrap(), note(category, &text, confidence));
        }
    }
}
