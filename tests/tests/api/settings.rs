//! Settings (PROTOCOL.md 5.5): defaults, partial updates with versions, range and cross-field
//! checks that write nothing, the transcription settings, optimistic concurrency,
//! `settingsChanged` to every socket of the user and to no one else, and the handshake
//! `config`.

use std::time::Duration;

use lossy_tests::ws::RawSocket;
use lossy_tests::{
    TestApp, assert_bad_user_input, error_code, protocol_defaults, spawn_app, subscribed_socket,
};
use serde_json::{Value, json};

/// The `settings` selection: every field of `UserSettings`.
const FIELDS: &str = "cooldownMs mergeWithinMs minSpeechMs maxSpeechMs autoPauseVideo \
    autoResumeDelayMs idleStopMs heartbeatIntervalMs heartbeatTimeoutMs maxRestarts \
    restartWindowMs sessionTtlMs startThreshold endThreshold minSilenceMs preRollMs \
    minConfidence preferredProtocolVersion clientPreferences transcriptionMode \
    transcriptionEndpoint transcriptionModel version updatedAt";

async fn read_settings(app: &TestApp, token: &str) -> Value {
    let body = app
        .graphql(
            token,
            &format!("{{ settings {{ {FIELDS} }} }}"),
            Value::Null,
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["settings"].clone()
}

/// `updateSettings` with `input`; answers the whole GraphQL body.
async fn update(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql(
        token,
        &format!(
            "mutation($input: UpdateSettingsInput!) {{ updateSettings(input: $input) {{ {FIELDS} }} }}"
        ),
        json!({ "input": input }),
    )
    .await
}

/// `updateSettings` with `input`, asserting it succeeded; answers the updated settings.
async fn update_ok(app: &TestApp, token: &str, input: Value) -> Value {
    let body = update(app, token, input.clone()).await;
    assert!(body["errors"].is_null(), "{input}: {body}");
    body["data"]["updateSettings"].clone()
}

/// An update of `cooldownMs` to `ms` that may only apply to `expectedVersion` `version`.
fn cooldown_expecting(ms: i64, version: i64) -> Value {
    json!({ "cooldownMs": ms, "expectedVersion": version })
}

async fn token_of_new_user(app: &TestApp) -> String {
    app.new_user_with_token().await.1.token
}

#[tokio::test]
async fn a_new_user_has_the_protocol_defaults() {
    let app = spawn_app().await;
    let token = token_of_new_user(&app).await;
    let settings = read_settings(&app, &token).await;
    for (name, default) in protocol_defaults().as_object().unwrap() {
        assert_eq!(&settings[name], default, "default of {name}: {settings}");
    }
    assert_eq!(settings["minConfidence"], json!(0.3));
    assert_eq!(settings["preferredProtocolVersion"], json!(2));
    assert_eq!(settings["clientPreferences"], json!({}));
    assert_eq!(settings["version"], json!(1));
    // Reading again gives the same answer: a read does not write a new version.
    assert_eq!(read_settings(&app, &token).await, settings);
}

#[tokio::test]
async fn a_partial_update_changes_only_the_given_fields_and_bumps_the_version() {
    let app = spawn_app().await;
    let token = token_of_new_user(&app).await;
    let before = read_settings(&app, &token).await;

    let after = update_ok(
        &app,
        &token,
        json!({ "cooldownMs": 800, "autoPauseVideo": false, "startThreshold": 0.7 }),
    )
    .await;
    let mut expected = before.clone();
    expected["cooldownMs"] = json!(800);
    expected["autoPauseVideo"] = json!(false);
    expected["startThreshold"] = json!(0.7);
    expected["version"] = json!(2);
    expected["updatedAt"] = after["updatedAt"].clone();
    assert_eq!(after, expected);
    assert_eq!(
        read_settings(&app, &token).await,
        after,
        "stored as answered"
    );

    // A second update keeps the first one's changes.
    let answer = update(
        &app,
        &token,
        json!({ "maxRestarts": 5, "clientPreferences": { "theme": "dark" } }),
    )
    .await;
    let third = answer["data"]["updateSettings"].clone();
    assert_eq!(third["cooldownMs"], json!(800), "{answer}");
    assert_eq!(third["autoPauseVideo"], json!(false));
    assert_eq!(third["maxRestarts"], json!(5));
    assert_eq!(third["clientPreferences"], json!({ "theme": "dark" }));
    assert_eq!(third["version"], json!(3));
    assert_eq!(read_settings(&app, &token).await, third);
}

#[tokio::test]
async fn out_of_range_values_are_refused_on_their_field_and_write_nothing() {
    let app = spawn_app().await;
    let token = token_of_new_user(&app).await;
    // A stored, non-default starting point, so "nothing changed" means more than defaults.
    let baseline = update(&app, &token, json!({ "cooldownMs": 700 })).await;
    let baseline = baseline["data"]["updateSettings"].clone();
    assert_eq!(baseline["version"], json!(2));

    let cases = [
        (json!({ "cooldownMs": -1 }), "cooldownMs"),
        (json!({ "cooldownMs": 10001 }), "cooldownMs"),
        (json!({ "maxSpeechMs": 999 }), "maxSpeechMs"),
        (json!({ "idleStopMs": 3600001 }), "idleStopMs"),
        (json!({ "heartbeatIntervalMs": 999 }), "heartbeatIntervalMs"),
        (json!({ "maxRestarts": 21 }), "maxRestarts"),
        (json!({ "sessionTtlMs": 59999 }), "sessionTtlMs"),
        (json!({ "startThreshold": 1.5 }), "startThreshold"),
        (json!({ "endThreshold": -0.1 }), "endThreshold"),
        (json!({ "minConfidence": 1.01 }), "minConfidence"),
        (json!({ "preRollMs": 2001 }), "preRollMs"),
        (
            json!({ "preferredProtocolVersion": 3 }),
            "preferredProtocolVersion",
        ),
        (json!({ "clientPreferences": [1, 2] }), "clientPreferences"),
        // Rules between settings: the field the patch set is blamed.
        (json!({ "endThreshold": 0.6 }), "endThreshold"),
        (json!({ "endThreshold": 0.65 }), "endThreshold"),
        (json!({ "startThreshold": 0.3 }), "startThreshold"),
        (json!({ "mergeWithinMs": 701 }), "mergeWithinMs"),
        (json!({ "cooldownMs": 100 }), "cooldownMs"),
        (
            json!({ "minSpeechMs": 3000, "maxSpeechMs": 3000 }),
            "minSpeechMs",
        ),
        (json!({ "heartbeatTimeoutMs": 9999 }), "heartbeatTimeoutMs"),
        (
            json!({ "heartbeatIntervalMs": 10000 }),
            "heartbeatIntervalMs",
        ),
        // One bad field spoils a patch with good ones.
        (json!({ "maxRestarts": 4, "preRollMs": -5 }), "preRollMs"),
    ];
    for (input, field) in cases {
        let answer = update(&app, &token, input.clone()).await;
        assert_bad_user_input(&answer, field, &input);
        assert!(answer["data"].is_null(), "{input}: {answer}");
        assert_eq!(
            read_settings(&app, &token).await,
            baseline,
            "{input} changed the stored settings"
        );
    }

    // A number outside its range is refused with the range in the message, which the web app
    // shows beside the field; beyond 32 bits too, rather than as a bare type error.
    let ranges = [
        (
            json!({ "cooldownMs": 10001 }),
            "cooldownMs must be between 0 and 10000",
        ),
        (
            json!({ "cooldownMs": 3_000_000_000i64 }),
            "cooldownMs must be between 0 and 10000",
        ),
        (
            json!({ "sessionTtlMs": -1 }),
            "sessionTtlMs must be between 60000 and 86400000",
        ),
        (
            json!({ "startThreshold": 1.5 }),
            "startThreshold must be between 0 and 1",
        ),
        (
            json!({ "preferredProtocolVersion": 0 }),
            "preferredProtocolVersion must be between 1 and 2",
        ),
    ];
    for (input, range) in ranges {
        let answer = update(&app, &token, input.clone()).await;
        let field = range.split(' ').next().unwrap_or_default();
        assert_bad_user_input(&answer, field, &input);
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(range), "{input}: {answer}");
    }
    assert_eq!(read_settings(&app, &token).await, baseline);

    // The boundaries themselves are allowed, and a patch that moves both sides of a rule is
    // judged on the result.
    let answer = update_ok(
        &app,
        &token,
        json!({ "startThreshold": 0.3, "endThreshold": 0.2, "cooldownMs": 10000, "maxRestarts": 20 }),
    )
    .await;
    assert_eq!(answer["version"], json!(3));
}

