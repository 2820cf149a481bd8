//! Liveness: which functions run a live request (tests count only there).

use super::*;

impl Flow<'_> {
    /// Fn `k` of file `f` is a unit test of a source file (`#[cfg(test)] mod tests`
    /// under src/), unless opted in (`#[ignore]`): it runs no live request, and is
    /// nobody's helper, though one of its name may be.
    pub(super) fn unit_test(&self, f: usize, k: u32) -> bool {
        let facts = &self.facts[f];
        !facts.opt_in && self.in_test_module(f, facts.fns[k as usize].line)
    }

    /// Line `line` of file `f` is inside a `#[cfg(test)]` module or a `#[test]` fn.
    fn in_test_module(&self, f: usize, line: usize) -> bool {
        self.facts[f]
            .test_lines
            .iter()
            .any(|&(a, b)| (a..=b).contains(&line))
    }

    /// Line `line` of file `f` is test code: a test file's, or a test module's.
    pub(super) fn test_code(&self, f: usize, line: usize) -> bool {
        self.files[f].scope == Scope::Test || self.in_test_module(f, line)
    }

    /// Functions that run a live request: those that send one (`sending`), their
    /// callers (three levels: a test calls `app.ask()`, which calls `.prompt()`), and
    /// the helpers such functions call (two levels: a seeder that builds the request),
    /// all outside files that mock. Calls are matched by name; a name that many
    /// functions share proves nothing and is not followed.
    pub fn live_fns(&self, sending: &HashSet<(usize, u32)>) -> HashSet<(usize, u32)> {
        let real = |fi: usize| !self.facts[fi].mocks;
        let fn_name = |(f, k): (usize, u32)| self.facts[f].fns[k as usize].name.as_str();
        let distinct = |name: &str| self.index.fns.get(name).is_some_and(|d| d.len() <= 4);
        let unit_test = |(f, k): (usize, u32)| self.unit_test(f, k);
        // An awaited call is a request on the wire in a test file (tests/, a test
        // binary) or a file with opt-in tests; elsewhere when it is named like one
        // (`create`, `exec_chat`), not `lock().await` or `yield_now().await`. Round 53:
        // unit tests that awaited the package's token counter, live because another
        // impl of that name awaits a mutex, were 6 of 6 test rows judged, none sent.
        let request = |fi: usize, callee: &str| {
            self.files[fi].scope == Scope::Test || self.facts[fi].opt_in || requests(callee)
        };
        let mut live: HashSet<(usize, u32)> =
            sending.iter().copied().filter(|x| real(x.0)).collect();
        // Only in a file that names an LLM crate.
        for (fi, f) in self.facts.iter().enumerate() {
            let names_llm = f
                .mentions
                .iter()
                .any(|m| self.table.family_of_lib(m).is_some())
                || self.pkg(fi).is_some_and(|p| p.own_family.is_some());
            if real(fi) && names_llm {
                live.extend(
                    f.awaits
                        .iter()
                        .filter(|(_, callee)| request(fi, callee))
                        .map(|&(k, _)| (fi, k)),
                );
            }
        }
        for _ in 0..3 {
            let names: HashSet<&str> = live
                .iter()
                .map(|&x| fn_name(x))
                .filter(|n| distinct(n))
                .collect();
            let callers: Vec<(usize, u32)> = self
                .facts
                .par_iter()
                .enumerate()
                .filter(|&(fi, _)| real(fi))
                .flat_map_iter(|(fi, f)| {
                    f.calls
                        .iter()
                        .filter(|c| names.contains(c.callee.name()))
                        .filter_map(move |c| Some((fi, c.in_fn?)))
                })
                .collect();
            let before = live.len();
            live.extend(callers);
            if live.len() == before {
                break;
            }
        }
        for _ in 0..2 {
            let live_ref = &live;
            let helpers: Vec<(usize, u32)> = self
                .facts
                .par_iter()
                .enumerate()
                .flat_map_iter(|(fi, f)| {
                    let mut helpers = Vec::new();
                    for c in f
                        .calls
                        .iter()
                        .filter(|c| c.in_fn.is_some_and(|k| live_ref.contains(&(fi, k))))
                    {
                        if !distinct(c.callee.name()) {
                            continue;
                        }
                        for &(ff, fx) in self.index.fns.get(c.callee.name()).into_iter().flatten() {
                            // A unit test is nobody's helper (one of the same name is).
                            let helper = ff == fi || !unit_test((ff, fx as u32));
                            if self.same_pkg(ff, fi) && real(ff) && helper {
                                helpers.push((ff, fx as u32));
                            }
                        }
                    }
                    helpers
                })
                .collect();
            let before = live.len();
            live.extend(helpers);
            if live.len() == before {
                break;
            }
        }
        live
    }

    /// Per file: it belongs to a program (an example, a test, a binary: see
    /// `programs.rs`) in which no sink is fed and no function runs a live request
    /// (`live`, from [`Flow::live_fns`]). Such a program talks to no model: an example
    /// that composes a prompt and prints it.
    pub fn silent_files(&self, live: &HashSet<(usize, u32)>) -> Vec<bool> {
        let mut talking: HashSet<u32> = HashSet::new();
        for s in self.all_seeds() {
            talking.extend(self.programs[s.file]);
        }
        for &(fi, _) in live {
            talking.extend(self.programs[fi]);
        }
        self.programs
            .iter()
            .map(|p| p.is_some_and(|p| !talking.contains(&p)))
            .collect()
    }
}

/// A call named like a request to a model: a sending sink's name, or one that says
/// chat, completion, generation, inference or prompt, but not a conversion or a
/// builder (`to_openai_request`, `build_request`): a unit test that awaits one checks
/// the request's shape (round 222: codrik's).
fn requests(name: &str) -> bool {
    let builds = [
        "to_", "into_", "build_", "make_", "as_", "from_", "parse_", "new_",
    ]
    .iter()
    .any(|p| name.starts_with(p));
    !builds
        && (sends(name)
            || ["chat", "complet", "generat", "infer", "prompt", "request"]
                .iter()
                .any(|w| name.contains(w)))
}
