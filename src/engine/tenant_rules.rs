//! A tenant's rules compiled for the inbound pipeline.

use crate::core::keyword::KeywordSet;
use crate::core::tagging::TagRules;
use crate::core::template::{MissingPolicy, Template};
use crate::error::Error;
use crate::model::{Tenant, TenantSettings};

/// A tenant's keyword set, tagging automaton and keyword replies, compiled once and
/// reused while its settings stay the same ([`Inbox`](super::Inbox) caches them).
#[derive(Debug)]
pub struct TenantRules {
    settings: TenantSettings,
    org: String,
    pub(crate) keywords: KeywordSet,
    pub(crate) tags: TagRules,
    pub(crate) replies: KeywordReplyTexts,
}

/// The keyword confirmations with the tenant's name filled in.
#[derive(Debug)]
pub(crate) struct KeywordReplyTexts {
    pub(crate) opt_out: String,
    pub(crate) opt_in: String,
    pub(crate) help: String,
}

impl TenantRules {
    /// Compiles `tenant`'s settings: its keywords, its tagging rules, and its
    /// keyword replies (`{{org.name}}` filled in). A setting that does not compile
    /// is the error a tenant update should be refused with.
    pub fn compile(tenant: &Tenant) -> Result<TenantRules, Error> {
        let settings = &tenant.settings;
        let org = [("org.name", tenant.org_name.as_str())];
        let render = |text: &str| -> Result<String, Error> {
            Ok(Template::parse(text)?.render(&org, &MissingPolicy::Empty)?)
        };
        Ok(TenantRules {
            settings: settings.clone(),
            org: tenant.org_name.clone(),
            keywords: KeywordSet::new(&settings.keywords)?,
            tags: TagRules::compile(settings.tag_rules.clone())?,
            replies: KeywordReplyTexts {
                opt_out: render(&settings.replies.opt_out)?,
                opt_in: render(&settings.replies.opt_in)?,
                help: render(&settings.replies.help)?,
            },
        })
    }

    /// Whether these rules were compiled from `tenant` as it is now.
    pub fn is_for(&self, tenant: &Tenant) -> bool {
        self.settings == tenant.settings && self.org == tenant.org_name
    }
}
