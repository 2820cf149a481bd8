//! The workspace index: every file's facts by name, and each package's dependencies, so a
//! path can be told to be an LLM crate's (`swiftide::chat_completion::ChatMessage`) or the
//! workspace's own (`crate::ui::ChatMessage`).

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::asked::{Asked, ByName, Kind, NameSet};
use super::facts::{Callee, FileFacts};
use super::sinks::{lib_name, Table};
use super::SourceFile;
use promptopt_core::{Role, Scope};

/// A package: its name and the libraries it can name.
#[derive(Debug, Default)]
pub struct Pkg {
    pub name: Option<String>,
    /// Library name as written in code (`rig`, `openai` for a rename) -> package name.
    pub deps: HashMap<String, String>,
    /// Families (indices into the table) the package depends on or is.
    pub families: HashSet<usize>,
    /// The package is itself part of a family (rig-core's own sources).
    pub own_family: Option<usize>,
    /// No `Cargo.toml` was read: dependencies come from the crates the code names.
    pub no_manifest: bool,
    /// It depends on an LLM crate under a library name of its own (`ai = { package =
    /// "rig-core" }`): only the parsed paths of a file say it names that crate.
    pub renames_llm: bool,
    /// The workspace packages it reaches through its dependencies (`mofa-sdk`
    /// re-exports `mofa-foundation`): their functions are its to call.
    pub reaches: HashSet<String>,
    /// The package has a library target (its public types are used by other crates).
    pub lib: bool,
    /// Its library's name as code writes it (`[lib] name`, else the package's name with
    /// `-` as `_`).
    pub lib_name: Option<String>,
    /// The package has a binary target (`src/main.rs`, `[[bin]]`): with a library
    /// no other workspace package uses, the library serves its binaries.
    pub bin: bool,
    /// Another workspace package depends on it; one with a binary target does,
    /// directly or through other workspace packages.
    pub used: bool,
    pub used_by_bin: bool,
    /// A workspace package it depends on (directly or not) talks to an LLM: its
    /// tool schemas and request bodies are handed to that package to send.
    pub reaches_llm: bool,
    /// Its shipped code builds a chat request body (a `json!` of that shape or a
    /// serialized chat request type) or names a provider's API host: with only an HTTP
    /// client among its dependencies, it talks to a model (see [`own_http_senders`]).
    pub builds_requests: bool,
    /// Its manifest parsed and has a `[package]`: its targets are known (the
    /// conventional ones and [`Pkg::target_paths`]).
    pub targets_known: bool,
    /// It can be published (`description` and `license` or `license-file` set, as
    /// crates.io requires; `publish` not false): code outside the workspace may call
    /// its public functions.
    pub published: bool,
    /// Its library is built as a loadable artifact of its own (`crate-type` holds
    /// `cdylib`, `staticlib` or `dylib`: a wasm module, a plugin, a C library): its
    /// exported functions run without a Rust dependent.
    pub artifact: bool,
    /// `src/main.rs` is no binary's root: Cargo infers it unless `autobins = false` or
    /// a `[[bin]]` of the package's name is given another path (round 210:
    /// genrate_ppt's `path = "main.rs"` left an older `src/` tree unbuilt).
    pub main_replaced: bool,
    /// Target roots its manifest names (`[lib] path`, `[[bin]] path`, `build`, ...).
    pub target_paths: Vec<PathBuf>,
    /// Its library's root file (`[lib] path`, else `src/lib.rs`), when it has one.
    pub lib_root: Option<PathBuf>,
    /// The root files of its `[[bin]]`, `[[example]]`, `[[test]]` and `[[bench]]`
    /// targets given by path: each is a program of its own (see `programs.rs`).
    pub program_paths: Vec<PathBuf>,
}

