//! Gives engine errors an `extensions.code`. Our resolvers always set one (`AppError`); the
//! errors async-graphql raises itself do not. The parse and validation phases are wrapped so
//! their errors are coded exactly, without guessing from messages; whatever else arrives
//! without a code is about the request's input (argument coercion, an unknown operation name).

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerError, ServerResult, ValidationResult, Value, Variables};

pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

/// Install with `SchemaBuilder::extension(ErrorCodes)`.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|error| {
            // async-graphql checks its recursion and directive limits inside this phase. A
            // document that parses on its own failed one of those limits: a validation error.
            let code = if async_graphql::parser::parse_query(query).is_ok() {
                VALIDATION_FAILED
            } else {
                PARSE_FAILED
            };
            with_code(error, code)
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|error| with_code(error, VALIDATION_FAILED))
                .collect()
        })
    }
}

fn with_code(mut error: ServerError, code: &'static str) -> ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", Value::from(code));
    }
    error
}

/// Codes whatever is still uncoded in a response as `BAD_USER_INPUT`.
pub fn ensure_error_codes(errors: &mut [ServerError]) {
    for error in errors {
        let uncoded = error
            .extensions
            .as_ref()
            .is_none_or(|ext| ext.get("code").is_none());
        if uncoded {
            *error = with_code(
                std::mem::replace(error, ServerError::new("", None)),
                "BAD_USER_INPUT",
            );
        }
    }
}
