//! The schema root: merges each feature's `Query`, `Mutation` and `Subscription` and applies
//! the limits. What every feature's resolvers use (their context, ids, pagination) is in
//! `crate::graphql_kit`, so features depend on the kit, not on the root that depends on them.
//! Transports live beside it:
//! `http` for `POST /graphql`, `crate::ws` for sockets (GraphiQL's page is the web app's,
//! `crate::web`).

pub mod document_cache;
pub mod error_codes;
pub mod http;
pub mod introspection;

pub use error_codes::ensure_error_codes;

use async_graphql::{MergedObject, MergedSubscription, Schema};

use crate::config::Config;
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
    crate::analytics::graphql::AnalyticsQuery,
    crate::platforms::graphql::PlatformsQuery,
    crate::notes::graphql::NotesQuery,
    crate::context::graphql::ContextQuery,
    crate::voice::live_graphql::LiveQuery,
    crate::health::HealthQuery,
    crate::auth::admin_users_graphql::UsersQuery,
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
    crate::auth::admin_users_graphql::UsersMutation,
);

#[derive(MergedSubscription, Default)]
pub struct Subscription(
    crate::settings::graphql::SettingsSubscription,
    crate::flags::graphql::FlagsSubscription,
    crate::voice::graphql::VoiceSubscription,
    crate::notes::graphql::NotesSubscription,
    crate::context::graphql::ContextSubscription,
    crate::voice::live_graphql::LiveSubscription,
);

pub type LossySchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema with the configured limits. `state` is absent only when printing the SDL.
pub fn build_schema(config: &Config, state: Option<AppState>) -> LossySchema {
    build_schema_keeping(config, state, document_cache::DocumentCache::default())
}

/// Builds the schema, keeping its parsed documents in `documents` (which the caller may read
/// too).
pub fn build_schema_keeping(
    config: &Config,
    state: Option<AppState>,
    documents: document_cache::DocumentCache,
) -> LossySchema {
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
    // Innermost, so the extensions above still check every document, cached or not.
    builder = builder.extension(documents);
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
