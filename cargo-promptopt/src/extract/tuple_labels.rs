//! Labels in a list of records: `vec![("Mental Health Adviser", "I want you to act as
//! ...", Some("Provide guidance"), ..), ..]` bound to a prompt-like name holds one
//! prompt per record; the short columns beside it are its name, description and
//! category, which a picker shows and no model reads. Only the name-and-prose
//! heuristic asks: a flow to a sink takes the element it sends (see [`V::Proj`]).

use std::collections::HashSet;

use super::facts::{FileFacts, V};

/// A column whose texts are this many times shorter than the longest column's (by
/// median length), and each a line of at most [`LABEL`] characters, holds labels of
/// the records, not prompts.
const SHORTER: usize = 2;
const LABEL: usize = 120;

/// The literals of `f` written in the label columns of a list of tuples bound to a
/// local or a const.
pub fn of(f: &FileFacts) -> HashSet<u32> {
    let bound = f
        .locals
        .iter()
        .flat_map(|(_, vs, _)| vs.iter())
        .chain(f.consts.iter().filter_map(|c| c.value.as_ref()));
    let mut out = HashSet::new();
    for v in bound {
        let mut records = Vec::new();
        rows(v, &mut records);
        labels(f, &records, &mut out);
    }
    out
}

/// The tuples a list value holds, each as its columns' literals.
fn rows(v: &V, out: &mut Vec<Vec<Vec<u32>>>) {
    match v {
        V::Parts(vs) => vs.iter().for_each(|v| rows(v, out)),
        V::Tuple(cols) => out.push(
            cols.iter()
                .map(|c| {
                    let mut lits = Vec::new();
                    if let Some(c) = c {
                        lits_of(c, &mut lits);
                    }
                    lits
                })
                .collect(),
        ),
        _ => {}
    }
}

/// The literals a column's value is written as (`"x"`, `Some("x".to_string())`).
fn lits_of(v: &V, out: &mut Vec<u32>) {
    match v {
        V::Lit(i) => out.push(*i),
        V::Parts(vs) => vs.iter().for_each(|v| lits_of(v, out)),
        V::Ctor(c) => lits_of(&c.1, out),
        _ => {}
    }
}

fn labels(f: &FileFacts, records: &[Vec<Vec<u32>>], out: &mut HashSet<u32>) {
    let Some(width) = records.first().map(Vec::len) else {
        return;
    };
    if records.len() < 2 || width < 2 || records.iter().any(|r| r.len() != width) {
        return;
    }
    let len = |i: u32| {
        f.vals
            .get(i as usize)
            .map_or(0, |v| v.value.chars().count())
    };
    let medians: Vec<usize> = (0..width)
        .map(|c| {
            let mut ls: Vec<usize> = records
                .iter()
                .flat_map(|r| r[c].iter())
                .map(|&i| len(i))
                .collect();
            ls.sort_unstable();
            ls.get(ls.len() / 2).copied().unwrap_or(0)
        })
        .collect();
    let longest = medians.iter().copied().max().unwrap_or(0);
    let one_line = |i: u32| {
        f.vals
            .get(i as usize)
            .is_some_and(|v| !v.value.contains('\n') && v.value.chars().count() <= LABEL)
    };
    for (c, m) in medians.iter().enumerate() {
        if m * SHORTER < longest && records.iter().all(|r| r[c].iter().all(|&i| one_line(i))) {
            out.extend(records.iter().flat_map(|r| r[c].iter().copied()));
        }
    }
}
