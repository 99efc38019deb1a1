//! Voice sessions over real sockets: a full utterance, socket loss with replay, a server
//! restart, isolation between users, the v1 switch and bad input.

use std::time::Duration;

use lossy_tests::extension::{
    EVENT, Extension, START, heartbeat, reviewer_with, speech_end, speech_start,
};
use lossy_tests::{TestApp, Tokens, assert_bad_user_input, error_code, eventually, spawn_app};
use serde_json::{Value, json};
use uuid::Uuid;

const RESUME: &str = "mutation($input: ResumeVoiceSessionInput!) { resumeVoiceSession(input: $input) { outcome reason state appliedSeq snapshot { id state lastAppliedSeq } } }";
const SESSION: &str =
    "query($id: ID!) { voiceSession(id: $id) { id state lastAppliedSeq endReason } }";

/// The settings of a reviewer whose timers are short enough to watch them fire in a test.
const SHORT_TIMERS: &str = "cooldownMs: 150, mergeWithinMs: 50, autoResumeDelayMs: 200";

async fn reviewer(app: &TestApp) -> Tokens {
    reviewer_with(app, SHORT_TIMERS).await
}

/// A reviewer with `settings`, connected, with a started session.
async fn started_session(app: &TestApp, settings: &str) -> (Tokens, Extension, String) {
    let tokens = reviewer_with(app, settings).await;
    let mut extension = Extension::connect(app, &tokens).await;
    let session = extension.start().await;
    (tokens, extension, session)
}

async fn session_state(app: &TestApp, token: &str, session: &str) -> Value {
    app.graphql(token, SESSION, json!({ "id": session })).await["data"]["voiceSession"].clone()
}

#[tokio::test]
async fn a_full_utterance_pauses_then_resumes_the_video() {
    let app = spawn_app().await;
    let (tokens, mut extension, session) = started_session(&app, SHORT_TIMERS).await;

    let ack = extension.event(speech_start(&session, 1, "u1")).await;
    assert_eq!(
        ack,
        json!({ "sessionId": session, "appliedSeq": 1, "state": "RECORDING", "outcome": "APPLIED", "reason": null })
    );
    let paused = extension.command("PAUSE_VIDEO").await;
    assert_eq!(paused["state"], "RECORDING");
    assert_eq!(paused["counters"]["speechDetections"], 1);

    let ack = extension.event(speech_end(&session, 2, "u1", 1800)).await;
    assert_eq!(ack["state"], "COOLDOWN");
    assert_eq!(ack["appliedSeq"], 2);

    // The server's own timers: cooldown ends, then the video resumes.
    let resumed = extension.command("RESUME_VIDEO").await;
    assert_eq!(resumed["seq"], 2);
    let stored = session_state(&app, &tokens.token, &session).await;
    assert_eq!(stored["state"], "OBSERVING", "{stored}");
    assert_eq!(stored["lastAppliedSeq"], 2);

    let metrics = app.metrics().await;
    for expected in [
        r#"lossy_voice_transitions_total{from="observing",to="recording"}"#,
        "lossy_voice_event_to_status_seconds_count",
        r#"lossy_voice_sessions{state="observing"}"#,
    ] {
        assert!(metrics.contains(expected), "/metrics lacks {expected}");
    }

    // Every transition was written before it was published.
    let transitions = transitions(&app, &session).await;
    assert_eq!(
        transitions,
        vec![
            ("new", "observing"),
            ("observing", "recording"),
            ("recording", "cooldown"),
            ("cooldown", "observing")
        ]
    );
}

