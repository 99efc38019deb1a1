//! The kit every feature's GraphQL uses: [`ContextExt`] (the app, the caller, subscriptions in
//! place), [`parse_id`], and Relay [`pagination`]. The schema root (`crate::graphql`) merges the
//! features; the features depend on this kit only, and stores on neither.

mod context;
mod ids;
pub mod pagination;

pub use context::{ContextExt, SubscriptionRegistered};
pub use ids::parse_id;
