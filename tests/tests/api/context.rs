//! The video context over real sockets: claim, query and release; the two-tab story (the last
//! active tab wins, the previous tab's session ends after its utterance in flight); events to
//! every socket of the user and nobody else's; leases lapsing and kept alive by heartbeats;
//! a deleted video; a restart; bad input.

use std::time::Duration;

use lossy_tests::extension::{Extension, heartbeat};
use lossy_tests::{TestApp, Tokens, assert_bad_user_input, error_code, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use uuid::Uuid;

const URL: &str = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&utm_source=newsletter";

const FIELDS: &str = "sessionId platform currentUrl version claimedAt leaseExpiresAt
    video { id } owner { deviceId tabId pageInstanceId }";

fn claim_query() -> String {
    format!(
        "mutation($input: ClaimVideoContextInput!) {{ claimVideoContext(input: $input) {{ {FIELDS} }} }}"
    )
}

fn release_query() -> String {
    format!(
        "mutation($tab: Int!, $page: String!) {{ releaseVideoContext(input: {{ tabId: $tab, pageInstanceId: $page }}) {{ {FIELDS} }} }}"
    )
}

fn context_query() -> String {
    format!("{{ videoContext {{ {FIELDS} }} }}")
}

fn events_subscription() -> String {
    format!("subscription {{ videoContextEvents {{ kind context {{ {FIELDS} }} }} }}")
}

const SESSION: &str = "query($id: ID!) { voiceSession(id: $id) { state endReason } }";
/// The subscription id of `videoContextEvents` on every socket here.
const CONTEXT: &str = "context";

/// One socket of a user: the extension client with `videoContextEvents` in place too.
struct Socket(Extension);

impl Socket {
    async fn open(app: &TestApp, token: &str) -> Socket {
        Socket(Extension::connect_with(app, token, &[(CONTEXT, &events_subscription())]).await)
    }

    /// The next context event, waiting for it if none is queued.
    async fn context_event(&mut self) -> Value {
        self.0.next_on(CONTEXT).await["videoContextEvents"].clone()
    }

    /// The kinds of the next `n` context events.
    async fn kinds(&mut self, n: usize) -> Vec<Value> {
        let mut kinds = Vec::with_capacity(n);
        for _ in 0..n {
            kinds.push(self.context_event().await["kind"].clone());
        }
        kinds
    }

    /// Context events received and not taken yet.
    fn queued_events(&self) -> Vec<&Value> {
        self.0.queued_on(CONTEXT).collect()
    }
}

impl std::ops::Deref for Socket {
    type Target = Extension;

    fn deref(&self) -> &Extension {
        &self.0
    }
}

impl std::ops::DerefMut for Socket {
    fn deref_mut(&mut self) -> &mut Extension {
        &mut self.0
    }
}

async fn detect(app: &TestApp, token: &str) -> String {
    let answer = app
        .graphql(
            token,
            "mutation($url: String!) { detectVideo(input: { url: $url, title: \"Cut 3\" }) { id } }",
            json!({ "url": URL }),
        )
        .await;
    answer["data"]["detectVideo"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no video: {answer}"))
        .to_owned()
}

fn claim_input(video: &str, tab: i32, page: &str) -> Value {
    json!({ "input": { "videoId": video, "tabId": tab, "pageInstanceId": page, "currentUrl": URL } })
}

async fn claim(app: &TestApp, token: &str, video: &str, tab: i32, page: &str) -> Value {
    let answer = app
        .graphql(token, &claim_query(), claim_input(video, tab, page))
        .await;
    let context = answer["data"]["claimVideoContext"].clone();
    assert!(context.is_object(), "{answer}");
    context
}

async fn release(app: &TestApp, token: &str, tab: i32, page: &str) -> Value {
    let answer = app
        .graphql(token, &release_query(), json!({ "tab": tab, "page": page }))
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
    answer["data"]["releaseVideoContext"].clone()
}

async fn current(app: &TestApp, token: &str) -> Value {
    let answer = app.graphql(token, &context_query(), Value::Null).await;
    assert!(answer["errors"].is_null(), "{answer}");
    answer["data"]["videoContext"].clone()
}

fn owner(tokens: &Tokens, tab: i32, page: &str) -> Value {
    json!({ "deviceId": tokens.device_id, "tabId": tab, "pageInstanceId": page })
}

fn millis(at: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(at.as_str().expect("a DateTime"))
        .expect("RFC 3339")
        .timestamp_millis()
}

async fn stored_contexts(app: &TestApp) -> u64 {
    use lossy_entities::video_contexts;
    use sea_orm::{EntityTrait, PaginatorTrait};
    video_contexts::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_tab_claims_the_context_reads_it_back_and_releases_it() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = detect(&app, &tokens.token).await;
    assert!(current(&app, &tokens.token).await.is_null());

    let claimed = claim(&app, &tokens.token, &video, 1, "page-1").await;
    assert_eq!(claimed["video"]["id"], video.as_str());
    assert_eq!(claimed["platform"], "youtube");
    assert_eq!(claimed["owner"], owner(&tokens, 1, "page-1"));
    assert_eq!(claimed["sessionId"], Value::Null);
    assert_eq!(claimed["version"], 1);
    let url = claimed["currentUrl"].as_str().unwrap();
    assert!(
        url.contains("dQw4w9WgXcQ") && !url.contains("utm_source"),
        "{url}"
    );
    assert_eq!(
        millis(&claimed["leaseExpiresAt"]) - millis(&claimed["claimedAt"]),
        15_000,
        "the default lease"
    );
    assert_eq!(current(&app, &tokens.token).await, claimed);

    // The owner claiming again only renews the lease: same version, same claim time.
    let again = claim(&app, &tokens.token, &video, 1, "page-1").await;
    assert_eq!(again["version"], 1);
    assert_eq!(again["claimedAt"], claimed["claimedAt"]);
    assert!(millis(&again["leaseExpiresAt"]) >= millis(&claimed["leaseExpiresAt"]));

    // Another tab does not own it, so its release changes nothing.
    let unchanged = release(&app, &tokens.token, 2, "page-2").await;
    assert_eq!(unchanged["owner"], owner(&tokens, 1, "page-1"));
    assert_eq!(unchanged["version"], 1);

    let released = release(&app, &tokens.token, 1, "page-1").await;
    assert_eq!(released["owner"], Value::Null);
    assert_eq!(released["leaseExpiresAt"], Value::Null);
    assert_eq!(released["video"]["id"], video.as_str(), "the video stays");
    assert_eq!(released["version"], 2);
    assert_eq!(current(&app, &tokens.token).await, released);
}

#[tokio::test]
async fn the_last_active_tab_wins_and_the_previous_tabs_session_ends_at_once() {
    let app = spawn_app().await;
    let (_, first, second) = app.new_user_with_two_devices().await;
    let video = detect(&app, &first.token).await;
    let mut tab_a = Socket::open(&app, &first.token).await;
    let mut tab_b = Socket::open(&app, &second.token).await;

    // Starting with a video claims the context for the tab and links the session.
    let session = tab_a.start_on(Some(&video), 1, "page-a").await;
    for socket in [&mut tab_a, &mut tab_b] {
        let event = socket.context_event().await;
        assert_eq!(event["kind"], "CONTEXT_UPDATED", "{event}");
        assert_eq!(event["context"]["owner"], owner(&first, 1, "page-a"));
        assert_eq!(event["context"]["sessionId"], session.as_str());
    }

    let taken = tab_b
        .call(&claim_query(), claim_input(&video, 2, "page-b"))
        .await;
    assert_eq!(
        taken["data"]["claimVideoContext"]["owner"],
        owner(&second, 2, "page-b"),
        "{taken}"
    );
    for socket in [&mut tab_a, &mut tab_b] {
        let taken = socket.context_event().await;
        assert_eq!(taken["kind"], "CONTEXT_TAKEN", "{taken}");
        // The new owner is named, so the previous one knows it is read-only now.
        assert_eq!(taken["context"]["owner"], owner(&second, 2, "page-b"));
        assert_eq!(taken["context"]["sessionId"], Value::Null);
        assert_eq!(taken["context"]["version"], 2);
        let updated = socket.context_event().await;
        assert_eq!(updated["kind"], "CONTEXT_UPDATED");
        assert_eq!(updated["context"], taken["context"]);
    }

    // Nothing was in flight: tab A's session ends right away.
    let stopped = tab_a.command("STOP_CAPTURE").await;
    assert_eq!(stopped["sessionId"], session.as_str());
    assert_eq!(stopped["commandReason"], "context_moved");
    let ended = tab_a.call(SESSION, json!({ "id": session })).await;
    assert_eq!(
        ended["data"]["voiceSession"],
        json!({ "state": "CLOSED", "endReason": "context_moved" })
    );
    assert_eq!(
        current(&app, &first.token).await["owner"],
        owner(&second, 2, "page-b")
    );
}

#[tokio::test]
async fn a_switch_waits_for_the_note_of_the_utterance_in_flight() {
    let app = spawn_app().await;
    let (_, first, second) = app.new_user_with_two_devices().await;
    let video = detect(&app, &first.token).await;
    let mut tab_a = Socket::open(&app, &first.token).await;
    let session = tab_a.start_on(Some(&video), 1, "page-a").await;
    let now = chrono::Utc::now;
    tab_a
        .event(
            json!({ "sessionId": session, "seq": 1, "kind": "SPEECH_START", "occurredAt": now(),
            "utteranceId": "u1", "mediaTime": 3.5, "videoPlaying": false }),
        )
        .await;
    let ended = tab_a
        .event(
            json!({ "sessionId": session, "seq": 2, "kind": "SPEECH_END", "occurredAt": now(),
            "utteranceId": "u1", "durationMs": 1500, "reason": "NATURAL_END" }),
        )
        .await;
    assert_eq!(ended["state"], "COOLDOWN", "{ended}");

    claim(&app, &second.token, &video, 2, "page-b").await;
    assert_eq!(
        tab_a.kinds(3).await,
        ["CONTEXT_UPDATED", "CONTEXT_TAKEN", "CONTEXT_UPDATED"]
    );

    // u1's transcript is still to come: the session lives on, but takes no new speech.
    let refused = tab_a
        .event(
            json!({ "sessionId": session, "seq": 3, "kind": "SPEECH_START", "occurredAt": now(),
            "utteranceId": "u2", "mediaTime": 9.0, "videoPlaying": false }),
        )
        .await;
    assert_eq!(refused["outcome"], "IGNORED", "{refused}");
    assert_eq!(refused["reason"], "stopping");
    assert!(tab_a.statuses().all(|s| s["command"] != "STOP_CAPTURE"));

    // u1's transcript arrives (on the tab that spoke it): its note is kept and counted, and
    // the session ends.
    let submitted = tab_a
        .call(
            "mutation($input: SubmitTranscriptInput!) { submitTranscript(input: $input) { status sessionId } }",
            json!({ "input": { "utteranceId": "u1", "sessionId": session, "videoId": video,
                               "mediaTime": 3.5, "durationMs": 1500, "confidence": 0.95,
                               "text": "the music is too loud under the interview" } }),
        )
        .await;
    assert_eq!(
        submitted["data"]["submitTranscript"],
        json!({ "status": "GHOST", "sessionId": session }),
        "{submitted}"
    );
    let stopped = tab_a.command("STOP_CAPTURE").await;
    assert_eq!(stopped["commandReason"], "context_moved");
    assert_eq!(stopped["state"], "CLOSED");
    assert_eq!(stopped["counters"]["notesCreated"], 1);
}

#[tokio::test]
async fn a_release_reaches_every_socket_of_the_user() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = detect(&app, &tokens.token).await;
    let mut sockets = [
        Socket::open(&app, &tokens.token).await,
        Socket::open(&app, &tokens.token).await,
    ];
    claim(&app, &tokens.token, &video, 1, "page-1").await;
    release(&app, &tokens.token, 2, "page-2").await;
    release(&app, &tokens.token, 1, "page-1").await;
    for socket in &mut sockets {
        // The other tab's release sent nothing: the claim's event, then the release's.
        assert_eq!(socket.context_event().await["kind"], "CONTEXT_UPDATED");
        let available = socket.context_event().await;
        assert_eq!(available["kind"], "CONTEXT_AVAILABLE", "{available}");
        assert_eq!(available["context"]["owner"], Value::Null);
        assert_eq!(available["context"]["video"]["id"], video.as_str());
        assert_eq!(available["context"]["version"], 2);
    }
}

#[tokio::test]
async fn a_lapsed_lease_makes_the_context_available_to_every_tab() {
    let app = spawn_app_with(|config| config.context_lease_ms = 300).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = detect(&app, &tokens.token).await;
    let mut socket = Socket::open(&app, &tokens.token).await;
    let claimed = claim(&app, &tokens.token, &video, 1, "page-1").await;
    assert_eq!(
        millis(&claimed["leaseExpiresAt"]) - millis(&claimed["claimedAt"]),
        300
    );
    assert_eq!(socket.context_event().await["kind"], "CONTEXT_UPDATED");

    // Nothing renews it (no voice session): it lapses.
    let lapsed = socket.context_event().await;
    assert_eq!(lapsed["kind"], "CONTEXT_AVAILABLE", "{lapsed}");
    assert_eq!(lapsed["context"]["owner"], Value::Null);
    assert_eq!(lapsed["context"]["version"], 2);
    assert!(chrono::Utc::now().timestamp_millis() >= millis(&claimed["leaseExpiresAt"]));
    assert_eq!(current(&app, &tokens.token).await["owner"], Value::Null);

    // Written, not only in memory: a restart does not bring the owner back.
    let app = app.restart().await;
    assert_eq!(current(&app, &tokens.token).await["version"], 2);
    assert_eq!(current(&app, &tokens.token).await["owner"], Value::Null);
}

#[tokio::test]
async fn waking_a_session_takes_its_lapsed_context_back() {
    let app = spawn_app_with(|config| config.context_lease_ms = 300).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = detect(&app, &tokens.token).await;
    let mut socket = Socket::open(&app, &tokens.token).await;
    let session = socket.start_on(Some(&video), 1, "page-1").await;
    assert_eq!(
        socket.kinds(2).await,
        ["CONTEXT_UPDATED", "CONTEXT_AVAILABLE"]
    );

    let woken = socket
        .call(
            "mutation($session: ID!) { startVoiceSession(input: { tabId: 1, pageInstanceId: \"page-1\",
                resumeSessionId: $session }) { id } }",
            json!({ "session": session }),
        )
        .await;
    assert_eq!(
        woken["data"]["startVoiceSession"]["id"],
        session.as_str(),
        "{woken}"
    );
    let back = socket.context_event().await;
    assert_eq!(back["kind"], "CONTEXT_UPDATED", "{back}");
    assert_eq!(back["context"]["owner"], owner(&tokens, 1, "page-1"));
    assert_eq!(back["context"]["sessionId"], session.as_str());
}

