//! `noteEvents` with offsets over real sockets (PROTOCOL.md section 6.1): a subscriber that
//! stops reading is caught up from the event log rather than skipping, a reconnect with
//! `since` receives exactly what it missed (10,000 events too, page by page from the log) and
//! then live events with nothing twice, an offset past retention answers `EVENTS_EXPIRED`, and
//! a malformed, foreign or future one is refused.
//! Every test runs on PostgreSQL too when the suite is given one.

use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use lossy_api::notes::status::NoteStatus;
use lossy_api::notes::store::{self, NewNote};
use lossy_api::notes::structurer::Category;
use lossy_tests::ws::RawSocket;
use lossy_tests::{TestApp, Tokens, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const EVENTS: &str = "subscription($video: ID, $since: String) {
    noteEvents(videoId: $video, since: $since) {
        __typename
        ... on NoteCreated { offset note { id videoId text version } }
        ... on NoteUpdated { offset note { id videoId text version } }
        ... on NoteDeleted { offset noteId videoId }
        ... on VideoSummaryUpdated { offset videoId totalCount }
    }
}";

const CREATE: &str =
    "mutation($input: CreateNoteInput!) { createNote(input: $input) { id version } }";
const UPDATE: &str =
    "mutation($input: UpdateNoteInput!) { updateNote(input: $input) { id version } }";
const DELETE: &str = "mutation($id: ID!) { deleteNote(id: $id) { id } }";

