//! The sink table: the APIs of LLM crates whose arguments are sent to a model, as
//! reviewed data (`data/sinks.toml`, in the manner of CodeQL's models-as-data), plus the
//! user's own sinks from config. The engine matches calls against it; it names no crate.

use foldhash::{HashMap, HashMapExt};
use std::sync::OnceLock;

use promptopt_core::config::SinkSpec;
use promptopt_core::Role;
use serde::Deserialize;

/// The bundled table.
const BUNDLED: &str = include_str!("../../data/sinks.toml");

/// The family of the user's own sinks (`[[sinks]]` in config).
pub const CONFIG: &str = "config";

/// The family of LLM command-line tools: programs on the `PATH`, brought by no crate.
pub const COMMANDS: &str = "cli";

/// The `key` of an `attr` sink for what the attributed function returns (a tool's
/// output, which goes back to the model).
pub const RETURNS: &str = "->";

/// A crate family: the crates that bring one API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: String,
    pub crates: Vec<String>,
    #[serde(default)]
    pub docs: Option<String>,
    /// An MCP server's API: its text reaches the model of whichever client connects, so
    /// a test of the server alone talks to no model.
    #[serde(default)]
    pub serves: bool,
}

/// How a sink is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `.name(args)`.
    Method,
    /// `Type::name(args)` or `path::name(args)`.
    Fn,
    /// `Type { name: value }`.
    Field,
    /// What `impl Trait for X { fn name() }` returns.
    TraitFn,
    /// `name!(args)`.
    Macro,
    /// `#[name(key = "..")]`.
    Attr,
    /// `json!({"name": value})` sent by an HTTP client.
    JsonKey,
    /// A child process of an LLM command-line tool: `Command::new("name")`, whose
    /// arguments and stdin the entry's flags sort into prompts and the rest (`cli.rs`).
    Command,
}

/// One API entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sink {
    pub family: String,
    pub kind: Kind,
    #[serde(rename = "type", default)]
    pub ty: String,
    pub name: String,
    #[serde(default)]
    pub arg: Option<usize>,
    pub role: String,
    #[serde(default)]
    pub generic: bool,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Methods only: the chain before must name one of these methods or types.
    #[serde(default)]
    pub after: Vec<String>,
    /// Only a call with this many arguments: a macro whose forms give one position
    /// different roles (`prompt!(text)` against `prompt!(system, user)`).
    #[serde(default)]
    pub arity: Option<usize>,
    /// Commands only: flags that take no value (`-p` of `claude`, `--json`).
    #[serde(default)]
    pub switches: Vec<String>,
    /// Commands only: flags whose value is a prompt of the entry's role (`-p` of
    /// `gemini`, `--message` of `aider`).
    #[serde(default)]
    pub prompt_flags: Vec<String>,
    /// Commands only: flags whose value is the system prompt (`--append-system-prompt`).
    #[serde(default)]
    pub system_flags: Vec<String>,
    /// Commands only: the subcommands that run a prompt (`exec` of `codex`); another
    /// subcommand (`codex app-server`, `ollama pull`) runs none.
    #[serde(default)]
    pub runs: Vec<String>,
    /// Commands only: the program without a subcommand takes a prompt (`claude "..."`,
    /// not `opencode DIR`).
    #[serde(default = "yes")]
    pub bare: bool,
    /// Commands only: words after the subcommand are prompts (not `aider`'s files).
    #[serde(default = "yes")]
    pub positional: bool,
    /// Commands only: positional words before the prompt (`ollama run MODEL PROMPT`).
    #[serde(default)]
    pub skip: usize,
}

fn yes() -> bool {
    true
}

/// The role a sink gives its argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleSpec {
    /// Always this role.
    Fixed(Role),
    /// The role argument `n` names.
    Arg(usize),
    /// The role the builder chain or struct names.
    Chain,
}

