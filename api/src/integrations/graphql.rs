//! `webhook`, `setWebhook`, `removeWebhook`: the caller's webhook and its posting rule. The
//! secret is write-only.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lossy_entities::webhooks;

use super::auto_post::AutoPost;
use crate::graphql_kit::ContextExt;
use crate::notes::structurer::Category;

/// Where the caller's notes are posted.
#[derive(SimpleObject)]
pub struct Webhook {
    pub url: String,
    /// The rule that posts notes without a reviewer asking; null: only a reviewer posts.
    pub auto_post: Option<AutoPostRule>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<webhooks::Model> for Webhook {
    fn from(row: webhooks::Model) -> Self {
        Webhook {
            auto_post: AutoPost::of(&row).map(|rule| AutoPostRule {
                categories: rule.categories,
                min_confidence: rule.min_confidence,
            }),
            url: row.url,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Posting by rule: every note made from now on that the quality gate kept (or that was
/// typed), of one of `categories` and with a confidence of at least `minConfidence`, is
/// posted as `postNote` would. A note waiting for its LLM refinement is judged once refined.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "AutoPostInput", name = "AutoPostRule")]
pub struct AutoPostRule {
    /// At least one.
    pub categories: Vec<Category>,
    /// In 0..1.
    pub min_confidence: f64,
}

#[derive(InputObject)]
pub struct WebhookInput {
    /// An http or https URL; redirects are not followed. Unless the server allows private
    /// addresses, its host must not be a private IP address or `localhost`, and a name that
    /// resolves to a private address is not posted to.
    pub url: String,
    /// The HMAC-SHA256 key of `X-Lossy-Signature` (16 to 256 characters); never shown back.
    pub secret: String,
    /// Posts matching notes by themselves; absent or null: only a reviewer posts.
    pub auto_post: Option<AutoPostRule>,
}

#[derive(Default)]
pub struct IntegrationsQuery;

#[Object]
impl IntegrationsQuery {
    /// The caller's webhook, if set.
    async fn webhook(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Webhook>> {
        let viewer = ctx.viewer()?;
        Ok(super::webhook_of(&ctx.state().db, viewer.user_id)
            .await?
            .map(Webhook::from))
    }
}

#[derive(Default)]
pub struct IntegrationsMutation;

#[Object]
impl IntegrationsMutation {
    /// Sets (or replaces) the caller's webhook.
    async fn set_webhook(
        &self,
        ctx: &Context<'_>,
        input: WebhookInput,
    ) -> async_graphql::Result<Webhook> {
        let viewer = ctx.viewer()?;
        let rule = input.auto_post.map(|rule| AutoPost {
            categories: rule.categories,
            min_confidence: rule.min_confidence,
        });
        let row = super::set_webhook(ctx.state(), viewer.user_id, &input.url, &input.secret, rule)
            .await?;
        Ok(row.into())
    }

    /// Removes the caller's webhook; answers whether there was one.
    async fn remove_webhook(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let viewer = ctx.viewer()?;
        Ok(super::remove_webhook(ctx.state(), viewer.user_id).await?)
    }
}