/// A package that depends on no crate of the table but names an LLM provider's API
/// host in shipped code and declares a serialized chat request type (`model` beside
/// `messages`) posts through an HTTP layer of its own (a client over a TLS socket, an
/// async runtime's): it sends raw JSON, as one with reqwest does. Also notes each
/// package's [`Pkg::builds_requests`].
pub fn own_http_senders(
    pkgs: &mut HashMap<PathBuf, Pkg>,
    files: &[SourceFile],
    facts: &[FileFacts],
    table: &Table,
) {
    let Some(http) = table
        .families
        .iter()
        .position(|f| f.id == super::flow::HTTP_JSON)
    else {
        return;
    };
    let mut hosts: HashSet<&Path> = HashSet::new();
    let mut bodies: HashSet<&Path> = HashSet::new();
    let mut json_bodies: HashSet<&Path> = HashSet::new();
    for (file, f) in files.iter().zip(facts) {
        if file.scope == Scope::Test {
            continue;
        }
        let root = file.package_root.as_path();
        if !f.body_types.is_empty() {
            bodies.insert(root);
        }
        if f.json.iter().any(|j| j.in_request) {
            json_bodies.insert(root);
        }
        if f.vals
            .iter()
            .any(|v| super::flow::names_provider_host(&v.value))
        {
            hosts.insert(root);
        }
    }
    for (root, p) in pkgs.iter_mut() {
        let root = root.as_path();
        p.builds_requests =
            hosts.contains(root) || bodies.contains(root) || json_bodies.contains(root);
        if p.families.is_empty() && hosts.contains(root) && bodies.contains(root) {
            p.families.insert(http);
        }
    }
}

/// Fills each package's [`Pkg::reaches`]: the workspace packages among its direct and
/// transitive dependencies.
pub fn close_deps(pkgs: &mut HashMap<PathBuf, Pkg>) {
    let direct: HashMap<String, Vec<String>> = pkgs
        .values()
        .filter_map(|p| Some((p.name.clone()?, p.deps.values().cloned().collect())))
        .collect();
    let llm: HashSet<String> = pkgs
        .values()
        .filter(|p| !p.families.is_empty())
        .filter_map(|p| p.name.clone())
        .collect();
    // Package name -> whether a user of it has a binary target.
    let mut users: HashMap<String, bool> = HashMap::new();
    for p in pkgs.values() {
        for d in p.deps.values() {
            *users.entry(d.clone()).or_default() |= p.bin;
        }
    }
    for p in pkgs.values_mut() {
        let used = p.name.as_ref().and_then(|n| users.get(n));
        p.used = used.is_some();
        p.used_by_bin = used.is_some_and(|&b| b);
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo: Vec<String> = p.deps.values().cloned().collect();
        while let Some(n) = todo.pop() {
            if let Some(next) = direct.get(&n) {
                if seen.insert(n.clone()) {
                    todo.extend(next.iter().cloned());
                }
            }
        }
        p.reaches_llm = seen.iter().any(|n| llm.contains(n));
        p.reaches = seen;
    }
    // Built into a binary through another library too (round 214: aurora-term's
    // `aurora-ai`, used by `aurora-commands`, used by the Tauri app).
    let in_bins: HashSet<String> = pkgs
        .values()
        .filter(|p| p.bin)
        .flat_map(|p| p.reaches.iter().cloned())
        .collect();
    for p in pkgs.values_mut() {
        p.used_by_bin |= p.name.as_ref().is_some_and(|n| in_bins.contains(n));
    }
}

impl Pkg {
    /// It talks to an LLM itself or through a workspace package it depends on.
    pub fn talks_to_llm(&self) -> bool {
        !self.families.is_empty() || self.reaches_llm
    }

    /// Its library's public items are an API code outside the workspace may call: it can
    /// be published or serves no binary, and is no application's own library nor one
    /// only a host loads.
    pub fn public_api(&self) -> bool {
        self.lib
            && !self.app_only()
            && (self.published || !self.serves_binaries() && !self.host_loaded())
    }

    /// A library built as an artifact ([`Pkg::artifact`]) that cannot be published and
    /// that no workspace package depends on: a host (a wasm runtime, a Cloudflare
    /// Worker, Python) calls only its exports, which are marked by attributes
    /// (`#[event(fetch)]`, `#[wasm_bindgen]`, `#[no_mangle]`), not its other public
    /// functions (round 234: Celebrum-Ai's unconstructed AI services, 6 rows).
    pub fn host_loaded(&self) -> bool {
        self.artifact && !self.published && !self.used && self.name.is_some()
    }

    /// An application's library: it has binaries and no other workspace package uses
    /// it, so what its binaries do not call is not called.
    pub fn app_only(&self) -> bool {
        self.bin && self.name.is_some() && !self.used
    }

    /// A library there for the workspace's binaries: [`Pkg::app_only`], or a workspace
    /// package with a binary target depends on it.
    pub fn serves_binaries(&self) -> bool {
        self.name.is_some() && (self.app_only() || self.used_by_bin)
    }
}

