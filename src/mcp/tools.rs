//! The twelve tools of SPEC §19 and `set_conversation_guide`, each a thin call to one
//! [`Operations`] method: the key is checked as REST checks it, and a
//! refusal is a tool error whose text is REST's `{"error": "…"}` body.

use std::sync::Arc;

use rmcp::handler::server::tool::IntoCallToolResult;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResponse, CallToolResult};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, tool, tool_handler, tool_router};
use serde::Serialize;
use serde_json::{Value, json};

use super::params::{
    ById, CreateContact, CreatePaymentLink, GetAnalytics, ListContacts, ListConversations,
    ListQuickReplies, SendBroadcast, SendMessage, SetGuide,
};
use crate::api::{
    CampaignDetail, ChatList, ChatThread, ContactList, ContactView, GuideView, QuickReplyList,
    QuickReplyView, SendKindName, SentMessage, TemplateList, TemplateView,
};
use crate::core::api_key::KeyRefusal;
use crate::core::campaign::{CampaignDefinition, CampaignKind, TemplateRef};
use crate::core::message::RawContent;
use crate::error::Error;
use crate::model::ContactEdit;
use crate::service::{
    ContactFilter, NewPaymentLink, Operations, Origin, Outgoing, PageRequest, Principal,
    public_message,
};

/// How a session's requests prove who they are.
#[derive(Clone)]
pub(crate) enum Access {
    /// Stdio: the operator's key, entered again on every call (so a revoked
    /// key stops working mid-session, and every call counts against the key's
    /// limit).
    Key(Arc<str>),
    /// Streamable HTTP: the [`Principal`] the HTTP layer admitted, in the
    /// request's extensions.
    Http,
}

/// The MCP server of one [`Operations`].
#[derive(Clone)]
pub(crate) struct Tools {
    ops: Operations,
    access: Access,
}

/// A tool's answer: the REST API's view of the result, as structured content.
pub(crate) struct Answer(Result<Value, serde_json::Error>);

impl Answer {
    fn of(view: impl Serialize) -> Result<Answer, Refusal> {
        Ok(Answer(serde_json::to_value(view)))
    }
}

impl IntoCallToolResult for Answer {
    fn into_call_tool_result(self) -> Result<CallToolResponse, ErrorData> {
        match self.0 {
            Ok(value) => CallToolResult::structured(value).into_call_tool_result(),
            // The views are plain data; this would be a bug, not bad input.
            Err(error) => Err(ErrorData::internal_error(error.to_string(), None)),
        }
    }
}

/// A refusal, told as REST tells it: `{"error": "…"}`.
#[derive(Debug)]
pub(crate) struct Refusal(Error);

impl<E: Into<Error>> From<E> for Refusal {
    fn from(error: E) -> Refusal {
        Refusal(error.into())
    }
}

impl IntoCallToolResult for Refusal {
    fn into_call_tool_result(self) -> Result<CallToolResponse, ErrorData> {
        if self.0.http_status() >= 500 {
            tracing::error!(error = ?self.0, "MCP tool call failed");
        }
        let body = json!({ "error": public_message(&self.0) });
        CallToolResult::structured_error(body).into_call_tool_result()
    }
}

type Outcome = Result<Answer, Refusal>;

impl Tools {
    pub(crate) fn new(ops: Operations, access: Access) -> Tools {
        Tools { ops, access }
    }

    /// Who is calling: the operator's key entered now (stdio), or the
    /// principal the HTTP layer admitted.
    async fn principal(&self, context: &RequestContext<RoleServer>) -> Result<Principal, Refusal> {
        match &self.access {
            Access::Key(token) => Ok(self.ops.enter(Origin::Local, Some(token)).await?),
            Access::Http => context
                .extensions
                .get::<axum::http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<Principal>())
                .cloned()
                .ok_or(Refusal(KeyRefusal::Missing.into())),
        }
    }
}

