//! Videos: `resolveVideo` stores nothing; `detectVideo` keeps one row per user, platform and
//! external id whatever link shape reached it; `videos(...)` pages, filters and searches them;
//! bad input changes nothing; the manifest is served with the bytes `lossy adapters export`
//! prints.

use lossy_entities::videos;
use lossy_tests::{TestApp, assert_bad_user_input, error_code, header, spawn_app};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const RESOLVE: &str = "query($url: String!) {
    resolveVideo(url: $url) {
        platform externalId canonicalUrl embedUrl thumbnailUrl extras deepLink(seconds: 75.9)
    }
}";

const DETECT: &str = "mutation($input: DetectVideoInput!) {
    detectVideo(input: $input) {
        id platform externalId canonicalUrl title durationSeconds status thumbnailUrl lastUrl
        deepLink(seconds: 12)
    }
}";

const VIDEOS: &str = "query($first: Int, $after: String, $platform: String, $status: VideoStatus,
        $search: String) {
    videos(first: $first, after: $after, platform: $platform, status: $status, search: $search) {
        edges { cursor node { id platform externalId title } }
        pageInfo { hasNextPage endCursor }
    }
}";

const VIDEO: &str = "query($id: ID!) { video(id: $id) { id platform externalId title } }";

async fn stored(app: &TestApp) -> u64 {
    videos::Entity::find().count(&app.state.db).await.unwrap()
}

fn detect_input(url: &str) -> Value {
    json!({ "input": { "url": url, "title": "Cut 3", "durationSeconds": 212.5, "tabId": 7,
                        "pageInstanceId": "page-1" } })
}

#[tokio::test]
async fn resolve_video_answers_the_identity_and_stores_nothing() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let body = app
        .graphql(
            &tokens.token,
            RESOLVE,
            json!({ "url": "https://youtu.be/dQw4w9WgXcQ?si=abc&t=42" }),
        )
        .await;
    assert_eq!(
        body["data"]["resolveVideo"],
        json!({
            "platform": "youtube",
            "externalId": "dQw4w9WgXcQ",
            "canonicalUrl": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "embedUrl": "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "thumbnailUrl": "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
            "extras": {},
            "deepLink": "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=75s",
        }),
        "{body}"
    );
    let vimeo = app
        .graphql(
            &tokens.token,
            RESOLVE,
            json!({ "url": "https://player.vimeo.com/video/76979871?h=8272103f6e&badge=0" }),
        )
        .await;
    assert_eq!(
        vimeo["data"]["resolveVideo"]["extras"],
        json!({ "hash": "8272103f6e" })
    );
    assert_eq!(
        vimeo["data"]["resolveVideo"]["canonicalUrl"],
        "https://vimeo.com/76979871/8272103f6e"
    );
    assert_eq!(stored(&app).await, 0);
}

#[tokio::test]
async fn one_user_reaching_a_video_through_five_link_shapes_gets_one_row() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let shapes = [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&utm_source=newsletter",
        "youtu.be/dQw4w9WgXcQ",
        "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30",
    ];
    let mut ids = Vec::new();
    for url in shapes {
        let body = app.graphql(&tokens.token, DETECT, detect_input(url)).await;
        let video = &body["data"]["detectVideo"];
        assert_eq!(video["platform"], "youtube", "{url}: {body}");
        assert_eq!(video["externalId"], "dQw4w9WgXcQ", "{url}");
        ids.push(video["id"].clone());
    }
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    assert_eq!(stored(&app).await, 1);

    // A later detection refreshes what the page tells and keeps what it does not.
    let body = app
        .graphql(
            &tokens.token,
            DETECT,
            json!({ "input": { "url": shapes[0], "title": "  Cut 4  " } }),
        )
        .await;
    let video = &body["data"]["detectVideo"];
    assert_eq!(video["title"], "Cut 4", "{body}");
    assert_eq!(video["durationSeconds"], 212.5);
    assert_eq!(video["status"], "ACTIVE");
    assert_eq!(
        video["lastUrl"],
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    );
    assert_eq!(
        video["deepLink"],
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=12s"
    );
}

