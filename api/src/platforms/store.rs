//! The `videos` rows: one per user, platform and external id.

use chrono::{DateTime, SubsecRound, Utc};
use lossy_entities::videos;
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::identity::VideoIdentity;
use crate::db::keyset::older_than;
use crate::error::{AppError, AppResult};

/// What a page told about its video besides the URL.
#[derive(Debug, Clone, Default)]
pub struct PageDetails {
    /// The page URL as detected, without tracking parameters.
    pub url: String,
    pub title: Option<String>,
    pub duration_seconds: Option<f64>,
    pub tab_id: Option<i32>,
    pub page_instance_id: Option<String>,
}

/// Creates the user's video, or refreshes it (what the page told wins over what was stored,
/// and a detail the page did not give keeps its stored value).
pub async fn upsert(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    identity: &VideoIdentity,
    page: PageDetails,
) -> AppResult<videos::Model> {
    let now = Utc::now().trunc_subsecs(6);
    if let Some(existing) = find_by_identity(db, user_id, identity).await? {
        return refresh(db, existing, identity, page, now).await;
    }
    let extras = serde_json::to_value(&identity.extras).map_err(anyhow::Error::from)?;
    let inserted = videos::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        platform: Set(identity.platform.to_owned()),
        external_id: Set(identity.external_id.clone()),
        canonical_url: Set(identity.canonical_url.clone()),
        embed_url: Set(identity.embed_url.clone()),
        extras: Set(extras),
        title: Set(page.title.clone()),
        duration_seconds: Set(page.duration_seconds),
        thumbnail_url: Set(identity.thumbnail_url.clone()),
        status: Set(VideoStatus::Active.as_str().to_owned()),
        last_url: Set(page.url.clone()),
        last_tab_id: Set(page.tab_id),
        last_page_instance_id: Set(page.page_instance_id.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        last_viewed_at: Set(now),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(row) => Ok(row),
        // Two tabs detected the same new video at once: the other insert won; refresh it.
        Err(err) => match find_by_identity(db, user_id, identity).await? {
            Some(existing) => refresh(db, existing, identity, page, now).await,
            None => Err(err.into()),
        },
    }
}

async fn refresh(
    db: &impl ConnectionTrait,
    existing: videos::Model,
    identity: &VideoIdentity,
    page: PageDetails,
    now: DateTime<Utc>,
) -> AppResult<videos::Model> {
    let extras = serde_json::to_value(&identity.extras).map_err(anyhow::Error::from)?;
    let mut row: videos::ActiveModel = existing.into();
    row.canonical_url = Set(identity.canonical_url.clone());
    row.embed_url = Set(identity.embed_url.clone());
    if !identity.extras.is_empty() {
        row.extras = Set(extras);
    }
    if page.title.is_some() {
        row.title = Set(page.title);
    }
    if page.duration_seconds.is_some() {
        row.duration_seconds = Set(page.duration_seconds);
    }
    if identity.thumbnail_url.is_some() {
        row.thumbnail_url = Set(identity.thumbnail_url.clone());
    }
    row.last_url = Set(page.url);
    if page.tab_id.is_some() {
        row.last_tab_id = Set(page.tab_id);
    }
    if page.page_instance_id.is_some() {
        row.last_page_instance_id = Set(page.page_instance_id);
    }
    row.updated_at = Set(now);
    row.last_viewed_at = Set(now);
    Ok(row.update(db).await?)
}

async fn find_by_identity(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    identity: &VideoIdentity,
) -> AppResult<Option<videos::Model>> {
    Ok(videos::Entity::find()
        .filter(videos::Column::UserId.eq(user_id))
        .filter(videos::Column::Platform.eq(identity.platform))
        .filter(videos::Column::ExternalId.eq(identity.external_id.as_str()))
        .one(db)
        .await?)
}