#[tool_router]
impl Tools {
    #[tool(
        description = "A page of the tenant's contacts, in creation order (by name when searching). Scope contacts:read.",
        annotations(read_only_hint = true)
    )]
    async fn list_contacts(
        &self,
        Parameters(args): Parameters<ListContacts>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let page = PageRequest::new(args.page, args.limit)?;
        let filter = ContactFilter {
            search: args.search,
            tag: args.tag,
        };
        let found = self.ops.list_contacts(&principal, &filter, page).await?;
        Answer::of(ContactList::from(found))
    }

    #[tool(
        description = "One contact by id, with tags, attributes and consent. Scope contacts:read.",
        annotations(read_only_hint = true)
    )]
    async fn get_contact(
        &self,
        Parameters(args): Parameters<ById>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let contact = self.ops.contact(&principal, &args.id).await?;
        Answer::of(ContactView::from(&contact))
    }

    #[tool(
        description = "Creates a contact for a phone number the tenant has no contact for. Scope contacts:write."
    )]
    async fn create_contact(
        &self,
        Parameters(args): Parameters<CreateContact>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let edit = ContactEdit {
            name: args.name,
            email: args.email,
            company: args.company,
            add_tags: args.tags,
            remove_tags: Vec::new(),
            attributes: args.attributes,
            sms_opted_in: args.sms_opted_in,
            whatsapp_opted_in: args.whatsapp_opted_in,
        };
        let contact = self
            .ops
            .create_contact(&principal, &args.phone, &edit)
            .await?;
        Answer::of(ContactView::from(&contact))
    }

    #[tool(
        description = "A page of the tenant's conversations, the most recently active first. Scope messages:read.",
        annotations(read_only_hint = true)
    )]
    async fn list_conversations(
        &self,
        Parameters(args): Parameters<ListConversations>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let page = PageRequest::new(args.page, args.limit)?;
        let status = args.status.map(Into::into);
        let found = self
            .ops
            .list_conversations(&principal, status, page)
            .await?;
        Answer::of(ChatList::from(found))
    }

    #[tool(
        description = "One conversation by id, with its AI guide and its contact's latest 50 messages. Scope messages:read.",
        annotations(read_only_hint = true)
    )]
    async fn get_conversation(
        &self,
        Parameters(args): Parameters<ById>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let thread = self.ops.conversation(&principal, &args.id).await?;
        Answer::of(ChatThread::from(&thread))
    }

    #[tool(
        description = "Sets (or, without a guide, clears) a conversation's AI guide: context and instructions the AI agent reads with every message it answers there. Scope messages:send."
    )]
    async fn set_conversation_guide(
        &self,
        Parameters(args): Parameters<SetGuide>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let guide = self
            .ops
            .set_guide(&principal, &args.id, args.guide.as_deref())
            .await?;
        Answer::of(GuideView {
            conversation_id: args.id,
            guide,
        })
    }

    #[tool(
        description = "Sends a text to a contact's number through every gate: consent, the WhatsApp 24-hour window, quiet hours (marketing), the per-recipient limit. Scope messages:send."
    )]
    async fn send_message(
        &self,
        Parameters(args): Parameters<SendMessage>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let outgoing = Outgoing {
            to: args.to,
            content: RawContent::Text {
                text: Some(args.text),
            },
            channel: args.channel.map(Into::into),
            kind: args.kind.unwrap_or_default().into(),
            client_id: args.client_id,
        };
        let outcome = self.ops.send(&principal, outgoing).await?;
        Answer::of(SentMessage::from(&outcome))
    }

    #[tool(
        description = "The tenant's approved WhatsApp templates. Scope messages:read.",
        annotations(read_only_hint = true)
    )]
    async fn list_templates(&self, context: RequestContext<RoleServer>) -> Outcome {
        let principal = self.principal(&context).await?;
        let templates = self.ops.templates(&principal).await?;
        Answer::of(TemplateList {
            templates: templates.iter().map(TemplateView::from).collect(),
        })
    }

    #[tool(
        description = "Creates a campaign (a broadcast) and freezes its audience; the scheduler sends it from its start, throttled. Scope campaigns:write."
    )]
    async fn send_broadcast(
        &self,
        Parameters(args): Parameters<SendBroadcast>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let definition = definition_of(args)?;
        let report = self.ops.create_campaign(&principal, definition).await?;
        Answer::of(CampaignDetail::from(&report))
    }

    #[tool(
        description = "What the tenant's inbox did over a time range: conversations by status, messages in and out by channel, CSAT average and count, opt-outs, campaigns by status. Scope messages:read.",
        annotations(read_only_hint = true)
    )]
    async fn get_analytics(
        &self,
        Parameters(args): Parameters<GetAnalytics>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let report = self.ops.analytics(&principal, args.from, args.to).await?;
        let seen = &report.analytics;
        Answer::of(json!({
            "from": report.from,
            "to": report.to,
            "conversations": seen.conversations,
            "messages": seen.messages,
            "csat": {
                "average": seen.csat.average(),
                "count": seen.csat.responses,
            },
            "optOuts": seen.opt_outs,
            "campaigns": seen.campaigns,
        }))
    }

    #[tool(
        description = "The bot and AI agent the inbox hands conversations to (BOT_ACTIVE and AI_ACTIVE), by name and kind. Scope messages:read.",
        annotations(read_only_hint = true)
    )]
    async fn list_ai_agents(&self, context: RequestContext<RoleServer>) -> Outcome {
        let principal = self.principal(&context).await?;
        let agents = self.ops.ai_agents(&principal)?;
        Answer::of(json!({ "agents": agents }))
    }

    #[tool(
        description = "The tenant's quick replies (canned answers by shortcut). Scope messages:read.",
        annotations(read_only_hint = true)
    )]
    async fn list_quick_replies(
        &self,
        Parameters(args): Parameters<ListQuickReplies>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let typed = args.prefix.unwrap_or_default();
        let replies = self.ops.quick_replies(&principal, &typed).await?;
        Answer::of(QuickReplyList {
            quick_replies: replies.iter().map(QuickReplyView::from).collect(),
        })
    }

    #[tool(
        description = "A payment link for a contact, from the payment provider the server was given (none: a tool error says so). Scope messages:send."
    )]
    async fn create_payment_link(
        &self,
        Parameters(args): Parameters<CreatePaymentLink>,
        context: RequestContext<RoleServer>,
    ) -> Outcome {
        let principal = self.principal(&context).await?;
        let new = NewPaymentLink {
            amount: args.amount,
            currency: args.currency,
            description: args.description,
            contact: args.contact_id,
        };
        let link = self.ops.create_payment_link(&principal, &new).await?;
        Answer::of(link)
    }
}

