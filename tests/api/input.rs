//! Input that is exactly what the protocol promises: objects where objects are expected, names
//! that cannot pass for another's, text the record cannot mistake for markup, and WebSocket
//! frames that break the protocol closed with the standard codes.

use crate::helpers::{TestApp, WAIT, room};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn arrays_do_not_pass_for_objects_and_errors_name_no_type_of_ours() {
    let app = TestApp::spawn().await;
    let (status, body) = app.post("/api/sessions", &json!(["T", "F"])).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "invalid_arguments");
    let mut room = room(&app).await;
    let f = &mut room.facilitator;
    let refused = f.command("start_timer", json!([60, "x"])).await;
    assert_eq!(refused["code"], "invalid_arguments", "{refused}");
    let refused = f
        .command("add_note", json!({ "text": "x", "track": "one" }))
        .await;
    assert_eq!(refused["code"], "invalid_arguments");
    assert!(
        !refused["message"].as_str().unwrap().contains("usize"),
        "{refused}"
    );
    // Nested objects too: the tracks of a split, the aspects of an objection.
    let refused = f
        .command(
            "split",
            json!({ "tracks": [["ICT", "functional"], ["Products", "entrepreneurial"]], "rationale": "x" }),
        )
        .await;
    assert_eq!(refused["code"], "invalid_arguments", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(
        !message.contains("struct") && !message.contains("Args"),
        "{message}"
    );
    f.send(&json!([1, 2])).await;
    let answer = f
        .expect(|m| m["type"] == "error" && m["id"].is_null())
        .await;
    assert_eq!(answer["code"], "invalid_arguments");
    assert!(
        !answer["message"].as_str().unwrap().contains("Envelope"),
        "{answer}"
    );
    // Nothing of it happened.
    let state = f.snapshot().await;
    assert!(state["timer"].is_null());
    assert!(state["notes"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn separators_invisible_characters_and_look_alikes_do_not_make_a_new_name() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Look-alikes").await;
    app.join(&session.id, "Tess", "Acme").await;
    let join = |name: &str, org: &str| json!({ "name": name, "organisation_name": org });
    let path = format!("/api/sessions/{}/join", session.id);
    for (body, code, field) in [
        (join("Te\u{2028}ss", "X"), "invalid_characters", "name"),
        (join("Te\u{2029}ss", "X"), "invalid_characters", "name"),
        (join("Tess\u{200B}", "X"), "invalid_characters", "name"),
        (
            join("Noor", "Ac\u{00AD}me"),
            "invalid_characters",
            "organisation_name",
        ),
        (
            join("Noor", "\u{202E}emcA"),
            "invalid_characters",
            "organisation_name",
        ),
        (join("T\u{0435}ss", "X"), "name_taken", "name"),
        (
            join("Noor", "\u{0410}CME"),
            "organisation_taken",
            "organisation",
        ),
        (
            join("Noor", "Ａｃｍｅ"),
            "organisation_taken",
            "organisation",
        ),
    ] {
        let (status, answer) = app.post(&path, &body).await;
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{body}");
        assert!(status == 400 || status == 409, "{status}");
    }
    let (_, info) = app.get(&format!("/api/sessions/{}", session.id)).await;
    assert_eq!(info["organisations"].as_array().unwrap().len(), 1);
    // A no-break space is a space: stored as one plain space.
    let noor = app.join(&session.id, "Noor\u{00A0}van  Dam", "Acme").await;
    let mut c = app.connect(&session.id, &noor.token, None).await;
    let state = c.snapshot().await;
    let names: Vec<&str> = state["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Noor van Dam"), "{names:?}");
}

#[tokio::test]
async fn the_markdown_record_shows_entities_and_markup_as_typed() {
    let app = TestApp::spawn().await;
    let session = app.create_session("R&D ~~strike~~ ![x](y) &copy;").await;
    let (status, md) = app
        .record(&session.id, &session.facilitator_token, "md")
        .await;
    assert_eq!(status, 200);
    assert!(
        md.contains(r"R\&D \~\~strike\~\~ \!\[x\](y) \&copy;"),
        "{md}"
    );
}

/// Opens a WebSocket by hand, so that the test can write frames no client library would.
async fn raw_socket(app: &TestApp, session: &str) -> TcpStream {
    let mut tcp = TcpStream::connect(app.addr).await.unwrap();
    let request = format!(
        "GET /api/sessions/{session}/ws HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        app.addr
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        tcp.read_exact(&mut byte).await.unwrap();
        head.push(byte[0]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    tcp
}

/// A client frame: FIN, `opcode`, masked with `mask` when given.
fn frame(opcode: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut out = vec![0x80 | opcode];
    let len = payload.len() as u8;
    match mask {
        Some(key) => {
            out.push(0x80 | len);
            out.extend_from_slice(&key);
            out.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        }
        None => {
            out.push(len);
            out.extend_from_slice(payload);
        }
    }
    out
}

/// The code of the close frame the server sends, reading past anything before it.
async fn close_code(tcp: &mut TcpStream) -> Option<u16> {
    let mut all = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(WAIT, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => all.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server neither closed nor answered"),
        }
    }
    // Server frames are unmasked: opcode, length (7 bits, or 16 or 64 more), payload.
    let mut i = 0;
    while i + 2 <= all.len() {
        let opcode = all[i] & 0x0f;
        let (len, head) = match all[i + 1] & 0x7f {
            126 => (u16::from_be_bytes([all[i + 2], all[i + 3]]) as usize, 4),
            127 => (
                u64::from_be_bytes(all[i + 2..i + 10].try_into().unwrap()) as usize,
                10,
            ),
            n => (n as usize, 2),
        };
        if opcode == 0x8 && len >= 2 {
            return Some(u16::from_be_bytes([all[i + head], all[i + head + 1]]));
        }
        i += head + len;
    }
    None
}

#[tokio::test]
async fn a_frame_that_breaks_the_protocol_closes_with_1002_and_bad_utf8_with_1007() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Frames").await;
    // A client must mask its frames.
    let mut tcp = raw_socket(&app, &session.id).await;
    tcp.write_all(&frame(0x1, br#"{"type":"ping"}"#, None))
        .await
        .unwrap();
    assert_eq!(close_code(&mut tcp).await, Some(1002));
    // A text message must be UTF-8.
    let mut tcp = raw_socket(&app, &session.id).await;
    tcp.write_all(&frame(0x1, &[0x7b, 0xc3, 0x28, 0x7d], Some([1, 2, 3, 4])))
        .await
        .unwrap();
    assert_eq!(close_code(&mut tcp).await, Some(1007));
    // After hello too.
    let mut tcp = raw_socket(&app, &session.id).await;
    let hello = format!(
        r#"{{"type":"hello","token":"{}"}}"#,
        session.facilitator_token
    );
    tcp.write_all(&frame(0x1, hello.as_bytes(), Some([9, 8, 7, 6])))
        .await
        .unwrap();
    tcp.write_all(&frame(0x1, &[0xff, 0xfe], Some([9, 8, 7, 6])))
        .await
        .unwrap();
    assert_eq!(close_code(&mut tcp).await, Some(1007));
}
