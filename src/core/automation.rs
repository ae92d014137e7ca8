//! Automation rules (SPEC §14, §18): a trigger, optional conditions and ordered
//! actions, compiled once per tenant.
