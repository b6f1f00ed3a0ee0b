//! Small collections keyed by question: a sorted vector each.
//!
//! A paper has a few dozen questions at most. A `BTreeMap` per value type
//! costs the student's download about 9 KB of wasm for each type (every
//! B-tree routine is compiled again per key and value), and does nothing a
//! binary search over a short sorted vector does not do as fast here.

use examgate_shared::exam::QuestionId;
use serde::{Deserialize, Serialize};

/// A map from question to `V`, in question order.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionMap<V>(Vec<(QuestionId, V)>);

impl<V> Default for QuestionMap<V> {
    fn default() -> Self {
        QuestionMap(Vec::new())
    }
}

impl<V> QuestionMap<V> {
    fn find(&self, question: QuestionId) -> Result<usize, usize> {
        self.0.binary_search_by_key(&question, |(q, _)| *q)
    }

    pub fn get(&self, question: &QuestionId) -> Option<&V> {
        self.find(*question).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, question: &QuestionId) -> Option<&mut V> {
        self.find(*question).ok().map(|i| &mut self.0[i].1)
    }

    /// `question`'s value, inserted as `V::default()` if absent.
    pub fn get_or_default(&mut self, question: QuestionId) -> &mut V
    where
        V: Default,
    {
        let i = self.find(question).unwrap_or_else(|i| {
            self.0.insert(i, (question, V::default()));
            i
        });
        &mut self.0[i].1
    }

    pub fn remove(&mut self, question: &QuestionId) -> Option<V> {
        self.find(*question).ok().map(|i| self.0.remove(i).1)
    }

    pub fn contains_key(&self, question: &QuestionId) -> bool {
        self.find(*question).is_ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&QuestionId, &V)> {
        self.0.iter().map(|(q, v)| (q, v))
    }
}

impl<V> std::ops::Index<&QuestionId> for QuestionMap<V> {
    type Output = V;

    fn index(&self, question: &QuestionId) -> &V {
        self.get(question).expect("no entry for this question")
    }
}

/// A set of questions, in question order; on the wire (and in storage) a
/// JSON array, as a `BTreeSet` was, so older records still load.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<QuestionId>")]
pub struct QuestionSet(Vec<QuestionId>);

impl From<Vec<QuestionId>> for QuestionSet {
    /// Sorted and deduplicated: a record edited by hand still holds a set.
    fn from(mut questions: Vec<QuestionId>) -> Self {
        questions.sort_unstable();
        questions.dedup();
        QuestionSet(questions)
    }
}

impl QuestionSet {
    pub fn contains(&self, question: &QuestionId) -> bool {
        self.0.binary_search(question).is_ok()
    }

    /// Adds `question`; false if it was there already.
    pub fn insert(&mut self, question: QuestionId) -> bool {
        match self.0.binary_search(&question) {
            Ok(_) => false,
            Err(i) => {
                self.0.insert(i, question);
                true
            }
        }
    }

    /// Removes `question`; false if it was not there.
    pub fn remove(&mut self, question: &QuestionId) -> bool {
        match self.0.binary_search(question) {
            Ok(i) => {
                self.0.remove(i);
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_keeps_one_value_per_question_in_order() {
        let mut map = QuestionMap::<String>::default();
        assert!(map.is_empty());
        map.get_or_default(QuestionId(5)).push('5');
        map.get_or_default(QuestionId(2)).push('2');
        map.get_or_default(QuestionId(5)).push('!');
        assert_eq!(map[&QuestionId(5)], "5!");
        assert!(map.contains_key(&QuestionId(2)) && !map.contains_key(&QuestionId(3)));
        let keys: Vec<_> = map.iter().map(|(q, _)| q.0).collect();
        assert_eq!(keys, [2, 5]);
        *map.get_mut(&QuestionId(2)).unwrap() = "two".into();
        assert_eq!(map.remove(&QuestionId(2)).as_deref(), Some("two"));
        assert_eq!(map.remove(&QuestionId(2)), None);
        assert_eq!(map.get(&QuestionId(2)), None);
    }

    #[test]
    fn the_set_toggles_and_reads_what_a_btree_set_wrote() {
        let mut set = QuestionSet::default();
        assert!(set.insert(QuestionId(4)) && set.insert(QuestionId(1)));
        assert!(!set.insert(QuestionId(4)));
        assert_eq!(serde_json::to_string(&set).unwrap(), "[1,4]");
        assert!(set.remove(&QuestionId(1)) && !set.remove(&QuestionId(1)));
        assert!(set.contains(&QuestionId(4)) && !set.contains(&QuestionId(1)));
        let older = std::collections::BTreeSet::from([QuestionId(9), QuestionId(3)]);
        let read: QuestionSet =
            serde_json::from_str(&serde_json::to_string(&older).unwrap()).unwrap();
        assert_eq!(read, QuestionSet(vec![QuestionId(3), QuestionId(9)]));
        let messy: QuestionSet = serde_json::from_str("[7,2,7]").unwrap();
        assert_eq!(messy, QuestionSet(vec![QuestionId(2), QuestionId(7)]));
    }
}
