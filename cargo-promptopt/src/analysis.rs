//! The prompts of a run with their token counts: what `report`, `check`, `fix` and the
//! build-script API all start from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use promptopt_core::{count_for_models, Model, TokenCount};
use rayon::prelude::*;

use crate::config_files::LoadedConfig;
use crate::extract::{self, ExtractOptions, Extraction, SourceFile};
use crate::prompt::Prompt;

/// Everything known about the prompts of a run.
#[derive(Debug)]
pub struct Analysis {
    /// Paths are shown relative to this directory.
    pub root: PathBuf,
    /// Configuration in force.
    pub config: LoadedConfig,
    /// Models reported on, in the order asked for.
    pub models: Vec<Model>,
    /// What extraction found.
    pub extraction: Extraction,
    /// Token counts of each prompt's static text, per model (same order as `models`).
    pub counts: Vec<Vec<TokenCount>>,
    /// Rust files examined.
    pub files_scanned: usize,
    /// Non-fatal problems of discovery.
    pub warnings: Vec<String>,
    /// Prompts by (file, line) of a site or of a sink step of their evidence: what a call
    /// site's parts are looked up in (built once; a workspace has thousands of each).
    sink_lines: HashMap<(PathBuf, usize), Vec<usize>>,
}

impl Analysis {
    /// Extracts the prompts of `files` and counts them for `models`.
    pub fn from_files(
        root: PathBuf,
        config: LoadedConfig,
        models: Vec<Model>,
        files: &[SourceFile],
        warnings: Vec<String>,
    ) -> Analysis {
        let opts = ExtractOptions {
            sinks: config.config.sinks.clone(),
            prompt_file_globs: config.config.prompt_files.clone(),
        };
        let mut extraction = extract::extract(files, &opts);
        if let Some(scopes) = config.config.scope_filter() {
            extraction.prompts.retain(|p| scopes.contains(&p.scope));
            extraction.model_refs.retain(|r| scopes.contains(&r.scope));
            extraction.calls.retain(|c| scopes.contains(&c.scope));
            extraction.embeds.retain(|c| scopes.contains(&c.scope));
        }
        let mut clock = std::time::Instant::now();
        let model_refs: Vec<&Model> = models.iter().collect();
        let counts = extraction
            .prompts
            .par_iter()
            .map(|p| count_for_models(&model_refs, &p.text.static_text()))
            .collect();
        crate::stats::phase("token counts", &mut clock);
        let mut sink_lines: HashMap<(PathBuf, usize), Vec<usize>> = HashMap::new();
        for (i, p) in extraction.prompts.iter().enumerate() {
            let sites = p.sites.iter().map(|s| (&s.file, s.line));
            let sinks = p
                .evidence
                .iter()
                .filter(|e| e.what.starts_with("sink "))
                .map(|e| (&e.file, e.line));
            for (file, line) in sites.chain(sinks) {
                let v = sink_lines.entry((file.clone(), line)).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        Analysis {
            root,
            config,
            models,
            counts,
            files_scanned: files.len(),
            warnings,
            extraction,
            sink_lines,
        }
    }

    /// `path` relative to the root, with `/` separators.
    pub fn rel(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.to_string_lossy().replace('\\', "/")
    }

    /// Input cost in USD of one call carrying prompt `i`, per model.
    pub fn cost_usd(&self, i: usize) -> Vec<f64> {
        self.counts[i]
            .iter()
            .zip(&self.models)
            .map(|(c, m)| round_usd(c.tokens as f64 * m.input_per_mtok / 1_000_000.0))
            .collect()
    }

    /// The prompts that flow into call site `c` (indices into the prompts): those with a
    /// site, or a sink step in their evidence (a prompt file's const put into a `json!`
    /// body), on one of its parts' lines.
    pub fn call_prompts(&self, c: &extract::calls::CallSite) -> Vec<usize> {
        let mut out: Vec<usize> = c
            .parts
            .iter()
            .filter_map(|&line| self.sink_lines.get(&(c.file.clone(), line)))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The call sites as the call-site rules see them: the calls, then the embedding
    /// requests ([`Analysis::call_site`] maps an index back).
    pub fn call_refs(&self) -> Vec<promptopt_core::CallRef> {
        self.extraction
            .calls
            .iter()
            .map(|c| c.to_ref(self.call_prompts(c)))
            .chain(self.extraction.embeds.iter().map(|c| c.to_ref(Vec::new())))
            .collect()
    }

    /// Call site `i` of [`Analysis::call_refs`].
    pub fn call_site(&self, i: usize) -> Option<&extract::calls::CallSite> {
        let n = self.extraction.calls.len();
        if i < n {
            self.extraction.calls.get(i)
        } else {
            self.extraction.embeds.get(i - n)
        }
    }

    /// The prompts, with their index.
    pub fn prompts(&self) -> impl Iterator<Item = (usize, &Prompt)> {
        self.extraction.prompts.iter().enumerate()
    }
}

/// Rounds away binary noise (`0.017499999999999998` -> `0.0175`) for stable output.
pub fn round_usd(usd: f64) -> f64 {
    (usd * 1e12).round() / 1e12
}
