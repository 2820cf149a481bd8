//! Maps by name that remember which names the flow asked for.
//!
//! The prefilter (`prefilter.rs`) parses only files that may matter and grows that set
//! from what the flow looks up: every name the flow asks the index for, every file
//! holding that name as an identifier is parsed too, until no new name is asked. Then
//! each lookup the flow made saw the facts of every file of the workspace that could
//! answer it, so the flow walks exactly as it would over all files.

use std::collections::hash_map::Entry;
use std::collections::HashSet;
use std::sync::Mutex;

/// Which map a name was asked of: it says where a file holding the name must hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Functions by name (their definitions, `fn NAME`; and, through the flow's liveness
    /// pass, their callers).
    Fn,
    /// Consts and statics by name (`const NAME`, `static NAME`).
    Const,
    /// Calls by callee name.
    Call,
    /// Struct literal fields and field assignments by field name.
    Field,
    /// Templates by registered name (a string, not an identifier).
    Template,
    /// Types, traits and fns a package defines.
    Defines,
}

/// Names asked for, shared by the maps of one index (foldhash: these maps are read on
/// every step of every walk, and their order is never seen).
#[derive(Debug, Default)]
pub struct Asked(Mutex<[foldhash::HashSet<String>; KINDS]>);

/// How many [`Kind`]s there are: one set of names each, so a name already asked for is
/// found by `&str`, without building a key.
const KINDS: usize = 6;

impl Asked {
    fn note(&self, kind: Kind, name: &str) {
        if let Ok(mut s) = self.0.lock() {
            // One allocation per new name: most lookups repeat.
            let set = &mut s[kind as usize];
            if !set.contains(name) {
                set.insert(name.to_string());
            }
        }
    }

    /// Every name asked so far, with the map it was asked of.
    pub fn take(&self) -> HashSet<(Kind, String)> {
        let sets = self
            .0
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default();
        let kinds = [
            Kind::Fn,
            Kind::Const,
            Kind::Call,
            Kind::Field,
            Kind::Template,
            Kind::Defines,
        ];
        kinds
            .into_iter()
            .zip(sets)
            .flat_map(|(k, set)| set.into_iter().map(move |n| (k, n)))
            .collect()
    }
}

/// A map by name whose lookups are noted.
#[derive(Debug)]
pub struct ByName<T> {
    map: foldhash::HashMap<String, T>,
    asked: std::sync::Arc<Asked>,
    kind: Kind,
}

impl<T> ByName<T> {
    pub fn new(asked: std::sync::Arc<Asked>, kind: Kind) -> Self {
        ByName {
            map: foldhash::HashMap::default(),
            asked,
            kind,
        }
    }

    /// The value for `name`; the name is noted as asked.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.asked.note(self.kind, name);
        self.map.get(name)
    }

    /// `true` when `name` has a value, without noting it: for questions whose answer
    /// does not depend on which files are parsed.
    pub fn has_quietly(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    pub fn entry(&mut self, name: String) -> Entry<'_, String, T> {
        self.map.entry(name)
    }
}

/// A set of names whose membership tests are noted.
#[derive(Debug)]
pub struct NameSet {
    set: foldhash::HashSet<String>,
    asked: std::sync::Arc<Asked>,
}

impl NameSet {
    pub fn new(asked: std::sync::Arc<Asked>) -> Self {
        NameSet {
            set: foldhash::HashSet::default(),
            asked,
        }
    }

    /// `true` when `name` is in the set; the name is noted as asked.
    pub fn contains(&self, name: &str) -> bool {
        self.asked.note(Kind::Defines, name);
        self.set.contains(name)
    }

    pub fn extend(&mut self, names: impl IntoIterator<Item = String>) {
        self.set.extend(names);
    }
}
