//! Which notes a list shows, and how a video's notes add up: pure rules the store and the
//! GraphQL layer share.

use std::collections::BTreeMap;

use super::status::NoteStatus;
use super::structurer::Category;

/// What `notes(filter: ...)` asks for, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteFilter {
    /// Only these categories; `None` for all.
    pub categories: Option<Vec<Category>>,
    /// Only these statuses; `None` for every status shown by default.
    pub statuses: Option<Vec<NoteStatus>>,
    pub min_confidence: Option<f64>,
    /// Adds suppressed notes to whatever the statuses select.
    pub include_suppressed: bool,
    /// Adds deleted notes (hidden otherwise, whatever their status).
    pub include_deleted: bool,
}

impl NoteFilter {
    /// The statuses listed: those asked for, or those shown by default, plus `suppressed`
    /// when asked to include it. Sorted, without repeats.
    pub fn statuses(&self) -> Vec<NoteStatus> {
        let mut statuses: Vec<NoteStatus> = match &self.statuses {
            Some(asked) => asked.clone(),
            None => NoteStatus::ALL
                .into_iter()
                .filter(|s| s.is_shown_by_default())
                .collect(),
        };
        if self.include_suppressed {
            statuses.push(NoteStatus::Suppressed);
        }
        statuses.sort();
        statuses.dedup();
        statuses
    }
}

/// Counts of one video's notes (or one list's), by category and by status, in the protocol's
/// order; categories and statuses without notes are left out.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub total: i64,
    pub by_category: Vec<(Category, i64)>,
    pub by_status: Vec<(NoteStatus, i64)>,
}

impl Counts {
    /// Adds up `(category, status, count)` groups.
    pub fn of(groups: impl IntoIterator<Item = (Category, NoteStatus, i64)>) -> Counts {
        let mut by_category = BTreeMap::new();
        let mut by_status = BTreeMap::new();
        let mut total = 0;
        for (category, status, count) in groups {
            *by_category.entry(category).or_insert(0) += count;
            *by_status.entry(status).or_insert(0) += count;
            total += count;
        }
        Counts {
            total,
            by_category: by_category.into_iter().collect(),
            by_status: by_status.into_iter().collect(),
        }
    }

    /// A video's summary (`VideoSummaryUpdated`, `Video.noteSummary`) from the groups of its
    /// notes that are not deleted: statuses count every such note, so a view can say "3
    /// suppressed"; categories and the total count the notes a view shows by default.
    pub fn summary(groups: impl IntoIterator<Item = (Category, NoteStatus, i64)>) -> Counts {
        let groups: Vec<_> = groups.into_iter().collect();
        let shown = Counts::of(
            groups
                .iter()
                .copied()
                .filter(|(_, status, _)| status.is_shown_by_default()),
        );
        Counts {
            by_status: Counts::of(groups).by_status,
            ..shown
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_default_lists_hide_suppressed_and_cancelled_notes() {
        let statuses = NoteFilter::default().statuses();
        assert!(!statuses.contains(&NoteStatus::Suppressed));
        assert!(!statuses.contains(&NoteStatus::Cancelled));
        assert!(statuses.contains(&NoteStatus::Ghost));
        let with_suppressed = NoteFilter {
            include_suppressed: true,
            ..NoteFilter::default()
        };
        assert!(with_suppressed.statuses().contains(&NoteStatus::Suppressed));
    }

    #[test]
    fn asked_statuses_are_exactly_those_plus_suppressed_on_request() {
        let filter = NoteFilter {
            statuses: Some(vec![
                NoteStatus::Firmed,
                NoteStatus::Cancelled,
                NoteStatus::Firmed,
            ]),
            include_suppressed: true,
            ..NoteFilter::default()
        };
        assert_eq!(
            filter.statuses(),
            vec![
                NoteStatus::Firmed,
                NoteStatus::Suppressed,
                NoteStatus::Cancelled
            ]
        );
        let none = NoteFilter {
            statuses: Some(vec![]),
            ..NoteFilter::default()
        };
        assert!(none.statuses().is_empty());
    }

    #[test]
    fn counts_add_up_groups() {
        let counts = Counts::of([
            (Category::Audio, NoteStatus::Ghost, 2),
            (Category::Audio, NoteStatus::Firmed, 1),
            (Category::Pacing, NoteStatus::Ghost, 4),
        ]);
        assert_eq!(counts.total, 7);
        assert_eq!(
            counts.by_category,
            vec![(Category::Pacing, 4), (Category::Audio, 3)]
        );
        assert_eq!(
            counts.by_status,
            vec![(NoteStatus::Ghost, 6), (NoteStatus::Firmed, 1)]
        );
    }

    #[test]
    fn summaries_count_hidden_notes_only_by_status() {
        let summary = Counts::summary([
            (Category::Audio, NoteStatus::Ghost, 2),
            (Category::Audio, NoteStatus::Suppressed, 3),
            (Category::General, NoteStatus::Cancelled, 1),
        ]);
        assert_eq!(summary.total, 2);
        assert_eq!(summary.by_category, vec![(Category::Audio, 2)]);
        assert_eq!(
            summary.by_status,
            vec![
                (NoteStatus::Ghost, 2),
                (NoteStatus::Suppressed, 3),
                (NoteStatus::Cancelled, 1)
            ]
        );
    }
}
