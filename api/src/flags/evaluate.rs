//! Whether a flag is on for a user: pure functions over a flag's row and the user's override.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The user's rollout bucket for `flag`, in `0..100`: the first 8 bytes of
/// SHA-256(`"{flag}:{user_id}"`), big-endian, modulo 100. Hashing the flag name with the id
/// puts a user in different buckets for different flags, so the same few users are not
/// always the first to get every rollout.
pub fn bucket(flag: &str, user_id: Uuid) -> u32 {
    let digest = Sha256::digest(format!("{flag}:{user_id}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    // The remainder is below 100, so the conversion cannot fail.
    u32::try_from(u64::from_be_bytes(first) % 100).unwrap_or(0)
}

/// Evaluation order of PROTOCOL.md section 4: the user's override, then the rollout bucket
/// (buckets below `rollout_percent` are in), then the flag's default.
pub fn evaluate(
    default_enabled: bool,
    rollout_percent: u8,
    override_: Option<bool>,
    bucket: u32,
) -> bool {
    match override_ {
        Some(enabled) => enabled,
        None => bucket < u32::from(rollout_percent) || default_enabled,
    }
}

/// What decided a user's answer, in evaluation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "FlagAnswerReason", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    /// The user's own override.
    Override,
    /// The user's bucket is inside the rollout.
    Rollout,
    /// Neither: the flag's default.
    Default,
}

/// A flag's settings that apply to every user without an override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub default_enabled: bool,
    /// `0..=100`.
    pub rollout_percent: u8,
}

/// One user's answer and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub enabled: bool,
    pub reason: Reason,
    /// The user's bucket for the flag, `0..100`.
    pub bucket: u32,
}

/// [`evaluate`] with its reason: the same answer, and which step of the order gave it.
pub fn explain(rule: Rule, override_: Option<bool>, bucket: u32) -> Answer {
    let (enabled, reason) = match override_ {
        Some(enabled) => (enabled, Reason::Override),
        None if bucket < u32::from(rule.rollout_percent) => (true, Reason::Rollout),
        None => (rule.default_enabled, Reason::Default),
    };
    Answer {
        enabled,
        reason,
        bucket,
    }
}

/// One user whose answer a change would flip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change<U> {
    pub user: U,
    pub before: bool,
    pub after: Answer,
}

/// What changing a flag from `before` to `after` would do to a set of users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview<U> {
    pub considered: u64,
    pub turning_on: u64,
    pub turning_off: u64,
    /// The first `keep` changed users, in the order they were given.
    pub changes: Vec<Change<U>>,
}

impl<U> Preview<U> {
    pub fn changed(&self) -> u64 {
        self.turning_on + self.turning_off
    }
}

