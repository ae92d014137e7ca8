//! `POST /media` and `GET /media/{id}`: files kept by their bytes' type, and
//! given back exactly, to their own tenant only.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use msgcore::api::{ApiConfig, MEDIA_BODY_LIMIT};
use msgcore::core::api_key::Scope;
use msgcore::core::message::media::{MAX_MEDIA_BYTES, MediaType};
use serde_json::{Value, json};

use crate::harness::{Answer, Payload, Raw, World, form, refused, request, sample};

/// Uploads `bytes` as a file named `filename` with `key`.
async fn upload(w: &World, key: &str, bytes: Vec<u8>, filename: Option<&str>) -> Answer {
    let file = Payload::File(bytes, filename.map(str::to_owned));
    w.call_with(Method::POST, "/media", Some(key), Some(file))
        .await
}

/// `GET /media/{id}` with `key`, as it came.
async fn download(w: &World, key: &str, id: &str) -> Raw {
    let path = format!("/media/{id}");
    w.fetch(request(Method::GET, &path, Some(key), None)).await
}

/// A key of tenant A that may upload and read.
async fn a_key(w: &World) -> String {
    w.key(&w.a, &[Scope::MessagesSend, Scope::MessagesRead])
        .await
}

#[tokio::test]
async fn a_jpeg_and_a_pdf_come_back_byte_for_byte_with_their_type_and_name() {
    let w = World::new().await;
    let key = a_key(&w).await;
    for (fixture, name, mime_type) in [
        ("image.jpg", "receipt.jpg", "image/jpeg"),
        ("document.pdf", "Q3 report.pdf", "application/pdf"),
    ] {
        let bytes = sample(fixture);

        let uploaded = upload(&w, &key, bytes.clone(), Some(name)).await;

        assert_eq!(uploaded.status, StatusCode::CREATED, "{uploaded:?}");
        let id = uploaded.body["id"].as_str().unwrap().to_owned();
        assert_eq!(
            uploaded.body,
            json!({"id": id, "mimeType": mime_type, "size": bytes.len(), "filename": name})
        );
        let got = download(&w, &key, &id).await;
        assert_eq!(got.status, StatusCode::OK);
        assert!(got.bytes == bytes, "{fixture} came back changed");
        assert_eq!(got.header("content-type"), mime_type);
        assert_eq!(got.header("content-length"), bytes.len().to_string());
        assert_eq!(got.header("x-content-type-options"), "nosniff");
        let encoded = name.replace(' ', "%20");
        assert_eq!(
            got.header("content-disposition"),
            format!("attachment; filename=\"{name}\"; filename*=UTF-8''{encoded}")
        );
    }
}

#[tokio::test]
async fn a_file_without_a_name_has_none_and_a_path_is_cut_to_its_last_part() {
    let w = World::new().await;
    let key = a_key(&w).await;

    let nameless = upload(&w, &key, sample("image.png"), None).await;
    let pathed = upload(
        &w,
        &key,
        sample("image.webp"),
        Some("C:\\Users\\ada\\cat.webp"),
    )
    .await;

    assert_eq!(nameless.status, StatusCode::CREATED, "{nameless:?}");
    assert_eq!(nameless.body.get("filename"), None);
    let id = nameless.body["id"].as_str().unwrap();
    assert_eq!(
        download(&w, &key, id).await.header("content-disposition"),
        "attachment"
    );
    assert_eq!(pathed.body["filename"], "cat.webp");
    assert_eq!(pathed.body["mimeType"], "image/webp");
}

#[tokio::test]
async fn a_files_name_never_decides_its_type() {
    let w = World::new().await;
    let key = a_key(&w).await;

    let text_as_jpeg = upload(&w, &key, sample("text.txt"), Some("photo.jpg")).await;
    let pdf_as_jpeg = upload(&w, &key, sample("document.pdf"), Some("photo.jpg")).await;
    let gif = upload(&w, &key, sample("image.gif"), Some("funny.gif")).await;

    refused(&text_as_jpeg, 400);
    assert_eq!(
        text_as_jpeg.body["error"],
        "the content is not JPEG, PNG, WebP, PDF, DOCX, MP3, OGG (Opus) or MP4"
    );
    assert_eq!(pdf_as_jpeg.status, StatusCode::CREATED, "{pdf_as_jpeg:?}");
    assert_eq!(pdf_as_jpeg.body["mimeType"], "application/pdf");
    refused(&gif, 400);
}

#[tokio::test]
async fn an_empty_file_a_form_without_one_and_a_json_body_are_refused_saying_why() {
    let w = World::new().await;
    let key = a_key(&w).await;

    let empty = upload(&w, &key, Vec::new(), Some("empty.pdf")).await;
    let (content_type, other_part) = form("other", b"hello", None);
    let no_file = w
        .send(
            Request::post("/media")
                .header(header::AUTHORIZATION, format!("Bearer {key}"))
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(other_part))
                .unwrap(),
        )
        .await;
    let as_json = w
        .call(
            Method::POST,
            "/media",
            Some(&key),
            Some(json!({"file": "x"})),
        )
        .await;

    refused(&empty, 400);
    assert_eq!(empty.body["error"], "the file is empty");
    refused(&no_file, 400);
    assert_eq!(no_file.body["error"], "the form has no `file` part");
    refused(&as_json, 415);
}