async fn video(app: &TestApp, tokens: &Tokens, external: &str) -> String {
    let body = app
        .graphql(
            &tokens.token,
            "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }",
            json!({ "input": {
                "url": format!("https://www.youtube.com/watch?v=stream{external}"),
                "title": "Stream",
                "durationSeconds": 600.0,
            } }),
        )
        .await;
    body["data"]["detectVideo"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn create(app: &TestApp, token: &str, video: &str, text: &str) -> String {
    let body = app
        .graphql(
            token,
            CREATE,
            json!({ "input": {
                "videoId": video, "text": text, "timestampSeconds": 1.0, "category": "EDITING"
            } }),
        )
        .await;
    body["data"]["createNote"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// A socket subscribed to the user's note events; answers once the server has it in place.
async fn subscribe(app: &TestApp, token: &str, variables: Value) -> RawSocket {
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.init(token).await;
    subscribe_with(&mut socket, variables).await;
    socket
}

/// Subscribes; without `since`, also waits until the subscription is in place. (The socket
/// layer registers a subscription before it reads the next message, so an answered `ping`
/// shows it. With `since` the replay may come before the `pong`; tests then read events.)
async fn subscribe_with(socket: &mut RawSocket, variables: Value) {
    let replays = variables.get("since").is_some();
    socket.subscribe("events", EVENTS, variables).await;
    if !replays {
        socket.send(json!({ "type": "ping" })).await;
        let pong = socket.next_json().await;
        assert_eq!(pong["type"], "pong", "{pong}");
    }
}

/// The next `noteEvents` payload on the socket.
async fn next_event(socket: &mut RawSocket) -> Value {
    let message = socket.next_json().await;
    assert_eq!(message["type"], "next", "{message}");
    message["payload"]["data"]["noteEvents"].clone()
}

/// The number inside an offset, which the tests may know is the user's event count (the
/// offset itself is opaque to clients).
fn seq(event: &Value) -> i64 {
    let offset = event["offset"]
        .as_str()
        .unwrap_or_else(|| panic!("{event}"));
    offset.split('.').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_subscriber_that_stops_reading_gets_every_event_once_and_in_order() {
    const NOTES: usize = 2000;
    let app = spawn_app().await;
    let (_, alice) = app.new_user_with_token().await;
    let first = video(&app, &alice, "slow-1").await;
    let second = video(&app, &alice, "slow-2").await;
    // A small receive buffer: once it and the server's send buffer are full, the server's
    // writes wait and the subscription falls behind the live buffer.
    let mut slow = RawSocket::connect_with_receive_buffer(&app.ws_url(), 4096).await;
    slow.init(&alice.token).await;
    subscribe_with(&mut slow, json!({})).await;

    // Eight writers at once while the subscriber reads nothing.
    let user_id = owner(&app, &alice).await;
    let videos: [uuid::Uuid; 2] = [first.parse().unwrap(), second.parse().unwrap()];
    // Long notes, so that the socket's buffers fill soon.
    let long = "and the cut is late ".repeat(90);
    write_at_once(&app, user_id, videos, 0..NOTES, 8, |i| {
        format!("note {i} {long}")
    })
    .await;

    // Every event the log holds arrives once, in offset order with no gap: the notes (each
    // once) and, after each write, its video's summary (one per video for notes written in
    // one batch).
    let last = last_offset(&app, &alice).await;
    let mut created = std::collections::HashSet::new();
    let mut totals = std::collections::HashMap::new();
    for expected in 1..=last {
        let event = next_event(&mut slow).await;
        assert_eq!(seq(&event), expected, "{event}");
        match event["__typename"].as_str().unwrap() {
            "NoteCreated" => {
                assert!(created.insert(event["note"]["id"].as_str().unwrap().to_owned()))
            }
            _ => {
                totals.insert(
                    event["videoId"].as_str().unwrap().to_owned(),
                    event["totalCount"].clone(),
                );
            }
        }
    }
    assert_eq!(created.len(), NOTES);
    assert_eq!(totals[&first], NOTES / 2);
    assert_eq!(totals[&second], NOTES / 2);
    slow.expect_silence(Duration::from_millis(300)).await;

    // It did fall behind, and was caught up from the log (not skipped).
    let metrics = app.metrics().await;
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("lossy_note_stream_caught_up_total") && !l.ends_with(" 0")),
        "the subscriber never fell behind; the test did not exercise catch-up"
    );
}

#[tokio::test]
async fn a_reconnect_with_since_receives_exactly_what_it_missed_then_live_events() {
    let app = spawn_app().await;
    let (_, alice) = app.new_user_with_token().await;
    let first = video(&app, &alice, "since-1").await;
    let second = video(&app, &alice, "since-2").await;

    let mut socket = subscribe(&app, &alice.token, json!({})).await;
    let kept = create(&app, &alice.token, &first, "before the drop").await;
    let created = next_event(&mut socket).await;
    let summary = next_event(&mut socket).await;
    assert_eq!(created["__typename"], "NoteCreated");
    assert_eq!(summary["__typename"], "VideoSummaryUpdated");
    let last_applied = summary["offset"].as_str().unwrap().to_owned();
    socket.close().await;

    // Missed while away: an edit, a note on the other video, a deletion.
    app.graphql(
        &alice.token,
        UPDATE,
        json!({ "input": { "id": kept, "version": 1, "text": "edited while away" } }),
    )
    .await;
    let other = create(&app, &alice.token, &second, "on the other video").await;
    app.graphql(&alice.token, DELETE, json!({ "id": kept }))
        .await;

    // Everything after the last offset applied, in order, then live.
    let mut socket = subscribe(&app, &alice.token, json!({ "since": last_applied })).await;
    let missed: Vec<Value> = {
        let mut events = Vec::new();
        for _ in 0..6 {
            events.push(next_event(&mut socket).await);
        }
        events
    };
    let kinds: Vec<&str> = missed
        .iter()
        .map(|e| e["__typename"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "NoteUpdated",
            "VideoSummaryUpdated",
            "NoteCreated",
            "VideoSummaryUpdated",
            "NoteDeleted",
            "VideoSummaryUpdated",
        ]
    );
    assert_eq!(missed[0]["note"]["text"], "edited while away");
    assert_eq!(missed[2]["note"]["id"], other.as_str());
    assert_eq!(missed[4]["noteId"], kept.as_str());
    let offsets: Vec<i64> = missed.iter().map(seq).collect();
    assert_eq!(offsets, (3..=8).collect::<Vec<_>>());
    socket.expect_silence(Duration::from_millis(300)).await;
    create(&app, &alice.token, &second, "live again").await;
    assert_eq!(seq(&next_event(&mut socket).await), 9);
    assert_eq!(seq(&next_event(&mut socket).await), 10);
    socket.expect_silence(Duration::from_millis(300)).await;

    // One video's stream replays only that video's events after the offset.
    let mut one = subscribe(
        &app,
        &alice.token,
        json!({ "video": second, "since": last_applied }),
    )
    .await;
    let replayed: Vec<i64> = {
        let mut seqs = Vec::new();
        for _ in 0..4 {
            let event = next_event(&mut one).await;
            let video = event["videoId"]
                .as_str()
                .or(event["note"]["videoId"].as_str())
                .unwrap()
                .to_owned();
            assert_eq!(video, second);
            seqs.push(seq(&event));
        }
        seqs
    };
    assert_eq!(replayed, [5, 6, 9, 10]);
    one.expect_silence(Duration::from_millis(300)).await;

    // The latest offset replays nothing and waits for what comes.
    let latest = lossy_api::notes::stream::offset::encode(owner(&app, &alice).await, 10);
    let mut caught_up = subscribe(&app, &alice.token, json!({ "since": latest })).await;
    caught_up.expect_silence(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn a_client_that_missed_ten_thousand_events_gets_each_once_in_order_then_live_ones() {
    const MISSED: i64 = 10_000;
    let app = spawn_app().await;
    let (_, alice) = app.new_user_with_token().await;
    let first = video(&app, &alice, "away-1").await;
    let second = video(&app, &alice, "away-2").await;
    let user_id = owner(&app, &alice).await;
    let videos: [uuid::Uuid; 2] = [first.parse().unwrap(), second.parse().unwrap()];

    let mut socket = subscribe(&app, &alice.token, json!({})).await;
    create(&app, &alice.token, &first, "seen before leaving").await;
    next_event(&mut socket).await;
    let last_applied = next_event(&mut socket).await["offset"]
        .as_str()
        .unwrap()
        .to_owned();
    socket.close().await;
    let away_from = seq(&json!({ "offset": last_applied }));

    // While the client is away, four writers at once write until at least 10,000 events
    // (notes and the summaries after each write) are in the log past its last offset.
    let mut written = 0;
    while last_offset(&app, &alice).await - away_from < MISSED {
        let notes = written..written + 400;
        write_at_once(&app, user_id, videos, notes, 4, |i| {
            format!("missed note {i}")
        })
        .await;
        written += 400;
    }
    let last = last_offset(&app, &alice).await;

    // Every one of them, once and in offset order with no gap, then the stream is live.
    let mut socket = subscribe(&app, &alice.token, json!({ "since": last_applied })).await;
    let mut created = std::collections::HashSet::new();
    for expected in away_from + 1..=last {
        let event = next_event(&mut socket).await;
        assert_eq!(seq(&event), expected, "{event}");
        if event["__typename"] == "NoteCreated" {
            assert!(created.insert(event["note"]["id"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(created.len(), written);
    socket.expect_silence(Duration::from_millis(300)).await;
    create(&app, &alice.token, &second, "back again").await;
    assert_eq!(seq(&next_event(&mut socket).await), last + 1);
    assert_eq!(seq(&next_event(&mut socket).await), last + 2);
    socket.expect_silence(Duration::from_millis(300)).await;
}

/// Notes numbered `notes`, note `i` on `videos[i % 2]`, written by `writers` writers at once
/// through the notes' own writer (the path of `submitTranscript` and `createNote`, without
/// their HTTP and GraphQL cost).
async fn write_at_once(
    app: &TestApp,
    user_id: uuid::Uuid,
    videos: [uuid::Uuid; 2],
    notes: std::ops::Range<usize>,
    writers: usize,
    text: impl Fn(usize) -> String,
) {
    let text = &text;
    let mut running = FuturesUnordered::new();
    for writer in 0..writers {
        let first = notes.start + writer;
        let end = notes.end;
        running.push(async move {
            for i in (first..end).step_by(writers) {
                let note = new_note(user_id, videos[i % 2], text(i));
                store::insert(&app.state.notes.writer, note).await.unwrap();
            }
        });
    }
    while running.next().await.is_some() {}
}

fn new_note(user_id: uuid::Uuid, video_id: uuid::Uuid, text: String) -> NewNote {
    NewNote {
        user_id,
        video_id,
        voice_session_id: None,
        utterance_id: None,
        raw_transcript: text.clone(),
        text,
        category: Category::Editing,
        confidence: 1.0,
        timestamp_seconds: 1.0,
        end_seconds: None,
        status: NoteStatus::Firmed,
        verdict: None,
        structurer: "manual",
        source: None,
    }
}

/// The user's last offset, as the server stored it.
async fn last_offset(app: &TestApp, tokens: &Tokens) -> i64 {
    lossy_api::notes::stream::log::last_seq(&app.state.db, owner(app, tokens).await)
        .await
        .unwrap()
}

async fn owner(app: &TestApp, tokens: &Tokens) -> uuid::Uuid {
    let me = app
        .graphql(&tokens.token, "{ me { id } }", Value::Null)
        .await;
    me["data"]["me"]["id"].as_str().unwrap().parse().unwrap()
}

/// The first message answering a subscription that the server refuses.
async fn refused(app: &TestApp, token: &str, variables: Value) -> Value {
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.init(token).await;
    socket.subscribe("events", EVENTS, variables).await;
    let message = socket.next_json().await;
    assert_eq!(message["type"], "error", "{message}");
    message["payload"][0].clone()
}

#[tokio::test]
async fn an_offset_past_retention_answers_events_expired() {
    let app = spawn_app_with(|config| config.note_events_retention_secs = 1).await;
    let (_, alice) = app.new_user_with_token().await;
    let first = video(&app, &alice, "expired").await;
    let mut socket = subscribe(&app, &alice.token, json!({})).await;
    create(&app, &alice.token, &first, "soon forgotten").await;
    let oldest = next_event(&mut socket).await["offset"]
        .as_str()
        .unwrap()
        .to_owned();
    let latest = next_event(&mut socket).await["offset"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let error = refused(&app, &alice.token, json!({ "since": oldest })).await;
    assert_eq!(error["extensions"]["code"], "EVENTS_EXPIRED", "{error}");
    // Nothing was missed after the latest offset, however old it is.
    let mut current = subscribe(&app, &alice.token, json!({ "since": latest })).await;
    current.expect_silence(Duration::from_millis(200)).await;
    // Once the pruner has deleted the events, the answer is the same.
    assert!(
        lossy_tests::eventually(Duration::from_secs(5), || async {
            use sea_orm::{EntityTrait, PaginatorTrait};
            lossy_entities::note_events::Entity::find()
                .count(&app.state.db)
                .await
                .unwrap()
                == 0
        })
        .await,
        "the pruner did not delete expired events"
    );
    let error = refused(&app, &alice.token, json!({ "since": oldest })).await;
    assert_eq!(error["extensions"]["code"], "EVENTS_EXPIRED", "{error}");
    // And a client that reloads and subscribes without `since` carries on with new offsets.
    let mut fresh = subscribe(&app, &alice.token, json!({})).await;
    create(&app, &alice.token, &first, "after the reload").await;
    assert_eq!(seq(&next_event(&mut fresh).await), 3);
}

#[tokio::test]
async fn malformed_foreign_and_future_offsets_are_refused() {
    let app = spawn_app().await;
    let (_, alice) = app.new_user_with_token().await;
    let (_, bob) = app.new_user_with_token().await;
    let alices = video(&app, &alice, "bad-since").await;
    let mut socket = subscribe(&app, &alice.token, json!({})).await;
    create(&app, &alice.token, &alices, "hers").await;
    let hers = next_event(&mut socket).await["offset"]
        .as_str()
        .unwrap()
        .to_owned();
    let alice_id = owner(&app, &alice).await;

    for since in [
        json!("7"),
        json!("not an offset"),
        json!(""),
        json!(format!("-1.{}", hers.split('.').nth(1).unwrap())),
        json!(hers),
    ] {
        // Bob passing any of these (the last is Alice's) is refused.
        let error = refused(&app, &bob.token, json!({ "since": since })).await;
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{since}: {error}"
        );
    }
    let future = lossy_api::notes::stream::offset::encode(alice_id, 99);
    let error = refused(&app, &alice.token, json!({ "since": future })).await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
    // Refusals changed nothing: Alice's stream carries on.
    create(&app, &alice.token, &alices, "still hers").await;
    let next = next_event(&mut socket).await;
    assert_eq!(next["__typename"], "VideoSummaryUpdated");
    assert_eq!(seq(&next_event(&mut socket).await), 3);
}

#[tokio::test]
async fn a_list_gives_the_offset_to_follow_from() {
    let app = spawn_app().await;
    let (_, alice) = app.new_user_with_token().await;
    let first = video(&app, &alice, "listed").await;
    create(&app, &alice.token, &first, "before the list").await;
    let listed = app
        .graphql(
            &alice.token,
            "query($v: ID!) { notes(videoId: $v) { offset edges { node { id } } } }",
            json!({ "v": first }),
        )
        .await;
    let offset = listed["data"]["notes"]["offset"]
        .as_str()
        .unwrap_or_else(|| panic!("{listed}"))
        .to_owned();
    assert_eq!(seq(&json!({ "offset": offset })), 2, "{listed}");

    // What changed after the list is what a view that applied no event resumes with.
    let later = create(&app, &alice.token, &first, "after the list").await;
    let mut socket = subscribe(&app, &alice.token, json!({ "since": offset })).await;
    let created = next_event(&mut socket).await;
    assert_eq!(created["note"]["id"], later.as_str());
    assert_eq!(seq(&created), 3);
    assert_eq!(seq(&next_event(&mut socket).await), 4);
    socket.expect_silence(Duration::from_millis(300)).await;
}
