//! The webhook's egress guard, on as it is by default: `setWebhook` refuses private hosts as
//! written, and a delivery whose destination is (or resolves to) a private address is not
//! sent; the note needs the reviewer, with a reason naming the address.

use lossy_tests::assert_bad_user_input;

use super::*;

/// Quick jobs with the guard on (`LOSSY_WEBHOOK_ALLOW_PRIVATE` unset).
fn guarded(config: &mut Config) {
    quick_jobs(config);
    config.jobs.webhook_allow_private = false;
}

const READ_WEBHOOK: &str = "{ webhook { url } }";

#[tokio::test]
async fn set_webhook_refuses_private_hosts_and_changes_nothing() {
    let app = spawn_app_with(guarded).await;
    let (_, tokens) = app.new_user_with_token().await;
    let set = |url: &str| {
        app.graphql(
            &tokens.token,
            SET_WEBHOOK,
            json!({ "input": { "url": url, "secret": HOOK_SECRET } }),
        )
    };
    let private = [
        ("http://127.0.0.1:9000/hook", "127.0.0.1"),
        ("http://localhost:9000/hook", "localhost"),
        ("http://api.localhost/hook", "api.localhost"),
        ("http://[::1]:9000/hook", "::1"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254",
        ),
        ("http://10.1.2.3/hook", "10.1.2.3"),
        ("http://172.20.0.1/hook", "172.20.0.1"),
        ("http://192.168.1.10/hook", "192.168.1.10"),
        ("http://100.64.1.1/hook", "100.64.1.1"),
        ("http://0.0.0.0/hook", "0.0.0.0"),
        ("http://[fd00::1]/hook", "fd00::1"),
        ("http://[fe80::1]/hook", "fe80::1"),
        ("http://[::ffff:127.0.0.1]/hook", "127.0.0.1"),
        ("http://224.0.0.1/hook", "224.0.0.1"),
        ("http://255.255.255.255/hook", "255.255.255.255"),
        // Other spellings of 127.0.0.1, read as it by the URL parser.
        ("http://2130706433/hook", "127.0.0.1"),
        ("http://0x7f.1/hook", "127.0.0.1"),
    ];
    for (url, named) in private {
        let body = set(url).await;
        assert_bad_user_input(&body, "url", url);
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(named) && message.contains("not public"),
            "{url}: {message}"
        );
    }
    let none = app.graphql(&tokens.token, READ_WEBHOOK, json!({})).await;
    assert_eq!(none["data"]["webhook"], Value::Null, "{none}");

    // A public name is accepted (it is resolved and checked at delivery), and a refused URL
    // afterwards leaves it as it was.
    let public = "https://hooks.example.test/services/x";
    assert_eq!(set(public).await["data"]["setWebhook"]["url"], public);
    assert_bad_user_input(
        &set("http://127.0.0.1/hook").await,
        "url",
        "after a public one",
    );
    let kept = app.graphql(&tokens.token, READ_WEBHOOK, json!({})).await;
    assert_eq!(kept["data"]["webhook"]["url"], public, "{kept}");
}

/// Points the user's webhook at `url` in the database, as a server that allowed private
/// destinations (or predates the guard) stored it: this server's `setWebhook` refuses it.
async fn store_webhook_url(app: &TestApp, tokens: &Tokens, url: &str) {
    use lossy_entities::webhooks;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let public = "https://hooks.example.test/services/x";
    let set = app
        .graphql(
            &tokens.token,
            SET_WEBHOOK,
            json!({ "input": { "url": public, "secret": HOOK_SECRET } }),
        )
        .await;
    assert_eq!(set["data"]["setWebhook"]["url"], public, "{set}");
    let user_id = tokens_user(app, tokens).await;
    let mut row: webhooks::ActiveModel = webhooks::Entity::find_by_id(user_id)
        .one(&app.state.db)
        .await
        .expect("read the webhook")
        .expect("the webhook")
        .into();
    row.url = Set(url.to_owned());
    row.update(&app.state.db).await.expect("store the URL");
}

/// The id of the user `tokens` were issued to.
async fn tokens_user(app: &TestApp, tokens: &Tokens) -> uuid::Uuid {
    let me = app.graphql(&tokens.token, "{ me { id } }", json!({})).await;
    me["data"]["me"]["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{me}"))
}

#[tokio::test]
async fn a_delivery_to_a_private_address_is_not_sent_and_needs_the_reviewer() {
    let (hook, url) = FakeHook::start(vec![HookReply::Status(200)]).await;
    let port = url
        .trim_end_matches("/hook")
        .rsplit(':')
        .next()
        .expect("a port")
        .to_owned();
    let app = spawn_app_with(guarded).await;
    // The fake listens on 127.0.0.1; each URL reaches it when the guard is off (the jobs
    // tests beside this one post to it).
    for (url, names) in [
        // A literal, connected to without a resolver: checked before the try.
        (format!("http://127.0.0.1:{port}/hook"), &["127.0.0.1"][..]),
        // A name, resolved by the system (localhost is in /etc/hosts), refused for the
        // loopback address it resolves to.
        (
            format!("http://localhost:{port}/hook"),
            &[
                "localhost resolves to 127.0.0.1",
                "localhost resolves to ::1",
            ][..],
        ),
    ] {
        let (_, tokens) = app.new_user_with_token().await;
        store_webhook_url(&app, &tokens, &url).await;
        let video = video(&app, &tokens.token).await;
        let id = typed_note(&app, &tokens.token, &video, "Lower the music").await;
        let queued = app.graphql(&tokens.token, POST, json!({ "id": id })).await;
        assert_eq!(queued["data"]["postNote"]["status"], "QUEUED", "{queued}");

        let stuck = note_when(&app, &tokens.token, &id, Duration::from_secs(20), |n| {
            status(n) != "QUEUED" && status(n) != "POSTING"
        })
        .await;
        assert_eq!(stuck["status"], "NEEDS_INTERVENTION", "{url}: {stuck}");
        let reason = stuck["statusReason"].as_str().unwrap_or_default();
        assert!(
            names.iter().any(|name| reason.contains(name)) && reason.contains("not public"),
            "{url}: {reason}"
        );
        assert!(hook.received().is_empty(), "{url} was sent to");
    }
    // Not retried either: nothing arrives later.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(hook.received().is_empty());
}