#[tool_handler(
    name = "msgcore",
    instructions = "Business messaging over SMS and WhatsApp for one tenant: contacts, conversations, sends, broadcasts, templates, quick replies, analytics and payment links. What a tool may do depends on the API key's scopes."
)]
impl ServerHandler for Tools {}

/// The campaign `send_broadcast` describes, its audience and template read
/// as REST reads them, each refusal naming its field.
fn definition_of(args: SendBroadcast) -> Result<CampaignDefinition, Refusal> {
    let audience = args
        .audience
        .map(serde_json::from_value)
        .transpose()
        .map_err(|error| field_error("audience", &error))?;
    let template: Option<TemplateRef> = args
        .template
        .map(serde_json::from_value)
        .transpose()
        .map_err(|error| field_error("template", &error))?;
    let kind = match args.kind.unwrap_or_default() {
        SendKindName::Marketing => CampaignKind::Marketing,
        SendKindName::Transactional => CampaignKind::Transactional,
    };
    Ok(CampaignDefinition {
        id: args.id,
        channel: args.channel.into(),
        audience,
        text: args.text,
        template,
        kind,
        start_at: args.start_at,
        per_minute: args.per_minute,
        workflow: None,
    })
}

/// A malformed field, named.
fn field_error(field: &str, error: &serde_json::Error) -> Refusal {
    Refusal(
        crate::service::RequestError::Field {
            field: field.to_owned(),
            problem: error.to_string(),
        }
        .into(),
    )
}
