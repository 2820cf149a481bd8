//! `repeated-context`: the same passage paid for more than once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use crate::lint::text;
use crate::lint::{
    Applicability, Category, Ctx, Edit, Finding, Fix, Level, LintOptions, PromptRef, Related,
    RuleInfo,
};
use crate::prompt::Role;
use crate::rule::Subject;
use crate::template::PromptText;
use crate::tokens::Encoding;

/// Rule id.
pub const ID: &str = "repeated-context";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Cost,
    fix: Some(Applicability::Unsafe),
    summary: "the same passage sent in several prompts, twice in one prompt, or a long context interpolated per call",
    doc: "## What it does\n\
Finds context that is paid for more than once:\n\n\
1. the same or nearly the same passage (at least `min_repeat_tokens`, 32 o200k tokens by \
default) in several prompts of the workspace, whole prompts or paragraphs, compared after \
normalizing case and whitespace or by the overlap of their 5-word shingles (Chinese: \
5-character shingles, 80% Jaccard or more). One finding points at every copy;\n\
2. a sentence or paragraph (8 tokens or more) repeated inside one prompt;\n\
3. a long context interpolated into a prompt together with per-call values, as in \
`for endpoint in endpoints: prompt = f\"{long_context} 创建API端点:{endpoint}\"`: a hole named \
like constant context (`context`, `schema`, `guidelines`, `rules`, `instructions`, \
`system`, `manual`) next to another hole, in a prompt that is not a system message. Holes \
named for per-call data (`history`, `chat_history`, `documents`, `docs`, `question`, \
`input`, `query`, `messages`) are never reported: they change with every call by design. \
When the static text after the first hole is long enough for `cache-unfriendly-order`, \
that rule reports it instead.\n\n\
Prompts are compared across only within one program (`PromptRef::group`): the CLI puts \
a package's library and binaries in one group and each example, test or bench file in \
its own, since copies in different programs are never sent by the same call.\n\n\
## Why is this bad\n\
Every copy is billed on every call that sends it. A 500-token style guide pasted into \
four prompts costs 1,500 tokens more per round than one shared system message, and a \
context re-sent with every request in a loop is paid once per iteration.\n\n\
## Example\n\
```python\nfor endpoint in endpoints:\n    prompt = f\"{long_context}\\n创建API端点:{endpoint}\"\n```\n\n\
## Use instead\n\
```python\nsystem_message = long_context\nfor endpoint in endpoints:\n    generate_code(f\"创建API端点:{endpoint}\", system=system_message)\n```\n\
Keep one shared `const` for a passage several prompts need, and send it once as the \
system message (or first, unchanged, so the provider's prefix cache can reuse it).\n\n\
## Fix safety\n\
Repeats across prompts and interpolated contexts have no automatic fix: where the \
context should live is a design decision. A repeat inside one prompt has an Unsafe fix \
that drops the later copy: the repetition may have been meant as emphasis.\n",
};

/// Smallest sentence or paragraph repeated inside one prompt that is reported.
const MIN_INNER_TOKENS: usize = 8;
/// Jaccard similarity of shingles above which passages are near-duplicates.
const NEAR: f64 = 0.8;
const SHINGLE: usize = 5;
/// A shingle found in more passages than this nominates no candidates.
const MAX_POSTING: usize = 256;
/// Hole names that say constant context: the same text on every call.
const CONTEXT_WORDS: &[&str] = &[
    "context",
    "schema",
    "guideline",
    "rules",
    "instruction",
    "system",
    "manual",
];
/// Hole names that say per-call data (a chat history, documents retrieved for this
/// query, the question): never constant context, whatever else the name says.
const PER_CALL_WORDS: &[&str] = &[
    "history",
    "document",
    "docs",
    "question",
    "input",
    "query",
    "message",
    "retriev",
    "search",
    "result",
    "chunk",
    "passage",
    "conversation",
    "chat",
];

/// `true` for a hole named like constant context (`long_context`, `schema`), not like
/// per-call data (`chat_history`, `documents`, `question`).
fn constant_context_name(name: &str) -> bool {
    let l = name.to_lowercase();
    CONTEXT_WORDS.iter().any(|w| l.contains(w)) && !PER_CALL_WORDS.iter().any(|w| l.contains(w))
}