#[tokio::test]
async fn two_users_detecting_one_video_get_a_row_each_and_never_see_the_others() {
    let app = spawn_app().await;
    let (_, alice) = app.new_user_with_token().await;
    let (_, bob) = app.new_user_with_token().await;
    let url = "https://vimeo.com/channels/staffpicks/76979871";
    let a = app.graphql(&alice.token, DETECT, detect_input(url)).await;
    let b = app.graphql(&bob.token, DETECT, detect_input(url)).await;
    let (a_id, b_id) = (
        &a["data"]["detectVideo"]["id"],
        &b["data"]["detectVideo"]["id"],
    );
    assert_ne!(a_id, b_id);
    assert_eq!(stored(&app).await, 2);

    let theirs = app.graphql(&bob.token, VIDEO, json!({ "id": a_id })).await;
    assert_eq!(error_code(&theirs), Some("NOT_FOUND"), "{theirs}");
    let listed = app.graphql(&bob.token, VIDEOS, json!({})).await;
    let edges = listed["data"]["videos"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(&edges[0]["node"]["id"], b_id);
}

#[tokio::test]
async fn videos_are_paged_newest_viewed_first_and_filtered_by_platform() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let urls = [
        "https://vimeo.com/76979871",
        "https://www.tiktok.com/@someone/video/7234567890123456789",
        "https://example.com/videos/intro.mp4",
        "https://www.youtube.com/watch?v=jNQXAC9IVRw",
    ];
    for url in urls {
        let body = app.graphql(&tokens.token, DETECT, detect_input(url)).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .graphql(&tokens.token, VIDEOS, json!({ "first": 3, "after": after }))
            .await;
        let videos = &page["data"]["videos"];
        for edge in videos["edges"].as_array().unwrap() {
            seen.push(edge["node"]["platform"].as_str().unwrap().to_owned());
        }
        if videos["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = videos["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ["youtube", "generic", "tiktok", "vimeo"]);

    let vimeo = app
        .graphql(&tokens.token, VIDEOS, json!({ "platform": "vimeo" }))
        .await;
    let edges = vimeo["data"]["videos"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "{vimeo}");
    assert_eq!(edges[0]["node"]["externalId"], "76979871");
    let archived = app
        .graphql(&tokens.token, VIDEOS, json!({ "status": "ARCHIVED" }))
        .await;
    assert_eq!(archived["data"]["videos"]["edges"], json!([]), "{archived}");
}

/// The titles of every video `videos(...)` lists for `variables`, following the pages.
async fn titles(app: &TestApp, token: &str, variables: Value) -> Vec<String> {
    let mut titles = Vec::new();
    let mut variables = variables;
    loop {
        let page = app.graphql(token, VIDEOS, variables.clone()).await;
        assert!(page["errors"].is_null(), "{variables}: {page}");
        let videos = &page["data"]["videos"];
        for edge in videos["edges"].as_array().into_iter().flatten() {
            titles.push(
                edge["node"]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
        if videos["pageInfo"]["hasNextPage"] != true {
            return titles;
        }
        variables["after"] = videos["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn videos_are_searched_by_title_or_url_ignoring_case_with_wildcards_taken_literally() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let token = tokens.token.as_str();
    // Detected in this order, so listed in the reverse one.
    let videos = [
        (
            "https://www.youtube.com/watch?v=jNQXAC9IVRw",
            "Me at the Zoo",
        ),
        ("https://vimeo.com/76979871", "Review: 50% promo_cut"),
        ("https://example.com/videos/intro.mp4", "Intro cut"),
        (
            "https://www.tiktok.com/@someone/video/7234567890123456789",
            "Dance 50 percent \\o/",
        ),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "Never gonna cut",
        ),
    ];
    for (url, title) in videos {
        let input = json!({ "input": { "url": url, "title": title } });
        let body = app.graphql(token, DETECT, input).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    // Another user's matching video never shows.
    let (_, stranger) = app.new_user_with_token().await;
    let input = json!({ "input": { "url": "https://vimeo.com/1", "title": "Zoo cut 50%" } });
    app.graphql(&stranger.token, DETECT, input).await;

    let cases: [(Value, &[&str]); 13] = [
        // Title, whatever the case.
        (json!({ "search": "ZOO" }), &["Me at the Zoo"]),
        // Canonical URL: the id, the host, any case.
        (json!({ "search": "dQw4w9" }), &["Never gonna cut"]),
        (json!({ "search": "EXAMPLE.com/Videos" }), &["Intro cut"]),
        (
            json!({ "search": "vimeo.com/7697" }),
            &["Review: 50% promo_cut"],
        ),
        // Wildcards and the escape character match themselves.
        (json!({ "search": "50%" }), &["Review: 50% promo_cut"]),
        (json!({ "search": "%" }), &["Review: 50% promo_cut"]),
        (json!({ "search": "o_c" }), &["Review: 50% promo_cut"]),
        (json!({ "search": "\\" }), &["Dance 50 percent \\o/"]),
        (json!({ "search": "no such words" }), &[]),
        // Blank is no filter; the text is trimmed.
        (
            json!({ "search": "   " }),
            &[
                "Never gonna cut",
                "Dance 50 percent \\o/",
                "Intro cut",
                "Review: 50% promo_cut",
                "Me at the Zoo",
            ],
        ),
        (
            json!({ "search": "  cut " }),
            &["Never gonna cut", "Intro cut", "Review: 50% promo_cut"],
        ),
        // With the platform filter, and paged one at a time.
        (
            json!({ "search": "cut", "platform": "youtube" }),
            &["Never gonna cut"],
        ),
        (
            json!({ "search": "CUT", "first": 1 }),
            &["Never gonna cut", "Intro cut", "Review: 50% promo_cut"],
        ),
    ];
    for (variables, expected) in cases {
        assert_eq!(
            titles(&app, token, variables.clone()).await,
            expected,
            "{variables}"
        );
    }

    // One page at a time really pages: the first of three says more follow.
    let page = app
        .graphql(token, VIDEOS, json!({ "search": "cut", "first": 2 }))
        .await;
    assert_eq!(
        page["data"]["videos"]["edges"].as_array().map(Vec::len),
        Some(2),
        "{page}"
    );
    assert_eq!(page["data"]["videos"]["pageInfo"]["hasNextPage"], true);

    let long = "a".repeat(201);
    let refused = app.graphql(token, VIDEOS, json!({ "search": long })).await;
    assert_bad_user_input(&refused, "search", "201 characters");
    let longest = "a".repeat(200);
    assert_eq!(
        titles(&app, token, json!({ "search": longest })).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn with_the_adapters_flag_off_detect_video_stores_the_generic_identity() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    lossy_api::flags::store::set_override(
        &app.state.db,
        "server_platform_adapters",
        browser.user_id,
        Some(false),
    )
    .await
    .unwrap_or_else(|e| panic!("override not written: {e:?}"));
    let body = app
        .graphql(
            &tokens.token,
            DETECT,
            detect_input("https://www.youtube.com/watch?v=dQw4w9WgXcQ&utm_medium=x"),
        )
        .await;
    let video = &body["data"]["detectVideo"];
    assert_eq!(video["platform"], "generic", "{body}");
    assert_eq!(
        video["canonicalUrl"],
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    );
    assert_eq!(video["externalId"].as_str().map(str::len), Some(64));
    assert_eq!(
        video["deepLink"],
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ#t=12"
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_its_field_and_stores_nothing() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let long = format!("https://example.com/?q={}", "a".repeat(9000));
    for url in [
        "",
        "   ",
        "not a url at all",
        "javascript:alert(1)",
        "data:text/html,<video>",
        "file:///etc/passwd",
        "ftp://example.com/a.mp4",
        "https://exa mple.com/",
        "http://[::1",
        long.as_str(),
    ] {
        let detected = app.graphql(&tokens.token, DETECT, detect_input(url)).await;
        assert_bad_user_input(&detected, "url", url);
        let resolved = app
            .graphql(&tokens.token, RESOLVE, json!({ "url": url }))
            .await;
        assert_bad_user_input(&resolved, "url", url);
    }
    let url = "https://vimeo.com/76979871";
    for (field, input) in [
        ("title", json!({ "url": url, "title": "x".repeat(1001) })),
        (
            "durationSeconds",
            json!({ "url": url, "durationSeconds": -1.0 }),
        ),
        (
            "durationSeconds",
            json!({ "url": url, "durationSeconds": 1e12 }),
        ),
        ("tabId", json!({ "url": url, "tabId": -3 })),
        (
            "pageInstanceId",
            json!({ "url": url, "pageInstanceId": "p".repeat(129) }),
        ),
    ] {
        let body = app
            .graphql(&tokens.token, DETECT, json!({ "input": input }))
            .await;
        assert_bad_user_input(&body, field, field);
    }
    let deep = app
        .graphql(
            &tokens.token,
            "query { resolveVideo(url: \"https://vimeo.com/76979871\") { deepLink(seconds: -5) } }",
            json!({}),
        )
        .await;
    assert_bad_user_input(&deep, "seconds", "deepLink");
    let unknown = app
        .graphql(&tokens.token, VIDEOS, json!({ "platform": "myspace" }))
        .await;
    assert_bad_user_input(&unknown, "platform", "platform filter");
    assert_eq!(stored(&app).await, 0);

    // Ids with the wrong length or alphabet are not YouTube videos: the page is generic.
    let short = app
        .graphql(
            &tokens.token,
            RESOLVE,
            json!({ "url": "https://www.youtube.com/watch?v=dQw4w9WgXc" }),
        )
        .await;
    assert_eq!(
        short["data"]["resolveVideo"]["platform"], "generic",
        "{short}"
    );
}

#[tokio::test]
async fn the_manifest_is_served_with_the_exported_bytes_and_an_entity_tag() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let response = client
        .get(app.url("/api/platform_adapters.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let etag = header(&response, "etag").unwrap().to_owned();
    let body = response.text().await.unwrap();
    assert_eq!(body, lossy_api::platforms::manifest::exported());
    let version: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        etag,
        format!("\"{}\"", version["manifestVersion"].as_str().unwrap())
    );

    let again = client
        .get(app.url("/api/platform_adapters.json"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn a_voice_session_reviews_only_a_video_of_the_callers() {
    const START: &str = "mutation($video: ID) {
        startVoiceSession(input: { tabId: 1, pageInstanceId: \"page-1\", videoId: $video }) {
            id videoId
        }
    }";
    let app = spawn_app().await;
    let (_, alice) = app.new_user_with_token().await;
    let (_, bob) = app.new_user_with_token().await;
    let detected = app
        .graphql(
            &alice.token,
            DETECT,
            detect_input("https://vimeo.com/76979871"),
        )
        .await;
    let video = detected["data"]["detectVideo"]["id"].clone();

    let theirs = app
        .graphql(&bob.token, START, json!({ "video": video }))
        .await;
    assert_eq!(error_code(&theirs), Some("NOT_FOUND"), "{theirs}");
    let unknown = app
        .graphql(&bob.token, START, json!({ "video": uuid::Uuid::new_v4() }))
        .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");

    let own = app
        .graphql(&alice.token, START, json!({ "video": video }))
        .await;
    assert_eq!(own["data"]["startVoiceSession"]["videoId"], video, "{own}");
}
