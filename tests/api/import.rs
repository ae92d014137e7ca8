//! `POST /contacts/import`: a CSV file as `text/csv` or a multipart form,
//! answered with SPEC §18's report.

use axum::body::Body;
use axum::http::{Method, Request, header};
use msgcore::core::api_key::Scope;
use serde_json::json;

use crate::harness::{World, refused};

#[tokio::test]
async fn a_csv_body_is_imported_and_answered_with_the_report() {
    let w = World::new().await;
    let key = w
        .key(&w.a, &[Scope::ContactsRead, Scope::ContactsWrite])
        .await;
    let file = "phone,name,tags,smsOptedIn\n\
                (415) 555-0101,Ann,\"vip,retail\",yes\n\
                +14155550102,Bob,,\n\
                12,Bad,,\n\
                (415) 555-0101,Ann again,,\n";

    let report = w
        .call(
            Method::POST,
            "/contacts/import",
            Some(&key),
            Some(json!(file)),
        )
        .await;

    assert_eq!(report.status.as_u16(), 200, "{report:?}");
    assert_eq!(
        report.body,
        json!({"rows": 4, "created": 2, "updated": 0, "opted_in": 1, "opt_in_refused": 0,
               "skipped": {"missing_phone": 0, "invalid_phone": 1, "duplicate": 1},
               "errors": [{"line": 4, "reason": "invalid_phone", "value": "12"},
                          {"line": 5, "reason": "duplicate", "value": "(415) 555-0101"}]})
    );
    let ann = w.get("/contacts?search=Ann", &key).await;
    assert_eq!(ann.body["contacts"][0]["tags"], json!(["vip", "retail"]));
    assert_eq!(ann.body["contacts"][0]["smsOptedIn"], true);
}

#[tokio::test]
async fn a_form_takes_mappings_and_the_query_a_default_region() {
    let w = World::new().await;
    let key = w
        .key(&w.a, &[Scope::ContactsRead, Scope::ContactsWrite])
        .await;
    let boundary = "XyZ";
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"mappings\"\r\n\r\n\
         {{\"Handy\": \"phone\", \"Kunde\": \"name\"}}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kunden.csv\"\r\n\
         Content-Type: text/csv\r\n\r\nHandy,Kunde\n020 7946 0018,Ada\n\r\n--{boundary}--\r\n"
    );
    let request = Request::builder()
        .method(Method::POST)
        .uri("/contacts/import?defaultRegion=GB")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(form))
        .unwrap();

    let report = w.send(request).await;

    assert_eq!(report.status.as_u16(), 200, "{report:?}");
    assert_eq!(report.body["created"], 1);
    let ada = w.get("/contacts?search=Ada", &key).await;
    assert_eq!(ada.body["contacts"][0]["phone"], "+442079460018");
}

#[tokio::test]
async fn a_file_without_a_phone_column_is_400_and_json_is_415() {
    let w = World::new().await;
    let key = w.key(&w.a, &[Scope::ContactsWrite]).await;

    let no_phone = w
        .call(
            Method::POST,
            "/contacts/import",
            Some(&key),
            Some(json!("name\nAda\n")),
        )
        .await;
    let as_json = w
        .call(
            Method::POST,
            "/contacts/import",
            Some(&key),
            Some(json!({"phone": "x"})),
        )
        .await;

    refused(&no_phone, 400);
    refused(&as_json, 415);
}
