//! The schema root: merges each feature's `Query`, `Mutation` and `Subscription`, applies the
//! limits, and gives resolvers their context (`ContextExt`). Transports live beside it:
//! `http` for `POST /graphql`, `crate::ws` for sockets (GraphiQL's page is the web app's,
//! `crate::web`).

pub mod error_codes;
pub mod http;
pub mod introspection;
pub mod pagination;

pub use error_codes::ensure_error_codes;

use std::sync::Mutex;

use async_graphql::{Context, MergedObject, MergedSubscription, Schema};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::sync::oneshot;

use crate::auth::Viewer;
use crate::bus::Topic;
use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(MergedObject, Default)]
pub struct Query(
    crate::auth::graphql::AuthQuery,
    crate::auth::audit_log::AuditLogQuery,
    crate::handshake::HandshakeQuery,
    crate::settings::graphql::SettingsQuery,
    crate::flags::graphql::FlagsQuery,
    crate::voice::graphql::VoiceQuery,
    crate::telemetry::graphql::TelemetryQuery,
    crate::platforms::graphql::PlatformsQuery,
    crate::notes::graphql::NotesQuery,
    crate::context::graphql::ContextQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    crate::auth::graphql::AuthMutation,
    crate::settings::graphql::SettingsMutation,
    crate::flags::graphql::FlagsMutation,
    crate::voice::graphql::VoiceMutation,
    crate::telemetry::graphql::TelemetryMutation,
    crate::platforms::graphql::PlatformsMutation,
    crate::notes::graphql::NotesMutation,
    crate::context::graphql::ContextMutation,
);

#[derive(MergedSubscription, Default)]
pub struct Subscription(
    crate::settings::graphql::SettingsSubscription,
    crate::flags::graphql::FlagsSubscription,
    crate::voice::graphql::VoiceSubscription,
    crate::notes::graphql::NotesSubscription,
    crate::context::graphql::ContextSubscription,
);

pub type LossySchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema with the configured limits. `state` is absent only when printing the SDL.
pub fn build_schema(config: &Config, state: Option<AppState>) -> LossySchema {
    let mut builder = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .limit_depth(config.graphql_max_depth)
    .limit_complexity(config.graphql_max_complexity)
    .limit_recursive_depth(config.graphql_max_depth.max(16))
    .limit_directives(16)
    .extension(error_codes::ErrorCodes);
    if !config.introspection {
        builder = builder
            .disable_introspection()
            .extension(introspection::IntrospectionDisabled);
    }
    if let Some(state) = state {
        let (decisions, summaries) = crate::notes::loaders::loaders(&state.db);
        builder = builder.data(decisions).data(summaries).data(state);
    }
    builder.finish()
}

/// The SDL that `lossy schema` prints and `schema.graphql` holds.
pub fn sdl() -> String {
    build_schema(&Config::local(".".into()), None).sdl()
}

/// What resolvers need from their context.
pub trait ContextExt {
    fn state(&self) -> &AppState;
    /// The caller, or `UNAUTHENTICATED`.
    fn viewer(&self) -> AppResult<&Viewer>;
    /// The caller when an admin, else `FORBIDDEN` (or `UNAUTHENTICATED`).
    fn admin(&self) -> AppResult<&Viewer>;
    /// Subscribes to `topic` and tells the socket layer the subscription is in place, so that
    /// operations sent after it on the same socket run only once it is.
    fn subscribe<T: Clone + Send + 'static>(&self, topic: &Topic<T>) -> BoxStream<'static, T>;
    /// The same for a stream the resolver subscribed itself (a keyed topic).
    fn subscribed<T>(&self, stream: BoxStream<'static, T>) -> BoxStream<'static, T>;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn viewer(&self) -> AppResult<&Viewer> {
        self.data_opt::<Viewer>()
            .ok_or_else(|| AppError::unauthenticated("sign in or send a bearer token"))
    }

    fn admin(&self) -> AppResult<&Viewer> {
        let viewer = self.viewer()?;
        viewer.require_admin()?;
        Ok(viewer)
    }

    fn subscribe<T: Clone + Send + 'static>(&self, topic: &Topic<T>) -> BoxStream<'static, T> {
        self.subscribed(topic.subscribe().boxed())
    }

    fn subscribed<T>(&self, stream: BoxStream<'static, T>) -> BoxStream<'static, T> {
        if let Some(registered) = self.data_opt::<SubscriptionRegistered>() {
            registered.signal();
        }
        stream
    }
}

/// Put into a subscription's request data by the socket layer; fired once the resolver has
/// subscribed. If the resolver fails first, the sender is dropped with the request, which the
/// socket layer treats the same way.
#[derive(Default)]
pub struct SubscriptionRegistered(Mutex<Option<oneshot::Sender<()>>>);

impl SubscriptionRegistered {
    pub fn new() -> (Self, oneshot::Receiver<()>) {
        let (tx, rx) = oneshot::channel();
        (SubscriptionRegistered(Mutex::new(Some(tx))), rx)
    }

    fn signal(&self) {
        if let Some(tx) = self.0.lock().ok().and_then(|mut slot| slot.take()) {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_schema_matches_the_code() {
        let committed = include_str!("../../../schema.graphql");
        assert!(
            committed == super::sdl(),
            "schema.graphql is stale: run `cargo run -p lossy-api -- schema > schema.graphql`"
        );
    }
}

#[cfg(test)]
mod error_code_tests {
    use super::*;

    async fn codes(query: &str) -> Vec<String> {
        let schema = build_schema(&Config::local(".".into()), None);
        let mut response = schema.execute(query).await;
        ensure_error_codes(&mut response.errors);
        response
            .errors
            .iter()
            .map(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|ext| ext.get("code"))
                    .map(|code| code.to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[tokio::test]
    async fn engine_errors_get_codes() {
        assert_eq!(codes("{").await, vec!["\"GRAPHQL_PARSE_FAILED\""]);
        assert_eq!(
            codes("{ nope }").await,
            vec!["\"GRAPHQL_VALIDATION_FAILED\""]
        );
        assert_eq!(codes("{ me { id } }").await, vec!["\"UNAUTHENTICATED\""]);
        assert_eq!(
            codes("query($v: Int!) { handshake(requestedVersion: $v) { serverTime } }").await,
            vec!["\"BAD_USER_INPUT\""],
            "a missing variable is the caller's input"
        );
    }
}
