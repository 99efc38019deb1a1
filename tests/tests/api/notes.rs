//! Notes: which structurer the server runs.

use lossy_tests::{spawn_app, spawn_app_with};

#[tokio::test]
async fn the_server_structures_notes_built_in_unless_an_llm_is_configured() {
    let app = spawn_app().await;
    assert_eq!(app.state.structurer.name(), "builtin");

    // Nothing listens there: the structurer is only built, and would fall back when asked.
    let with_llm = spawn_app_with(|config| {
        config.llm.base_url = Some("http://127.0.0.1:9/v1".parse().unwrap());
    })
    .await;
    assert_eq!(with_llm.state.structurer.name(), "llm");
}
