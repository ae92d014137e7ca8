//! The inbox engine end to end on the in-memory store: SPEC §11 (inbound), §12
//! (sends and their gates), §4 (actions, CSAT, resumption) and §6 (statuses).

mod audience;
mod campaign_laws;
mod campaigns;
mod contacts;
mod group_commit;
mod harness;
mod import;
mod inbound;
mod laws;
mod lifecycle;
mod outbound;
mod replicas;
mod responders;
mod rules;
mod tenant_cache;
mod usage;
mod workflow_laws;
mod workflows;

#[path = "../support/conflicting_store.rs"]
mod conflicting_store;
#[path = "../support/databases.rs"]
mod databases;
#[path = "../support/demo_tenant.rs"]
mod demo_tenant;
