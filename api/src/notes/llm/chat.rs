//! What is sent: the system prompt and the chat-completions request body.

use serde::Serialize;

use crate::notes::structurer::Category;

/// The body of `POST <base>/chat/completions`.
#[derive(Debug, Serialize)]
pub struct ChatRequest<'a> {
    model: &'a str,
    messages: [ChatMessage<'a>; 2],
    /// The same remark should make the same note.
    temperature: f32,
    response_format: ResponseFormat,
}

#[derive(Debug, Serialize)]
struct ChatMessage<'a> {
    role: &'static str,
    content: &'a str,
}

/// JSON mode, where the server has it; the answer is validated either way.
#[derive(Debug, Serialize)]
struct ResponseFormat {
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> ChatRequest<'a> {
    /// The request that structures `transcript`: the instructions, then the reviewer's words
    /// as the user's message.
    pub fn new(model: &'a str, system_prompt: &'a str, transcript: &'a str) -> Self {
        ChatRequest {
            model,
            messages: [
                ChatMessage {
                    role: "system",
                    content: system_prompt,
                },
                ChatMessage {
                    role: "user",
                    content: transcript,
                },
            ],
            temperature: 0.0,
            response_format: ResponseFormat {
                kind: "json_object",
            },
        }
    }
}

/// The instructions: the eight categories and the one JSON object to answer with.
pub fn system_prompt() -> String {
    let categories: String = Category::ALL
        .into_iter()
        .map(|category| format!("- {category}: {}\n", meaning(category)))
        .collect();
    format!(
        "You turn one spoken remark of a video reviewer into a review note. The user message \
         is the transcript of what the reviewer said while watching.\n\
         \n\
         Categories:\n\
         {categories}\
         \n\
         Answer with ONLY a JSON object, no other text:\n\
         {{\"category\": \"<one of the category names above>\", \"text\": \"<the note>\", \
         \"confidence\": <a number from 0 to 1>}}\n\
         \n\
         - text: the remark cleaned up. Remove fillers (um, uh, you know), false starts and \
         repetitions, and capitalise the first letter. Keep the reviewer's own wording: do not \
         summarise, rephrase or add anything.\n\
         - confidence: how sure you are that this is a clear, actionable note.\n"
    )
}

/// What a category covers, in the model's terms. A `match` rather than a table so that a new
/// category cannot be added without telling the model what it means.
fn meaning(category: Category) -> &'static str {
    match category {
        Category::Pacing => "rhythm, speed and length of shots and scenes",
        Category::Editing => "cuts, transitions, shot order and trims",
        Category::Audio => "sound, music, dialogue levels and noise",
        Category::Color => "grading, colour balance and exposure in the grade",
        Category::Visual => "framing, composition, focus, lighting and camera",
        Category::Graphics => "titles, captions, lower thirds, on-screen text and logos",
        Category::Content => "story, script, facts, claims and names",
        Category::General => "anything else",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_prompt_names_every_category_and_the_answer_shape() {
        let prompt = system_prompt();
        for category in Category::ALL {
            assert!(prompt.contains(&format!("- {category}: ")), "{category}");
        }
        assert!(prompt.contains(r#"{"category": "#));
    }

    #[test]
    fn the_request_is_deterministic_json_mode_with_the_transcript_as_user_message() {
        let request = ChatRequest::new("gpt-4o-mini", "Be brief.", "um the music is too loud");
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({
                "model": "gpt-4o-mini",
                "messages": [
                    { "role": "system", "content": "Be brief." },
                    { "role": "user", "content": "um the music is too loud" },
                ],
                "temperature": 0.0,
                "response_format": { "type": "json_object" },
            })
        );
    }
}
