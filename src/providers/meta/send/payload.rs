//! The JSON body of `POST /{version}/{phone_number_id}/messages` for each content
//! kind, as Meta's "Messages" reference names the fields: a `type` tag beside an
//! object of the same name (`{"type": "image", "image": {"link": …}}`).
//!
//! msgcore's content JSON differs from Meta's in a few places — media is
//! `media_url`/`media_id` where Meta says `link`/`id`, an interactive message's
//! body and footer are strings where Meta wraps them in `{"text": …}`, a template
//! parameter's value sits beside its `type` where Meta nests it — so the body is
//! built here field by field rather than by re-serializing [`Content`].

use serde::Serialize;

use crate::core::message::interactive::{Action, Header, ListSection, ReplyButton};
use crate::core::message::template_message::{
    ButtonSubType, ComponentType, TemplateComponent, TemplateParameter,
};
use crate::core::message::{ContactCard, Content, Interactive, MediaSource, TemplateMessage};

/// One outbound message to `to` (a `wa_id`).
#[derive(Serialize)]
pub(super) struct Message<'a> {
    messaging_product: &'static str,
    recipient_type: &'static str,
    to: &'a str,
    /// The message it answers: WhatsApp shows the reply quoting it.
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<Context<'a>>,
    #[serde(flatten)]
    body: Body<'a>,
}

#[derive(Serialize)]
struct Context<'a> {
    message_id: &'a str,
}

