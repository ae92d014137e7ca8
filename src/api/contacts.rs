//! `/contacts`: list, create, read and change the key's tenant's contacts.
//! Consent set here has source `api`, which never undoes an opt-out (SPEC §2).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, JsonBody, PathOf, QueryOf, Refusals};
use crate::core::channel::Channel;
use crate::model::{Contact, ContactEdit};
use crate::service::{ContactFilter, Page, PageRequest};

/// A contact as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactView {
    /// Its id.
    pub id: String,
    /// Its number, in E.164.
    #[schema(example = "+919876543210")]
    pub phone: String,
    /// Its name.
    pub name: Option<String>,
    /// Its e-mail address.
    pub email: Option<String>,
    /// Its company.
    pub company: Option<String>,
    /// Its tags, in the order they were added.
    pub tags: Vec<String>,
    /// Its other attributes, as JSON values.
    #[schema(value_type = Object)]
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// Whether SMS may be sent to it.
    pub sms_opted_in: bool,
    /// Whether WhatsApp may be sent to it.
    pub whatsapp_opted_in: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When its profile, tags or consent last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&Contact> for ContactView {
    fn from(contact: &Contact) -> ContactView {
        let consent = contact.consent.state();
        ContactView {
            id: contact.id.to_string(),
            phone: contact.phone.as_str().to_owned(),
            name: contact.name.clone(),
            email: contact.email.clone(),
            company: contact.company.clone(),
            tags: contact.tags.clone(),
            attributes: contact.attributes.clone(),
            sms_opted_in: consent.allows(Channel::Sms),
            whatsapp_opted_in: consent.allows(Channel::WhatsApp),
            created_at: contact.created_at,
            updated_at: contact.updated_at,
        }
    }
}

/// A page of contacts.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactList {
    /// The contacts of this page.
    pub contacts: Vec<ContactView>,
    /// The page number.
    pub page: u32,
    /// The page size asked for.
    pub limit: u32,
    /// Whether a next page has contacts.
    pub has_more: bool,
}

impl From<Page<Contact>> for ContactList {
    fn from(page: Page<Contact>) -> ContactList {
        ContactList {
            contacts: page.items.iter().map(ContactView::from).collect(),
            page: page.page,
            limit: page.limit,
            has_more: page.has_more,
        }
    }
}

/// `GET /contacts`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ListQuery {
    /// Contacts whose name contains this (any case), or whose number contains its digits.
    search: Option<String>,
    /// Contacts with this tag.
    tag: Option<String>,
    /// The page, from 1 to 100 (narrow with `search` or `tag` to go deeper).
    #[param(minimum = 1, maximum = 100, default = 1)]
    page: Option<u32>,
    /// Contacts per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<u32>,
}

/// `POST /contacts`'s body (the seed's, plus the fields `PATCH` takes).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateContact {
    /// The number, in E.164 (or national, read as a US number).
    #[schema(example = "+919876543210")]
    pub phone: String,
    /// Its name.
    pub name: Option<String>,
    /// Its e-mail address.
    pub email: Option<String>,
    /// Its company.
    pub company: Option<String>,
    /// Its tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Attributes to set.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// The seed's field: consent to WhatsApp (this API is the WhatsApp API's).
    pub opted_in: Option<bool>,
    /// Consent to SMS.
    pub sms_opted_in: Option<bool>,
    /// Consent to WhatsApp; wins over `optedIn`.
    pub whatsapp_opted_in: Option<bool>,
}

/// `PATCH /contacts/{id}`'s body: what to change; what is left out stays.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateContact {
    /// The name to set.
    pub name: Option<String>,
    /// The e-mail address to set.
    pub email: Option<String>,
    /// The company to set.
    pub company: Option<String>,
    /// Tags to add.
    #[serde(default)]
    pub add_tags: Vec<String>,
    /// Tags to remove.
    #[serde(default)]
    pub remove_tags: Vec<String>,
    /// Attributes to merge; `null` removes one.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// Consent to SMS: `false` opts out; `true` never undoes an opt-out.
    pub sms_opted_in: Option<bool>,
    /// Consent to WhatsApp: `false` opts out; `true` never undoes an opt-out.
    pub whatsapp_opted_in: Option<bool>,
}

/// The key's tenant's contacts, in creation order (by name when searching),
/// a page at a time. Scope `contacts:read`.
#[utoipa::path(
    get,
    path = "/contacts",
    tag = "contacts",
    params(ListQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "A page of contacts", body = ContactList),
        (status = 400, description = "A bad query", body = ErrorBody),
        (status = 403, description = "The key lacks contacts:read", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn list(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    QueryOf(query): QueryOf<ListQuery>,
) -> Result<Json<ContactList>, ApiError> {
    let page = PageRequest::new(query.page, query.limit)?;
    let filter = ContactFilter {
        search: query.search,
        tag: query.tag,
    };
    let found = api.ops.list_contacts(&principal, &filter, page).await?;
    Ok(Json(ContactList::from(found)))
}

/// Creates a contact. Scope `contacts:write`; a number the tenant has a
/// contact for is 409.
#[utoipa::path(
    post,
    path = "/contacts",
    tag = "contacts",
    request_body = CreateContact,
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Created", body = ContactView),
        (status = 400, description = "A bad body or number", body = ErrorBody),
        (status = 403, description = "The key lacks contacts:write", body = ErrorBody),
        (status = 409, description = "The number has a contact", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn create(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    JsonBody(body): JsonBody<CreateContact>,
) -> Result<(StatusCode, Json<ContactView>), ApiError> {
    let edit = ContactEdit {
        name: body.name,
        email: body.email,
        company: body.company,
        add_tags: body.tags,
        remove_tags: Vec::new(),
        attributes: body.attributes,
        sms_opted_in: body.sms_opted_in,
        whatsapp_opted_in: body.whatsapp_opted_in.or(body.opted_in),
    };
    let contact = api
        .ops
        .create_contact(&principal, &body.phone, &edit)
        .await?;
    Ok((StatusCode::CREATED, Json(ContactView::from(&contact))))
}

/// One contact of the key's tenant. Scope `contacts:read`.
#[utoipa::path(
    get,
    path = "/contacts/{id}",
    tag = "contacts",
    params(("id" = String, Path, description = "The contact's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The contact", body = ContactView),
        (status = 403, description = "The key lacks contacts:read", body = ErrorBody),
        (status = 404, description = "No such contact", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn get_one(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
) -> Result<Json<ContactView>, ApiError> {
    let contact = api.ops.contact(&principal, &id).await?;
    Ok(Json(ContactView::from(&contact)))
}

/// Changes a contact of the key's tenant. Scope `contacts:write`.
#[utoipa::path(
    patch,
    path = "/contacts/{id}",
    tag = "contacts",
    params(("id" = String, Path, description = "The contact's id")),
    request_body = UpdateContact,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The contact as changed", body = ContactView),
        (status = 400, description = "A bad id or body", body = ErrorBody),
        (status = 403, description = "The key lacks contacts:write", body = ErrorBody),
        (status = 404, description = "No such contact", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn update(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
    JsonBody(body): JsonBody<UpdateContact>,
) -> Result<Json<ContactView>, ApiError> {
    let edit = ContactEdit {
        name: body.name,
        email: body.email,
        company: body.company,
        add_tags: body.add_tags,
        remove_tags: body.remove_tags,
        attributes: body.attributes,
        sms_opted_in: body.sms_opted_in,
        whatsapp_opted_in: body.whatsapp_opted_in,
    };
    let contact = api.ops.update_contact(&principal, &id, &edit).await?;
    Ok(Json(ContactView::from(&contact)))
}
