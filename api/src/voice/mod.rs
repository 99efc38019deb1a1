//! The voice session of PROTOCOL.md section 5: one listening period of one device on one tab,
//! whose state the server alone decides.
//!
//! - [`machine`]: the pure state machine (states, events, timers, commands). Start here.

pub mod machine;