impl<'a> Message<'a> {
    /// `content` to `to`, quoting `reply_to` (a `wamid`) when given.
    pub(super) fn new(to: &'a str, content: &'a Content, reply_to: Option<&'a str>) -> Message<'a> {
        Message {
            messaging_product: super::MESSAGING_PRODUCT,
            recipient_type: "individual",
            to,
            context: reply_to.map(|message_id| Context { message_id }),
            body: Body::of(content),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Body<'a> {
    Text { text: TextObject<'a> },
    Image { image: MediaObject<'a> },
    Audio { audio: MediaObject<'a> },
    Video { video: MediaObject<'a> },
    Document { document: MediaObject<'a> },
    Template { template: Template<'a> },
    Interactive { interactive: InteractiveObject<'a> },
    Location { location: LocationObject<'a> },
    Contacts { contacts: &'a [ContactCard] },
    Reaction { reaction: ReactionObject<'a> },
}

impl<'a> Body<'a> {
    fn of(content: &'a Content) -> Body<'a> {
        match content {
            Content::Text(text) => Body::Text {
                // Links are sent as written, without a preview the business did not ask for.
                text: TextObject {
                    preview_url: false,
                    body: text.as_str(),
                },
            },
            Content::Image(m) => Body::Image {
                image: MediaObject::new(m.source(), m.caption(), None),
            },
            Content::Audio(m) => Body::Audio {
                audio: MediaObject::new(m.source(), None, None),
            },
            Content::Video(m) => Body::Video {
                video: MediaObject::new(m.source(), m.caption(), None),
            },
            Content::Document(d) => Body::Document {
                document: MediaObject::new(d.source(), d.caption(), Some(d.filename())),
            },
            Content::Template(t) => Body::Template {
                template: Template::of(t),
            },
            Content::Interactive(i) => Body::Interactive {
                interactive: InteractiveObject::of(i),
            },
            Content::Location(l) => Body::Location {
                location: LocationObject {
                    latitude: l.latitude(),
                    longitude: l.longitude(),
                    name: l.name(),
                    address: l.address(),
                },
            },
            // msgcore's cards already have Meta's shape: name, phones, emails.
            Content::Contacts(c) => Body::Contacts {
                contacts: c.cards(),
            },
            Content::Reaction(r) => Body::Reaction {
                reaction: ReactionObject {
                    message_id: r.message_id(),
                    // Meta removes a reaction when the emoji is empty.
                    emoji: r.emoji().unwrap_or_default(),
                },
            },
        }
    }
}

#[derive(Serialize)]
struct TextObject<'a> {
    preview_url: bool,
    body: &'a str,
}

/// A media file by `link` (a URL Meta fetches) or `id` (an upload).
#[derive(Serialize)]
struct MediaObject<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<&'a str>,
}

impl<'a> MediaObject<'a> {
    fn new(
        source: &'a MediaSource,
        caption: Option<&'a str>,
        filename: Option<&'a str>,
    ) -> MediaObject<'a> {
        let (id, link) = match source {
            MediaSource::MediaId(id) => (Some(id.as_str()), None),
            MediaSource::MediaUrl(url) => (None, Some(url.as_str())),
        };
        MediaObject {
            id,
            link,
            caption,
            filename,
        }
    }
}

#[derive(Serialize)]
struct Template<'a> {
    name: &'a str,
    language: Language<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    components: Vec<Component<'a>>,
}

impl<'a> Template<'a> {
    fn of(template: &'a TemplateMessage) -> Template<'a> {
        Template {
            name: template.name(),
            language: Language {
                code: template.language(),
            },
            components: template.components().iter().map(Component::of).collect(),
        }
    }
}

#[derive(Serialize)]
struct Language<'a> {
    code: &'a str,
}

#[derive(Serialize)]
struct Component<'a> {
    #[serde(rename = "type")]
    kind: ComponentType,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_type: Option<ButtonSubType>,
    /// Meta's examples write the button index as a string (`"0"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<String>,
    parameters: Vec<Typed<'a>>,
}

impl<'a> Component<'a> {
    fn of(component: &'a TemplateComponent) -> Component<'a> {
        Component {
            kind: component.kind,
            sub_type: component.sub_type,
            index: component.index.map(|index| index.to_string()),
            parameters: component.parameters.iter().map(Typed::parameter).collect(),
        }
    }
}

/// A value nested under its `type`, as Meta writes template parameters and
/// interactive headers (`{"type": "image", "image": {"link": …}}`).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Typed<'a> {
    Text { text: &'a str },
    Currency { currency: Currency<'a> },
    DateTime { date_time: DateTime<'a> },
    Payload { payload: &'a str },
    Image { image: MediaObject<'a> },
    Video { video: MediaObject<'a> },
    Document { document: MediaObject<'a> },
}

impl<'a> Typed<'a> {
    fn parameter(parameter: &'a TemplateParameter) -> Typed<'a> {
        match parameter {
            TemplateParameter::Text { text } => Typed::Text { text },
            TemplateParameter::Currency {
                fallback_value,
                code,
                amount_1000,
            } => Typed::Currency {
                currency: Currency {
                    fallback_value,
                    code,
                    amount_1000: *amount_1000,
                },
            },
            TemplateParameter::DateTime { fallback_value } => Typed::DateTime {
                date_time: DateTime { fallback_value },
            },
            TemplateParameter::Payload { payload } => Typed::Payload { payload },
            TemplateParameter::Image { image } => Typed::image(image),
            TemplateParameter::Video { video } => Typed::video(video),
            TemplateParameter::Document { document, filename } => {
                Typed::document(document, filename.as_deref())
            }
        }
    }

    fn header(header: &'a Header) -> Typed<'a> {
        match header {
            Header::Text(text) => Typed::Text { text },
            Header::Image(source) => Typed::image(source),
            Header::Video(source) => Typed::video(source),
            Header::Document { source, filename } => Typed::document(source, filename.as_deref()),
        }
    }

    fn image(source: &'a MediaSource) -> Typed<'a> {
        Typed::Image {
            image: MediaObject::new(source, None, None),
        }
    }

    fn video(source: &'a MediaSource) -> Typed<'a> {
        Typed::Video {
            video: MediaObject::new(source, None, None),
        }
    }

    fn document(source: &'a MediaSource, filename: Option<&'a str>) -> Typed<'a> {
        Typed::Document {
            document: MediaObject::new(source, None, filename),
        }
    }
}

#[derive(Serialize)]
struct Currency<'a> {
    fallback_value: &'a str,
    code: &'a str,
    amount_1000: i64,
}

#[derive(Serialize)]
struct DateTime<'a> {
    fallback_value: &'a str,
}

#[derive(Serialize)]
struct InteractiveObject<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    header: Option<Typed<'a>>,
    body: TextOnly<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    footer: Option<TextOnly<'a>>,
    action: ActionObject<'a>,
}

impl<'a> InteractiveObject<'a> {
    fn of(interactive: &'a Interactive) -> InteractiveObject<'a> {
        let (kind, action) = match interactive.action() {
            Action::Buttons(buttons) => (
                "button",
                ActionObject::Buttons {
                    buttons: buttons.iter().map(ButtonObject::reply).collect(),
                },
            ),
            Action::List { button, sections } => ("list", ActionObject::List { button, sections }),
        };
        InteractiveObject {
            kind,
            header: interactive.header().map(Typed::header),
            body: TextOnly {
                text: interactive.body(),
            },
            footer: interactive.footer().map(|text| TextOnly { text }),
            action,
        }
    }
}

#[derive(Serialize)]
struct TextOnly<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ActionObject<'a> {
    Buttons {
        buttons: Vec<ButtonObject<'a>>,
    },
    /// msgcore's sections and rows already have Meta's shape.
    List {
        button: &'a str,
        sections: &'a [ListSection],
    },
}

#[derive(Serialize)]
struct ButtonObject<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    reply: &'a ReplyButton,
}

impl<'a> ButtonObject<'a> {
    fn reply(button: &'a ReplyButton) -> ButtonObject<'a> {
        ButtonObject {
            kind: "reply",
            reply: button,
        }
    }
}

#[derive(Serialize)]
struct LocationObject<'a> {
    latitude: f64,
    longitude: f64,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
}

#[derive(Serialize)]
struct ReactionObject<'a> {
    message_id: &'a str,
    emoji: &'a str,
}
