//! The live leases of this server's video contexts, in memory. A heartbeat renews a lease here
//! and nowhere else: at a thousand sessions a write per heartbeat would make the video context
//! the busiest writer of the database (docs/benchmarks.md). Rows are written when ownership
//! changes; after a restart every owner found in the table gets a fresh lease.
//!
//! Plain data: the caller passes the time, and applies what [`Leases::lapsed`] answers.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// One owner's lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// The context version it was granted for: a lease answers for that version only.
    pub version: i64,
    /// The session whose accepted events renew it.
    pub session_id: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

/// Every live lease, by user.
#[derive(Debug, Default)]
pub struct Leases {
    by_user: HashMap<Uuid, Lease>,
}

impl Leases {
    /// Records `lease` for `user`, unless a lease of a newer context version is known: two
    /// claims that raced may finish out of order, and the older must not win here.
    pub fn grant(&mut self, user: Uuid, lease: Lease) {
        let newer_known = self
            .by_user
            .get(&user)
            .is_some_and(|known| known.version > lease.version);
        if !newer_known {
            self.by_user.insert(user, lease);
        }
    }

    /// A sign of life of `session`: the lease of `user` runs until `now + length`, if that
    /// session is the one linked to it and the lease has not lapsed. A lapsed lease stays
    /// lapsed even before [`Leases::lapsed`] was asked, so when a lease ends does not depend on
    /// when the sweeper runs. Answers whether it renewed.
    pub fn renew(
        &mut self,
        user: Uuid,
        session: Uuid,
        now: DateTime<Utc>,
        length: Duration,
    ) -> bool {
        match self.by_user.get_mut(&user) {
            Some(lease) if lease.session_id == Some(session) && now < lease.expires_at => {
                lease.expires_at = lease.expires_at.max(now + length);
                true
            }
            _ => false,
        }
    }

    /// The context of `user` at `version` has no owner any more (released, lapsed, cleared).
    /// A lease granted for a later version stays.
    pub fn end(&mut self, user: Uuid, version: i64) {
        if self
            .by_user
            .get(&user)
            .is_some_and(|lease| lease.version <= version)
        {
            self.by_user.remove(&user);
        }
    }

    /// The users whose lease has lapsed at `now`, with the version it was granted for.
    pub fn lapsed(&self, now: DateTime<Utc>) -> Vec<(Uuid, i64)> {
        self.by_user
            .iter()
            .filter(|(_, lease)| lease.expires_at <= now)
            .map(|(user, lease)| (*user, lease.version))
            .collect()
    }

    pub fn get(&self, user: Uuid) -> Option<Lease> {
        self.by_user.get(&user).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LENGTH: Duration = Duration::seconds(15);

    fn t(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn lease(version: i64, session: u128, expires_at: DateTime<Utc>) -> Lease {
        Lease {
            version,
            session_id: Some(Uuid::from_u128(session)),
            expires_at,
        }
    }

    const USER: Uuid = Uuid::from_u128(1);
    const SESSION: Uuid = Uuid::from_u128(10);

    #[test]
    fn the_linked_sessions_signs_of_life_keep_the_lease_and_silence_lapses_it() {
        let mut leases = Leases::default();
        leases.grant(USER, lease(1, 10, t(15)));
        for second in [5, 10, 15 - 1, 20, 25] {
            assert!(
                leases.renew(USER, SESSION, t(second), LENGTH),
                "at {second}"
            );
            assert!(leases.lapsed(t(second)).is_empty());
        }
        assert_eq!(leases.get(USER).map(|l| l.expires_at), Some(t(40)));
        assert!(leases.lapsed(t(39)).is_empty());
        assert_eq!(leases.lapsed(t(40)), vec![(USER, 1)]);
    }

    #[test]
    fn another_session_does_not_renew() {
        let mut leases = Leases::default();
        leases.grant(USER, lease(1, 10, t(15)));
        assert!(!leases.renew(USER, Uuid::from_u128(11), t(5), LENGTH));
        assert!(!leases.renew(Uuid::from_u128(2), SESSION, t(5), LENGTH));
        assert_eq!(leases.lapsed(t(15)), vec![(USER, 1)]);
    }

    #[test]
    fn a_lapsed_lease_is_not_revived_by_a_late_sign_of_life() {
        let mut leases = Leases::default();
        leases.grant(USER, lease(1, 10, t(15)));
        assert!(!leases.renew(USER, SESSION, t(15), LENGTH));
        assert_eq!(leases.lapsed(t(16)), vec![(USER, 1)]);
    }

    #[test]
    fn a_renewal_never_shortens_a_lease() {
        let mut leases = Leases::default();
        leases.grant(USER, lease(1, 10, t(60)));
        assert!(leases.renew(USER, SESSION, t(1), LENGTH));
        assert_eq!(leases.get(USER).map(|l| l.expires_at), Some(t(60)));
    }

    #[test]
    fn an_older_version_never_replaces_a_newer_lease() {
        let mut leases = Leases::default();
        leases.grant(USER, lease(3, 10, t(15)));
        leases.grant(USER, lease(2, 11, t(20)));
        assert_eq!(leases.get(USER), Some(lease(3, 10, t(15))));
        // The same version is the owner renewing by claiming again.
        leases.grant(USER, lease(3, 10, t(30)));
        assert_eq!(leases.get(USER), Some(lease(3, 10, t(30))));
    }

    #[test]
    fn ending_a_version_keeps_a_later_lease() {
        let mut leases = Leases::default();
        leases.grant(USER, lease(3, 10, t(15)));
        leases.end(USER, 2);
        assert!(leases.get(USER).is_some());
        leases.end(USER, 4);
        assert_eq!(leases.get(USER), None);
        assert!(leases.lapsed(t(100)).is_empty());
    }
}
