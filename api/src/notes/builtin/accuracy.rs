//! The built-in structurer measured on reviewer speech the classifier was not built from.
//!
//! - `the_held_out_fifth`: api/classifier/heldout.tsv, the fifth of the labelled corpus that is
//!   never used to build or tune the classifier, each utterance structured as the server would
//!   structure it. Fails under [`REQUIRED_ACCURACY`].
//! - `the_held_out_fifth_as_a_recogniser_heard_it` (ignored unless asked for): the same
//!   utterances spoken by espeak-ng and transcribed by Whisper, from the file that
//!   tests/speech/heldout.py writes and names in `LOSSY_RECOGNISED_HELDOUT`. Fails under
//!   [`RECOGNISED_FLOOR`].
//!
//! Both print the accuracy and the confusion matrix with each category's precision and recall
//! (`-- --nocapture` shows them when they pass), as a Markdown table for docs/notes.md. Neither
//! prints the utterances it got wrong: the held-out fifth is for measuring, and a list of its
//! misses would invite tuning the corpus or the model to them.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::notes::structurer::{Category, Structured, Transcript};

use super::BuiltinStructurer;

const HELD_OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/classifier/heldout.tsv");

/// What the issue asks of the classifier on speech it was not built from.
const REQUIRED_ACCURACY: f64 = 0.95;

/// The file of recognised held-out speech: `category<TAB>what was said<TAB>what was heard`.
const RECOGNISED_ENV: &str = "LOSSY_RECOGNISED_HELDOUT";

/// The least accuracy on what the test recogniser heard before the speech test fails; it aims at
/// 0.90. Lower than the written text's bar because Whisper-base on espeak-ng's voice mishears a
/// few words in every hundred on top of the corpus's own mishearings, and a misheard key word
/// ("grade" as "great") can take a note's only clue away; docs/notes.md gives the figures.
const RECOGNISED_FLOOR: f64 = 0.85;

/// One labelled utterance.
struct Labelled {
    category: Category,
    text: String,
}

/// `category<TAB>text...` lines; `#` comments and blank lines are skipped. Each line's fields
/// after the category are given to `text_of`, which picks the text to structure.
fn read_labelled(path: &str, text_of: for<'a> fn(&[&'a str]) -> Option<&'a str>) -> Vec<Labelled> {
    let content = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    content
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(index, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            let parsed = fields.split_first().and_then(|(category, rest)| {
                Some(Labelled {
                    category: Category::parse(category)?,
                    text: text_of(rest)?.to_owned(),
                })
            });
            parsed.unwrap_or_else(|| panic!("{path}:{}: not a labelled line: {line:?}", index + 1))
        })
        .collect()
}

/// How many utterances of each category (rows) were given each category (columns); a
/// cancelled utterance counts in the last column, as a category of its own.
#[derive(Default)]
struct Confusion {
    counts: [[usize; Category::ALL.len() + 1]; Category::ALL.len()],
}

impl Confusion {
    fn of(utterances: &[Labelled]) -> Confusion {
        let mut confusion = Confusion::default();
        for utterance in utterances {
            let transcript = Transcript {
                text: &utterance.text,
                confidence: None,
            };
            let chosen = match BuiltinStructurer.structure_now(transcript) {
                Structured::Note(note) => index(note.category),
                Structured::Cancelled => Category::ALL.len(),
            };
            confusion.counts[index(utterance.category)][chosen] += 1;
        }
        confusion
    }

    fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    fn accuracy(&self) -> f64 {
        let right: usize = (0..Category::ALL.len()).map(|i| self.counts[i][i]).sum();
        right as f64 / self.total().max(1) as f64
    }

