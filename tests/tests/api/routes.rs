//! Pages a person opens in a browser.

use lossy_tests::spawn_app;

#[tokio::test]
async fn the_root_leads_to_graphiql_wired_to_both_endpoints() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let root = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(root.status(), 307);
    assert_eq!(root.headers()["location"], "/graphiql");

    let page = client.get(app.url("/graphiql")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    // HTTP with a bearer header, the socket with the token in connection_init, never a URL.
    assert!(html.contains("url: '/graphql'"));
    assert!(html.contains("Authorization: 'Bearer ' + token"));
    assert!(html.contains("connectionParams: token ? { token"));
}
