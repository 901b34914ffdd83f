//! The plain HTTP side: health, the model, the embedded page.

use crate::helpers::TestApp;

#[tokio::test]
async fn health_reports_the_database() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn the_model_is_served_in_both_languages() {
    let app = TestApp::spawn().await;
    let (status, model) = app.get("/api/model").await;
    assert_eq!(status, 200);
    assert_eq!(model["forms"].as_array().unwrap().len(), 4);
    let aspects: usize = model["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["aspects"].as_array().unwrap().len())
        .sum();
    assert_eq!(aspects, 13);
    assert_eq!(model["forms"][1]["label"]["nl"], "Functioneel");
    let contracting = &model["clusters"][0]["aspects"][5];
    assert_eq!(contracting["id"], "contracting");
    assert!(
        contracting["principles"]["transactional"]["nl"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("handelscontract")
    );
}

#[tokio::test]
async fn the_page_is_served_from_the_binary_for_the_app_routes() {
    let app = TestApp::spawn().await;
    for path in ["/", "/join/abc", "/session/abc", "/facilitate/abc"] {
        let r = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            r.text()
                .await
                .unwrap()
                .to_lowercase()
                .contains("<!doctype html>")
        );
    }
    let r = app
        .http
        .get(app.url("/no-such-file.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_join_link_is_served_as_a_qr_code() {
    let app = TestApp::spawn().await;
    let session = app.create_session("QR").await;
    let r = app
        .http
        .get(app.url(&format!("/api/sessions/{}/join-qr.svg", session.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let svg = r.text().await.unwrap();
    assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
    let (status, body) = app
        .get(&format!(
            "/api/sessions/{}/join-qr.svg",
            uuid::Uuid::new_v4()
        ))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("unknown_session"))
    );
}