impl Pkg {
    /// Without a manifest (a lone file), the crates its code names stand for its
    /// dependencies.
    pub fn add_named(&mut self, mentions: &foldhash::HashSet<String>, table: &Table) {
        for lib in mentions {
            if let Some(f) = table.family_of_lib(lib) {
                let package = f.crates.first().cloned().unwrap_or_default();
                if let Some(i) = table.families.iter().position(|x| x.id == f.id) {
                    self.families.insert(i);
                }
                self.deps.entry(lib.clone()).or_insert(package);
            }
        }
    }
}

/// Cargo builds each `src/bin/*.rs` and each `src/bin/*/main.rs` as a binary of its
/// own, with no `[[bin]]` table.
fn has_auto_bins(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let path = e.path();
            path.extension().is_some_and(|x| x == "rs") && path.is_file()
                || path.join("main.rs").is_file()
        })
    })
}

/// A dependency of manifest `doc` (of the package at `root`) that names no version,
/// only a path or a git repository (`core = { path = "../core" }`, or `core = {
/// workspace = true }` where the workspace's entry is such): Cargo will not publish the
/// package (round 230: sovereign-sdlc's `query` crate, whose public functions only its
/// workspace's binaries could call). Dev-dependencies do not count.
fn unversioned_dep(root: &Path, doc: &toml::Table) -> bool {
    let mut tables: Vec<&toml::Table> = ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|k| doc.get(*k).and_then(|t| t.as_table()))
        .collect();
    let targets = doc.get("target").and_then(|t| t.as_table());
    for t in targets.into_iter().flat_map(|t| t.values()) {
        tables.extend(
            ["dependencies", "build-dependencies"]
                .iter()
                .filter_map(|k| t.get(*k).and_then(|t| t.as_table())),
        );
    }
    let unversioned = |v: &toml::Value| {
        v.as_table().is_some_and(|t| {
            (t.contains_key("path") || t.contains_key("git")) && !t.contains_key("version")
        })
    };
    let inherited = std::cell::OnceCell::new();
    tables.iter().flat_map(|t| t.iter()).any(|(name, v)| {
        if v.get("workspace").and_then(|w| w.as_bool()) == Some(true) {
            let ws: &Option<toml::Table> = inherited.get_or_init(|| workspace_deps(root));
            ws.as_ref()
                .and_then(|ws| ws.get(name))
                .is_some_and(unversioned)
        } else {
            unversioned(v)
        }
    })
}

/// The `[workspace.dependencies]` of the nearest manifest at or above `root` that
/// declares a `[workspace]`.
fn workspace_deps(root: &Path) -> Option<toml::Table> {
    root.ancestors().take(8).find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let doc: toml::Table = toml::from_str(&text).ok()?;
        let ws = doc.get("workspace")?.as_table()?;
        Some(
            ws.get("dependencies")
                .and_then(|d| d.as_table())
                .cloned()
                .unwrap_or_default(),
        )
    })
}