#[tokio::test]
async fn the_linked_sessions_heartbeats_keep_the_lease() {
    const LEASE_MS: u64 = 1500;
    let app = spawn_app_with(|config| config.context_lease_ms = LEASE_MS).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = detect(&app, &tokens.token).await;
    let mut socket = Socket::open(&app, &tokens.token).await;
    let session = socket.start_on(Some(&video), 1, "page-1").await;

    // Three leases' worth of heartbeats, each well within the lease of the one before.
    for seq in 1..=15 {
        tokio::time::sleep(Duration::from_millis(LEASE_MS / 5)).await;
        let ack = socket.event(heartbeat(&session, seq)).await;
        assert_eq!(ack["outcome"], "APPLIED", "{ack}");
    }
    let kept = socket.call(&context_query(), Value::Null).await;
    assert_eq!(
        kept["data"]["videoContext"]["owner"],
        owner(&tokens, 1, "page-1")
    );
    assert_eq!(socket.kinds(1).await, ["CONTEXT_UPDATED"]);
    assert!(
        socket.queued_events().is_empty(),
        "nothing but the claim: {:?}",
        socket.queued_events()
    );

    // Silence: the lease lapses, though the session itself is still live.
    let lapsed = socket.context_event().await;
    assert_eq!(lapsed["kind"], "CONTEXT_AVAILABLE", "{lapsed}");
    let live = socket.call(SESSION, json!({ "id": session })).await;
    assert_eq!(live["data"]["voiceSession"]["state"], "OBSERVING");
}

