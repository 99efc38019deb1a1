//! Who is calling: users and their passwords, web sessions (dashboard cookie), devices (one per
//! installed extension) with their access and refresh tokens, origin checks, rate limits and
//! the audit log.
//!
//! Read in this order: `viewer` (what a request knows about its caller), `tokens`,
//! `devices`, `web_sessions`, `http` (the `/api/auth/*` endpoints), `graphql`; then
//! `admin_users` with `admin_users_graphql` (the admin console's Users page).

pub mod admin_users;
pub mod admin_users_graphql;
pub mod audit;
pub mod audit_log;
pub mod devices;
pub mod graphql;
pub mod http;
pub mod opaque;
pub mod origin;
pub mod password;
pub mod rate_limit;
pub mod secret;
pub mod tokens;
pub mod users;
pub mod viewer;
pub mod web_sessions;

pub use viewer::{Credential, Role, Viewer};
