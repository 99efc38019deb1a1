//! `features` and `featuresChanged` for every caller; `featureFlags`, `setFeatureFlag` and
//! `setFeatureFlagOverride` for admins.

use std::collections::BTreeMap;

use async_graphql::{Context, ID, InputObject, Json, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use uuid::Uuid;

use super::FlagName;
use super::evaluate::{self, Reason, Rule, bucket, explain};
use super::store::{self, FlagRow, OverrideRow};
use crate::auth::graphql::User;
use crate::auth::users::{self, Email};
use crate::error::{AppError, AppResult};
use crate::graphql_kit::{ContextExt, parse_id};
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

    /// What `setFeatureFlag` with the same name, default and rollout would change, without
    /// changing it: how many users' answers flip (and the first 100 of them by email), and
    /// optionally one user's answer afterwards with its reason. Overrides stay as they are, so
    /// overridden users never flip. Admins only.
    async fn feature_flag_preview(
        &self,
        ctx: &Context<'_>,
        input: FeatureFlagPreviewInput,
    ) -> async_graphql::Result<FeatureFlagPreview> {
        ctx.admin()?;
        Ok(flag_preview(ctx.state(), input).await?)
    }
}

/// A change to consider before making it: the flag's default and/or rollout as
/// `setFeatureFlag` would set them (omitted fields keep their value).
#[derive(Debug, InputObject)]
pub struct FeatureFlagPreviewInput {
    pub name: String,
    pub default_enabled: Option<bool>,
    /// 0 to 100 (else BAD_USER_INPUT field rolloutPercent).
    pub rollout_percent: Option<i32>,
    /// Explain this user's answer after the change.
    pub user_id: Option<ID>,
}

/// One user's answer to a flag and what decided it.
#[derive(SimpleObject)]
pub struct FlagAnswer {
    pub user: User,
    pub enabled: bool,
    pub reason: Reason,
    /// The user's bucket (0-99) for this flag.
    pub bucket: i32,
}

/// A user whose answer a change would flip.
#[derive(SimpleObject)]
pub struct FlagAnswerChange {
    pub user: User,
    pub before: bool,
    pub after: bool,
    /// What decides the answer after the change.
    pub reason: Reason,
}

/// What a change to a flag would do, computed before making it.
#[derive(SimpleObject)]
pub struct FeatureFlagPreview {
    pub name: String,
    /// Every user account, whatever its state.
    pub users_considered: i32,
    pub changed_count: i32,
    pub turning_on: i32,
    pub turning_off: i32,
    /// Users whose answer would change, at most 100, by email.
    pub changes: Vec<FlagAnswerChange>,
    /// For input.userId: the answer after the change and why.
    pub user: Option<FlagAnswer>,
}

/// How many changed users a preview lists.
const PREVIEW_CHANGES: usize = 100;

/// A count as a GraphQL `Int`, saturating (no preview reaches two billion users).
fn count(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Computes `featureFlagPreview`: four queries whatever the number of users (the flag, every
/// user's id, the flag's overrides, then the listed users). It reads every user id, which is
/// fine up to tens of thousands of accounts.
async fn flag_preview(
    state: &AppState,
    input: FeatureFlagPreviewInput,
) -> AppResult<FeatureFlagPreview> {
    let rollout = input
        .rollout_percent
        .map(|percent| super::rollout_percent(percent.into()))
        .transpose()?;
    let explained = input
        .user_id
        .as_ref()
        .map(|id| parse_id(id, "userId"))
        .transpose()?;
    let (name, before) = store::rule_of(&state.db, &input.name).await?;
    let after = Rule {
        default_enabled: input.default_enabled.unwrap_or(before.default_enabled),
        rollout_percent: rollout.unwrap_or(before.rollout_percent),
    };
    let users = store::users_with_override(&state.db, &name).await?;
    let explained = match explained {
        Some(id) => {
            let override_ = users
                .iter()
                .find(|(user, _)| *user == id)
                .ok_or_else(|| AppError::not_found("user"))?
                .1;
            Some((id, explain(after, override_, bucket(&name, id))))
        }
        None => None,
    };
    let preview = evaluate::preview(
        &name,
        before,
        after,
        users.into_iter().map(|(id, o)| (id, id, o)),
        PREVIEW_CHANGES,
    );
    let mut wanted: Vec<Uuid> = preview.changes.iter().map(|change| change.user).collect();
    wanted.extend(explained.map(|(id, _)| id));
    let rows = store::users_by_id(&state.db, &wanted).await?;
    let user = |id: Uuid| -> AppResult<User> {
        // Cloned rather than removed: the explained user may be listed among the changes.
        rows.get(&id)
            .cloned()
            .map(User::from)
            .ok_or_else(|| AppError::not_found("user"))
    };
    let changes = preview
        .changes
        .iter()
        .map(|change| {
            Ok(FlagAnswerChange {
                user: user(change.user)?,
                before: change.before,
                after: change.after.enabled,
                reason: change.after.reason,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let explained = explained
        .map(|(id, answer)| {
            Ok::<_, AppError>(FlagAnswer {
                user: user(id)?,
                enabled: answer.enabled,
                reason: answer.reason,
                bucket: i32::try_from(answer.bucket).unwrap_or_default(),
            })
        })
        .transpose()?;
    Ok(FeatureFlagPreview {
        name,
        users_considered: count(preview.considered),
        changed_count: count(preview.changed()),
        turning_on: count(preview.turning_on),
        turning_off: count(preview.turning_off),
        changes,
        user: explained,
    })
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
        state.features.written();
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
        state.features.written();
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
