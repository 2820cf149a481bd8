//! Child processes of LLM command-line tools (`claude -p`, `codex exec`): the program,
//! its arguments in the order the code adds them, and what it writes to the child's
//! stdin. Which of them are prompts is the sink table's to say (`cli.rs`): the facts keep
//! the words and values as written.
//!
//! A command is read where it is built: a chain from `Command::new("claude")`, or a
//! local bound to one (`let mut cmd = Command::new("claude"); cmd.arg(p);`), whose later
//! `arg`/`args` calls in the same function add to it in source order. `.args(&argv)`
//! reads a local vector written out in the function (`vec![..]` and its `push`es); a
//! vector built elsewhere is an unknown stretch of arguments. A write to the child's
//! stdin (`child.stdin.take()?.write_all(p.as_bytes())`, `writeln!(stdin, ..)`) belongs to
//! the last command built in the function.

use super::*;

/// A command-line tool run as a child process (see the module doc).
#[derive(Debug, Clone)]
pub struct CommandFact {
    /// The program's file name (`claude` for `/usr/local/bin/claude.exe`).
    pub program: String,
    /// Its arguments and stdin writes in source order.
    pub args: Vec<Arg>,
    pub line: usize,
    pub in_fn: Option<u32>,
    pub scope: Scope,
}

/// An argument with its line.
pub type Arg = (CmdArg, usize);

/// One argument of a [`CommandFact`].
#[derive(Debug, Clone, PartialEq)]
pub enum CmdArg {
    /// A word written as a literal (`"-p"`, `"exec"`, `"Summarize this"`), or a formatted
    /// flag (`format!("--model={m}")`) as its format string; the value is kept for a
    /// word that is not a flag.
    Word(String, Option<V>),
    /// A value the code computes (`&prompt`).
    Value(Option<V>),
    /// Text written to the child's stdin.
    Stdin(Option<V>),
    /// Arguments the code does not write out here (`.args(&argv)` of a vector built
    /// elsewhere).
    Unknown,
}

/// The key of a command sink in [`FactCx::sink_methods`].
pub fn command_key(program: &str) -> String {
    format!("Command::new(\"{program}\")")
}

/// Methods that add to a command's arguments, and to a vector of them.
const ADDS: [&str; 2] = ["arg", "args"];
const PUSHES: [&str; 3] = ["push", "extend", "extend_from_slice"];

impl Builder<'_> {
    /// A method call at the top of a chain: when the chain builds a command of a known
    /// program (from `Command::new` or a local holding one), its arguments are recorded
    /// and `true` is returned (the calls inside it are part of the same command). A
    /// `push` onto a vector of arguments and a write to a child's stdin are recorded too.
    pub(super) fn command_call(&mut self, m: &syn::ExprMethodCall) -> bool {
        let name = m.method.to_string();
        if PUSHES.contains(&name.as_str()) {
            if let Some(v) = local_name(&m.receiver) {
                let key = (self.cur_fn, v);
                if self.arg_vecs.contains_key(&key) {
                    let mut added = Vec::new();
                    for a in &m.args {
                        self.cmd_args(a, name != "push", &mut added);
                    }
                    self.arg_vecs.entry(key).or_default().extend(added);
                }
            }
            return false;
        }
        if name == "write_all" && mentions_stdin(&m.receiver) {
            if let Some(a) = m.args.first() {
                let v = self.lower(a);
                self.stdin_write(v, line_of(m.method.span()));
            }
            return false;
        }
        let (adds, root) = chain_of(m);
        let Some(at) = self.command_at(root, line_of(m.method.span())) else {
            return false;
        };
        let mut args = Vec::new();
        for add in adds {
            let Some(a) = add.args.first() else { continue };
            self.cmd_args(a, add.method == "args", &mut args);
        }
        self.out.commands[at].args.extend(args);
        self.last_cmd.insert(self.cur_fn, at);
        true
    }

    /// `let cmd = Command::new("claude")..;` (the command is read, its local remembered:
    /// `true`) or `let argv = vec![..];` (a vector of arguments, remembered).
    pub(super) fn command_local(&mut self, name: String, init: &Expr) -> bool {
        let e = unwrapped(init);
        if let Expr::MethodCall(m) = e {
            if self.command_call(m) {
                if let Some(&at) = self.last_cmd.get(&self.cur_fn) {
                    self.cmd_locals.insert((self.cur_fn, name), at);
                }
                return true;
            }
        }
        if let Some(at) = self.command_at(e, line_of(e.span())) {
            self.last_cmd.insert(self.cur_fn, at);
            self.cmd_locals.insert((self.cur_fn, name), at);
            return true;
        }
        if let Some(items) = self.written_out(e) {
            let mut args = Vec::new();
            for a in items.iter() {
                self.cmd_args(a, false, &mut args);
            }
            self.arg_vecs.insert((self.cur_fn, name), args);
        }
        false
    }

    /// `writeln!(stdin, "{}", prompt)`.
    pub(super) fn command_macro(&mut self, mac: &syn::Macro) {
        let name = macro_name(mac);
        if !matches!(name.as_str(), "write" | "writeln") {
            return;
        }
        let to_stdin = self
            .macro_args(mac)
            .is_some_and(|a| a.first().is_some_and(mentions_stdin));
        if to_stdin {
            let v = self.mac_value(mac);
            self.stdin_write(v, line_of(super::super::span::mac(mac)));
        }
    }

    fn stdin_write(&mut self, v: Option<V>, line: usize) {
        if let Some(&at) = self.last_cmd.get(&self.cur_fn) {
            self.out.commands[at].args.push((CmdArg::Stdin(v), line));
        }
    }

    /// The command a chain's root builds: a new one for `Command::new("program")` of a
    /// known program, or the one a local holds.
    fn command_at(&mut self, root: &Expr, line: usize) -> Option<usize> {
        match root {
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let segs = &p.path.segments;
                let new = segs.len() >= 2
                    && segs.last().is_some_and(|s| s.ident == "new")
                    && segs
                        .iter()
                        .rev()
                        .nth(1)
                        .is_some_and(|s| s.ident == "Command");
                if !new {
                    return None;
                }
                let program = program_name(&expr_lit_str(c.args.first()?)?.value())?;
                if !self.cx.sink_methods.contains(&command_key(&program)) {
                    return None;
                }
                self.out.commands.push(CommandFact {
                    program,
                    args: Vec::new(),
                    line,
                    in_fn: self.cur_fn,
                    scope: self.scope(),
                });
                Some(self.out.commands.len() - 1)
            }
            _ => {
                let name = local_name(root)?;
                self.cmd_locals.get(&(self.cur_fn, name)).copied()
            }
        }
    }

    /// The items of a list written out: `[..]`, `vec![..]`, `&[..]`.
    fn written_out(&mut self, e: &Expr) -> Option<std::rc::Rc<[Expr]>> {
        match unref(e) {
            Expr::Array(a) => Some(a.elems.iter().cloned().collect()),
            Expr::Macro(m) if macro_name(&m.mac) == "vec" => self.macro_args(&m.mac),
            _ => None,
        }
    }

    /// The arguments `e` adds: one (`.arg(e)`, `push(e)`), or each item of a list
    /// (`.args([..])`, `.args(&argv)`).
    fn cmd_args(&mut self, e: &Expr, many: bool, out: &mut Vec<Arg>) {
        let line = line_of(e.span());
        if !many {
            let arg = match word(e) {
                Some(w) if w.starts_with('-') => CmdArg::Word(w, None),
                Some(w) => CmdArg::Word(w, self.lower(e)),
                None => CmdArg::Value(self.lower(e)),
            };
            out.push((arg, line));
            return;
        }
        let e = unref(e);
        if let Some(items) = self.written_out(e) {
            for a in items.iter() {
                self.cmd_args(a, false, out);
            }
            return;
        }
        let known = local_name(e).and_then(|n| self.arg_vecs.get(&(self.cur_fn, n)));
        match known {
            Some(args) => out.extend(args.iter().cloned()),
            None => out.push((CmdArg::Unknown, line)),
        }
    }
}