#[tokio::test]
async fn a_stale_expected_version_is_a_conflict_and_writes_nothing() {
    let app = spawn_app().await;
    let token = token_of_new_user(&app).await;
    let first = update(&app, &token, cooldown_expecting(900, 1)).await;
    assert_eq!(
        first["data"]["updateSettings"]["version"],
        json!(2),
        "{first}"
    );
    let stored = read_settings(&app, &token).await;

    let stale = update(&app, &token, cooldown_expecting(600, 1)).await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    assert!(stale["data"].is_null());
    assert_eq!(read_settings(&app, &token).await, stored, "nothing written");

    let ahead = update(&app, &token, cooldown_expecting(600, 7)).await;
    assert_eq!(error_code(&ahead), Some("CONFLICT"), "{ahead}");
    assert_eq!(read_settings(&app, &token).await, stored, "nothing written");

    let current = update(&app, &token, cooldown_expecting(600, 2)).await;
    assert_eq!(
        current["data"]["updateSettings"]["cooldownMs"],
        json!(600),
        "{current}"
    );
    assert_eq!(current["data"]["updateSettings"]["version"], json!(3));
}

#[tokio::test]
async fn settings_are_per_user() {
    let app = spawn_app().await;
    let alice = token_of_new_user(&app).await;
    let bob = token_of_new_user(&app).await;
    let bobs_before = read_settings(&app, &bob).await;

    update_ok(
        &app,
        &alice,
        json!({ "cooldownMs": 900, "minSilenceMs": 800 }),
    )
    .await;

    assert_eq!(read_settings(&app, &bob).await, bobs_before);
    assert_eq!(bobs_before["cooldownMs"], json!(500));
    let alices = read_settings(&app, &alice).await;
    assert_eq!(alices["cooldownMs"], json!(900));
    assert_eq!(alices["minSilenceMs"], json!(800));

    // Two devices of one user share the settings.
    let (_, laptop, desktop) = app.new_user_with_two_devices().await;
    update(&app, &laptop.token, json!({ "preRollMs": 300 })).await;
    assert_eq!(
        read_settings(&app, &desktop.token).await["preRollMs"],
        json!(300)
    );
}