#[tokio::test]
async fn another_user_sees_none_of_it_and_cannot_claim_a_foreign_video() {
    let app = spawn_app().await;
    let (_, owner_tokens) = app.new_user_with_token().await;
    let (_, stranger) = app.new_user_with_token().await;
    let video = detect(&app, &owner_tokens.token).await;
    let mut own = Socket::open(&app, &owner_tokens.token).await;
    let mut foreign = Socket::open(&app, &stranger.token).await;

    claim(&app, &owner_tokens.token, &video, 1, "page-1").await;
    assert_eq!(own.context_event().await["kind"], "CONTEXT_UPDATED");
    foreign
        .socket
        .expect_silence(Duration::from_millis(300))
        .await;
    assert!(current(&app, &stranger.token).await.is_null());

    let refused = app
        .graphql(
            &stranger.token,
            &claim_query(),
            claim_input(&video, 1, "page-1"),
        )
        .await;
    assert_eq!(error_code(&refused), Some("NOT_FOUND"), "{refused}");
    assert!(release(&app, &stranger.token, 1, "page-1").await.is_null());
    let unknown = app
        .graphql(
            &stranger.token,
            &claim_query(),
            claim_input(&Uuid::new_v4().to_string(), 1, "p"),
        )
        .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");

    let untouched = current(&app, &owner_tokens.token).await;
    assert_eq!(untouched["owner"], owner(&owner_tokens, 1, "page-1"));
    assert_eq!(untouched["version"], 1);
    foreign
        .socket
        .expect_silence(Duration::from_millis(100))
        .await;
}

