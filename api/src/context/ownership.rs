//! The rules of the video context, as plain functions over plain data: who owns it after a
//! claim, a release, a lapsed lease or a deleted video, and which events each sends. No IO, no
//! clock: the caller passes the time and persists and publishes what comes out.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Longest `pageInstanceId`, in characters.
pub const MAX_PAGE_INSTANCE_ID: usize = 128;

/// One page in a browser tab of one of the user's devices: the owner of a video context, and
/// where a voice session runs. A reload makes a new page instance, so a new tab in this sense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub device_id: Uuid,
    pub tab_id: i32,
    pub page_instance_id: String,
}

impl Tab {
    /// The tab as a client names it, checked: `tabId` not negative, `pageInstanceId` 1 to
    /// [`MAX_PAGE_INSTANCE_ID`] characters once trimmed.
    pub fn parse(device_id: Uuid, tab_id: i32, page_instance_id: &str) -> AppResult<Tab> {
        if tab_id < 0 {
            return Err(AppError::bad_input("tabId", "`tabId` must not be negative"));
        }
        let page_instance_id = page_instance_id.trim();
        let length = page_instance_id.chars().count();
        if length == 0 || length > MAX_PAGE_INSTANCE_ID {
            return Err(AppError::bad_input(
                "pageInstanceId",
                format!("`pageInstanceId` must have 1 to {MAX_PAGE_INSTANCE_ID} characters"),
            ));
        }
        Ok(Tab {
            device_id,
            tab_id,
            page_instance_id: page_instance_id.to_owned(),
        })
    }
}

/// What the user is reviewing: one of their videos, on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewing {
    pub video_id: Uuid,
    pub platform: String,
    pub current_url: String,
}

/// Which tab holds the voice capture, since when, and until when unless renewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ownership {
    pub tab: Tab,
    /// The owner tab's voice session, whose accepted events renew the lease.
    pub session_id: Option<Uuid>,
    /// When this tab claimed the context; a re-claim by the same tab keeps it.
    pub claimed_at: DateTime<Utc>,
    pub lease_expires_at: DateTime<Utc>,
}

/// One user's video context. Owned only while it names a video: a context whose video is
/// gone has neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoContext {
    pub user_id: Uuid,
    /// Bumped by every change that sends events, and only by those: a lease renewal is not a
    /// change clients need to see. 0 for a context never stored.
    pub version: i64,
    pub viewing: Option<Viewing>,
    pub ownership: Option<Ownership>,
}

/// What `videoContextEvents` says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextEventKind {
    /// The context changed: a new owner, video, page URL or voice session.
    Updated,
    /// The context names no video any more (the video was deleted).
    Cleared,
    /// Another tab took the context from its owner; sent before the `Updated` of the same claim.
    Taken,
    /// Nobody owns the context: released by its owner, or its lease lapsed.
    Available,
}

/// A tab asking to own the context for a video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub tab: Tab,
    pub viewing: Viewing,
    /// The voice session started with the claim, if any; otherwise the owner tab keeps the
    /// session it had.
    pub session_id: Option<Uuid>,
}

/// The context after a rule, and the events to publish, in order, once it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub context: VideoContext,
    pub events: Vec<ContextEventKind>,
}

impl Change {
    /// Whether clients see the change (it is stored and published), or only the lease moved.
    pub fn is_visible(&self) -> bool {
        !self.events.is_empty()
    }
}

impl VideoContext {
    /// The context of a user who never claimed one.
    pub fn none(user_id: Uuid) -> VideoContext {
        VideoContext {
            user_id,
            version: 0,
            viewing: None,
            ownership: None,
        }
    }

    /// The owner tab, if any.
    pub fn owner(&self) -> Option<&Tab> {
        self.ownership.as_ref().map(|o| &o.tab)
    }

