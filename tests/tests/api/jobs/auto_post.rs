//! Posting by rule: a webhook's `autoPost` posts every note made afterwards that the gate
//! kept (or that was typed), of its categories and at least its confidence, once; never a
//! suppressed, cancelled or non-matching one. A note waiting for its LLM refinement is judged
//! and posted once refined.

use lossy_tests::assert_bad_user_input;

use super::*;

const WEBHOOK_WITH_RULE: &str = "mutation($input: WebhookInput!) {
    setWebhook(input: $input) { url autoPost { categories minConfidence } }
}";

/// Sets the user's webhook at `url` with `rule` (null: none); answers the GraphQL body.
async fn set_rule(app: &TestApp, token: &str, url: &str, rule: Value) -> Value {
    app.graphql(
        token,
        WEBHOOK_WITH_RULE,
        json!({ "input": { "url": url, "secret": HOOK_SECRET, "autoPost": rule } }),
    )
    .await
}

/// A typed note of `category`; answers its id and status as `createNote` answered.
async fn typed(app: &TestApp, token: &str, video: &str, text: &str, category: &str) -> Value {
    let body = app
        .graphql(
            token,
            "mutation($input: CreateNoteInput!) { createNote(input: $input) { id status version } }",
            json!({ "input": { "videoId": video, "text": text, "category": category,
                               "timestampSeconds": 10.0 } }),
        )
        .await;
    let note = body["data"]["createNote"].clone();
    assert!(note["id"].is_string(), "{body}");
    note
}

/// A rule that every note matches, whatever its category and confidence.
fn every_category() -> Value {
    json!({
        "categories": ["PACING", "EDITING", "AUDIO", "COLOR", "VISUAL", "GRAPHICS", "CONTENT", "GENERAL"],
        "minConfidence": 0.0,
    })
}