/// A JPEG of `len` bytes: its signature, then zeros.
fn jpeg_of(len: usize) -> Vec<u8> {
    let mut bytes = sample("image.jpg");
    bytes.resize(len, 0);
    bytes
}

#[tokio::test]
async fn a_file_of_16_000_000_bytes_is_kept_and_one_byte_more_is_413() {
    let w = World::new().await;
    let key = a_key(&w).await;

    let at_limit = upload(&w, &key, jpeg_of(MAX_MEDIA_BYTES), None).await;
    let over = upload(&w, &key, jpeg_of(MAX_MEDIA_BYTES + 1), None).await;

    assert_eq!(at_limit.status, StatusCode::CREATED, "{:?}", at_limit.body);
    assert_eq!(at_limit.body["size"], MAX_MEDIA_BYTES);
    refused(&over, 413);
    assert_eq!(
        over.body["error"],
        "the file is 16000001 bytes; the limit is 16000000"
    );
}

#[tokio::test]
async fn a_body_over_16_mib_is_413_before_it_is_read_whole() {
    let w = World::new().await;
    let key = a_key(&w).await;

    let over = upload(&w, &key, jpeg_of(16 * 1024 * 1024 + 1), None).await;

    refused(&over, 413);
    assert_eq!(
        over.body["error"],
        format!("the body is over this route's limit of {MEDIA_BODY_LIMIT} bytes")
    );
}

#[tokio::test]
async fn another_tenants_file_is_404_like_an_unknown_or_malformed_id() {
    let w = World::new().await;
    let a = a_key(&w).await;
    let b = w.key(&w.b, &[Scope::Admin]).await;
    let uploaded = upload(&w, &a, sample("image.jpg"), Some("a.jpg")).await;
    let id = uploaded.body["id"].as_str().unwrap();

    for (key, id) in [
        (&b, id),
        (&a, "01938f4e-8c2a-7d3b-9e1f-2a3b4c5d6e7f"),
        (&a, "not-an-id"),
    ] {
        let answer = w.get(&format!("/media/{id}"), key).await;
        refused(&answer, 404);
        assert_eq!(answer.body["error"], format!("no media {id}"));
    }
}

#[tokio::test]
async fn without_a_media_store_both_routes_answer_501_saying_so() {
    let w = World::without_media(ApiConfig::default()).await;
    let key = w.key(&w.a, &[Scope::Admin]).await;

    let up = upload(&w, &key, sample("image.jpg"), None).await;
    let down = w
        .get("/media/01938f4e-8c2a-7d3b-9e1f-2a3b4c5d6e7f", &key)
        .await;

    for answer in [up, down] {
        refused(&answer, 501);
        let error = answer.body["error"].as_str().unwrap();
        assert!(error.contains("no media store is configured"), "{error}");
    }
}

#[test]
fn the_document_lists_every_accepted_type_as_a_download_and_the_form_as_the_upload() {
    let document = serde_json::to_value(msgcore::api::openapi()).unwrap();
    let download = &document["paths"]["/media/{id}"]["get"]["responses"]["200"];
    let mut listed: Vec<&str> = download["content"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut accepted: Vec<&str> = MediaType::ALL.iter().map(|t| t.mime_type()).collect();
    listed.sort();
    accepted.sort();
    assert_eq!(listed, accepted);
    let upload = &document["paths"]["/media"]["post"];
    let form = &upload["requestBody"]["content"]["multipart/form-data"];
    assert!(form != &Value::Null, "{upload}");
    assert!(upload["responses"]["201"] != Value::Null);
}

/// A request body that counts how often it was read.
fn watched_body(reads: std::sync::Arc<std::sync::atomic::AtomicUsize>) -> Body {
    let chunks = futures_util::stream::poll_fn(move |_| {
        reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let chunk = axum::body::Bytes::from_static(b"--x\r\n");
        std::task::Poll::Ready(Some(Ok::<_, std::io::Error>(chunk)))
    });
    Body::from_stream(chunks)
}

#[tokio::test]
async fn a_key_that_may_not_upload_or_import_is_refused_before_its_file_is_read() {
    let w = World::new().await;
    let reader = w
        .key(&w.a, &[Scope::MessagesRead, Scope::ContactsRead])
        .await;
    for path in ["/media", "/contacts/import"] {
        let reads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {reader}"))
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
            .body(watched_body(reads.clone()))
            .unwrap();

        let answer = w.send(request).await;

        refused(&answer, 403);
        let read = reads.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(read, 0, "{path}: the body was read {read} times");
    }
}