#[tokio::test]
async fn bad_input_is_refused_with_its_field_and_writes_nothing() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = detect(&app, &tokens.token).await;
    let with = |field: &str, value: Value| {
        let mut input = claim_input(&video, 1, "page-1");
        input["input"][field] = value;
        input
    };
    let cases = [
        ("videoId", with("videoId", json!("not-a-uuid"))),
        ("tabId", with("tabId", json!(-1))),
        ("pageInstanceId", with("pageInstanceId", json!("  "))),
        (
            "pageInstanceId",
            with("pageInstanceId", json!("p".repeat(129))),
        ),
        (
            "currentUrl",
            with(
                "currentUrl",
                json!(format!("https://example.com/{}", "a".repeat(9000))),
            ),
        ),
        (
            "currentUrl",
            with("currentUrl", json!("ftp://example.com/video.mp4")),
        ),
        ("currentUrl", with("currentUrl", json!("http://"))),
    ];
    for (field, input) in cases {
        let answer = app
            .graphql(&tokens.token, &claim_query(), input.clone())
            .await;
        assert_bad_user_input(&answer, field, &input);
    }
    let answer = app
        .graphql(
            &tokens.token,
            &release_query(),
            json!({ "tab": -3, "page": "p" }),
        )
        .await;
    assert_bad_user_input(&answer, "tabId", "release with a negative tab");
    assert_eq!(stored_contexts(&app).await, 0);
}

