//! One error type for the whole API. Each variant knows its GraphQL `extensions.code` and its
//! HTTP status. Internal errors are logged with their full cause chain under a short reference
//! and shown to clients only as that reference.
//!
//! `AppError` deliberately does not implement `Display`: async-graphql converts any `Display`
//! type into an error *without* a code, and that conversion would be picked silently by `?`.
//! Without `Display`, the only way into a GraphQL error is `From<AppError>` below, which always
//! sets `extensions.code`. Resolvers return `async_graphql::Result` and use `?` on `AppResult`.

use async_graphql::ErrorExtensions;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug)]
pub enum AppError {
    /// No credentials, or credentials that do not hold.
    Unauthenticated(String),
    /// Authenticated, but not allowed to do this.
    Forbidden(String),
    /// The input is wrong; `field` names the offending input field when there is one.
    BadUserInput {
        field: Option<String>,
        message: String,
    },
    /// The thing does not exist, or is not visible to the caller (never say which).
    NotFound(String),
    RateLimited(String),
    /// A write lost a race or was based on a stale version.
    Conflict(String),
    /// A domain-specific refusal with its own code (e.g. `PROTOCOL_V1_ACTIVE`).
    Refused {
        code: &'static str,
        status: StatusCode,
        message: String,
    },
    /// Anything the client cannot fix. Logged, never shown.
    Internal(anyhow::Error),
}

impl AppError {
    /// Whether the database failed the request (it could not be reached, or refused the
    /// statement), rather than the request or the server's own code.
    pub fn is_database(&self) -> bool {
        matches!(self, AppError::Internal(err) if err.downcast_ref::<sea_orm::DbErr>().is_some())
    }

    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadUserInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        AppError::Unauthenticated(message.into())
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::NotFound(what.into())
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::BadUserInput { .. } => "BAD_USER_INPUT",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::RateLimited(_) => "RATE_LIMITED",
            AppError::Conflict(_) => "CONFLICT",
            AppError::Refused { code, .. } => code,
            AppError::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadUserInput { .. } => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Refused { status, .. } => *status,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a client sees. For internal errors this logs the cause chain and returns
    /// only a reference that an operator can find in the logs.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Unauthenticated(message)
            | AppError::Forbidden(message)
            | AppError::RateLimited(message)
            | AppError::Conflict(message)
            | AppError::BadUserInput { message, .. }
            | AppError::Refused { message, .. } => message.clone(),
            AppError::NotFound(what) => format!("{what} not found"),
            AppError::Internal(cause) => {
                let reference = uuid::Uuid::new_v4().simple().to_string();
                let reference = &reference[..12];
                tracing::error!(error.reference = reference, error.cause = ?cause, "internal error");
                format!("internal server error (reference {reference})")
            }
        }
    }

    /// For command-line use, where the operator may see internal causes.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            AppError::Internal(cause) => cause,
            other => anyhow::anyhow!(other.public_message()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err)
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::Internal(anyhow::Error::new(err).context("database"))
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        let field = match &err {
            AppError::BadUserInput { field, .. } => field.clone(),
            _ => None,
        };
        async_graphql::Error::new(err.public_message()).extend_with(|_, ext| {
            ext.set("code", err.code());
            if let Some(field) = field {
                ext.set("field", field);
            }
        })
    }
}

/// REST answers (`/api/auth/*`): `{"error": {"code": "...", "message": "..."}}`.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut body = json!({ "code": self.code(), "message": self.public_message() });
        if let AppError::BadUserInput {
            field: Some(field), ..
        } = &self
        {
            body["field"] = json!(field);
        }
        (self.status(), Json(json!({ "error": body }))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = AppError::Internal(anyhow::anyhow!("password column missing"));
        let message = err.public_message();
        assert!(message.starts_with("internal server error (reference "));
        assert!(!message.contains("password"));
        assert_eq!(err.code(), "INTERNAL_SERVER_ERROR");
    }

    #[test]
    fn bad_input_names_the_field_in_graphql_extensions() {
        let gql: async_graphql::Error = AppError::bad_input("cooldownMs", "too large").into();
        let ext = gql.extensions.expect("extensions");
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from("BAD_USER_INPUT"))
        );
        assert_eq!(
            ext.get("field"),
            Some(&async_graphql::Value::from("cooldownMs"))
        );
    }

    #[test]
    fn only_the_databases_failures_are_database_errors() {
        let lost = sea_orm::DbErr::Conn(sea_orm::RuntimeErr::Internal("connection reset".into()));
        assert!(AppError::from(lost).is_database());
        assert!(!AppError::Internal(anyhow::anyhow!("an event does not read back")).is_database());
        assert!(!AppError::not_found("video").is_database());
    }
}
