//! Where rendering finds values ([`Variables`]) and which names a template may
//! use ([`VariableSet`]).

use std::borrow::{Borrow, Cow};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, Hash};

use super::inbox::InboxVariables;

/// A source of values for a template's variables, looked up by name as written
/// inside the braces, trimmed (`contact.name`, `name`, `Phone Number`).
///
/// Implemented for maps, slices, arrays and vectors of pairs (the first pair
/// with the name wins), closures `Fn(&str) -> Option<String>`,
/// [`InboxVariables`], and pairs `(A, B)` that ask `A` first, then `B`.
///
/// ```
/// use msgcore::core::template::Variables;
///
/// let row = [("name", "Ada"), ("company", "Acme")];
/// assert_eq!(row.get("company").as_deref(), Some("Acme"));
/// let upper = |name: &str| Some(name.to_uppercase());
/// assert_eq!(upper.get("x").as_deref(), Some("X"));
/// // Layered: the row first, then the closure.
/// assert_eq!((row, upper).get("name").as_deref(), Some("Ada"));
/// ```
pub trait Variables {
    /// The value of the variable `name`, or `None` when this source has none.
    fn get(&self, name: &str) -> Option<Cow<'_, str>>;
}

impl<K, V, S> Variables for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        HashMap::get(self, name).map(|value| Cow::Borrowed(value.as_ref()))
    }
}

impl<K, V> Variables for BTreeMap<K, V>
where
    K: Borrow<str> + Ord,
    V: AsRef<str>,
{
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        BTreeMap::get(self, name).map(|value| Cow::Borrowed(value.as_ref()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Variables for [(K, V)] {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        self.iter()
            .find(|(key, _)| key.as_ref() == name)
            .map(|(_, value)| Cow::Borrowed(value.as_ref()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Variables for [(K, V); N] {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        Variables::get(self.as_slice(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Variables for Vec<(K, V)> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        Variables::get(self.as_slice(), name)
    }
}

impl<F: Fn(&str) -> Option<String>> Variables for F {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        self(name).map(Cow::Owned)
    }
}

impl<A: Variables, B: Variables> Variables for (A, B) {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        self.0.get(name).or_else(|| self.1.get(name))
    }
}

/// The names a template is allowed to use, for catching typos when the
/// template is saved rather than when a customer receives it.
///
/// ```
/// use msgcore::core::template::{Template, VariableSet};
///
/// let inbox = VariableSet::inbox();
/// assert!(Template::parse_with("Hi {{contact.firstName}}", &inbox).is_ok());
/// assert!(Template::parse_with("Hi {{contact.frstName}}", &inbox).is_err());
///
/// // A campaign knows its CSV columns.
/// let columns: VariableSet = ["name", "company", "Phone Number"].into_iter().collect();
/// assert!(Template::parse_with("{name} at {company}", &columns).is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariableSet {
    names: BTreeSet<String>,
}

impl VariableSet {
    /// An empty set.
    pub fn new() -> Self {
        VariableSet::default()
    }

    /// The inbox variables of [`InboxVariables::NAMES`] (`contact.name`, `date`, …).
    pub fn inbox() -> Self {
        InboxVariables::NAMES.into_iter().collect()
    }

    /// Adds a name; returns whether it was new.
    pub fn insert(&mut self, name: impl Into<String>) -> bool {
        self.names.insert(name.into())
    }

    /// Whether `name` is in the set.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// The names, in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }
}

impl<S: Into<String>> FromIterator<S> for VariableSet {
    fn from_iter<I: IntoIterator<Item = S>>(names: I) -> Self {
        VariableSet {
            names: names.into_iter().map(Into::into).collect(),
        }
    }
}

impl<S: Into<String>> Extend<S> for VariableSet {
    fn extend<I: IntoIterator<Item = S>>(&mut self, names: I) {
        self.names.extend(names.into_iter().map(Into::into));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_with_owned_or_borrowed_keys_are_variables() {
        let owned: HashMap<String, String> = [("a".to_owned(), "1".to_owned())].into();
        let borrowed: BTreeMap<&str, &str> = [("a", "1")].into();
        assert_eq!(Variables::get(&owned, "a").as_deref(), Some("1"));
        assert_eq!(Variables::get(&borrowed, "a").as_deref(), Some("1"));
        assert_eq!(Variables::get(&owned, "b"), None);
    }

    #[test]
    fn the_first_pair_with_a_name_wins() {
        let pairs = vec![("a", "first"), ("a", "second")];
        assert_eq!(pairs.get("a").as_deref(), Some("first"));
        assert_eq!(Variables::get(pairs.as_slice(), "b"), None);
    }

    #[test]
    fn layered_variables_fall_back_to_the_second_source() {
        let layered = ([("a", "1")], [("a", "2"), ("b", "3")]);
        assert_eq!(layered.get("a").as_deref(), Some("1"));
        assert_eq!(layered.get("b").as_deref(), Some("3"));
        assert_eq!(layered.get("c"), None);
    }

    #[test]
    fn the_inbox_set_holds_the_six_inbox_names() {
        let inbox = VariableSet::inbox();
        let names: Vec<&str> = inbox.iter().collect();
        assert_eq!(
            names,
            [
                "agent.name",
                "contact.firstName",
                "contact.name",
                "date",
                "org.name",
                "time"
            ]
        );
    }
}