/// The `arg`/`args` calls of a method chain in the order they run, and the chain's root.
fn chain_of(m: &syn::ExprMethodCall) -> (Vec<&syn::ExprMethodCall>, &Expr) {
    let mut adds = Vec::new();
    let mut cur = m;
    loop {
        if ADDS.contains(&cur.method.to_string().as_str()) {
            adds.push(cur);
        }
        match unref(unwrapped(&cur.receiver)) {
            Expr::MethodCall(r) => cur = r,
            root => {
                adds.reverse();
                return (adds, root);
            }
        }
    }
}

/// `e` without a borrow (`&mut cmd`, `&args`).
fn unref(e: &Expr) -> &Expr {
    match e {
        Expr::Reference(r) => unref(&r.expr),
        Expr::Paren(p) => unref(&p.expr),
        e => e,
    }
}

/// A local's name (`cmd`).
fn local_name(e: &Expr) -> Option<String> {
    match unref(e) {
        Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

/// A word written out: a literal (through `.to_string()`, `.into()`, `String::from`,
/// `OsStr::new`), or a flag formatted with its value (`format!("--model={m}")`).
fn word(e: &Expr) -> Option<String> {
    let e = unref(e);
    if let Expr::Macro(m) = e {
        if macro_name(&m.mac) == "format" {
            let fmt = super::super::values::macro_args(&m.mac)?;
            let fmt = expr_lit_str(fmt.first()?)?.value();
            return fmt.starts_with('-').then_some(fmt);
        }
        return None;
    }
    lit_str_through_conversions(e).map(|l| l.value())
}

/// The program's file name, without a Windows extension: `claude` for
/// `/usr/local/bin/claude` or `claude.cmd`.
fn program_name(written: &str) -> Option<String> {
    let file = written.rsplit(['/', '\\']).next()?;
    let stem = [".exe", ".cmd", ".bat"]
        .iter()
        .find_map(|x| file.strip_suffix(x))
        .unwrap_or(file);
    (!stem.is_empty()).then(|| stem.to_string())
}

/// `e` names a child's stdin (`child.stdin.take()?`, a local `stdin`).
fn mentions_stdin(e: &Expr) -> bool {
    match e {
        Expr::Field(f) => {
            matches!(&f.member, syn::Member::Named(n) if n == "stdin") || mentions_stdin(&f.base)
        }
        Expr::Path(p) => p.path.get_ident().is_some_and(|i| i == "stdin"),
        Expr::MethodCall(m) => mentions_stdin(&m.receiver),
        Expr::Try(t) => mentions_stdin(&t.expr),
        Expr::Await(a) => mentions_stdin(&a.base),
        Expr::Paren(p) => mentions_stdin(&p.expr),
        Expr::Reference(r) => mentions_stdin(&r.expr),
        _ => false,
    }
}