/// Evaluates `flag` for each user (`(user, id, override)`) under `before` and `after`, and
/// counts those whose answer flips. Overrides do not change, so a user with one never flips.
pub fn preview<U>(
    flag: &str,
    before: Rule,
    after: Rule,
    users: impl IntoIterator<Item = (U, Uuid, Option<bool>)>,
    keep: usize,
) -> Preview<U> {
    let mut preview = Preview {
        considered: 0,
        turning_on: 0,
        turning_off: 0,
        changes: Vec::new(),
    };
    for (user, id, override_) in users {
        preview.considered += 1;
        let b = bucket(flag, id);
        let was = explain(before, override_, b).enabled;
        let will = explain(after, override_, b);
        if was == will.enabled {
            continue;
        }
        if will.enabled {
            preview.turning_on += 1;
        } else {
            preview.turning_off += 1;
        }
        if preview.changes.len() < keep {
            preview.changes.push(Change {
                user,
                before: was,
                after: will,
            });
        }
    }
    preview
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn an_override_beats_the_bucket_which_beats_the_default() {
        // Override off wins over a bucket that is in and a default that is on.
        assert!(!evaluate(true, 100, Some(false), 0));
        // Override on wins over a bucket that is out and a default that is off.
        assert!(evaluate(false, 0, Some(true), 99));
        // No override: a bucket inside the rollout turns a default-off flag on.
        assert!(evaluate(false, 50, None, 49));
        // Outside the rollout, the default decides.
        assert!(!evaluate(false, 50, None, 50));
        assert!(evaluate(true, 50, None, 50));
    }

    #[test]
    fn a_users_bucket_is_stable_across_runs_and_platforms() {
        let user = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        // Pinned values (computed independently from SHA-256 of the same text): a change to
        // the hashing would reshuffle every rollout in production.
        assert_eq!(bucket("server_voice_session", user), 77);
        assert_eq!(bucket("server_telemetry", Uuid::from_u128(1)), 86);
        assert_eq!(bucket("server_voice_session", user), 77);
    }

    #[test]
    fn buckets_stay_below_100() {
        assert!((0..1000u128).all(|i| bucket("server_telemetry", Uuid::from_u128(i)) < 100));
    }

    #[test]
    fn a_10_percent_rollout_reaches_about_10_percent_of_users() {
        let on = (0..10_000u128)
            .filter(|&i| {
                evaluate(
                    false,
                    10,
                    None,
                    bucket("server_telemetry", Uuid::from_u128(i)),
                )
            })
            .count();
        assert!((800..=1200).contains(&on), "{on} of 10000 users");
    }

    #[test]
    fn rollout_100_reaches_everyone_and_rollout_0_with_default_off_nobody() {
        for i in 0..1000u128 {
            let b = bucket("server_notes_channel", Uuid::from_u128(i));
            assert!(evaluate(false, 100, None, b));
            assert!(!evaluate(false, 0, None, b));
        }
    }

    #[test]
    fn explain_names_the_step_that_decided() {
        let rule = Rule {
            default_enabled: true,
            rollout_percent: 30,
        };
        let answer = |o, b| {
            let a = explain(rule, o, b);
            (a.enabled, a.reason)
        };
        assert_eq!(answer(Some(false), 0), (false, Reason::Override));
        assert_eq!(answer(None, 29), (true, Reason::Rollout));
        assert_eq!(answer(None, 30), (true, Reason::Default));
        let off = Rule {
            default_enabled: false,
            ..rule
        };
        assert_eq!(explain(off, None, 30).reason, Reason::Default);
        assert!(!explain(off, None, 30).enabled);
        assert_eq!(explain(off, None, 7).bucket, 7);
    }

    #[test]
    fn a_preview_counts_the_users_whose_answer_flips() {
        let flag = "server_telemetry";
        let before = Rule {
            default_enabled: false,
            rollout_percent: 0,
        };
        let after = Rule {
            default_enabled: false,
            rollout_percent: 50,
        };
        let users: Vec<(u128, Uuid, Option<bool>)> = (0..200u128)
            .map(|i| (i, Uuid::from_u128(i), (i % 10 == 0).then_some(false)))
            .collect();
        let expected: Vec<u128> = users
            .iter()
            .filter(|(_, id, o)| o.is_none() && bucket(flag, *id) < 50)
            .map(|(i, _, _)| *i)
            .collect();
        let result = preview(flag, before, after, users.clone(), 5);
        assert_eq!(result.considered, 200);
        assert_eq!(result.turning_on, expected.len() as u64);
        assert_eq!(result.turning_off, 0);
        assert_eq!(result.changed(), expected.len() as u64);
        let kept: Vec<u128> = result.changes.iter().map(|c| c.user).collect();
        assert_eq!(kept, expected[..5]);
        assert!(
            result
                .changes
                .iter()
                .all(|c| !c.before && c.after.enabled && c.after.reason == Reason::Rollout)
        );

        // Back again: the same users turn off, and falling back to the default says so.
        let back = preview(flag, after, before, users, 1000);
        assert_eq!(back.turning_off, expected.len() as u64);
        assert_eq!(back.turning_on, 0);
        assert!(
            back.changes
                .iter()
                .all(|c| c.after.reason == Reason::Default)
        );
    }

    #[test]
    fn an_unchanged_rule_changes_nobody() {
        let rule = Rule {
            default_enabled: false,
            rollout_percent: 40,
        };
        let users = (0..100u128).map(|i| ((), Uuid::from_u128(i), None));
        let result = preview("server_notes_channel", rule, rule, users, 100);
        assert_eq!((result.considered, result.changed()), (100, 0));
        assert!(result.changes.is_empty());
    }

    proptest! {
        #[test]
        fn explain_agrees_with_evaluate(
            override_ in proptest::option::of(any::<bool>()),
            default_enabled: bool,
            rollout in 0u8..=100,
            b in 0u32..100,
        ) {
            let rule = Rule { default_enabled, rollout_percent: rollout };
            prop_assert_eq!(
                explain(rule, override_, b).enabled,
                evaluate(default_enabled, rollout, override_, b)
            );
        }

        #[test]
        fn an_override_always_wins(
            enabled: bool,
            default_enabled: bool,
            rollout in 0u8..=100,
            user in any::<u128>(),
        ) {
            let b = bucket("server_video_context", Uuid::from_u128(user));
            prop_assert_eq!(evaluate(default_enabled, rollout, Some(enabled), b), enabled);
        }
    }
}