#[tokio::test]
async fn deleting_the_video_clears_the_context() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let video = detect(&app, &tokens.token).await;
    let mut socket = Socket::open(&app, &tokens.token).await;
    claim(&app, &tokens.token, &video, 1, "page-1").await;
    assert_eq!(socket.context_event().await["kind"], "CONTEXT_UPDATED");

    let video_id = Uuid::parse_str(&video).unwrap();
    lossy_api::context::registry::video_deleted(&app.state, browser.user_id, video_id)
        .await
        .unwrap_or_else(|e| panic!("not cleared: {e:?}"));
    let cleared = socket.context_event().await;
    assert_eq!(
        cleared,
        json!({ "kind": "CONTEXT_CLEARED", "context": null })
    );
    assert!(current(&app, &tokens.token).await.is_null());

    // A claim afterwards starts over on the stored version.
    let again = claim(&app, &tokens.token, &video, 2, "page-2").await;
    assert_eq!(again["version"], 3);
}

#[tokio::test]
async fn after_a_restart_the_owner_keeps_the_context_with_a_fresh_lease() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = detect(&app, &tokens.token).await;
    let claimed = claim(&app, &tokens.token, &video, 1, "page-1").await;

    let app = app.restart().await;
    let restored = current(&app, &tokens.token).await;
    assert_eq!(restored["owner"], owner(&tokens, 1, "page-1"));
    assert_eq!(restored["version"], claimed["version"]);
    assert_eq!(restored["claimedAt"], claimed["claimedAt"]);
    assert!(millis(&restored["leaseExpiresAt"]) > millis(&claimed["leaseExpiresAt"]));
}