/// The note ids the webhook received, in order.
fn posted_ids(hook: &FakeHook) -> Vec<String> {
    hook.received()
        .iter()
        .map(|d| {
            d.json()["note"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn matching_notes_are_posted_once_by_the_rule_others_stay() {
    let (hook, url) = FakeHook::start(vec![HookReply::Status(200)]).await;
    let (llm, base_url) = FakeLlm::start(REFINED, Duration::from_millis(300)).await;
    let app = spawn_with_llm(&base_url, |_| {}).await;
    let (_, tokens) = app.new_user_with_token().await;
    let token = &tokens.token;
    let set = set_rule(
        &app,
        token,
        &url,
        json!({ "categories": ["AUDIO", "GRAPHICS"], "minConfidence": 0.9 }),
    )
    .await;
    assert_eq!(
        set["data"]["setWebhook"]["autoPost"],
        json!({ "categories": ["AUDIO", "GRAPHICS"], "minConfidence": 0.9 }),
        "{set}"
    );
    let video = video(&app, token).await;

    // A typed note of a chosen category (a typed note's confidence is 1): queued at once.
    let typed_audio = typed(&app, token, &video, "Music under the dialogue", "AUDIO").await;
    assert_eq!(typed_audio["status"], "QUEUED", "{typed_audio}");
    let typed_audio = typed_audio["id"].as_str().unwrap().to_owned();
    // Another category: not posted.
    let typed_pacing = typed(&app, token, &video, "Tighten the intro", "PACING").await;
    assert_eq!(typed_pacing["status"], "FIRMED", "{typed_pacing}");
    let typed_pacing = typed_pacing["id"].as_str().unwrap().to_owned();

    // A spoken note waits for its refinement: the LLM's note (audio, 0.93) is judged, then
    // posted with the refined text.
    let spoken = submit(&app, token, &video, "u-1").await;
    assert_eq!(spoken["status"], "GHOST", "{spoken}");
    assert_eq!(refinement(&spoken), "PENDING");
    let spoken = spoken["id"].as_str().unwrap().to_owned();

    for id in [&typed_audio, &spoken] {
        note_when(&app, token, id, Duration::from_secs(20), |n| {
            status(n) == "POSTED"
        })
        .await;
    }
    let deliveries = hook.received();
    assert_eq!(deliveries.len(), 2, "{deliveries:?}");
    assert!(deliveries.iter().all(signed_right));
    let mut ids = posted_ids(&hook);
    ids.sort();
    let mut expected = vec![typed_audio.clone(), spoken.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    let refined = deliveries
        .iter()
        .map(Delivery::json)
        .find(|body| body["note"]["id"] == spoken.as_str())
        .expect("the spoken note's delivery");
    assert_eq!(
        refined["note"]["text"], REFINED_TEXT,
        "posted after its refinement"
    );
    assert_eq!(llm.requests(), 1);

    // Nothing more later: each note once, the pacing note never.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(hook.received().len(), 2);
    assert_eq!(
        read_note(&app, token, &typed_pacing).await["status"],
        "FIRMED"
    );

    // A rule that any kept note matches would post the built-in note at once; it waits for
    // the refinement all the same, and posts the refined note.
    let (eager_hook, eager_url) = FakeHook::start(vec![HookReply::Status(200)]).await;
    let (_, eager) = app.new_user_with_token().await;
    set_rule(&app, &eager.token, &eager_url, every_category()).await;
    let eager_video = self::video(&app, &eager.token).await;
    let waiting = submit(&app, &eager.token, &eager_video, "u-1").await;
    assert_eq!(waiting["status"], "GHOST", "{waiting}");
    assert_eq!(refinement(&waiting), "PENDING");
    let waiting = waiting["id"].as_str().unwrap().to_owned();
    note_when(&app, &eager.token, &waiting, Duration::from_secs(20), |n| {
        status(n) == "POSTED"
    })
    .await;
    let sent = eager_hook.received();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].json()["note"]["text"], REFINED_TEXT);

    // A below-threshold refinement: the rule waits for it, then leaves the note alone.
    llm.answer(
        r#"{"category": "audio", "text": "Maybe the music", "confidence": 0.5}"#,
        Duration::from_millis(300),
    );
    let unsure = submit(&app, token, &video, "u-2").await;
    let unsure = unsure["id"].as_str().unwrap().to_owned();
    let done = note_when(&app, token, &unsure, Duration::from_secs(20), |n| {
        refinement(n) == "DONE"
    })
    .await;
    assert_eq!(done["confidence"], 0.5, "{done}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(read_note(&app, token, &unsure).await["status"], "GHOST");
    assert_eq!(hook.received().len(), 2);
}

#[tokio::test]
async fn suppressed_and_cancelled_notes_are_never_posted_by_the_rule() {
    let (hook, url) = FakeHook::start(vec![HookReply::Status(200)]).await;
    let (llm, base_url) = FakeLlm::start(REFINED, Duration::ZERO).await;
    let app = spawn_with_llm(&base_url, |_| {}).await;
    // The gate holds this reviewer's notes to a confidence of 1: a spoken note is suppressed.
    let tokens = reviewer_with(&app, "minConfidence: 1").await;
    let token = &tokens.token;
    // Every category, any confidence: only the note's status can keep it from the rule.
    let set = set_rule(&app, token, &url, every_category()).await;
    assert!(set["data"]["setWebhook"]["autoPost"].is_object(), "{set}");
    let video = video(&app, token).await;

    let mut heard = transcript(&video, "u-1");
    heard["confidence"] = json!(0.6);
    let suppressed = app
        .graphql(token, &submit_query(), json!({ "input": heard }))
        .await["data"]["submitTranscript"]
        .clone();
    assert_eq!(suppressed["status"], "SUPPRESSED", "{suppressed}");
    let mut taken_back = transcript(&video, "u-2");
    taken_back["text"] = json!("make the logo bigger, actually scratch that");
    let cancelled = app
        .graphql(token, &submit_query(), json!({ "input": taken_back }))
        .await["data"]["submitTranscript"]
        .clone();
    assert_eq!(cancelled["status"], "CANCELLED", "{cancelled}");

    // The rule is on and works: a typed note goes out.
    let typed_note = typed(&app, token, &video, "Logo bigger", "GRAPHICS").await;
    let typed_id = typed_note["id"].as_str().unwrap().to_owned();
    note_when(&app, token, &typed_id, Duration::from_secs(20), |n| {
        status(n) == "POSTED"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(posted_ids(&hook), [typed_id]);
    for note in [&suppressed, &cancelled] {
        let id = note["id"].as_str().unwrap();
        let now = read_note(&app, token, id).await;
        assert_eq!(now["status"], note["status"], "{now}");
        assert_eq!(now["version"], 1, "untouched: {now}");
    }
    assert_eq!(llm.requests(), 0, "neither was refined");
}

#[tokio::test]
async fn the_rule_queues_one_posting_however_often_it_is_checked() {
    let (hook, url) = FakeHook::start(vec![HookReply::Status(200)]).await;
    let app = spawn_app_with(quick_jobs).await;
    let (_, tokens) = app.new_user_with_token().await;
    let token = &tokens.token;
    let set = set_rule(&app, token, &url, Value::Null).await;
    assert_eq!(set["data"]["setWebhook"]["autoPost"], Value::Null, "{set}");
    let video = video(&app, token).await;
    // Made before the rule: not posted.
    let note = typed(&app, token, &video, "Cut on the beat", "EDITING").await;
    assert_eq!(note["status"], "FIRMED");
    let id: uuid::Uuid = note["id"].as_str().unwrap().parse().unwrap();

    let rule = json!({ "categories": ["EDITING"], "minConfidence": 1.0 });
    set_rule(&app, token, &url, rule).await;
    // Checked eight times at once (as a note's creation and its refinement's end may race):
    // one posting is queued.
    let checks = (0..8).map(|_| lossy_api::jobs::post::by_rule(&app.state, id));
    let queued: Vec<_> = futures_util::future::join_all(checks)
        .await
        .into_iter()
        .map(|checked| checked.expect("the rule is checked"))
        .collect();
    assert_eq!(queued.iter().flatten().count(), 1, "{queued:?}");
    let id = id.to_string();
    note_when(&app, token, &id, Duration::from_secs(20), |n| {
        status(n) == "POSTED"
    })
    .await;
    // And again once posted: nothing.
    let again = lossy_api::jobs::post::by_rule(&app.state, id.parse().unwrap())
        .await
        .expect("checked");
    assert!(again.is_none());
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(hook.received().len(), 1);
    assert_eq!(
        hook.received()[0].id,
        lossy_api::jobs::post::rule_delivery_id(id.parse().unwrap()).to_string()
    );
}

#[tokio::test]
async fn a_rule_is_checked_before_anything_is_written() {
    let app = spawn_app_with(quick_jobs).await;
    let (_, tokens) = app.new_user_with_token().await;
    let token = &tokens.token;
    let url = "http://127.0.0.1:9/hook";
    let first = json!({ "categories": ["COLOR"], "minConfidence": 0.5 });
    assert!(set_rule(&app, token, url, first.clone()).await["data"]["setWebhook"].is_object());
    for (rule, field) in [
        (
            json!({ "categories": ["COLOR"], "minConfidence": 1.5 }),
            "autoPost.minConfidence",
        ),
        (
            json!({ "categories": ["COLOR"], "minConfidence": -0.1 }),
            "autoPost.minConfidence",
        ),
        (
            json!({ "categories": [], "minConfidence": 0.5 }),
            "autoPost.categories",
        ),
    ] {
        let body = set_rule(&app, token, "http://127.0.0.1:9/other", rule.clone()).await;
        assert_bad_user_input(&body, field, &rule);
    }
    let body = set_rule(
        &app,
        token,
        url,
        json!({ "categories": ["TEXTURE"], "minConfidence": 0.5 }),
    )
    .await;
    assert!(body["errors"].is_array(), "an unknown category: {body}");
    let read = app
        .graphql(
            token,
            "{ webhook { url autoPost { categories minConfidence } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        read["data"]["webhook"],
        json!({ "url": url, "autoPost": first }),
        "{read}"
    );
    // Set again without a rule: posting by rule is off.
    let off = set_rule(&app, token, url, Value::Null).await;
    assert_eq!(off["data"]["setWebhook"]["autoPost"], Value::Null, "{off}");
}
