//! A tenant's rules, compiled once: indexed by trigger, in the order they
//! were added.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::rule::Rule;
use crate::core::condition::Subject;
use crate::core::trigger::Trigger;

/// A tenant's automation rules, ready to evaluate.
///
/// [`fired`](RuleSet::fired) looks at the rules on the event's trigger only,
/// so an event no rule listens to costs the same whatever the number of
/// rules. Clones share the rules behind an [`Arc`]: hand one to every task
/// that evaluates events, and replace it whole when the rules change.
///
/// It serializes as the list of its rules; deserializing compiles that list,
/// reading each rule as [`Rule`]'s own serde does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSet(Arc<Compiled>);

#[derive(Debug, Default, PartialEq)]
struct Compiled {
    /// Every rule, in the order it was added.
    rules: Vec<Rule>,
    /// For each trigger (by [`slot`]), the positions in `rules` of the rules
    /// on it, ascending, so that firing keeps the order of addition.
    by_trigger: [Vec<usize>; Trigger::ALL.len()],
}

/// Why a list of rules cannot be one set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleSetError {
    /// Two rules share an id, which must name one rule in listings, edits and
    /// reports of a failed action.
    #[error("rules[{second}] has the id {id:?}, as rules[{first}] does: a rule's id is unique")]
    DuplicateId {
        /// The id.
        id: String,
        /// The position of the first rule with it.
        first: usize,
        /// The position of the second.
        second: usize,
    },
}

impl RuleSet {
    /// Compiles `rules`, keeping their order, which is the order they fire in.
    pub fn compile(rules: Vec<Rule>) -> Result<RuleSet, RuleSetError> {
        refuse_duplicate_ids(&rules)?;
        let mut by_trigger: [Vec<usize>; Trigger::ALL.len()] = Default::default();
        for (position, rule) in rules.iter().enumerate() {
            if let Some(positions) = by_trigger.get_mut(slot(rule.trigger())) {
                positions.push(position);
            }
        }
        Ok(RuleSet(Arc::new(Compiled { rules, by_trigger })))
    }

    /// The rules on `trigger` whose conditions hold for `subject`, in the
    /// order they were added.
    pub fn fired<'a>(
        &'a self,
        trigger: Trigger,
        subject: &Subject<'_>,
    ) -> impl Iterator<Item = &'a Rule> {
        self.on(trigger).filter(move |rule| rule.holds_for(subject))
    }

    /// The rules on `trigger`, in the order they were added.
    pub fn on(&self, trigger: Trigger) -> impl Iterator<Item = &Rule> {
        let positions = self.0.by_trigger.get(slot(trigger));
        positions
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&position| self.0.rules.get(position))
    }

    /// Whether any rule is on `trigger`: when none is, the engine need not
    /// build a subject for the event at all.
    pub fn listens_to(&self, trigger: Trigger) -> bool {
        self.0
            .by_trigger
            .get(slot(trigger))
            .is_some_and(|positions| !positions.is_empty())
    }

    /// Every rule, in the order they were added.
    pub fn rules(&self) -> &[Rule] {
        &self.0.rules
    }

    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.0.rules.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.rules.is_empty()
    }
}

/// Where a trigger's rules are in [`Compiled::by_trigger`]: its place in
/// [`Trigger::ALL`], which lists the variants in declaration order.
fn slot(trigger: Trigger) -> usize {
    trigger as usize
}

fn refuse_duplicate_ids(rules: &[Rule]) -> Result<(), RuleSetError> {
    let mut seen = HashMap::with_capacity(rules.len());
    for (second, rule) in rules.iter().enumerate() {
        if let Some(&first) = seen.get(rule.id()) {
            let id = rule.id().to_owned();
            return Err(RuleSetError::DuplicateId { id, first, second });
        }
        seen.insert(rule.id(), second);
    }
    Ok(())
}

impl Serialize for RuleSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.rules().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RuleSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rules = Vec::<Rule>::deserialize(deserializer)?;
        RuleSet::compile(rules).map_err(serde::de::Error::custom)
    }
}