/// Paragraphs: runs of non-blank lines, as byte ranges.
fn paragraphs(v: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut cur: Option<Range<usize>> = None;
    for r in text::lines(v) {
        if v[r.clone()].trim().is_empty() {
            if let Some(c) = cur.take() {
                out.push(c);
            }
        } else {
            cur = Some(match cur {
                Some(c) => c.start..r.end,
                None => r,
            });
        }
    }
    out.extend(cur);
    out
}

fn has_hole(p: &PromptText, r: &Range<usize>) -> bool {
    p.holes()
        .any(|h| h.span.start < r.end && r.start < h.span.end)
}

/// Checks one prompt: repeats inside it, and long contexts interpolated per call.
pub fn check_one(cx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = inner_repeats(cx);
    out.extend(interpolated_context(cx));
    out
}

fn inner_repeats(cx: &Ctx<'_>) -> Vec<Finding> {
    let v = cx.value();
    let mut out = Vec::new();
    let paras = paragraphs(v);
    let mut dropped: Vec<Range<usize>> = Vec::new();
    let usable = |r: &Range<usize>| !cx.mask.overlaps(r) && !has_hole(cx.text, r);
    // Each paragraph normalized once; the first paragraph of each normalized text.
    let norms: Vec<String> = paras.iter().map(|p| text::normalize(&v[p.clone()])).collect();
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for (i, p) in paras.iter().enumerate() {
        let first_i = *first_of.entry(norms[i].as_str()).or_insert(i);
        if first_i == i
            || !usable(p)
            || Encoding::O200k.count(&v[p.clone()]) < MIN_INNER_TOKENS
        {
            continue;
        }
        let first = &paras[first_i];
        let del = match paras.get(i + 1) {
            Some(next) => p.start..next.start,
            None => paras[i - 1].end..p.end,
        };
        dropped.push(p.clone());
        out.push(repeat_finding(
            cx,
            p.clone(),
            first.clone(),
            del,
            "paragraph",
        ));
    }
    // Sentences, line by line.
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    for line in text::lines(v) {
        for s in sentences(v, line.clone()) {
            if !usable(&s) || dropped.iter().any(|d| d.start <= s.start && s.end <= d.end) {
                continue;
            }
            let norm = text::normalize(&v[s.clone()]);
            if Encoding::O200k.count(&v[s.clone()]) < MIN_INNER_TOKENS {
                continue;
            }
            // A lead-in (`... in the following schema:`) introduces what follows; the same
            // lead-in before different content is structure, not a repeat.
            if v[s.clone()].trim_end().ends_with([':', '：']) {
                continue;
            }
            if let Some(first) = seen.get(&norm) {
                let lead = text::is_line_lead(&v[line.start..s.start]);
                let whole_line = lead && v[s.end..line.end].trim().is_empty();
                let del = if whole_line {
                    if line.end < v.len() {
                        line.start..line.end + 1
                    } else {
                        line.start.saturating_sub(1)..line.end
                    }
                } else if lead {
                    s.start..text::skip_spaces(v, s.end)
                } else {
                    text::skip_spaces_back(v, s.start)..s.end
                };
                if !cx.mask.overlaps(&del) && !has_hole(cx.text, &del) {
                    out.push(repeat_finding(
                        cx,
                        s.clone(),
                        first.clone(),
                        del,
                        "sentence",
                    ));
                }
                continue;
            }
            seen.insert(norm, s);
        }
    }
    out
}