    /// The last active tab wins: the claiming tab owns the context until `now + lease`.
    /// Another tab's claim takes it (`Taken`, then `Updated`); a claim of an unowned context
    /// sends `Updated`; the owner's own claim sends `Updated` only if the video, the page URL or
    /// the session changed, and otherwise only renews the lease.
    pub fn claim(&self, claim: Claim, now: DateTime<Utc>, lease: Duration) -> Change {
        let previous = self.ownership.as_ref();
        let same_tab = previous.filter(|o| o.tab == claim.tab);
        let ownership = Ownership {
            session_id: claim
                .session_id
                .or_else(|| same_tab.and_then(|o| o.session_id)),
            claimed_at: same_tab.map_or(now, |o| o.claimed_at),
            lease_expires_at: now + lease,
            tab: claim.tab,
        };
        let events = match (previous, same_tab) {
            (None, _) => vec![ContextEventKind::Updated],
            (Some(_), None) => vec![ContextEventKind::Taken, ContextEventKind::Updated],
            (Some(owner), Some(_)) => {
                let unchanged = self.viewing.as_ref() == Some(&claim.viewing)
                    && owner.session_id == ownership.session_id;
                if unchanged {
                    Vec::new()
                } else {
                    vec![ContextEventKind::Updated]
                }
            }
        };
        self.changed(Some(claim.viewing), Some(ownership), events)
    }

    /// The owner tab gives the context up (`Available`). Any other tab's release changes
    /// nothing: it no longer owns what it releases, typically because another tab took it.
    pub fn release(&self, tab: &Tab) -> Option<Change> {
        (self.owner() == Some(tab)).then(|| self.unowned())
    }

    /// The owner's lease lapsed (`Available`). Whether it did is the lease book's call.
    pub fn lapse(&self) -> Option<Change> {
        self.ownership.is_some().then(|| self.unowned())
    }

    /// The video `video_id` was deleted: a context naming it names nothing any more, and
    /// nobody owns it (`Cleared`).
    pub fn video_deleted(&self, video_id: Uuid) -> Option<Change> {
        let names_it = self
            .viewing
            .as_ref()
            .is_some_and(|v| v.video_id == video_id);
        names_it.then(|| self.changed(None, None, vec![ContextEventKind::Cleared]))
    }

    /// Still on the same video, with no owner and so no session.
    fn unowned(&self) -> Change {
        self.changed(
            self.viewing.clone(),
            None,
            vec![ContextEventKind::Available],
        )
    }

