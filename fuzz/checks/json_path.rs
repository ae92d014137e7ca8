//! Where an error's path leads in the JSON it was found in, for the checks of
//! parsers that name places the way the JSON writes them (`any[1].value`,
//! `actions[2].send.text`).

use serde_json::Value;

/// Asserts that an error's message `shown` opens by naming its place: the
/// quoted `path`, or `whole` when the path is empty, then `after`.
pub fn assert_opens_with_place(shown: &str, path: &str, whole: &str, after: &str) {
    let place = if path.is_empty() {
        whole.to_owned()
    } else {
        format!("`{path}`")
    };
    assert!(shown.starts_with(&format!("{place}{after}")), "{shown}");
}

/// Asserts that `path`, walked through `json`, ends at the part it blames; a
/// `missing` part's path ends at the object lacking it. Every key walked must
/// be one of `keys`, the wire form's own: a path never repeats a key from the
/// input.
pub fn assert_leads_in(json: &Value, path: &str, missing: bool, keys: &[&str], error: &str) {
    if missing {
        let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
        let object =
            walk(json, parent, keys).expect("the path leads to the object lacking the part");
        assert!(object.is_object(), "{error} in {json}");
        assert!(
            object.get(key).is_none_or(Value::is_null),
            "{error} in {json}"
        );
    } else {
        assert!(walk(json, path, keys).is_some(), "{error} in {json}");
    }
}

/// The part of `json` at `path`; every key the path names must be one of
/// `keys`.
pub fn walk<'j>(json: &'j Value, path: &str, keys: &[&str]) -> Option<&'j Value> {
    if path.is_empty() {
        return Some(json);
    }
    path.split('.').try_fold(json, |node, step| {
        let (key, index) = match step.split_once('[') {
            Some((key, index)) => (key, Some(index.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (step, None),
        };
        assert!(keys.contains(&key), "{path} names {key:?}");
        let child = node.get(key)?;
        match index {
            Some(index) => child.get(index),
            None => Some(child),
        }
    })
}
