//! Notes (PROTOCOL.md sections 6 and 8): structuring transcripts into notes.
//!
//! - [`structurer`]: the `NoteStructurer` trait and the note categories.
//! - [`builtin`]: the deterministic, offline structurer.
//! - [`llm`]: the OpenAI-compatible chat-completions structurer, with the built-in fallback.
//! - [`quality`]: the quality gate, a pure decision per note.

pub mod builtin;
pub mod llm;
pub mod quality;
pub mod structurer;