    fn changed(
        &self,
        viewing: Option<Viewing>,
        ownership: Option<Ownership>,
        events: Vec<ContextEventKind>,
    ) -> Change {
        let version = if events.is_empty() {
            self.version
        } else {
            self.version + 1
        };
        Change {
            context: VideoContext {
                user_id: self.user_id,
                version,
                viewing,
                ownership,
            },
            events,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContextEventKind::{Available, Cleared, Taken, Updated};

    const LEASE: Duration = Duration::seconds(15);

    fn t(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn tab(tab_id: i32) -> Tab {
        Tab {
            device_id: Uuid::from_u128(7),
            tab_id,
            page_instance_id: format!("page-{tab_id}"),
        }
    }

    fn viewing(video: u128, url: &str) -> Viewing {
        Viewing {
            video_id: Uuid::from_u128(video),
            platform: "youtube".into(),
            current_url: url.into(),
        }
    }

    fn claim(tab_id: i32, session: Option<u128>) -> Claim {
        Claim {
            tab: tab(tab_id),
            viewing: viewing(1, "https://youtu.be/a"),
            session_id: session.map(Uuid::from_u128),
        }
    }

    fn owned_by(tab_id: i32) -> VideoContext {
        VideoContext::none(Uuid::from_u128(99))
            .claim(claim(tab_id, Some(10)), t(0), LEASE)
            .context
    }

    #[test]
    fn a_first_claim_owns_the_context_until_the_lease_ends() {
        let change = VideoContext::none(Uuid::from_u128(99)).claim(claim(1, None), t(0), LEASE);
        assert_eq!(change.events, vec![Updated]);
        assert_eq!(change.context.version, 1);
        let ownership = change.context.ownership.expect("owned");
        assert_eq!(ownership.tab, tab(1));
        assert_eq!(ownership.claimed_at, t(0));
        assert_eq!(ownership.lease_expires_at, t(15));
        assert_eq!(ownership.session_id, None);
    }

    #[test]
    fn another_tab_takes_the_context_and_the_events_name_the_new_owner() {
        let change = owned_by(1).claim(claim(2, None), t(5), LEASE);
        assert_eq!(change.events, vec![Taken, Updated]);
        assert_eq!(change.context.version, 2);
        let ownership = change.context.ownership.expect("owned");
        assert_eq!(ownership.tab, tab(2));
        assert_eq!(ownership.claimed_at, t(5));
        // The previous owner's session does not come along.
        assert_eq!(ownership.session_id, None);
    }

    #[test]
    fn a_reload_is_a_new_page_instance_and_takes_the_context() {
        let mut reloaded = claim(1, None);
        reloaded.tab.page_instance_id = "page-1-reloaded".into();
        assert_eq!(
            owned_by(1).claim(reloaded, t(1), LEASE).events,
            vec![Taken, Updated]
        );
    }

    #[test]
    fn the_owners_own_claim_only_renews_the_lease_unless_something_changed() {
        let context = owned_by(1);
        let renewed = context.claim(claim(1, None), t(10), LEASE);
        assert!(!renewed.is_visible());
        assert_eq!(renewed.context.version, context.version);
        let ownership = renewed.context.ownership.expect("owned");
        assert_eq!(ownership.lease_expires_at, t(25));
        assert_eq!(ownership.claimed_at, t(0), "the claim time stays");
        assert_eq!(
            ownership.session_id,
            Some(Uuid::from_u128(10)),
            "the session stays"
        );

        let mut navigated = claim(1, None);
        navigated.viewing = viewing(2, "https://youtu.be/b");
        let change = context.claim(navigated, t(10), LEASE);
        assert_eq!(change.events, vec![Updated]);
        assert_eq!(change.context.version, context.version + 1);

        let new_session = context.claim(claim(1, Some(11)), t(10), LEASE);
        assert_eq!(new_session.events, vec![Updated]);
        assert_eq!(
            new_session.context.ownership.and_then(|o| o.session_id),
            Some(Uuid::from_u128(11))
        );
    }

    #[test]
    fn only_the_owner_releases_and_the_video_stays() {
        let context = owned_by(1);
        assert_eq!(context.release(&tab(2)), None);
        let change = context.release(&tab(1)).expect("the owner releases");
        assert_eq!(change.events, vec![Available]);
        assert_eq!(change.context.ownership, None);
        assert_eq!(change.context.viewing, context.viewing);
        assert_eq!(change.context.version, context.version + 1);
        // Released already: nobody owns it, so nobody can release it again.
        assert_eq!(change.context.release(&tab(1)), None);
    }

    #[test]
    fn a_lapse_frees_an_owned_context_only() {
        let change = owned_by(1).lapse().expect("owned");
        assert_eq!(change.events, vec![Available]);
        assert_eq!(change.context.ownership, None);
        assert_eq!(change.context.lapse(), None);
    }

    #[test]
    fn deleting_the_video_clears_the_context_and_other_videos_leave_it() {
        let context = owned_by(1);
        assert_eq!(context.video_deleted(Uuid::from_u128(2)), None);
        let change = context.video_deleted(Uuid::from_u128(1)).expect("names it");
        assert_eq!(change.events, vec![Cleared]);
        assert_eq!(change.context.viewing, None);
        assert_eq!(change.context.ownership, None);
        assert_eq!(change.context.version, context.version + 1);
    }

    #[test]
    fn tabs_are_checked_at_the_boundary() {
        let device = Uuid::from_u128(7);
        let field = |result: AppResult<Tab>| match result {
            Err(AppError::BadUserInput { field, .. }) => field,
            other => panic!("expected bad input, got {other:?}"),
        };
        assert_eq!(field(Tab::parse(device, -1, "p")).as_deref(), Some("tabId"));
        assert_eq!(
            field(Tab::parse(device, 1, "  ")).as_deref(),
            Some("pageInstanceId")
        );
        let long = "é".repeat(MAX_PAGE_INSTANCE_ID + 1);
        assert_eq!(
            field(Tab::parse(device, 1, &long)).as_deref(),
            Some("pageInstanceId")
        );
        let fits = "é".repeat(MAX_PAGE_INSTANCE_ID);
        assert_eq!(Tab::parse(device, 0, &fits).unwrap().page_instance_id, fits);
        assert_eq!(Tab::parse(device, 3, " p ").unwrap().page_instance_id, "p");
    }
}
