//! A literal whose value a content guard skips on its way to the sink is never sent
//! (see `facts/content_guards.rs`).

use super::walk::{Reached, What};
use super::{Flow, Leaf};

/// A literal left out by a guard: its file and index, the guard's file and index in
/// that file's `content_guards`.
pub type Guarded = (usize, u32, usize, usize);

impl Flow<'_> {
    /// The guard that skips `r`'s literal: a `let` on the chain whose binding, at the
    /// use that carries it on toward the sink, holds no text containing the guard's,
    /// and the literal's text contains it (so the value, which holds the literal, does).
    pub(super) fn content_guard(&self, r: &Reached<'_>) -> Option<Guarded> {
        let Leaf::Lit(lf, li) = r.leaf else {
            return None;
        };
        let text = &self.facts[lf].vals.get(li as usize)?.value;
        // From the sink to the source: the step before a `let` is where it is used.
        for pair in r.chain.windows(2) {
            let (used, bound) = (&pair[0], &pair[1]);
            let What::Let(name) = bound.what else {
                continue;
            };
            if used.fi != bound.fi {
                continue;
            }
            let guards = &self.facts[bound.fi].content_guards;
            let found = guards.iter().position(|g| {
                g.name == name
                    && bound.line <= g.line
                    && (g.from..=g.to).contains(&used.line)
                    && text.contains(g.text.as_str())
            });
            if let Some(gi) = found {
                return Some((lf, li, bound.fi, gi));
            }
        }
        None
    }
}