/// Reads the dependency names of a package from its `Cargo.toml`.
pub fn read_pkg(root: &Path, name: Option<&str>, table: &Table) -> Pkg {
    let mut pkg = Pkg {
        name: name.map(str::to_string),
        ..Pkg::default()
    };
    let text = match std::fs::read_to_string(root.join("Cargo.toml")) {
        Ok(t) => t,
        Err(_) => {
            pkg.no_manifest = true;
            String::new()
        }
    };
    let parsed: Option<toml::Table> = toml::from_str(&text).ok();
    // A manifest that does not parse (a duplicate key) says no dependencies: the crates
    // the code names stand for them, as with no manifest.
    pkg.no_manifest |= parsed.is_none();
    pkg.targets_known = parsed.as_ref().is_some_and(|d| d.contains_key("package"));
    let doc: toml::Table = parsed.unwrap_or_default();
    let autobins = doc
        .get("package")
        .and_then(|p| p.get("autobins"))
        .and_then(|a| a.as_bool())
        != Some(false);
    let package = doc.get("package");
    let unpublished = package
        .and_then(|p| p.get("publish"))
        .is_some_and(|p| p.as_bool() == Some(false) || p.as_array().is_some_and(|a| a.is_empty()));
    // crates.io takes a package only with a description and a license, and Cargo
    // publishes one only if each of its dependencies has a version to take from the
    // registry.
    pkg.published = !unpublished
        && package.is_some_and(|p| {
            p.get("description").is_some()
                && (p.get("license").is_some() || p.get("license-file").is_some())
        })
        && !unversioned_dep(root, &doc);
    let path_of = |t: &toml::Value| t.get("path").and_then(|p| p.as_str()).map(|p| root.join(p));
    let own_name = doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    // The `[[bin]]` of the package's name, with its path if given: one with no path
    // is `src/main.rs`, even with `autobins = false`.
    let own_bin = doc
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
        .find(|b| own_name.is_some() && b.get("name").and_then(|n| n.as_str()) == own_name)
        .map(path_of);
    pkg.main_replaced = match own_bin {
        Some(Some(path)) => path != root.join("src/main.rs"),
        Some(None) => false,
        None => !autobins,
    };
    // As Cargo infers targets: `src/main.rs` is a binary unless replaced.
    pkg.bin = doc.contains_key("bin")
        || !pkg.main_replaced && root.join("src/main.rs").is_file()
        || autobins && has_auto_bins(&root.join("src/bin"));
    pkg.target_paths.extend(doc.get("lib").and_then(path_of));
    pkg.artifact = doc
        .get("lib")
        .and_then(|l| l.get("crate-type"))
        .and_then(|t| t.as_array())
        .is_some_and(|ts| {
            ts.iter()
                .any(|t| matches!(t.as_str(), Some("cdylib" | "staticlib" | "dylib")))
        });
    pkg.lib_root = doc
        .get("lib")
        .and_then(path_of)
        .or_else(|| Some(root.join("src/lib.rs")).filter(|p| p.is_file()));
    pkg.lib = pkg.no_manifest || doc.contains_key("lib") || pkg.lib_root.is_some();
    for kind in ["bin", "example", "test", "bench"] {
        let targets = doc.get(kind).and_then(|t| t.as_array());
        let paths: Vec<PathBuf> = targets.into_iter().flatten().filter_map(path_of).collect();
        pkg.program_paths.extend(paths.iter().cloned());
        pkg.target_paths.extend(paths);
    }
    let build = doc.get("package").and_then(|p| p.get("build"));
    pkg.target_paths
        .extend(build.and_then(|b| b.as_str()).map(|b| root.join(b)));
    if pkg.name.is_none() {
        pkg.name = own_name.map(str::to_string);
    }
    pkg.lib_name = doc
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .or_else(|| pkg.name.as_deref().map(lib_name));
    let mut tables: Vec<&toml::Table> = Vec::new();
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(t) = doc.get(key).and_then(|t| t.as_table()) {
            tables.push(t);
        }
    }
    if let Some(targets) = doc.get("target").and_then(|t| t.as_table()) {
        for t in targets.values() {
            for key in ["dependencies", "dev-dependencies"] {
                if let Some(t) = t.get(key).and_then(|t| t.as_table()) {
                    tables.push(t);
                }
            }
        }
    }
    for t in tables {
        for (key, v) in t {
            let package = v
                .get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(key)
                .to_string();
            pkg.deps.insert(lib_name(key), package);
        }
    }
    pkg.renames_llm = pkg.deps.iter().any(|(lib, package)| {
        table.family_of_lib(lib).is_none()
            && table.families.iter().any(|f| f.crates.contains(package))
    });
    for package in pkg.deps.values() {
        if let Some(i) = table
            .families
            .iter()
            .position(|f| f.crates.contains(package))
        {
            pkg.families.insert(i);
        }
    }
    if let Some(n) = &pkg.name {
        pkg.own_family = table.families.iter().position(|f| f.crates.contains(n));
        if let Some(i) = pkg.own_family {
            pkg.families.insert(i);
        }
    }
    pkg
}

/// A fact located in the workspace: (file index, item index).
pub type At = (usize, usize);

