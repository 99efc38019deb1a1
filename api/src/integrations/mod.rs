//! Where notes are posted (PROTOCOL.md section 6.2). The first integration is a webhook per
//! user ([`webhook`]): its URL, HMAC secret and posting rule ([`auto_post`]) are kept here,
//! set and read through GraphQL ([`graphql`]); the `PostNote` job (`crate::jobs::post`)
//! delivers, to public addresses only unless allowed otherwise ([`egress`]).

pub mod auto_post;
pub mod egress;
pub mod graphql;
pub mod webhook;

use lossy_entities::webhooks;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel, ModelTrait};
use url::Url;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::notes::store;
use crate::state::AppState;
use auto_post::AutoPost;

/// Shortest secret accepted: a signature is only as strong as its key.
pub const MIN_SECRET_CHARS: usize = 16;
pub const MAX_SECRET_CHARS: usize = 256;
pub const MAX_URL_CHARS: usize = 2048;

/// The user's webhook, if they set one.
pub async fn webhook_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<Option<webhooks::Model>> {
    Ok(webhooks::Entity::find_by_id(user_id).one(db).await?)
}

/// Checks a webhook URL: absolute http(s), no credentials in it, not too long.
pub fn parse_url(url: &str) -> AppResult<Url> {
    let url = url.trim();
    if url.chars().count() > MAX_URL_CHARS {
        return Err(AppError::bad_input(
            "url",
            format!("`url` is longer than {MAX_URL_CHARS} characters"),
        ));
    }
    let parsed = Url::parse(url)
        .map_err(|err| AppError::bad_input("url", format!("`url` is not a URL: {err}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(AppError::bad_input(
            "url",
            "`url` must be an http or https URL",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(AppError::bad_input(
            "url",
            "`url` must not carry credentials; the secret signs the deliveries",
        ));
    }
    Ok(parsed)
}

fn check_secret(secret: &str) -> AppResult<&str> {
    let chars = secret.chars().count();
    if !(MIN_SECRET_CHARS..=MAX_SECRET_CHARS).contains(&chars) {
        return Err(AppError::bad_input(
            "secret",
            format!("`secret` must have {MIN_SECRET_CHARS} to {MAX_SECRET_CHARS} characters"),
        ));
    }
    Ok(secret)
}

/// Refuses a URL whose host is, as written, a private address or `localhost`, unless private
/// destinations are allowed (`LOSSY_WEBHOOK_ALLOW_PRIVATE`). A name is checked at delivery.
fn check_destination(url: &Url, allow_private: bool) -> AppResult<()> {
    match egress::refused_host(url) {
        Some(refusal) if !allow_private => Err(AppError::bad_input("url", refusal.to_string())),
        _ => Ok(()),
    }
}

/// Sets (or replaces) the user's webhook, with its posting rule (`None`: only a reviewer
/// posts). Everything is checked before the write.
pub async fn set_webhook(
    app: &AppState,
    user_id: Uuid,
    url: &str,
    secret: &str,
    auto_post: Option<AutoPost>,
) -> AppResult<webhooks::Model> {
    let url = parse_url(url)?;
    check_destination(&url, app.config.jobs.webhook_allow_private)?;
    let secret = check_secret(secret)?;
    let auto_post = auto_post
        .map(|rule| AutoPost::checked(&rule.categories, rule.min_confidence))
        .transpose()?;
    let now = store::now();
    let created_at = webhook_of(&app.db, user_id)
        .await?
        .map_or(now, |existing| existing.created_at);
    let row = webhooks::Model {
        user_id,
        url: url.to_string(),
        secret: secret.to_owned(),
        auto_post_categories: auto_post.as_ref().map(AutoPost::stored_categories),
        auto_post_min_confidence: auto_post.as_ref().map(|rule| rule.min_confidence),
        created_at,
        updated_at: now,
    };
    let _turn = app.lane.turn().await;
    webhooks::Entity::insert(row.clone().into_active_model())
        .on_conflict(
            OnConflict::column(webhooks::Column::UserId)
                .update_columns([
                    webhooks::Column::Url,
                    webhooks::Column::Secret,
                    webhooks::Column::AutoPostCategories,
                    webhooks::Column::AutoPostMinConfidence,
                    webhooks::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&app.lane.db)
        .await?;
    Ok(row)
}

/// Removes the user's webhook; answers whether there was one.
pub async fn remove_webhook(app: &AppState, user_id: Uuid) -> AppResult<bool> {
    let Some(existing) = webhook_of(&app.db, user_id).await? else {
        return Ok(false);
    };
    let _turn = app.lane.turn().await;
    existing.delete(&app.lane.db).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_are_absolute_http_without_credentials() {
        assert!(parse_url("https://hooks.slack.test/services/T/B/x").is_ok());
        assert!(parse_url(" http://127.0.0.1:9000/hook ").is_ok());
        for bad in [
            "",
            "hooks.slack.test/x",
            "ftp://example.test/x",
            "https://user:pw@example.test/x",
            "file:///etc/passwd",
        ] {
            assert!(parse_url(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn private_destinations_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://localhost:9000/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest",
            "http://192.168.1.20/hook",
        ] {
            let parsed = parse_url(url).unwrap();
            let Err(AppError::BadUserInput { field, message }) = check_destination(&parsed, false)
            else {
                panic!("{url} was accepted");
            };
            assert_eq!(field.as_deref(), Some("url"));
            assert!(message.contains("not public"), "{message}");
            assert!(check_destination(&parsed, true).is_ok(), "{url}");
        }
        let public = parse_url("https://hooks.slack.test/services/T/B/x").unwrap();
        assert!(check_destination(&public, false).is_ok());
    }

    #[test]
    fn secrets_have_a_length() {
        assert!(check_secret("0123456789abcdef").is_ok());
        assert!(check_secret("short").is_err());
        assert!(check_secret(&"x".repeat(257)).is_err());
    }
}
