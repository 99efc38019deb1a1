//! What notes accept from clients, checked before anything is written. Each check names the
//! input field it is about, so a client gets `BAD_USER_INPUT` with `extensions.field`.

use crate::error::{AppError, AppResult};
use crate::platforms::identity::checked_seconds;

/// Longest transcript or note text, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Longest `utteranceId` or `source`, in characters.
pub const MAX_LABEL_CHARS: usize = 128;
/// Longest delete reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// Longest utterance a transcript may report (the voice session's `maxSpeechMs` is far below).
pub const MAX_UTTERANCE_MS: i32 = 10 * 60 * 1000;
/// How far past the video's known duration a playhead may be: players report the end a
/// fraction late, and a duration may have been rounded down when the page was detected.
pub const MEDIA_TIME_SLACK_SECONDS: f64 = 1.0;

/// The text trimmed; empty, whitespace-only and overlong texts are refused.
pub fn text<'a>(raw: &'a str, field: &str) -> AppResult<&'a str> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(AppError::bad_input(
            field,
            format!("`{field}` must not be empty"),
        ));
    }
    if trimmed.chars().count() > MAX_TEXT_CHARS {
        return Err(AppError::bad_input(
            field,
            format!("`{field}` is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(trimmed)
}

/// A short label (`utteranceId`, `source`): trimmed, 1 to `max` characters.
pub fn label(raw: &str, field: &str, max: usize) -> AppResult<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("`{field}` must have 1 to {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// A confidence in `0..=1`.
pub fn confidence(value: f64, field: &str) -> AppResult<f64> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::bad_input(
            field,
            format!("`{field}` must be between 0 and 1"),
        ))
    }
}

/// A position in the video: seconds as every video position is checked
/// ([`checked_seconds`]), and not past the video's end when its duration is known.
pub fn media_time(seconds: f64, video_duration: Option<f64>, field: &str) -> AppResult<f64> {
    let seconds = checked_seconds(seconds, field)?;
    if let Some(duration) = video_duration
        && seconds > duration + MEDIA_TIME_SLACK_SECONDS
    {
        return Err(AppError::bad_input(
            field,
            format!(
                "`{field}` is {seconds} seconds, past the end: the video is {duration} seconds long"
            ),
        ));
    }
    Ok(seconds)
}

/// An utterance's length in milliseconds.
pub fn duration_ms(value: i32) -> AppResult<i32> {
    if (0..=MAX_UTTERANCE_MS).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::bad_input(
            "durationMs",
            format!("`durationMs` must be between 0 and {MAX_UTTERANCE_MS}"),
        ))
    }
}

/// Where the utterance ended in the video: its start plus its length, never past the video's
/// end. `None` for an utterance of no length.
pub fn end_seconds(start: f64, duration_ms: i32, video_duration: Option<f64>) -> Option<f64> {
    if duration_ms <= 0 {
        return None;
    }
    let end = start + f64::from(duration_ms) / 1000.0;
    Some(video_duration.map_or(end, |d| end.min(d.max(start))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platforms::identity::MAX_SECONDS;

    fn field_of(err: AppError) -> String {
        match err {
            AppError::BadUserInput { field, .. } => field.unwrap_or_default(),
            other => panic!("expected BAD_USER_INPUT, got {other:?}"),
        }
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(text("  cut here \n", "text").unwrap(), "cut here");
        for bad in ["", "   ", "\n\t"] {
            assert_eq!(field_of(text(bad, "text").unwrap_err()), "text");
        }
        let longest = "a".repeat(MAX_TEXT_CHARS);
        assert!(text(&longest, "text").is_ok());
        assert!(text(&format!("{longest}a"), "text").is_err());
        // Characters, not bytes.
        assert!(text(&"é".repeat(MAX_TEXT_CHARS), "text").is_ok());
    }

    #[test]
    fn confidences_stay_in_the_unit_interval() {
        for good in [0.0, 0.5, 1.0] {
            assert_eq!(confidence(good, "confidence").unwrap(), good);
        }
        for bad in [-0.01, 1.01, f64::NAN, f64::INFINITY] {
            assert_eq!(
                field_of(confidence(bad, "confidence").unwrap_err()),
                "confidence"
            );
        }
    }

    #[test]
    fn media_times_stay_within_the_video() {
        assert!(media_time(0.0, Some(60.0), "mediaTime").is_ok());
        assert!(
            media_time(60.5, Some(60.0), "mediaTime").is_ok(),
            "within the slack"
        );
        assert!(media_time(61.5, Some(60.0), "mediaTime").is_err());
        assert!(media_time(-0.1, Some(60.0), "mediaTime").is_err());
        assert!(media_time(f64::NAN, None, "mediaTime").is_err());
        assert!(media_time(3600.0, None, "mediaTime").is_ok());
        assert!(media_time(MAX_SECONDS + 1.0, None, "mediaTime").is_err());
    }

    #[test]
    fn an_utterance_ends_at_most_at_the_end_of_the_video() {
        assert_eq!(end_seconds(10.0, 2500, Some(60.0)), Some(12.5));
        assert_eq!(end_seconds(59.0, 2500, Some(60.0)), Some(60.0));
        assert_eq!(end_seconds(60.4, 2500, Some(60.0)), Some(60.4));
        assert_eq!(end_seconds(10.0, 0, Some(60.0)), None);
        assert_eq!(end_seconds(10.0, 1000, None), Some(11.0));
    }

    #[test]
    fn durations_and_labels_are_bounded() {
        assert!(duration_ms(0).is_ok());
        assert!(duration_ms(-1).is_err());
        assert!(duration_ms(MAX_UTTERANCE_MS + 1).is_err());
        assert_eq!(label(" u-1 ", "utteranceId", 8).unwrap(), "u-1");
        assert!(label(" ", "utteranceId", 8).is_err());
        assert!(label("123456789", "utteranceId", 8).is_err());
    }
}