#[tokio::test]
async fn transcription_settings_are_validated_stored_and_cleared() {
    let app = spawn_app().await;
    let token = token_of_new_user(&app).await;
    let defaults = read_settings(&app, &token).await;
    assert_eq!(defaults["transcriptionMode"], json!("ON_DEVICE"));
    assert_eq!(defaults["transcriptionEndpoint"], Value::Null);
    assert_eq!(defaults["transcriptionModel"], json!("whisper-base.en"));

    let long_endpoint = format!("https://example.com/{}", "v".repeat(481));
    let refused = [
        // ENDPOINT needs an endpoint, stored or in the same update.
        (
            json!({ "transcriptionMode": "ENDPOINT" }),
            "transcriptionEndpoint",
        ),
        (
            json!({ "transcriptionMode": "ENDPOINT", "transcriptionEndpoint": null }),
            "transcriptionEndpoint",
        ),
        (
            json!({ "transcriptionEndpoint": "127.0.0.1:8000/v1" }),
            "transcriptionEndpoint",
        ),
        (
            json!({ "transcriptionEndpoint": "ftp://example.com/v1" }),
            "transcriptionEndpoint",
        ),
        (
            json!({ "transcriptionEndpoint": "" }),
            "transcriptionEndpoint",
        ),
        (
            json!({ "transcriptionEndpoint": long_endpoint }),
            "transcriptionEndpoint",
        ),
        (
            json!({ "transcriptionEndpoint": "https://me:key@example.com/v1" }),
            "transcriptionEndpoint",
        ),
        (json!({ "transcriptionModel": "   " }), "transcriptionModel"),
        (
            json!({ "transcriptionModel": "m".repeat(101) }),
            "transcriptionModel",
        ),
    ];
    for (input, field) in refused {
        let answer = update(&app, &token, input.clone()).await;
        assert_bad_user_input(&answer, field, &input);
        assert_eq!(read_settings(&app, &token).await, defaults, "{input}");
    }

    // Chosen with an endpoint in the same update: stored, trimmed.
    let chosen = update_ok(
        &app,
        &token,
        json!({
            "transcriptionMode": "ENDPOINT",
            "transcriptionEndpoint": "http://127.0.0.1:8000/v1",
            "transcriptionModel": "  whisper-1 ",
        }),
    )
    .await;
    assert_eq!(chosen["transcriptionMode"], json!("ENDPOINT"));
    assert_eq!(
        chosen["transcriptionEndpoint"],
        json!("http://127.0.0.1:8000/v1")
    );
    assert_eq!(chosen["transcriptionModel"], json!("whisper-1"));
    assert_eq!(chosen["version"], json!(2));
    assert_eq!(
        read_settings(&app, &token).await,
        chosen,
        "stored as answered"
    );

    // Left out, the endpoint stays; null while ENDPOINT is in force is refused.
    let kept = update_ok(&app, &token, json!({ "cooldownMs": 900 })).await;
    assert_eq!(
        kept["transcriptionEndpoint"],
        json!("http://127.0.0.1:8000/v1")
    );
    let answer = update(&app, &token, json!({ "transcriptionEndpoint": null })).await;
    assert_bad_user_input(&answer, "transcriptionEndpoint", "clearing it in use");
    assert_eq!(read_settings(&app, &token).await, kept);

    // Back on the device, null clears it.
    let cleared = update_ok(
        &app,
        &token,
        json!({ "transcriptionMode": "ON_DEVICE", "transcriptionEndpoint": null }),
    )
    .await;
    assert_eq!(cleared["transcriptionMode"], json!("ON_DEVICE"));
    assert_eq!(cleared["transcriptionEndpoint"], Value::Null);
    assert_eq!(cleared["transcriptionModel"], json!("whisper-1"));
    assert_eq!(cleared["version"], json!(4));
    assert_eq!(read_settings(&app, &token).await, cleared);
}

