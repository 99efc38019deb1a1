//! The admin console's quality page (issue 14): `noteQualitySummary` counts the gate's real
//! decisions by decision, reason and category (everyone's for admins, one's own otherwise);
//! `learnedThresholds` lists adjustments across users with their user in a constant number of
//! queries; `resetLearnedThresholds` deletes them and the gate stops applying them at once.
//!
//! Notes go through `submitTranscript` and the built-in structurer, whose confidences the
//! tests compute to land each note on the side of the threshold they want.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use lossy_api::notes::builtin::BuiltinStructurer;
use lossy_api::notes::structurer::{Structured, Transcript};
use lossy_entities::quality_adjustments;
use lossy_tests::{TestApp, Tokens, assert_bad_user_input, error_code, spawn_app};
use sea_orm::{EntityTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

const AUDIO: &str = "the music is too loud under the interview";
const PACING: &str = "this scene drags, tighten the pacing";

const SUMMARY: &str = "query($from: DateTime, $to: DateTime, $userId: ID) {
    noteQualitySummary(from: $from, to: $to, userId: $userId) { decision reason category count }
}";
const LEARNED: &str = "query($userId: ID, $platform: String) {
    learnedThresholds(userId: $userId, platform: $platform) {
        id userId user { id email } platform category thresholdDelta enabled
    }
}";
const RESET: &str = "mutation($userId: ID!, $platform: String) {
    resetLearnedThresholds(userId: $userId, platform: $platform)
}";

/// The built-in structurer's (category, confidence) for `text` heard with `heard`.
fn structured(text: &str, heard: f64) -> (String, f64) {
    match BuiltinStructurer.structure_now(Transcript {
        text,
        confidence: Some(heard),
    }) {
        Structured::Note(note) => (note.category.as_str().to_uppercase(), note.confidence),
        Structured::Cancelled => panic!("{text:?} reads as a cancellation"),
    }
}

/// A recognizer confidence for which the built-in structurer rates `text` within `range`.
fn heard_for(text: &str, range: std::ops::Range<f64>) -> f64 {
    (1..=100)
        .map(|n| f64::from(n) / 100.0)
        .find(|heard| range.contains(&structured(text, *heard).1))
        .unwrap_or_else(|| panic!("no recognizer confidence rates {text:?} within {range:?}"))
}

/// A video of the user's on Vimeo; answers its id and platform.
async fn video(app: &TestApp, tokens: &Tokens) -> (String, String) {
    let body = app
        .graphql(
            &tokens.token,
            "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id platform } }",
            json!({ "input": { "url": format!("https://vimeo.com/{}", 100 + rand_suffix()),
                               "durationSeconds": 212.5 } }),
        )
        .await;
    let video = &body["data"]["detectVideo"];
    assert!(video["id"].is_string(), "{body}");
    (
        video["id"].as_str().unwrap().to_owned(),
        video["platform"].as_str().unwrap().to_owned(),
    )
}

fn rand_suffix() -> u32 {
    Uuid::new_v4().as_u128() as u32 % 100_000
}

/// Submits `text` heard within `range`; answers the note's quality.
async fn note(
    app: &TestApp,
    tokens: &Tokens,
    video: &str,
    text: &str,
    range: std::ops::Range<f64>,
) -> Value {
    let input = json!({ "utteranceId": Uuid::new_v4().to_string(), "videoId": video,
        "mediaTime": 12.5, "durationMs": 2500, "text": text,
        "confidence": heard_for(text, range), "source": "web-speech" });
    let body = app
        .graphql(
            &tokens.token,
            "mutation($input: SubmitTranscriptInput!) { submitTranscript(input: $input) {
                quality { decision threshold reason } } }",
            json!({ "input": input }),
        )
        .await;
    let quality = body["data"]["submitTranscript"]["quality"].clone();
    assert!(quality["decision"].is_string(), "{body}");
    quality
}

