//! Every fuzz target's seed corpus, run as an ordinary test, so that an input the
//! fuzzer once broke stays fixed. The checks are the fuzz targets' own bodies
//! (`fuzz/checks/*.rs`), shared by path.

use std::fs;
use std::path::Path;

/// Runs `check` over every file in `fuzz/corpus/<target>/`.
fn run_corpus(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut seeds = 0;
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check(&data);
        seeds += 1;
    }
    assert!(seeds > 0, "{} holds no seeds", dir.display());
}

#[path = "../fuzz/checks/json_path.rs"]
mod json_path;

#[path = "../fuzz/checks/e164.rs"]
mod e164;

#[test]
fn e164_seeds_parse_without_panicking_and_normalize_to_a_fixed_point() {
    run_corpus("e164", e164::check);
}

#[path = "../fuzz/checks/template.rs"]
mod template;

#[test]
fn template_seeds_parse_or_fail_at_a_double_brace_and_render_values_literally() {
    run_corpus("template", template::check);
}

#[path = "../fuzz/checks/import.rs"]
mod import;

#[test]
fn import_seeds_read_in_file_order_as_valid_numbers_or_skips_naming_their_line() {
    run_corpus("import", import::check);
}

#[path = "../fuzz/checks/condition.rs"]
mod condition;

#[test]
fn condition_seeds_check_or_name_the_bad_part_and_read_back_the_same() {
    run_corpus("condition", condition::check);
}

#[path = "../fuzz/checks/automation.rs"]
mod automation;

#[test]
fn automation_seeds_check_or_name_the_bad_part_and_fire_as_a_loop_over_the_rules() {
    run_corpus("automation", automation::check);
}

#[path = "../fuzz/checks/tagging.rs"]
mod tagging;

#[test]
fn tagging_seeds_tag_exactly_as_a_loop_over_the_rules() {
    run_corpus("tagging", tagging::check);
}

#[path = "../fuzz/checks/keyword.rs"]
mod keyword;

#[test]
fn keyword_seeds_classify_the_same_whatever_padding_surrounds_them() {
    run_corpus("keyword", keyword::check);
}

#[cfg(feature = "twilio")]
#[path = "../fuzz/checks/twilio_signature.rs"]
mod twilio_signature;

#[cfg(feature = "twilio")]
#[test]
fn twilio_signature_seeds_never_panic_and_computed_signatures_verify() {
    run_corpus("twilio_signature", twilio_signature::check);
}

#[cfg(feature = "meta")]
#[path = "../fuzz/checks/meta_signature.rs"]
mod meta_signature;

#[cfg(feature = "meta")]
#[test]
fn meta_signature_seeds_never_panic_and_computed_signatures_verify() {
    run_corpus("meta_signature", meta_signature::check);
}

#[cfg(feature = "telnyx")]
#[path = "../fuzz/checks/telnyx_signature.rs"]
mod telnyx_signature;

#[cfg(feature = "telnyx")]
#[test]
fn telnyx_signature_seeds_never_panic_and_verify_within_the_tolerance() {
    run_corpus("telnyx_signature", telnyx_signature::check);
}

#[path = "../fuzz/checks/segments.rs"]
mod segments;

#[test]
fn segments_seeds_are_measured_without_panicking_and_obey_the_laws() {
    run_corpus("segments", segments::check);
}

#[path = "../fuzz/checks/csat.rs"]
mod csat;

#[test]
fn csat_seeds_parse_to_scores_from_one_to_five_whose_comment_ends_the_reply() {
    run_corpus("csat", csat::check);
}

#[path = "../fuzz/checks/content.rs"]
mod content;

#[test]
fn content_seeds_validate_or_name_a_field_and_valid_content_round_trips() {
    run_corpus("content", content::check);
}

#[path = "../fuzz/checks/media.rs"]
mod media;

#[test]
fn media_seeds_sniff_and_check_consistently_for_every_kind() {
    run_corpus("media", media::check);
}

#[path = "../fuzz/checks/quiet_hours.rs"]
mod quiet_hours;

#[test]
fn quiet_hours_seeds_never_loosen_the_spec_and_round_trip() {
    run_corpus("quiet_hours", quiet_hours::check);
}

#[cfg(feature = "twilio")]
#[path = "../fuzz/checks/twilio_webhook.rs"]
mod twilio_webhook;

#[cfg(feature = "twilio")]
#[test]
fn twilio_webhook_seeds_parse_deterministically_and_only_21610_is_an_opt_out() {
    run_corpus("twilio_webhook", twilio_webhook::check);
}

#[cfg(feature = "twilio")]
#[path = "../fuzz/checks/twilio_voice.rs"]
mod twilio_voice;

#[cfg(feature = "twilio")]
#[test]
fn twilio_voice_seeds_parse_deterministically_and_keep_every_call_status() {
    run_corpus("twilio_voice", twilio_voice::check);
}

#[cfg(feature = "telnyx")]
#[path = "../fuzz/checks/telnyx_webhook.rs"]
mod telnyx_webhook;

#[cfg(feature = "telnyx")]
#[test]
fn telnyx_webhook_seeds_parse_deterministically_into_telnyx_messages_and_statuses() {
    run_corpus("telnyx_webhook", telnyx_webhook::check);
}

#[cfg(feature = "meta")]
#[path = "../fuzz/checks/meta_webhook.rs"]
mod meta_webhook;

#[cfg(feature = "meta")]
#[test]
fn meta_webhook_seeds_parse_deterministically_with_provider_ids() {
    run_corpus("meta_webhook", meta_webhook::check);
}

#[cfg(all(feature = "twilio", feature = "telnyx", feature = "meta"))]
#[path = "../fuzz/checks/provider_answers.rs"]
mod provider_answers;

#[cfg(all(feature = "twilio", feature = "telnyx", feature = "meta"))]
#[test]
fn provider_answer_seeds_are_read_without_panicking_and_only_2xx_is_accepted() {
    run_corpus("provider_answers", provider_answers::check);
}

#[path = "../fuzz/checks/api_key.rs"]
mod api_key;

#[test]
fn api_key_seeds_read_or_are_refused_and_a_read_token_opens_only_its_own_hash() {
    run_corpus("api_key", api_key::check);
}

#[path = "../fuzz/checks/webhook_secret.rs"]
mod webhook_secret;

#[test]
fn webhook_secret_seeds_read_or_are_refused_and_a_read_secret_round_trips_and_verifies() {
    run_corpus("webhook_secret", webhook_secret::check);
}

#[path = "../fuzz/checks/workflow.rs"]
mod workflow;

#[test]
fn workflow_seeds_check_or_name_the_bad_part_and_runs_of_them_never_wait_for_nothing() {
    run_corpus("workflow", workflow::check);
}