const SETTINGS_CHANGED: &str = "subscription { settingsChanged { cooldownMs startThreshold \
    transcriptionMode transcriptionEndpoint transcriptionModel version } }";

#[tokio::test]
async fn settings_changed_reaches_every_socket_of_the_user_and_no_one_else() {
    let app = spawn_app().await;
    let (_, laptop, desktop) = app.new_user_with_two_devices().await;
    let (_, stranger) = app.new_user_with_token().await;

    let mut sockets = Vec::new();
    for token in [&laptop.token, &desktop.token, &stranger.token] {
        sockets.push(subscribed_socket(&app, token, "settings", SETTINGS_CHANGED).await);
    }
    let [mut on_laptop, mut on_desktop, mut strangers] = sockets.try_into().ok().unwrap();

    update_ok(
        &app,
        &laptop.token,
        json!({
            "cooldownMs": 750,
            "startThreshold": 0.8,
            "transcriptionMode": "ENDPOINT",
            "transcriptionEndpoint": "https://stt.example.com/v1",
        }),
    )
    .await;
    let expected = json!({
        "type": "next",
        "id": "settings",
        "payload": { "data": { "settingsChanged": {
            "cooldownMs": 750,
            "startThreshold": 0.8,
            "transcriptionMode": "ENDPOINT",
            "transcriptionEndpoint": "https://stt.example.com/v1",
            "transcriptionModel": "whisper-base.en",
            "version": 2,
        } } },
    });
    assert_eq!(on_laptop.next_json().await, expected);
    assert_eq!(on_desktop.next_json().await, expected, "the other device");
    strangers.expect_silence(Duration::from_millis(300)).await;

    // The stranger's own change reaches the stranger only.
    update_ok(&app, &stranger.token, json!({ "cooldownMs": 1000 })).await;
    let event = strangers.next_json().await;
    assert_eq!(
        event["payload"]["data"]["settingsChanged"]["cooldownMs"],
        json!(1000)
    );
    on_laptop.expect_silence(Duration::from_millis(300)).await;
    on_desktop.expect_silence(Duration::from_millis(100)).await;

    // A refused update is not an event.
    let refused = update(&app, &laptop.token, json!({ "cooldownMs": -5 })).await;
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"));
    on_laptop.expect_silence(Duration::from_millis(300)).await;
}

