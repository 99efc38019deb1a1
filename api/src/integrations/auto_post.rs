//! Posting by rule ("a reviewer or a rule sends a note to an integration", PROTOCOL.md 6.2):
//! a user's webhook may carry a rule, and every note made afterwards that the rule matches is
//! posted without a reviewer asking. The rule is a set of categories and a least confidence;
//! only notes the quality gate kept (and typed notes, the reviewer's own) are considered, never
//! suppressed, cancelled or deleted ones. When the rule is checked and how the posting is
//! queued is `crate::jobs::post::by_rule`.

use lossy_entities::webhooks;

use crate::error::{AppError, AppResult};
use crate::notes::structurer::Category;

/// A webhook's posting rule.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoPost {
    /// In `Category::ALL`'s order, each once.
    pub categories: Vec<Category>,
    /// In 0..=1.
    pub min_confidence: f64,
}

impl AutoPost {
    /// The rule as `setWebhook` received it, checked: at least one category (each kept once),
    /// a least confidence in 0..=1.
    pub fn checked(categories: &[Category], min_confidence: f64) -> AppResult<AutoPost> {
        if categories.is_empty() {
            return Err(AppError::bad_input(
                "autoPost.categories",
                "`autoPost.categories` must name at least one category; leave `autoPost` out \
                 to post only when a reviewer asks",
            ));
        }
        if !(min_confidence.is_finite() && (0.0..=1.0).contains(&min_confidence)) {
            return Err(AppError::bad_input(
                "autoPost.minConfidence",
                "`autoPost.minConfidence` must be between 0 and 1",
            ));
        }
        Ok(AutoPost {
            categories: Category::ALL
                .into_iter()
                .filter(|c| categories.contains(c))
                .collect(),
            min_confidence,
        })
    }

    /// The rule `webhook` carries, if any. Stored names no longer known are skipped.
    pub fn of(webhook: &webhooks::Model) -> Option<AutoPost> {
        let names = webhook.auto_post_categories.as_deref()?;
        let min_confidence = webhook.auto_post_min_confidence?;
        let categories: Vec<Category> = names.split(',').filter_map(Category::parse).collect();
        (!categories.is_empty()).then_some(AutoPost {
            categories,
            min_confidence,
        })
    }

    /// The categories as stored: their names, comma-separated.
    pub fn stored_categories(&self) -> String {
        self.categories
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether a note of `category` (its stored name) and `confidence` is posted by the rule.
    pub fn matches(&self, category: &str, confidence: f64) -> bool {
        Category::parse(category).is_some_and(|c| self.categories.contains(&c))
            && confidence >= self.min_confidence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_needs_a_category_and_a_confidence_in_range() {
        assert!(AutoPost::checked(&[], 0.5).is_err());
        for bad in [-0.01, 1.01, f64::NAN, f64::INFINITY] {
            assert!(AutoPost::checked(&[Category::Audio], bad).is_err(), "{bad}");
        }
        let rule = AutoPost::checked(
            &[Category::Graphics, Category::Audio, Category::Graphics],
            0.0,
        )
        .unwrap();
        assert_eq!(rule.categories, [Category::Audio, Category::Graphics]);
        assert_eq!(rule.stored_categories(), "audio,graphics");
        assert!(AutoPost::checked(&[Category::General], 1.0).is_ok());
    }

    #[test]
    fn a_note_matches_by_category_and_least_confidence() {
        let rule = AutoPost::checked(&[Category::Audio, Category::Graphics], 0.8).unwrap();
        assert!(rule.matches("audio", 0.8));
        assert!(rule.matches("graphics", 1.0));
        assert!(!rule.matches("audio", 0.79));
        assert!(!rule.matches("pacing", 0.99));
        assert!(!rule.matches("not a category", 0.99));
    }

    #[test]
    fn the_stored_rule_reads_back() {
        let now = chrono::Utc::now();
        let mut row = webhooks::Model {
            user_id: uuid::Uuid::new_v4(),
            url: "https://hooks.example.test/x".into(),
            secret: "0123456789abcdef".into(),
            auto_post_categories: Some("audio,graphics".into()),
            auto_post_min_confidence: Some(0.7),
            created_at: now,
            updated_at: now,
        };
        assert_eq!(
            AutoPost::of(&row),
            Some(AutoPost {
                categories: vec![Category::Audio, Category::Graphics],
                min_confidence: 0.7
            })
        );
        row.auto_post_min_confidence = None;
        assert_eq!(AutoPost::of(&row), None);
        row.auto_post_min_confidence = Some(0.7);
        row.auto_post_categories = Some("retired".into());
        assert_eq!(AutoPost::of(&row), None);
    }
}