/// Facts of all files, by name. Lookups are noted in `asked` (see `asked.rs`).
#[derive(Debug)]
pub struct Index {
    pub consts: ByName<Vec<At>>,
    pub fns: ByName<Vec<At>>,
    /// Calls by callee name (last segment, `!` kept for macros).
    pub calls: ByName<Vec<At>>,
    /// Struct literal fields by field name.
    pub fields: ByName<Vec<At>>,
    /// `self.x = ..` assignments by field name: (file, index into field_sets).
    pub field_sets: ByName<Vec<At>>,
    /// Declared struct fields of the workspace's own item types by field name: (file,
    /// index into `FileFacts::field_items`).
    pub field_items: ByName<Vec<At>>,
    pub templates: ByName<Vec<At>>,
    /// Names a package defines (types, traits, fns): package root -> names.
    pub defines: foldhash::HashMap<PathBuf, NameSet>,
    /// The workspace's type aliases: alias -> the paths of the types it names.
    pub aliases: ByName<Vec<String>>,
    /// Aliases that name no one type (`type ModelHandle = Arc<dyn ModelClient>;`): a
    /// value of one may be of any type that implements the trait.
    pub open_aliases: foldhash::HashSet<String>,
    /// Types of the workspace that derive or implement `Serialize`.
    pub serialized: NameSet,
    /// Structs of the workspace that derive `Deserialize`.
    pub deserialized: NameSet,
    /// (struct, field) of the type-erased stores (see `FileFacts::erased_fields`).
    pub erased_fields: foldhash::HashSet<(String, String)>,
    /// (struct, field) -> (file, type path) of the fields declared with another
    /// crate's type (see `FileFacts::foreign_fields`).
    pub foreign_fields: foldhash::HashMap<(String, String), Vec<(usize, String)>>,
    /// Serialized chat request types and their messages' item types (see
    /// `FileFacts::body_types`).
    pub body_types: foldhash::HashSet<String>,
    /// Struct names every declaration of which is a stored record (see
    /// `FileFacts::records`).
    pub records: foldhash::HashSet<String>,
    /// See [`FileFacts::stamped`].
    pub stamped: foldhash::HashSet<String>,
    /// The role each value of a message's field is sent as (see
    /// [`FileFacts::role_maps`]); `None` where two `match`es disagree.
    pub role_maps: foldhash::HashMap<String, Option<Role>>,
    /// See [`FileFacts::image_requests`].
    pub image_requests: foldhash::HashSet<String>,
    /// See [`FileFacts::tool_records`].
    pub tool_records: foldhash::HashSet<String>,
    /// Some file writes a key under which a request carries tools or an answer's
    /// schema (see `FileFacts::sends_schemas`).
    pub sends_schemas: bool,
    /// Every name looked up in the maps above.
    pub asked: Arc<Asked>,
}

impl Index {
    /// The path of the one type that the aliases named `ty` name, if any.
    pub fn alias(&self, ty: &str) -> Option<&str> {
        match self.aliases.get(ty)?.as_slice() {
            [first, rest @ ..] if rest.iter().all(|t| t == first) => Some(first),
            _ => None,
        }
    }