async fn transitions(app: &TestApp, session: &str) -> Vec<(&'static str, &'static str)> {
    use lossy_entities::voice_session_transitions as t;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let rows = t::Entity::find()
        .filter(t::Column::SessionId.eq(Uuid::parse_str(session).unwrap()))
        .order_by_asc(t::Column::OccurredAt)
        .all(&app.state.db)
        .await
        .unwrap();
    rows.into_iter()
        .map(|row| (leak(row.from_state), leak(row.to_state)))
        .collect()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[tokio::test]
async fn a_socket_lost_mid_utterance_resumes_on_a_new_socket_with_replay() {
    let app = spawn_app().await;
    let tokens = reviewer(&app).await;
    let mut first = Extension::connect(&app, &tokens).await;
    let session = first.start().await;
    first.event(speech_start(&session, 1, "u1")).await;
    first.socket.close().await;

    let token = tokens.token.clone();
    let disconnected = eventually(Duration::from_secs(5), || {
        let (app, token, session) = (&app, &token, &session);
        async move { session_state(app, token, session).await["state"] == "DISCONNECTED" }
    })
    .await;
    assert!(disconnected, "the session noticed its socket closing");

    // The new socket replays what the old one had not had acknowledged: seq 1 again (already
    // applied), then 2 and 3.
    let mut second = Extension::connect(&app, &tokens).await;
    let resumed = second
        .call(
            RESUME,
            json!({ "input": {
                "sessionId": session,
                "lastKnownState": { "sessionId": session, "state": "RECORDING", "seq": 1 },
                "events": [speech_start(&session, 1, "u1"), speech_end(&session, 2, "u1", 1500), heartbeat(&session, 3)],
            }}),
        )
        .await;
    let result = &resumed["data"]["resumeVoiceSession"];
    assert_eq!(result["outcome"], "APPLIED", "{resumed}");
    assert_eq!(result["appliedSeq"], 3);
    assert_eq!(result["state"], "COOLDOWN");

    // A gap (seq 5 without 4) is answered with RESET, a snapshot, and RESET_SESSION.
    let gap = second
        .call(
            RESUME,
            json!({ "input": { "sessionId": session, "events": [heartbeat(&session, 5)] } }),
        )
        .await;
    let result = &gap["data"]["resumeVoiceSession"];
    assert_eq!(result["outcome"], "RESET", "{gap}");
    assert_eq!(result["reason"], "gap");
    assert_eq!(result["appliedSeq"], 3);
    assert_eq!(result["snapshot"]["lastAppliedSeq"], 3);
    second.command("RESET_SESSION").await;

    // After the reset the client continues from the snapshot.
    let ack = second.event(heartbeat(&session, 4)).await;
    assert_eq!(ack["outcome"], "APPLIED");
}

#[tokio::test]
async fn a_session_survives_a_server_restart_and_resumes() {
    let app = spawn_app().await;
    let (tokens, mut extension, session) = started_session(&app, SHORT_TIMERS).await;
    extension.event(speech_start(&session, 1, "u1")).await;

    let app = app.restart().await;
    let rebuilt = session_state(&app, &tokens.token, &session).await;
    assert_eq!(rebuilt["state"], "DISCONNECTED", "{rebuilt}");
    assert_eq!(rebuilt["lastAppliedSeq"], 1);

    let mut extension = Extension::connect(&app, &tokens).await;
    let resumed = extension
        .call(RESUME, json!({ "input": { "sessionId": session, "events": [speech_end(&session, 2, "u1", 1500)] } }))
        .await;
    let result = &resumed["data"]["resumeVoiceSession"];
    assert_eq!(result["outcome"], "APPLIED", "{resumed}");
    assert_eq!(result["state"], "COOLDOWN");
    assert_eq!(result["appliedSeq"], 2);
}

#[tokio::test]
async fn two_users_never_see_each_others_sessions() {
    let app = spawn_app().await;
    let (alice, bob) = (reviewer(&app).await, reviewer(&app).await);
    let mut alice_ext = Extension::connect(&app, &alice).await;
    let mut bob_ext = Extension::connect(&app, &bob).await;
    let alice_session = alice_ext.start().await;
    bob_ext.start().await;
    bob_ext.status().await; // Bob's own start.

    alice_ext.event(speech_start(&alice_session, 1, "a1")).await;
    alice_ext.command("PAUSE_VIDEO").await;
    assert_eq!(bob_ext.statuses().count(), 0);
    bob_ext
        .socket
        .expect_silence(Duration::from_millis(300))
        .await;

    let driven = bob_ext.event(heartbeat(&alice_session, 2)).await;
    assert!(driven.is_null());
    let read = app
        .graphql(&bob.token, SESSION, json!({ "id": alice_session }))
        .await;
    assert_eq!(error_code(&read), Some("NOT_FOUND"), "{read}");
    let call = bob_ext
        .call(EVENT, json!({ "input": heartbeat(&alice_session, 2) }))
        .await;
    assert_eq!(
        call["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{call}"
    );
}

#[tokio::test]
async fn starting_on_another_tab_closes_the_previous_session() {
    let app = spawn_app().await;
    let tokens = reviewer(&app).await;
    let mut extension = Extension::connect(&app, &tokens).await;
    let first = extension.start().await;
    let second = extension.start().await;
    assert_ne!(first, second);
    let closed = eventually(Duration::from_secs(5), || {
        let (app, token, first) = (&app, &tokens.token, &first);
        async move { session_state(app, token, first).await["endReason"] == "context_moved" }
    })
    .await;
    assert!(closed, "the previous session closed with context_moved");
    let stopped = extension.command("STOP_CAPTURE").await;
    assert_eq!(stopped["sessionId"], first.as_str());
    assert_eq!(stopped["commandReason"], "context_moved");
}

#[tokio::test]
async fn with_the_voice_flag_off_voice_mutations_say_protocol_v1() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    lossy_api::flags::store::set_override(
        &app.state.db,
        "server_voice_session",
        browser.user_id,
        Some(false),
    )
    .await
    .unwrap_or_else(|e| panic!("override not written: {e:?}"));
    let answer = app
        .graphql(&tokens.token, START, json!({ "tab": 1, "page": "page-1" }))
        .await;
    assert_eq!(error_code(&answer), Some("PROTOCOL_V1_ACTIVE"), "{answer}");
}

#[tokio::test]
async fn bad_voice_input_is_refused_or_ignored_with_a_reason() {
    let app = spawn_app().await;
    let (_, mut extension, session) = started_session(&app, SHORT_TIMERS).await;

    let refused = extension
        .call(EVENT, json!({ "input": heartbeat(&session, 0) }))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["field"], "seq",
        "{refused}"
    );
    let mut no_media_time = speech_start(&session, 1, "u1");
    no_media_time["mediaTime"] = Value::Null;
    let refused = extension
        .call(EVENT, json!({ "input": no_media_time }))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["field"], "mediaTime",
        "{refused}"
    );

    let ignored = extension
        .event(speech_end(&session, 1, "never-started", 900))
        .await;
    assert_eq!(ignored["outcome"], "IGNORED");
    assert_eq!(ignored["reason"], "no_utterance");
    assert_eq!(
        ignored["appliedSeq"], 1,
        "ignored events advance appliedSeq"
    );

    let mut future = heartbeat(&session, 2);
    future["occurredAt"] = json!(chrono::Utc::now() + chrono::Duration::hours(1));
    let ignored = extension.event(future).await;
    assert_eq!(ignored["reason"], "future_timestamp");

    let too_many: Vec<Value> = (3..=103).map(|seq| heartbeat(&session, seq)).collect();
    let refused = extension
        .call(
            RESUME,
            json!({ "input": { "sessionId": session, "events": too_many } }),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["field"], "events",
        "{refused}"
    );
    let unknown = extension
        .event(heartbeat(&Uuid::new_v4().to_string(), 3))
        .await;
    assert!(unknown.is_null());

    let metrics = "mutation($s: ID!) { reportVoiceMetrics(input: { sessionId: $s, meanSpeechProbability: 0.2, maxSpeechProbability: 0.9, frames: 50, latencyMs: 12 }) }";
    let first = extension.call(metrics, json!({ "s": session })).await;
    assert_eq!(first["data"]["reportVoiceMetrics"], true, "{first}");
    let second = extension.call(metrics, json!({ "s": session })).await;
    assert_eq!(
        second["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{second}"
    );

    let stopped = extension
        .call(
            "mutation($s: ID!) { stopVoiceSession(sessionId: $s) { state endReason } }",
            json!({ "s": session }),
        )
        .await;
    assert_eq!(
        stopped["data"]["stopVoiceSession"],
        json!({ "state": "CLOSED", "endReason": "user_stopped" })
    );
    let closed = extension
        .call(EVENT, json!({ "input": heartbeat(&session, 3) }))
        .await;
    assert_eq!(
        closed["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{closed}"
    );

    // Every refusal above was recorded, with its code and field.
    let recorded = eventually(Duration::from_secs(5), || async {
        refusals(&app).await.len() >= 6
    })
    .await;
    let refusals = refusals(&app).await;
    assert!(recorded, "refusals recorded: {refusals:?}");
    for (operation, code, field) in [
        ("voiceEvent", "BAD_USER_INPUT", Some("seq")),
        ("voiceEvent", "BAD_USER_INPUT", Some("mediaTime")),
        ("resumeVoiceSession", "BAD_USER_INPUT", Some("events")),
        ("reportVoiceMetrics", "RATE_LIMITED", None),
        ("voiceEvent", "NOT_FOUND", None),
    ] {
        let expected = (
            operation.to_owned(),
            code.to_owned(),
            field.map(str::to_owned),
        );
        assert!(
            refusals.contains(&expected),
            "{expected:?} not in {refusals:?}"
        );
    }
}

/// The `voice.refused` telemetry rows as (operation, code, field).
async fn refusals(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    use lossy_entities::telemetry_events as t;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    t::Entity::find()
        .filter(t::Column::Name.eq("voice.refused"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            let p = row.properties;
            (
                p["operation"].as_str().unwrap_or_default().to_owned(),
                p["code"].as_str().unwrap_or_default().to_owned(),
                p["field"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_flood_of_server_telemetry_never_holds_up_a_voice_status() {
    let app = lossy_tests::spawn_app_with(|c| c.telemetry_queue_capacity = 4).await;
    let (_, mut extension, session) = started_session(&app, SHORT_TIMERS).await;

    // Fill the queue far past its capacity while the session works: recording drops instead
    // of waiting, so the session's status still comes.
    let recorder = app.state.telemetry.clone();
    let flood = tokio::task::spawn_blocking(move || {
        for i in 0..200_000 {
            recorder.record(
                lossy_api::telemetry::ServerEvent::new(
                    "load.flood",
                    lossy_api::telemetry::TelemetryLevel::Debug,
                )
                .properties(json!({ "i": i })),
            );
        }
        recorder.dropped()
    });
    let ack = extension.event(speech_start(&session, 1, "u1")).await;
    assert_eq!(ack["outcome"], "APPLIED");
    extension.command("PAUSE_VIDEO").await;
    let dropped = flood.await.unwrap();
    assert!(
        dropped > 190_000,
        "the full queue dropped events ({dropped})"
    );
}

#[tokio::test]
async fn no_event_for_the_heartbeat_timeout_disconnects_the_session() {
    let app = spawn_app().await;
    let (_, mut extension, session) =
        started_session(&app, "heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 2000").await;
    extension.event(heartbeat(&session, 1)).await;
    let status = loop {
        let status = extension.status().await;
        if status["state"] == "DISCONNECTED" {
            break status;
        }
    };
    assert_eq!(status["cause"], "heartbeat_timeout");
    assert_eq!(status["previousState"], "OBSERVING");
}

#[tokio::test]
async fn speech_without_an_end_is_stopped_at_the_maximum() {
    let app = spawn_app().await;
    let (_, mut extension, session) = started_session(&app, "maxSpeechMs: 1000").await;
    extension.event(speech_start(&session, 1, "long")).await;
    let stopped = extension.command("STOP_UTTERANCE").await;
    assert_eq!(stopped["state"], "COOLDOWN");
    assert_eq!(stopped["cause"], "max_speech");
}

#[tokio::test]
async fn errors_restart_capture_until_the_circuit_opens() {
    let app = spawn_app().await;
    let (_, mut extension, session) = started_session(&app, "maxRestarts: 2").await;
    let error = |seq: i64| json!({ "sessionId": session, "seq": seq, "kind": "ERROR", "occurredAt": chrono::Utc::now(), "message": "mic lost" });
    for seq in 1..=2 {
        assert_eq!(extension.event(error(seq)).await["state"], "ERROR");
        let restart = extension.command("RESTART_CAPTURE").await;
        assert!(restart["seq"].as_i64() == Some(seq), "{restart}");
    }
    extension.event(error(3)).await;
    let open = extension.command("STOP_CAPTURE").await;
    assert_eq!(open["commandReason"], "circuit_open");
    assert_eq!(open["state"], "ERROR");
}

#[tokio::test]
async fn turning_the_voice_flag_off_mid_session_takes_effect_at_once() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let mut extension = Extension::connect(&app, &tokens).await;
    let session = extension.start().await;
    assert_eq!(
        extension.event(heartbeat(&session, 1)).await["outcome"],
        "APPLIED"
    );

    let admin = app.admin_token().await;
    let off = app
        .graphql(
            &admin,
            "mutation($user: ID!) { setFeatureFlagOverride(input: { name: \"server_voice_session\", userId: $user, enabled: false }) { name } }",
            json!({ "user": browser.user_id }),
        )
        .await;
    assert_eq!(
        off["data"]["setFeatureFlagOverride"]["name"], "server_voice_session",
        "{off}"
    );
    let refused = extension
        .call(EVENT, json!({ "input": heartbeat(&session, 2) }))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "PROTOCOL_V1_ACTIVE",
        "{refused}"
    );
}

#[tokio::test]
async fn voice_status_starts_from_now_and_a_subscriber_that_fell_behind_gets_now_not_stale_commands()
 {
    use lossy_api::voice::machine::{Command, Counters, VoiceState};
    use lossy_api::voice::session::VoiceStatus;

    let app = spawn_app().await;
    let (tokens, mut extension, session) = started_session(&app, SHORT_TIMERS).await;
    extension.event(speech_start(&session, 1, "u1")).await;
    extension.command("PAUSE_VIDEO").await;

    // A socket that subscribes now learns where the session stands, not what happened.
    let mut watcher = Extension::connect(&app, &tokens).await;
    let now = watcher.status().await;
    assert_eq!(now["cause"], "RESYNC", "{now}");
    assert_eq!(now["sessionId"], session.as_str());
    assert_eq!(now["state"], "RECORDING");
    assert_eq!(now["seq"], 1);
    assert!(now["command"].is_null(), "{now}");

    // More statuses than the live buffer holds, published without letting the subscriber run
    // (the test shares the server's runtime): it falls behind. What it missed is history: it
    // gets the current status again, and none of the stale commands still buffered.
    let user_id: uuid::Uuid = app
        .graphql(&tokens.token, "{ me { id } }", Value::Null)
        .await["data"]["me"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    for seq in 0..300 {
        app.state.voice.statuses.publish(
            user_id,
            VoiceStatus {
                session_id: session.parse().unwrap(),
                user_id,
                state: VoiceState::Recording,
                previous_state: None,
                cause: "speech_start".into(),
                seq,
                counters: Counters::default(),
                command: Some(Command::PauseVideo),
                at: chrono::Utc::now(),
            },
        );
    }
    let again = watcher.status().await;
    assert_eq!(again["cause"], "RESYNC", "{again}");
    assert_eq!(again["state"], "RECORDING");
    assert_eq!(again["seq"], 1);
    watcher
        .socket
        .expect_silence(Duration::from_millis(300))
        .await;
    assert_eq!(watcher.statuses().count(), 0);

    // Live statuses follow as before.
    extension.event(speech_end(&session, 2, "u1", 1500)).await;
    let live = watcher.status().await;
    assert_eq!(live["seq"], 2, "{live}");
    assert_ne!(live["cause"], "RESYNC");
}

#[tokio::test]
async fn a_last_known_state_that_does_not_fit_the_session_answers_reset() {
    let app = spawn_app().await;
    let (tokens, mut extension, session) = started_session(&app, SHORT_TIMERS).await;
    extension.event(speech_start(&session, 1, "u1")).await;

    let resume = |known: Value| json!({ "input": { "sessionId": session, "lastKnownState": known, "events": [] } });
    let mut again = Extension::connect(&app, &tokens).await;
    // The client believes in a seq the server never applied.
    let ahead = again
        .call(
            RESUME,
            resume(json!({ "sessionId": session, "state": "RECORDING", "seq": 4 })),
        )
        .await;
    let result = &ahead["data"]["resumeVoiceSession"];
    assert_eq!(result["outcome"], "RESET", "{ahead}");
    assert_eq!(result["reason"], "requested");
    assert_eq!(result["snapshot"]["lastAppliedSeq"], 1);
    again.command("RESET_SESSION").await;

    // The client's state names another session.
    let other = uuid::Uuid::new_v4().to_string();
    let elsewhere = again
        .call(
            RESUME,
            resume(json!({ "sessionId": other, "state": "RECORDING", "seq": 1 })),
        )
        .await;
    assert_eq!(
        elsewhere["data"]["resumeVoiceSession"]["outcome"], "RESET",
        "{elsewhere}"
    );

    // What fits resumes as usual; a malformed id is refused.
    let fits = again
        .call(
            RESUME,
            resume(json!({ "sessionId": session, "state": "RECORDING", "seq": 1 })),
        )
        .await;
    assert_eq!(
        fits["data"]["resumeVoiceSession"]["outcome"], "APPLIED",
        "{fits}"
    );
    let malformed = again
        .call(
            RESUME,
            resume(json!({ "sessionId": "nope", "state": "RECORDING", "seq": 1 })),
        )
        .await;
    assert_bad_user_input(&malformed, "lastKnownState.sessionId", "not an id");
}
