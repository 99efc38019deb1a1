//! `features` and `featuresChanged` for every caller; `featureFlags`, `setFeatureFlag` and
//! `setFeatureFlagOverride` for admins.

use std::collections::BTreeMap;

use async_graphql::{Context, ID, InputObject, Json, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use uuid::Uuid;

use super::FlagName;
use super::cache::FlagsChanged;
use super::store::{self, FlagRow, OverrideRow};
use crate::auth::users::{self, Email};
use crate::error::{AppError, AppResult};
use crate::graphql_kit::ContextExt;
use crate::state::AppState;

/// Flag name → whether it is on, for one user.
type Features = BTreeMap<String, bool>;

/// A feature flag with its overrides.
#[derive(Debug, Clone, SimpleObject)]
pub struct FeatureFlag {
    pub name: String,
    pub description: String,
    /// Value for users with no override outside the rollout.
    pub default_enabled: bool,
    /// Share of users (0 to 100) for whom the flag is on regardless of the default.
    pub rollout_percent: i32,
    pub updated_at: DateTime<Utc>,
    pub overrides: Vec<FeatureFlagOverride>,
}

/// One user's override of a flag.
#[derive(Debug, Clone, SimpleObject)]
pub struct FeatureFlagOverride {
    pub user_id: ID,
    pub email: String,
    pub enabled: bool,
}

impl FeatureFlag {
    /// Pairs every flag with its overrides, which may be those of any flags.
    fn assemble(flags: Vec<FlagRow>, overrides: Vec<OverrideRow>) -> Vec<FeatureFlag> {
        let mut by_flag: BTreeMap<String, Vec<FeatureFlagOverride>> = BTreeMap::new();
        for row in overrides {
            by_flag
                .entry(row.flag_name)
                .or_default()
                .push(FeatureFlagOverride {
                    user_id: ID(row.user_id.to_string()),
                    email: row.email,
                    enabled: row.enabled,
                });
        }
        flags
            .into_iter()
            .map(|flag| FeatureFlag {
                overrides: by_flag.remove(&flag.name).unwrap_or_default(),
                name: flag.name,
                description: flag.description,
                default_enabled: flag.default_enabled,
                rollout_percent: i32::from(flag.rollout_percent),
                updated_at: flag.updated_at,
            })
            .collect()
    }

    /// One flag as it is now stored.
    async fn load(state: &AppState, name: FlagName) -> AppResult<FeatureFlag> {
        let flag = store::find(&state.db, name).await?;
        let overrides = store::overrides(&state.db, Some(name)).await?;
        FeatureFlag::assemble(vec![flag], overrides)
            .pop()
            .ok_or_else(|| AppError::not_found(format!("feature flag {name}")))
    }
}

/// Flag queries.
#[derive(Default)]
pub struct FlagsQuery;

#[Object]
impl FlagsQuery {
    /// Every flag's value for the caller (flag name → on).
    async fn features(&self, ctx: &Context<'_>) -> async_graphql::Result<Json<Features>> {
        let viewer = ctx.viewer()?;
        Ok(Json(
            store::features_for(&ctx.state().db, viewer.user_id).await?,
        ))
    }

    /// Every flag with its overrides. Admins only.
    async fn feature_flags(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FeatureFlag>> {
        ctx.admin()?;
        let db = &ctx.state().db;
        let flags = store::list(db).await?;
        let overrides = store::overrides(db, None).await?;
        Ok(FeatureFlag::assemble(flags, overrides))
    }
}

/// A change to a flag's default and/or rollout; omitted fields keep their value.
#[derive(Debug, InputObject)]
pub struct SetFeatureFlagInput {
    pub name: String,
    pub default_enabled: Option<bool>,
    /// 0 to 100.
    pub rollout_percent: Option<i32>,
}

/// Sets or clears one user's override of a flag. The user is given by `userId` or `email`
/// (exactly one).
#[derive(Debug, InputObject)]
pub struct SetFeatureFlagOverrideInput {
    pub name: String,
    pub user_id: Option<ID>,
    pub email: Option<String>,
    /// The override; null or omitted clears it.
    pub enabled: Option<bool>,
}

/// Flag mutations (admins only).
#[derive(Default)]
pub struct FlagsMutation;

#[Object]
impl FlagsMutation {
    /// Changes a flag's default and/or rollout. Every affected socket receives
    /// `featuresChanged`.
    async fn set_feature_flag(
        &self,
        ctx: &Context<'_>,
        input: SetFeatureFlagInput,
    ) -> async_graphql::Result<FeatureFlag> {
        ctx.admin()?;
        let state = ctx.state();
        let name = FlagName::parse(&input.name)?;
        let rollout = input
            .rollout_percent
            .map(|percent| super::rollout_percent(percent.into()))
            .transpose()?;
        store::set_flag(&state.db, name.as_str(), input.default_enabled, rollout).await?;
        // In force for this server's next request; other listeners follow the bus.
        state.features.clear();
        state.features.changed.publish(FlagsChanged);
        Ok(FeatureFlag::load(state, name).await?)
    }

    /// Sets or clears one user's override of a flag. The user's sockets receive
    /// `featuresChanged` if their value changes.
    async fn set_feature_flag_override(
        &self,
        ctx: &Context<'_>,
        input: SetFeatureFlagOverrideInput,
    ) -> async_graphql::Result<FeatureFlag> {
        ctx.admin()?;
        let state = ctx.state();
        let name = FlagName::parse(&input.name)?;
        let user_id = override_target(state, input.user_id, input.email).await?;
        store::set_override(&state.db, name.as_str(), user_id, input.enabled).await?;
        // In force for this server's next request; other listeners follow the bus.
        state.features.clear();
        state.features.changed.publish(FlagsChanged);
        Ok(FeatureFlag::load(state, name).await?)
    }
}

/// The user an override is for, from exactly one of an id and an email.
async fn override_target(
    state: &AppState,
    user_id: Option<ID>,
    email: Option<String>,
) -> AppResult<Uuid> {
    match (user_id, email) {
        (Some(id), None) => Uuid::parse_str(&id)
            .map_err(|_| AppError::bad_input("userId", "userId is not a valid user id")),
        (None, Some(email)) => {
            let email = Email::parse(&email)?;
            users::find_by_email(&state.db, &email)
                .await?
                .map(|user| user.id)
                .ok_or_else(|| AppError::not_found("user"))
        }
        _ => Err(AppError::bad_input(
            "userId",
            "give exactly one of userId and email",
        )),
    }
}

/// Flag subscriptions.
#[derive(Default)]
pub struct FlagsSubscription;

#[Subscription]
impl FlagsSubscription {
    /// The caller's flag values each time one of them changes (flag name → on). Nothing is
    /// sent when a change does not affect the caller.
    async fn features_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = Json<Features>> + use<>> {
        let user_id = ctx.viewer()?.user_id;
        // Subscribe before reading the baseline, so no change can fall between the two.
        let mut changes = Box::pin(ctx.subscribe(&ctx.state().features.changed));
        let db = ctx.state().db.clone();
        let mut sent = store::features_for(&db, user_id).await?;
        Ok(async_stream::stream! {
            while futures_util::StreamExt::next(&mut changes).await.is_some() {
                match store::features_for(&db, user_id).await {
                    Ok(current) if current != sent => {
                        sent = current.clone();
                        yield Json(current);
                    }
                    Ok(_) => {}
                    Err(err) => {
                        tracing::warn!(error = ?err, %user_id, "could not re-evaluate feature flags");
                    }
                }
            }
        })
    }
}