impl Sink {
    pub fn role_spec(&self) -> RoleSpec {
        if let Some(n) = self.role.strip_prefix("arg:") {
            return n
                .parse()
                .map_or(RoleSpec::Fixed(Role::Unknown), RoleSpec::Arg);
        }
        if self.role == "chain" {
            return RoleSpec::Chain;
        }
        RoleSpec::Fixed(Role::from_name(&self.role))
    }

    /// `rig AgentBuilder::preamble`.
    pub fn label(&self) -> String {
        let sep = match self.kind {
            Kind::Method | Kind::Fn | Kind::TraitFn => "::",
            Kind::Field => ".",
            _ => "",
        };
        match self.kind {
            Kind::Macro => format!("{} {}!", self.family, self.name),
            Kind::Attr if self.key.as_deref() == Some(RETURNS) => {
                format!("{} #[{}] fn returns", self.family, self.name)
            }
            Kind::Attr => format!(
                "{} #[{}({})]",
                self.family,
                self.name,
                self.key.as_deref().unwrap_or("")
            ),
            Kind::JsonKey => format!("{} json \"{}\"", self.family, self.name),
            Kind::Command => format!("{} {}", self.family, self.name),
            _ if self.ty.is_empty() => format!("{} {}", self.family, self.name),
            _ => format!("{} {}{sep}{}", self.family, self.ty, self.name),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    family: Vec<Family>,
    #[serde(default)]
    sink: Vec<Sink>,
}

/// The table, indexed by (kind, name).
#[derive(Debug, Default)]
pub struct Table {
    pub families: Vec<Family>,
    pub sinks: Vec<Sink>,
    by_name: HashMap<(Kind, String), Vec<usize>>,
    /// Library name (`rig`, `async_openai`) -> family index.
    by_lib: HashMap<String, usize>,
    /// The workspace's packages that have an LLM crate's name but cannot be published:
    /// its own clients, not those crates.
    pub namesakes: Vec<String>,
}

/// `rig-core` -> `rig_core`.
pub fn lib_name(package: &str) -> String {
    package.replace('-', "_")
}

impl Table {
    /// The bundled table (parsed once per process).
    pub fn bundled() -> &'static Table {
        static T: OnceLock<Table> = OnceLock::new();
        T.get_or_init(|| Table::parse(BUNDLED).unwrap_or_default())
    }

    /// Parses a table, checking that every sink names a known family.
    pub fn parse(text: &str) -> Result<Table, String> {
        let f: TableFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut t = Table {
            families: f.family,
            sinks: Vec::new(),
            by_name: HashMap::new(),
            by_lib: HashMap::new(),
            namesakes: Vec::new(),
        };
        for (i, fam) in t.families.iter().enumerate() {
            for c in &fam.crates {
                t.by_lib.insert(lib_name(c), i);
            }
        }
        for s in f.sink {
            if !t.families.iter().any(|f| f.id == s.family) {
                return Err(format!("sink {} names unknown family {}", s.name, s.family));
            }
            t.add(s);
        }
        Ok(t)
    }

    fn add(&mut self, s: Sink) {
        let i = self.sinks.len();
        self.by_name
            .entry((s.kind, s.name.clone()))
            .or_default()
            .push(i);
        self.sinks.push(s);
    }

    /// The bundled table plus the user's sinks (`[[sinks]]` in config): a path
    /// `my_crate::llm::ask` or `ask` is a function, `.ask` a method.
    pub fn with_user(sinks: &[SinkSpec]) -> Table {
        let base = Table::bundled();
        let mut t = Table {
            families: base.families.clone(),
            sinks: Vec::new(),
            by_name: HashMap::new(),
            by_lib: base.by_lib.clone(),
            namesakes: Vec::new(),
        };
        for s in &base.sinks {
            t.add(s.clone());
        }
        if !sinks.is_empty() {
            t.families.push(Family {
                id: CONFIG.into(),
                crates: Vec::new(),
                docs: None,
                serves: false,
            });
        }
        for s in sinks {
            let (kind, path) = match s.path.strip_prefix('.') {
                Some(m) => (Kind::Method, m),
                None => (Kind::Fn, s.path.as_str()),
            };
            let mut segs: Vec<&str> = path.split("::").filter(|x| !x.is_empty()).collect();
            let name = segs.pop().unwrap_or_default().to_string();
            let ty = segs.last().map(|x| x.to_string()).unwrap_or_default();
            t.add(Sink {
                family: CONFIG.into(),
                kind,
                ty: if kind == Kind::Fn { ty } else { String::new() },
                name,
                arg: Some(s.arg),
                role: s.role.clone().unwrap_or_else(|| "unknown".into()),
                generic: false,
                key: None,
                note: Some(format!("[[sinks]] path = \"{}\"", s.path)),
                after: Vec::new(),
                arity: None,
                switches: Vec::new(),
                prompt_flags: Vec::new(),
                system_flags: Vec::new(),
                runs: Vec::new(),
                bare: true,
                positional: true,
                skip: 0,
            });
        }
        t
    }

    /// The index of the user's family, when the config declares sinks.
    pub fn config_family(&self) -> Option<usize> {
        self.families.iter().position(|f| f.id == CONFIG)
    }

    /// Entries of a kind with a name.
    pub fn get(&self, kind: Kind, name: &str) -> impl Iterator<Item = &Sink> {
        self.by_name
            .get(&(kind, name.to_string()))
            .into_iter()
            .flatten()
            .map(|&i| &self.sinks[i])
    }

    /// The family a library name (first path segment) belongs to.
    pub fn family_of_lib(&self, lib: &str) -> Option<&Family> {
        self.by_lib.get(lib).map(|&i| &self.families[i])
    }

    /// The family of the LLM client crate that library name `lib` is, unless a package
    /// of the workspace has its name (see [`Table::namesakes`]).
    pub fn client_of_lib(&self, lib: &str) -> Option<&Family> {
        let namesake = self.namesakes.iter().any(|p| lib_name(p) == lib);
        self.family_of_lib(lib).filter(|_| !namesake)
    }

    /// `true` for names that exist as any kind (used by the prefilter).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sinks.iter().map(|s| s.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_parses_and_is_consistent() {
        let t = Table::parse(BUNDLED).expect("data/sinks.toml parses");
        assert!(t.families.len() >= 10, "{} families", t.families.len());
        for s in &t.sinks {
            match s.kind {
                Kind::Method | Kind::Fn | Kind::Macro => {
                    assert!(s.arg.is_some(), "{} needs arg", s.label())
                }
                Kind::Field | Kind::TraitFn => {
                    assert!(!s.ty.is_empty(), "{} needs type", s.label())
                }
                Kind::Attr => assert!(s.key.is_some(), "{} needs key", s.label()),
                Kind::JsonKey => {}
                Kind::Command => assert!(
                    s.family == COMMANDS && s.role == "user",
                    "{} is a command of family {COMMANDS} with role user",
                    s.label()
                ),
            }
            let role = s.role.as_str();
            assert!(
                role == "chain"
                    || role.starts_with("arg:")
                    || matches!(
                        role,
                        "system" | "user" | "assistant" | "tool" | "document" | "unknown"
                    ),
                "{}: role {role}",
                s.label()
            );
        }
        let mut seen = std::collections::HashSet::new();
        for s in &t.sinks {
            assert!(
                seen.insert((
                    s.family.clone(),
                    s.kind,
                    s.ty.clone(),
                    s.name.clone(),
                    s.arg,
                    s.arity,
                    s.key.clone()
                )),
                "duplicate {}",
                s.label()
            );
        }
    }

    #[test]
    fn user_sinks_join_the_table() {
        let t = Table::with_user(&[SinkSpec {
            path: "my_crate::llm::ask_llm".into(),
            arg: 1,
            role: Some("user".into()),
        }]);
        let s = t.get(Kind::Fn, "ask_llm").next().expect("user sink");
        assert_eq!(s.ty, "llm");
        assert_eq!(s.arg, Some(1));
        assert_eq!(s.role_spec(), RoleSpec::Fixed(Role::User));
    }
}