/// Sentences of a line: ranges ending at a terminator followed by a space or the end.
fn sentences(v: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let l = &v[line.clone()];
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = l.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next = chars.get(k + 1).map(|x| x.1);
        let ends = text::is_terminator(c)
            && (next.is_none_or(char::is_whitespace) || matches!(c, '。' | '！' | '？'));
        if ends {
            let end = i + c.len_utf8();
            push_trimmed(&mut out, l, line.start, start..end);
            start = end;
        }
    }
    push_trimmed(&mut out, l, line.start, start..l.len());
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, l: &str, base: usize, r: Range<usize>) {
    let s = &l[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if !t.is_empty() {
        // Drop a list marker from the sentence itself.
        let start = r.start + lead;
        out.push(base + start..base + start + t.len());
    }
}

fn repeat_finding(
    cx: &Ctx<'_>,
    span: Range<usize>,
    first: Range<usize>,
    del: Range<usize>,
    what: &str,
) -> Finding {
    let v = cx.value();
    let tokens = Encoding::O200k.count(&v[span.clone()]);
    let mut f = cx.finding(
        ID,
        span,
        format!("this {what} ({tokens} tokens) repeats one earlier in the same prompt"),
    );
    f.related.push(Related {
        prompt: cx.prompt,
        span: first,
        message: format!("first occurrence of the {what}"),
    });
    f.fix = Some(Fix::literal(Applicability::Unsafe, vec![Edit::delete(del)], format!("drop the repeated {what}")));
    f
}

fn interpolated_context(cx: &Ctx<'_>) -> Vec<Finding> {
    if cx.role == Role::System {
        return Vec::new();
    }
    let holes: Vec<_> = cx.text.holes().collect();
    if holes.len() < 2 {
        return Vec::new();
    }
    // A prompt whose prefix cache is already defeated gets the advice to reorder it
    // (`cache-unfriendly-order`), not this one.
    if crate::cost::defeats_prefix_cache(cx.text, &cx.opts.effective_models()) {
        return Vec::new();
    }
    let v = cx.value();
    let mut out = Vec::new();
    for (i, h) in holes.iter().enumerate() {
        let Some(name) = &h.name else { continue };
        if !constant_context_name(name) {
            continue;
        }
        // A bare `context` beside a `question` / `query` hole is a RAG template: the
        // context is retrieved for that question on every call.
        let bare = matches!(name.to_lowercase().as_str(), "context" | "ctx");
        let beside_query = holes.iter().any(|o| {
            o.name.as_deref().is_some_and(|n| {
                ["question", "query", "input"]
                    .iter()
                    .any(|w| n.to_lowercase().contains(w))
            })
        });
        if bare && beside_query {
            continue;
        }
        let others: Vec<String> = holes
            .iter()
            .filter(|o| o.name.as_deref() != Some(name.as_str()))
            .map(|o| format!("`{}`", &v[o.span.clone()]))
            .collect();
        if others.is_empty() {
            continue;
        }
        let place = if i == 0 {
            "or keep it first and unchanged so the provider's prefix cache can reuse it"
        } else {
            "or move it first, unchanged, so the provider's prefix cache can reuse it"
        };
        out.push(cx.finding(
            ID,
            h.span.clone(),
            format!(
                "`{}` is interpolated together with per-call values ({}), so this constant context is rebuilt into a different prompt on every call; keep it in a stable prefix (the system message) that the provider's prompt cache can reuse, {place}",
                &v[h.span.clone()],
                others.join(", ")
            ),
        ));
    }
    out
}

/// A normalized text by length and two 64-bit hashes under fixed, different seeds:
/// equal texts have equal keys (and different texts, in practice, different keys), so
/// no passage keeps a normalized copy of its text.
type NormKey = (usize, u64, u64);

#[derive(Debug)]
struct Passage {
    prompt: usize,
    span: Range<usize>,
    tokens: usize,
    norm: NormKey,
    /// Sorted, deduplicated shingle hashes; kept only for the first passage of each
    /// normalized text in a pass (the one the near-duplicate search compares), empty
    /// for the other copies.
    shingles: Vec<u64>,
    whole: bool,
    /// The whole prompt is one paragraph: it also takes part in the paragraph pass.
    single: bool,
}

/// A candidate passage: its span in the value, whether it is the whole prompt, and
/// its ranges in the prompt's normalized text and word hashes.
type SpanParts = (Range<usize>, bool, Range<usize>, Range<usize>);

fn norm_key(norm: &str) -> NormKey {
    use std::hash::BuildHasher;
    let (a, b) = (
        foldhash::quality::FixedState::with_seed(0x243f_6a88_85a3_08d3),
        foldhash::quality::FixedState::with_seed(0x1319_8a2e_0370_7344),
    );
    (norm.len(), a.hash_one(norm), b.hash_one(norm))
}

/// Words and CJK characters of a normalized text, each as a hash, appended to `out`.
fn unit_hashes(norm: &str, out: &mut Vec<u64>) {
    use std::hash::BuildHasher;
    let h = foldhash::quality::FixedState::with_seed(0xa409_3822_299f_31d0);
    let mut word: Option<usize> = None;
    for (i, c) in norm.char_indices() {
        let cjk = text::is_cjk(c) && c.is_alphanumeric();
        if cjk || !c.is_alphanumeric() {
            if let Some(w) = word.take() {
                out.push(h.hash_one(&norm[w..i]));
            }
            if cjk {
                out.push(h.hash_one(&norm[i..i + c.len_utf8()]));
            }
        } else if word.is_none() {
            word = Some(i);
        }
    }
    if let Some(w) = word {
        out.push(h.hash_one(&norm[w..]));
    }
}

/// The shingles of a passage from the hashes of its units: every run of `SHINGLE`
/// units (all of them when there are fewer), hashed, sorted and deduplicated.
fn shingles(units: &[u64]) -> Vec<u64> {
    use std::hash::{BuildHasher, Hasher};
    let st = foldhash::quality::FixedState::with_seed(0x082e_fa98_ec4e_6c89);
    let k = SHINGLE.min(units.len().max(1));
    let mut out: Vec<u64> = units
        .windows(k)
        .map(|w| {
            let mut h = st.build_hasher();
            h.write_usize(w.len());
            for &u in w {
                h.write_u64(u);
            }
            h.finish()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[rb.max(ra)] = ra.min(rb);
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The same or nearly the same passage in several prompts: one finding per group, on
/// the first copy, with every other copy in `related`.
pub fn check_across(prompts: &[PromptRef<'_>], opts: &LintOptions) -> Vec<Finding> {
    let mut passages: Vec<Passage> = Vec::new();
    let min_tokens = opts.min_repeat_tokens.max(1);
    // Reused buffers: the prompt's normalized text (its paragraphs' normalized texts
    // joined by a space, which is the normalized text of the whole prompt) and the
    // hashes of its words.
    let mut norm = String::new();
    let mut units: Vec<u64> = Vec::new();
    // Normalized texts already seen in the whole-prompt and in the paragraph pass.
    let (mut seen_whole, mut seen_para) = (HashSet::new(), HashSet::new());
    // The passages of each prompt text already seen: a copy of a text has the same
    // passages, none of them the first of its normalized text.
    let mut by_value: HashMap<&str, Range<usize>> = HashMap::new();
    for (i, p) in prompts.iter().enumerate() {
        let v = p.text.value.as_str();
        if let Some(r) = by_value.get(v) {
            for k in r.clone() {
                let q = &passages[k];
                let copy = Passage {
                    prompt: i,
                    span: q.span.clone(),
                    shingles: Vec::new(),
                    ..*q
                };
                passages.push(copy);
            }
            continue;
        }
        let from = passages.len();
        let paras = paragraphs(v);
        let (Some(first), Some(last)) = (paras.first(), paras.last()) else {
            continue;
        };
        norm.clear();
        units.clear();
        // Per paragraph: its range in `norm` and in `units`.
        let mut ranges: Vec<(Range<usize>, Range<usize>)> = Vec::with_capacity(paras.len());
        for r in &paras {
            if !norm.is_empty() {
                norm.push(' ');
            }
            let (ns, us) = (norm.len(), units.len());
            text::normalize_into(&mut norm, &v[r.clone()]);
            unit_hashes(&norm[ns..], &mut units);
            ranges.push((ns..norm.len(), us..units.len()));
        }
        let single = paras.len() == 1;
        let mut spans: Vec<SpanParts> =
            vec![(first.start..last.end, true, 0..norm.len(), 0..units.len())];
        if !single {
            spans.extend(
                paras
                    .iter()
                    .zip(&ranges)
                    .map(|(r, (nr, ur))| (r.clone(), false, nr.clone(), ur.clone())),
            );
        }
        for (span, whole, nr, ur) in spans {
            let s = &v[span.clone()];
            // A token is at least one byte: a shorter passage is never counted.
            if s.len() < min_tokens {
                continue;
            }
            let tokens = Encoding::O200k.count(s);
            if tokens < min_tokens {
                continue;
            }
            let key = norm_key(&norm[nr]);
            // The first passage of a normalized text in a pass is the one compared for
            // near duplicates; its copies need no shingles.
            let first_whole = whole && seen_whole.insert(key);
            let first_para = (!whole || single) && seen_para.insert(key);
            let shingles = if first_whole || first_para {
                shingles(&units[ur])
            } else {
                Vec::new()
            };
            passages.push(Passage {
                prompt: i,
                span,
                tokens,
                norm: key,
                shingles,
                whole,
                single,
            });
        }
        by_value.insert(v, from..passages.len());
    }
    let n = passages.len();
    let mut out = Vec::new();
    // The whole-prompt cluster of each prompt: paragraphs of prompts already reported
    // together as whole prompts are not reported again.
    let mut whole_group: Vec<Option<usize>> = vec![None; prompts.len()];
    for pass_whole in [true, false] {
        let idx: Vec<usize> = (0..n)
            .filter(|&i| passages[i].whole == pass_whole || (!pass_whole && passages[i].single))
            .collect();
        let mut parent: Vec<usize> = (0..n).collect();
        let allowed = |a: usize, b: usize| {
            let (pa, pb) = (passages[a].prompt, passages[b].prompt);
            pa != pb
                && prompts[pa].group == prompts[pb].group
                && (whole_group[pa].is_none() || whole_group[pa] != whole_group[pb])
        };
        // Same normalized text.
        let mut exact: HashMap<NormKey, Vec<usize>> = HashMap::new();
        for &a in &idx {
            exact.entry(passages[a].norm).or_default().push(a);
        }
        for members in exact.values() {
            for &b in &members[1..] {
                if let Some(&a) = members.iter().find(|&&a| a != b && allowed(a, b)) {
                    union(&mut parent, a, b);
                }
            }
        }
        // Near duplicates: candidates share shingles (an inverted index; shingles found
        // in very many passages are boilerplate and do not nominate candidates).
        // One representative per exact group.
        let reps: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&a| exact.get(&passages[a].norm).and_then(|m| m.first()) == Some(&a))
            .collect();
        // The postings as one sorted list of (shingle, passage): a run of equal
        // shingles is the list of passages holding it (each passage's shingles are
        // deduplicated). Every pair in a run of 2..=MAX_POSTING shares one more shingle.
        let mut postings: Vec<(u64, usize)> = reps
            .iter()
            .flat_map(|&a| passages[a].shingles.iter().map(move |&sh| (sh, a)))
            .collect();
        postings.sort_unstable();
        let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
        for run in postings.chunk_by(|x, y| x.0 == y.0) {
            if run.len() < 2 || run.len() > MAX_POSTING {
                continue;
            }
            for (i, &(_, a)) in run.iter().enumerate() {
                for &(_, b) in &run[i + 1..] {
                    *shared.entry((a, b)).or_default() += 1;
                }
            }
        }
        drop(postings);
        // Components do not depend on the order of unions (the root is the smallest
        // index).
        for ((a, b), c) in shared {
            if allowed(a, b) && near(&passages[a], &passages[b], c, !pass_whole) {
                union(&mut parent, a, b);
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in &idx {
            let root = find(&mut parent, i);
            groups.entry(root).or_default().push(i);
        }
        for (root, members) in groups {
            let mut prompts_in: Vec<usize> = members.iter().map(|&m| passages[m].prompt).collect();
            prompts_in.sort_unstable();
            prompts_in.dedup();
            if prompts_in.len() < 2 {
                continue;
            }
            if pass_whole {
                for &p in &prompts_in {
                    whole_group[p] = Some(root);
                }
            }
            out.push(group_finding(prompts, &passages, &members));
        }
    }
    out
}

/// Near-duplicates from the count of shared shingles: Jaccard >= 0.8, or (for
/// paragraphs) >= 80% of the smaller passage inside a larger one at most twice its size.
fn near(a: &Passage, b: &Passage, shared: usize, containment: bool) -> bool {
    let (x, y) = (a.shingles.len(), b.shingles.len());
    if x == 0 || y == 0 || (x.min(y) as f64) / (x.max(y) as f64) < 0.5 {
        return false;
    }
    let c = shared as f64;
    let jaccard = c / ((x + y) as f64 - c);
    let contained = c / x.min(y) as f64;
    jaccard >= NEAR || (containment && contained >= NEAR)
}

fn group_finding(prompts: &[PromptRef<'_>], passages: &[Passage], members: &[usize]) -> Finding {
    let mut members = members.to_vec();
    members.sort_by_key(|&m| (passages[m].prompt, passages[m].span.start));
    let head = &passages[members[0]];
    let exact = members.iter().all(|&m| passages[m].norm == head.norm);
    let copies: usize = members[1..].iter().map(|&m| passages[m].tokens).sum();
    let name = |i: usize| {
        prompts
            .get(i)
            .and_then(|p| p.name)
            .map(|n| format!("`{n}`"))
            .unwrap_or_else(|| format!("prompt #{i}"))
    };
    let what = if head.whole { "prompt" } else { "passage" };
    Finding {
        rule: ID,
        subject: Subject::Prompt(head.prompt),
        span: head.span.clone(),
        message: format!(
            "this {}-token {what} is {} in {} other place(s) ({copies} more tokens wherever they are sent together); keep one shared const so the copies cannot drift, and send it once (as the system message) where they go out in the same conversation",
            head.tokens,
            if exact { "repeated" } else { "nearly repeated" },
            members.len() - 1,
        ),
        fix: None,
        related: members[1..]
            .iter()
            .map(|&m| Related {
                prompt: passages[m].prompt,
                span: passages[m].span.clone(),
                message: format!(
                    "{} copy in {} ({} tokens)",
                    if passages[m].norm == head.norm { "same" } else { "near" },
                    name(passages[m].prompt),
                    passages[m].tokens
                ),
            })
            .collect(),
        tokens_saved: None,
        level_cap: None,
    }
}

/// The rule.
#[derive(Debug)]
pub struct RepeatedContext;

impl crate::rule::Rule for RepeatedContext {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_prompt(&self, cx: &Ctx<'_>) -> Vec<Finding> {
        check_one(cx)
    }

    fn check_workspace(&self, cx: &crate::rule::WorkspaceCtx<'_>) -> Vec<Finding> {
        check_across(&cx.input.prompts, cx.opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{check, fix_until_stable};
    use crate::template::Syntax;

    #[test]
    fn across_prompts_one_finding_with_related() {
        let guide = "Follow the style guide: use short sentences, active voice, no jargon, cite sources with links, and keep every answer under two hundred words unless the user asks for more detail.";
        let a = PromptText::plain(format!("You are a writer.\n\n{guide}"));
        let b = PromptText::plain(format!("You are an editor.\n\n{guide}"));
        let c = PromptText::plain(format!("{} Thanks.", guide.to_uppercase()));
        let prompts: Vec<PromptRef<'_>> = [&a, &b, &c]
            .iter()
            .map(|t| PromptRef::new(t, Role::System))
            .collect();
        let opts = LintOptions::default().only(&[ID]);
        let f = check(&prompts, &opts);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].related.len(), 2);
    }

    #[test]
    fn inner_repeat_is_unsafe_fix() {
        let p = PromptText::plain("Always answer in valid JSON with no prose around it. Read the input.\nAlways answer in valid JSON with no prose around it.\n");
        let opts = LintOptions::default().only(&[ID]);
        let safe = fix_until_stable(&p, Role::User, &opts, false).map(|o| o.value);
        assert_eq!(safe.as_deref(), Ok(p.value.as_str()));
        let fixed = fix_until_stable(&p, Role::User, &opts, true).map(|o| o.value);
        assert_eq!(
            fixed.as_deref(),
            Ok("Always answer in valid JSON with no prose around it. Read the input.\n")
        );
    }

    #[test]
    fn tutorial_long_context_in_a_loop() {
        let p = PromptText::parse("\n{long_context}\n创建API端点:{endpoint}\n", Syntax::Format);
        let opts = LintOptions::default().only(&[ID]);
        let f = check(&[PromptRef::new(&p, Role::User)], &opts);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("system message"));
    }
}
