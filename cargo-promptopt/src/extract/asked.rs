//! Maps by name that remember which names the flow asked for.
//!
//! The prefilter (`prefilter.rs`) parses only files that may matter and grows that set
//! from what the flow looks up: every name the flow asks the index for, every file
//! holding that name as an identifier is parsed too, until no new name is asked. Then
//! each lookup the flow made saw the facts of every file of the workspace that could
//! answer it, so the flow walks exactly as it would over all files.

use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
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
#[derive(Debug)]
pub struct Asked {
    /// Tells this index's names from an earlier one's in [`SEEN`].
    id: u64,
    sets: Mutex<[foldhash::HashSet<String>; KINDS]>,
}

impl Default for Asked {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Asked {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            sets: Mutex::default(),
        }
    }
}

/// How many [`Kind`]s there are: one set of names each, so a name already asked for is
/// found by `&str`, without building a key.
const KINDS: usize = 6;

/// Per thread, the names this thread already noted in the [`Asked`] of that id: the walks
/// of two threads ask the same names over and over, and the shared sets sit behind a
/// lock.
type Seen = (u64, [foldhash::HashSet<String>; KINDS]);

thread_local! {
    static SEEN: RefCell<Seen> = RefCell::new((u64::MAX, Default::default()));
}

impl Asked {
    fn note(&self, kind: Kind, name: &str) {
        let new = SEEN.with(|seen| {
            let Ok(mut seen) = seen.try_borrow_mut() else {
                return true;
            };
            if seen.0 != self.id {
                seen.0 = self.id;
                seen.1.iter_mut().for_each(foldhash::HashSet::clear);
            }
            let set = &mut seen.1[kind as usize];
            !set.contains(name) && set.insert(name.to_string())
        });
        if !new {
            return;
        }
        if let Ok(mut s) = self.sets.lock() {
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
            .sets
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

    /// The value for `name`, without noting it (see [`ByName::has_quietly`]).
    pub fn get_quietly(&self, name: &str) -> Option<&T> {
        self.map.get(name)
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
