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

#[path = "../fuzz/checks/e164.rs"]
mod e164;

#[test]
fn e164_seeds_parse_without_panicking_and_normalize_to_a_fixed_point() {
    run_corpus("e164", e164::check);
}

#[path = "../fuzz/checks/segments.rs"]
mod segments;

#[test]
fn segments_seeds_are_measured_without_panicking_and_obey_the_laws() {
    run_corpus("segments", segments::check);
}