    /// The matrix as a Markdown table, with each category's precision and recall.
    fn table(&self) -> String {
        let mut table = String::from("| said \\ chosen |");
        for category in Category::ALL {
            let _ = write!(table, " {category} |");
        }
        table.push_str(" cancelled | recall |\n|---|");
        table.push_str(&"---:|".repeat(Category::ALL.len() + 2));
        table.push('\n');
        for (i, category) in Category::ALL.into_iter().enumerate() {
            let row = &self.counts[i];
            let _ = write!(table, "| **{category}** |");
            for count in row {
                let _ = write!(table, " {count} |");
            }
            let said: usize = row.iter().sum();
            let _ = writeln!(table, " {} |", percent(row[i], said));
        }
        table.push_str("| precision |");
        for i in 0..Category::ALL.len() {
            let chosen: usize = self.counts.iter().map(|row| row[i]).sum();
            let _ = write!(table, " {} |", percent(self.counts[i][i], chosen));
        }
        table.push_str(" | |\n");
        table
    }

    fn report(&self, what: &str) {
        eprintln!(
            "{what}: {:.1} % of {} utterances given their category\n\n{}",
            100.0 * self.accuracy(),
            self.total(),
            self.table()
        );
    }
}

fn index(category: Category) -> usize {
    Category::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or_default()
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.1} %", 100.0 * part as f64 / whole as f64)
    }
}

#[test]
fn the_held_out_fifth() {
    let utterances = read_labelled(HELD_OUT, |fields| match fields {
        [text] => Some(text),
        _ => None,
    });
    assert!(utterances.len() >= 300, "only {}", utterances.len());
    let confusion = Confusion::of(&utterances);
    confusion.report("held-out fifth (api/classifier/heldout.tsv)");
    let accuracy = confusion.accuracy();
    assert!(
        accuracy >= REQUIRED_ACCURACY,
        "accuracy {accuracy:.3} is below {REQUIRED_ACCURACY}"
    );
}

#[test]
#[ignore = "needs the recognised held-out speech that tests/speech/run.sh makes"]
fn the_held_out_fifth_as_a_recogniser_heard_it() {
    let path = std::env::var(RECOGNISED_ENV)
        .unwrap_or_else(|_| panic!("{RECOGNISED_ENV} names no file of recognised speech"));
    let recognised = read_labelled(&path, |fields| fields.first().copied());
    let held_out: HashSet<(Category, String)> = read_labelled(HELD_OUT, |fields| match fields {
        [text] => Some(text),
        _ => None,
    })
    .into_iter()
    .map(|u| (u.category, u.text))
    .collect();
    for said in &recognised {
        assert!(
            held_out.contains(&(said.category, said.text.clone())),
            "{path} has a line that is not in the held-out fifth: {:?}",
            said.text
        );
    }
    let utterances = read_labelled(&path, |fields| match fields {
        [_said, heard] => Some(heard),
        _ => None,
    });
    assert!(!utterances.is_empty(), "{path} has no recognised speech");
    let unheard = utterances
        .iter()
        .filter(|u| u.text.trim().is_empty())
        .count();
    let confusion = Confusion::of(&utterances);
    confusion.report(&format!(
        "{} of the {} held-out utterances as the test recogniser heard them ({unheard} heard \
         as nothing)",
        utterances.len(),
        held_out.len()
    ));
    let accuracy = confusion.accuracy();
    assert!(
        accuracy >= RECOGNISED_FLOOR,
        "accuracy {accuracy:.3} on recognised speech is below {RECOGNISED_FLOOR}"
    );
}

#[test]
fn the_confusion_matrix_counts_and_reports() {
    let utterances = [
        ("the music is way too loud under her voice", Category::Audio),
        ("there's a typo in the lower third", Category::Audio),
        ("scratch that", Category::General),
    ]
    .map(|(text, category)| Labelled {
        category,
        text: text.to_owned(),
    });
    let confusion = Confusion::of(&utterances);
    assert_eq!(confusion.total(), 3);
    assert!((confusion.accuracy() - 1.0 / 3.0).abs() < 1e-9);
    let audio = &confusion.counts[index(Category::Audio)];
    assert_eq!(audio[index(Category::Audio)], 1);
    assert_eq!(audio[index(Category::Graphics)], 1);
    assert_eq!(
        confusion.counts[index(Category::General)][Category::ALL.len()],
        1
    );
    let table = confusion.table();
    assert!(table.contains("| **audio** | 0 | 0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 50.0 % |"));
    assert!(table.contains("| precision | - | - | 100.0 % | - | - | 0.0 % |"));
}