/// The summary as a set of (decision, reason, category, count).
fn counts(body: &Value) -> BTreeSet<(String, String, String, i64)> {
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["noteQualitySummary"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| {
            (
                c["decision"].as_str().unwrap().to_owned(),
                c["reason"].as_str().unwrap().to_owned(),
                c["category"].as_str().unwrap().to_owned(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn row(decision: &str, reason: &str, category: &str, count: i64) -> (String, String, String, i64) {
    (decision.into(), reason.into(), category.into(), count)
}

#[tokio::test]
async fn the_summary_counts_known_decisions_for_everyone_or_one_user() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (first_browser, first) = app.new_user_with_token().await;
    let (second_browser, second) = app.new_user_with_token().await;
    let audio = structured(AUDIO, 0.9).0;
    let pacing = structured(PACING, 0.9).0;
    assert_ne!(audio, pacing);

    // First: three audio notes kept, two audio below the floor, one pacing below 0.3.
    let (video_a, _) = video(&app, &first).await;
    for _ in 0..3 {
        note(&app, &first, &video_a, AUDIO, 0.6..1.0).await;
    }
    for _ in 0..2 {
        let q = note(&app, &first, &video_a, AUDIO, 0.0..0.25).await;
        assert_eq!(q["reason"], "below_floor", "{q}");
    }
    let q = note(&app, &first, &video_a, PACING, 0.25..0.3).await;
    assert_eq!(q["reason"], "below_threshold", "{q}");
    // Second: two pacing notes kept.
    let (video_b, _) = video(&app, &second).await;
    for _ in 0..2 {
        note(&app, &second, &video_b, PACING, 0.6..1.0).await;
    }

    let firsts = BTreeSet::from([
        row("KEPT", "above_threshold", &audio, 3),
        row("SUPPRESSED", "below_floor", &audio, 2),
        row("SUPPRESSED", "below_threshold", &pacing, 1),
    ]);
    let seconds = BTreeSet::from([row("KEPT", "above_threshold", &pacing, 2)]);
    let everyone: BTreeSet<_> = firsts.union(&seconds).cloned().collect();

    // A user sees their own, with or without naming themself.
    let own = app.graphql(&first.token, SUMMARY, json!({})).await;
    assert_eq!(counts(&own), firsts);
    let named = app
        .graphql(
            &first.token,
            SUMMARY,
            json!({ "userId": first_browser.user_id }),
        )
        .await;
    assert_eq!(counts(&named), firsts);
    // ...and nobody else's.
    let prying = app
        .graphql(
            &first.token,
            SUMMARY,
            json!({ "userId": second_browser.user_id }),
        )
        .await;
    assert_eq!(error_code(&prying), Some("FORBIDDEN"), "{prying}");

    // An admin sees everyone's, or one user's.
    assert_eq!(
        counts(&app.graphql(&admin, SUMMARY, json!({})).await),
        everyone
    );
    let one = app
        .graphql(&admin, SUMMARY, json!({ "userId": second_browser.user_id }))
        .await;
    assert_eq!(counts(&one), seconds);

    // The time range: everything lies within the last hour, nothing in the future.
    let now = Utc::now();
    let recent = json!({ "from": now - Duration::hours(1), "to": now + Duration::minutes(1) });
    assert_eq!(
        counts(&app.graphql(&admin, SUMMARY, recent).await),
        everyone
    );
    let later = json!({ "from": now + Duration::hours(1) });
    assert!(counts(&app.graphql(&admin, SUMMARY, later).await).is_empty());
    let backwards = json!({ "from": now, "to": now - Duration::hours(1) });
    assert_bad_user_input(
        &app.graphql(&admin, SUMMARY, backwards).await,
        "to",
        "to before from",
    );
    let bad = app
        .graphql(&admin, SUMMARY, json!({ "userId": "nope" }))
        .await;
    assert_bad_user_input(&bad, "userId", "a malformed userId");
}

/// Stores an adjustment for `user` directly, changed `minutes_ago`.
async fn adjustment(
    app: &TestApp,
    user: Uuid,
    platform: &str,
    category: &str,
    delta: f64,
    minutes_ago: i64,
) -> Uuid {
    let at = Utc::now() - Duration::minutes(minutes_ago);
    let id = Uuid::new_v4();
    quality_adjustments::Entity::insert(quality_adjustments::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        platform: Set(platform.into()),
        category: Set(category.into()),
        threshold_delta: Set(delta),
        enabled: Set(true),
        reason: Set("seeded by the test".into()),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&app.state.db)
    .await
    .expect("seed an adjustment");
    id
}

fn ids(body: &Value) -> Vec<String> {
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["learnedThresholds"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn learned_thresholds_list_across_users_and_reset_reaches_the_gate() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (reviewer, tokens) = app.new_user_with_token().await;
    let (other, other_tokens) = app.new_user_with_token().await;
    let (video, platform) = video(&app, &tokens).await;

    // Learned before the gate ever read this user's adjustments: audio on this platform is
    // held to 0.3 + 0.2.
    let audio = adjustment(&app, reviewer.user_id, &platform, "audio", 0.2, 3).await;
    let pacing = adjustment(&app, reviewer.user_id, "youtube", "pacing", 0.1, 1).await;
    let others = adjustment(&app, other.user_id, &platform, "audio", 0.05, 2).await;

    let all = app.graphql(&admin, LEARNED, json!({})).await;
    assert_eq!(
        ids(&all),
        [pacing, others, audio].map(|id| id.to_string()),
        "newest first"
    );
    let first = &all["data"]["learnedThresholds"][0];
    assert_eq!(first["userId"], json!(reviewer.user_id));
    assert_eq!(first["user"]["email"], json!(reviewer.email));
    assert_eq!(
        all["data"]["learnedThresholds"][1]["user"]["id"],
        json!(other.user_id)
    );
    let theirs = app
        .graphql(&admin, LEARNED, json!({ "userId": reviewer.user_id }))
        .await;
    assert_eq!(ids(&theirs), [pacing, audio].map(|id| id.to_string()));
    let on_platform = app
        .graphql(&admin, LEARNED, json!({ "platform": platform }))
        .await;
    assert_eq!(ids(&on_platform), [others, audio].map(|id| id.to_string()));
    let both = app
        .graphql(
            &admin,
            LEARNED,
            json!({ "userId": reviewer.user_id, "platform": "youtube" }),
        )
        .await;
    assert_eq!(ids(&both), [pacing.to_string()]);

    // The gate applies the adjustment (and remembers it).
    let held = note(&app, &tokens, &video, AUDIO, 0.35..0.45).await;
    assert_eq!(held["decision"], "SUPPRESSED", "{held}");
    assert_eq!(held["threshold"], json!(0.5), "{held}");

    // Others may not reset someone else's thresholds.
    let refused = app
        .graphql(
            &other_tokens.token,
            RESET,
            json!({ "userId": reviewer.user_id }),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");

    // An admin resets one platform: one row goes, and the gate stops applying it at once.
    let reset = app
        .graphql(
            &admin,
            RESET,
            json!({ "userId": reviewer.user_id, "platform": platform }),
        )
        .await;
    assert_eq!(reset["data"]["resetLearnedThresholds"], 1, "{reset}");
    let kept = note(&app, &tokens, &video, AUDIO, 0.35..0.45).await;
    assert_eq!(kept["decision"], "KEPT", "{kept}");
    assert_eq!(kept["threshold"], json!(0.3), "{kept}");
    let left = app
        .graphql(&admin, LEARNED, json!({ "userId": reviewer.user_id }))
        .await;
    assert_eq!(ids(&left), [pacing.to_string()]);

    // A user resets their own, on every platform; nothing left answers 0.
    let own = app
        .graphql(&tokens.token, RESET, json!({ "userId": reviewer.user_id }))
        .await;
    assert_eq!(own["data"]["resetLearnedThresholds"], 1, "{own}");
    let again = app
        .graphql(&tokens.token, RESET, json!({ "userId": reviewer.user_id }))
        .await;
    assert_eq!(again["data"]["resetLearnedThresholds"], 0, "{again}");
    // The other user's adjustment is untouched.
    assert_eq!(
        ids(&app.graphql(&admin, LEARNED, json!({})).await),
        [others.to_string()]
    );
}

#[tokio::test]
async fn only_admins_list_learned_thresholds() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let body = app.graphql(&tokens.token, LEARNED, json!({})).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let own = app
        .graphql(&tokens.token, LEARNED, json!({ "userId": browser.user_id }))
        .await;
    assert_eq!(error_code(&own), Some("FORBIDDEN"), "{own}");
    let admin = app.admin_token().await;
    let bad = app
        .graphql(&admin, RESET, json!({ "userId": "nope" }))
        .await;
    assert_bad_user_input(&bad, "userId", "a malformed userId");
}

/// Statements the schema runs for `query` as an admin, on a connection that counts them.
async fn statements(app: &TestApp, admin_id: Uuid, query: &str) -> usize {
    use lossy_api::auth::{Credential, Role, Viewer};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let counted = Arc::new(AtomicUsize::new(0));
    let mut state = app.state.clone();
    let counter = counted.clone();
    state.db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let schema = lossy_api::graphql::build_schema(&app.state.config, Some(state));
    let viewer = Viewer {
        user_id: admin_id,
        email: lossy_tests::ADMIN_EMAIL.into(),
        role: Role::Admin,
        credential: Credential::WebSession {
            session_id: Uuid::new_v4(),
        },
    };
    let response = schema
        .execute(async_graphql::Request::new(query).data(viewer))
        .await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    counted.load(Ordering::SeqCst)
}

#[tokio::test]
async fn listing_learned_thresholds_with_their_users_costs_the_same_queries_for_any_number() {
    let app = spawn_app().await;
    let admin_id = app.admin_browser().await.user_id;
    let query = "{ learnedThresholds { id userId user { id email name } } }";
    let mut costs = Vec::new();
    for users in [1, 12] {
        for n in 0..users {
            let user = app
                .create_user(&format!("learned-{users}-{n}@lossy.test"), "password-123")
                .await;
            adjustment(&app, user, "vimeo", "audio", 0.05, 1).await;
        }
        costs.push(statements(&app, admin_id, query).await);
    }
    assert_eq!(costs[0], costs[1], "statements for 1 then 13 adjustments");
}