/// The user's video `id`, if it is theirs.
pub async fn find_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<Option<videos::Model>> {
    Ok(videos::Entity::find_by_id(id)
        .filter(videos::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// Which of a user's videos to list.
#[derive(Debug, Clone, Default)]
pub struct VideoFilter {
    pub platform: Option<String>,
    pub status: Option<VideoStatus>,
    /// Text the title or the canonical URL contains, ignoring case; `None` for any video.
    pub search: Option<String>,
}

/// The escape character of [`like_pattern`].
const LIKE_ESCAPE: char = '\\';

/// A `LIKE` pattern matching any text that contains `text`: its wildcards (`%`, `_`) and the
/// escape character itself are escaped, so they match literally.
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            pattern.push(LIKE_ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// `LOWER(column) LIKE LOWER(pattern) ESCAPE '\'`. `LOWER` on both sides, by the database,
/// so both sides fold case the same way: every letter on PostgreSQL, ASCII letters on SQLite
/// (whose `LIKE` would fold ASCII anyway, while PostgreSQL's folds nothing). `ESCAPE` is
/// spelled out: SQLite has no default escape character.
fn contains_ignoring_case(column: videos::Column, pattern: &str) -> SimpleExpr {
    let pattern = Expr::expr(Func::lower(Expr::val(pattern)))
        .binary(BinOper::Escape, Expr::Constant(LIKE_ESCAPE.into()));
    Expr::expr(Func::lower(Expr::col((videos::Entity, column)))).binary(BinOper::Like, pattern)
}

/// The user's videos, most recently viewed first, keyset-paged on (last_viewed_at, id).
pub async fn page_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    filter: &VideoFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> AppResult<Vec<videos::Model>> {
    let mut query = videos::Entity::find()
        .filter(videos::Column::UserId.eq(user_id))
        .order_by_desc(videos::Column::LastViewedAt)
        .order_by_desc(videos::Column::Id)
        .limit(limit);
    if let Some(platform) = &filter.platform {
        query = query.filter(videos::Column::Platform.eq(platform.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(videos::Column::Status.eq(status.as_str()));
    }
    if let Some(search) = &filter.search {
        let pattern = like_pattern(search);
        query = query.filter(
            Condition::any()
                .add(contains_ignoring_case(videos::Column::Title, &pattern))
                .add(contains_ignoring_case(
                    videos::Column::CanonicalUrl,
                    &pattern,
                )),
        );
    }
    if let Some((at, id)) = after {
        query = query.filter(older_than(
            videos::Column::LastViewedAt,
            videos::Column::Id,
            (at, id),
        ));
    }
    Ok(query.all(db).await?)
}

/// Whether a video is in the user's working list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum VideoStatus {
    Active,
    Archived,
}

impl VideoStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VideoStatus::Active => "active",
            VideoStatus::Archived => "archived",
        }
    }

    pub fn parse(stored: &str) -> AppResult<VideoStatus> {
        match stored {
            "active" => Ok(VideoStatus::Active),
            "archived" => Ok(VideoStatus::Archived),
            other => Err(AppError::Internal(anyhow::anyhow!(
                "unknown stored video status {other:?}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    #[test]
    fn like_patterns_match_wildcards_and_the_escape_literally() {
        assert_eq!(like_pattern("cut 3"), "%cut 3%");
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
        assert_eq!(like_pattern("a\\b"), "%a\\\\b%");
        assert_eq!(like_pattern(""), "%%");
    }

    #[test]
    fn the_search_folds_case_on_both_sides_with_an_explicit_escape() {
        let condition = contains_ignoring_case(videos::Column::Title, "%x%");
        let cases = [
            (DbBackend::Sqlite, r"ESCAPE '\'"),
            (DbBackend::Postgres, r"ESCAPE E'\\'"),
        ];
        for (backend, escape) in cases {
            let sql = videos::Entity::find()
                .filter(condition.clone())
                .build(backend)
                .to_string();
            let expected = format!(r#"LOWER("videos"."title") LIKE LOWER('%x%') {escape}"#);
            assert!(sql.ends_with(&expected), "{backend:?}: {sql}");
        }
    }
}
