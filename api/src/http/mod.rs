//! Plain HTTP pieces shared by the routes: JSON bodies with clear errors, client addresses,
//! health and metrics endpoints, request ids.

pub mod health;
pub mod json;

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

/// The peer address of a request, when the server was started with connect info.
pub fn client_ip(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}