    pub fn build(files: &[SourceFile], facts: &[FileFacts]) -> Index {
        let asked = Arc::new(Asked::default());
        let mut ix = Index {
            consts: ByName::new(asked.clone(), Kind::Const),
            fns: ByName::new(asked.clone(), Kind::Fn),
            calls: ByName::new(asked.clone(), Kind::Call),
            fields: ByName::new(asked.clone(), Kind::Field),
            field_sets: ByName::new(asked.clone(), Kind::Field),
            field_items: ByName::new(asked.clone(), Kind::Field),
            templates: ByName::new(asked.clone(), Kind::Template),
            defines: foldhash::HashMap::default(),
            aliases: ByName::new(asked.clone(), Kind::Defines),
            open_aliases: foldhash::HashSet::default(),
            serialized: NameSet::new(asked.clone()),
            deserialized: NameSet::new(asked.clone()),
            erased_fields: foldhash::HashSet::default(),
            foreign_fields: foldhash::HashMap::default(),
            body_types: foldhash::HashSet::default(),
            records: foldhash::HashSet::default(),
            stamped: foldhash::HashSet::default(),
            role_maps: foldhash::HashMap::default(),
            image_requests: foldhash::HashSet::default(),
            tool_records: foldhash::HashSet::default(),
            sends_schemas: false,
            asked,
        };
        for (fi, f) in facts.iter().enumerate() {
            for (i, c) in f.consts.iter().enumerate() {
                ix.consts.entry(c.name.clone()).or_default().push((fi, i));
            }
            for (i, x) in f.fns.iter().enumerate() {
                ix.fns.entry(x.name.clone()).or_default().push((fi, i));
            }
            for (i, c) in f.calls.iter().enumerate() {
                let name = match &c.callee {
                    Callee::Path(p) => p.last().cloned().unwrap_or_default(),
                    Callee::Method(m) => m.clone(),
                };
                ix.calls.entry(name).or_default().push((fi, i));
            }
            for (i, x) in f.fields.iter().enumerate() {
                ix.fields.entry(x.field.clone()).or_default().push((fi, i));
            }
            for (i, (name, _, _)) in f.field_sets.iter().enumerate() {
                ix.field_sets.entry(name.clone()).or_default().push((fi, i));
            }
            for (i, (field, _, _)) in f.field_items.iter().enumerate() {
                ix.field_items
                    .entry(field.clone())
                    .or_default()
                    .push((fi, i));
            }
            for (i, t) in f.templates.iter().enumerate() {
                ix.templates
                    .entry(t.name.clone())
                    .or_default()
                    .push((fi, i));
            }
            ix.defines
                .entry(files[fi].package_root.clone())
                .or_insert_with(|| NameSet::new(ix.asked.clone()))
                .extend(f.defines.iter().cloned());
            for (alias, target) in &f.aliases {
                if target.is_empty() {
                    ix.open_aliases.insert(alias.clone());
                    continue;
                }
                ix.aliases
                    .entry(alias.clone())
                    .or_default()
                    .push(target.clone());
            }
            ix.serialized.extend(f.serialized.iter().cloned());
            ix.deserialized.extend(f.deserialized.iter().cloned());
            ix.erased_fields.extend(f.erased_fields.iter().cloned());
            for (owner, field, ty) in &f.foreign_fields {
                ix.foreign_fields
                    .entry((owner.clone(), field.clone()))
                    .or_default()
                    .push((fi, ty.clone()));
            }
            ix.body_types.extend(f.body_types.iter().cloned());
            ix.records.extend(f.records.iter().cloned());
            ix.stamped.extend(f.stamped.iter().cloned());
            for (value, role) in &f.role_maps {
                let r = ix.role_maps.entry(value.clone()).or_insert(Some(*role));
                if *r != Some(*role) {
                    *r = None;
                }
            }
            ix.image_requests.extend(f.image_requests.iter().cloned());
            ix.tool_records.extend(f.tool_records.iter().cloned());
            ix.sends_schemas |= f.sends_schemas;
        }
        // A name some file declares without a time stamp is not only a record.
        let unstamped: Vec<String> = ix
            .records
            .iter()
            .filter(|r| {
                facts
                    .iter()
                    .any(|f| f.defines.contains(r.as_str()) && !f.records.contains(*r))
            })
            .cloned()
            .collect();
        for r in unstamped {
            ix.records.remove(&r);
        }
        // A literal of a serialized type, or of one the workspace does not define (an
        // LLM crate's request), with a `tools` (or `response_format`..) field.
        ix.sends_schemas |= facts
            .iter()
            .flat_map(|f| &f.schema_key_builds)
            .any(|t| ix.serialized.contains(t) || !ix.defines.values().any(|d| d.contains(t)));
        ix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `src/main.rs` is a binary as Cargo infers it: not with `autobins = false` and no
    /// `[[bin]]` of the package's name, nor when that `[[bin]]` has another path; it is
    /// with that `[[bin]]` and no path.
    #[test]
    fn src_main_is_a_binary_as_cargo_infers_it() {
        let cases = [
            ("", false, true),
            ("autobins = false\n", true, false),
            ("autobins = false\n[[bin]]\nname = \"app\"\n", false, true),
            ("[[bin]]\nname = \"app\"\npath = \"main.rs\"\n", true, true),
        ];
        for (extra, replaced, bin) in cases {
            let dir = tempfile::tempdir().expect("tempdir");
            let (head, tail) = extra.split_at(extra.find("[[bin]]").unwrap_or(extra.len()));
            let manifest = format!(
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\n{head}\n{tail}\n[dependencies]\n"
            );
            std::fs::write(dir.path().join("Cargo.toml"), manifest).expect("write");
            std::fs::create_dir(dir.path().join("src")).expect("mkdir");
            std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").expect("write");
            let pkg = read_pkg(dir.path(), None, Table::bundled());
            assert_eq!((pkg.main_replaced, pkg.bin), (replaced, bin), "{extra}");
        }
    }
}