/// `settingsChanged(since:)`: what a client that resubscribes after a gap would have missed.
const SETTINGS_SINCE: &str = "subscription($since: Int) { settingsChanged(since: $since) { \
    cooldownMs version } }";

#[tokio::test]
async fn settings_changed_since_a_version_delivers_the_newer_stored_settings_first() {
    let app = spawn_app().await;
    let token = token_of_new_user(&app).await;
    // Versions 2 and 3 are written while this client holds version 1.
    update_ok(&app, &token, json!({ "cooldownMs": 600 })).await;
    update_ok(&app, &token, json!({ "cooldownMs": 700 })).await;

    let mut behind = RawSocket::connect(&app.ws_url(), None).await;
    behind.init(&token).await;
    behind
        .subscribe("behind", SETTINGS_SINCE, json!({ "since": 1 }))
        .await;
    let first = behind.next_json().await;
    assert_eq!(
        first["payload"]["data"]["settingsChanged"],
        json!({ "cooldownMs": 700, "version": 3 }),
        "the stored settings, once: {first}"
    );

    // A client already holding the newest version hears only later writes, each once.
    let mut current = RawSocket::connect(&app.ws_url(), None).await;
    current.init(&token).await;
    current
        .subscribe("current", SETTINGS_SINCE, json!({ "since": 3 }))
        .await;
    current.expect_silence(Duration::from_millis(300)).await;
    update_ok(&app, &token, json!({ "cooldownMs": 800 })).await;
    for socket in [&mut behind, &mut current] {
        let next = socket.next_json().await;
        assert_eq!(
            next["payload"]["data"]["settingsChanged"],
            json!({ "cooldownMs": 800, "version": 4 }),
            "{next}"
        );
        socket.expect_silence(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn the_handshake_config_reflects_updated_settings() {
    let app = spawn_app().await;
    let token = token_of_new_user(&app).await;
    let query = "{ handshake(requestedVersion: 2) { config } }";
    let before = app.graphql(&token, query, Value::Null).await;
    assert_eq!(
        before["data"]["handshake"]["config"],
        protocol_defaults(),
        "{before}"
    );

    update_ok(
        &app,
        &token,
        json!({
            "cooldownMs": 700,
            "startThreshold": 0.7,
            "endThreshold": 0.4,
            "heartbeatIntervalMs": 4000,
            "autoPauseVideo": false,
            "transcriptionMode": "ENDPOINT",
            "transcriptionEndpoint": "http://127.0.0.1:8000/v1",
            "transcriptionModel": "whisper-small",
        }),
    )
    .await;
    let mut expected = protocol_defaults();
    expected["transcriptionMode"] = json!("ENDPOINT");
    expected["transcriptionEndpoint"] = json!("http://127.0.0.1:8000/v1");
    expected["transcriptionModel"] = json!("whisper-small");
    expected["cooldownMs"] = json!(700);
    expected["startThreshold"] = json!(0.7);
    expected["endThreshold"] = json!(0.4);
    expected["heartbeatIntervalMs"] = json!(4000);
    expected["autoPauseVideo"] = json!(false);

    let after = app.graphql(&token, query, Value::Null).await;
    assert_eq!(after["data"]["handshake"]["config"], expected, "{after}");
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    let ack = socket.init(&token).await;
    assert_eq!(ack["config"], expected, "connection_ack config");
}
