//! Writing a rewritten file safely: refuse a file that changed on disk since it was
//! read, verify a Rust file's rewritten literals before and after writing, write to a
//! temporary file beside the original and rename it over, keeping permissions.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::literal;

use super::apply::{CodeCheck, LiteralCheck};

/// A file to write.
#[derive(Debug, Clone)]
pub struct PlannedWrite {
    /// The file.
    pub path: PathBuf,
    /// Its bytes when it was read (the rewrite was planned from these).
    pub original: Vec<u8>,
    /// The new bytes.
    pub new: Vec<u8>,
    /// For a Rust file: the rewritten literals and their intended values.
    pub rust_checks: Option<Vec<LiteralCheck>>,
    /// For a Rust file: the rewritten spans of code (identifiers) and their text.
    pub code_checks: Vec<CodeCheck>,
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file on disk is not the text the rewrite was planned from.
    #[error("the file changed on disk since it was read; run again")]
    Changed,
    /// The file is read-only: its owner asked for it not to be changed.
    #[error("the file is read-only; left untouched")]
    ReadOnly,
    /// The new text does not hold the intended values.
    #[error("verification failed, file left untouched: {0}")]
    Verify(String),
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Writes `plan` if the file still holds `plan.original` and the new text verifies.
/// After writing, the file is read back and verified again; on a mismatch the original
/// bytes are restored.
pub fn commit(plan: &PlannedWrite) -> Result<(), WriteError> {
    commit_with(plan, &mut |f, bytes| f.write_all(bytes))
}

/// [`commit`] with the function that fills the temporary file: the seam through which
/// tests make the write fail part-way (a full disk) or panic (an interrupted run).
fn commit_with(plan: &PlannedWrite, fill: &mut Fill<'_>) -> Result<(), WriteError> {
    let current = fs::read(&plan.path)?;
    if current != plan.original {
        return Err(WriteError::Changed);
    }
    if fs::metadata(&plan.path)?.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    let verify = |bytes: &[u8]| -> Result<(), WriteError> {
        if let Some(checks) = &plan.rust_checks {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| WriteError::Verify(format!("not UTF-8: {e}")))?;
            verify_rust(text, checks).map_err(WriteError::Verify)?;
            verify_code(text, &plan.code_checks).map_err(WriteError::Verify)?;
        }
        Ok(())
    };
    verify(&plan.new)?;
    atomic_write_with(&plan.path, &plan.new, fill)?;
    let back = fs::read(&plan.path)?;
    let after = if back == plan.new {
        verify(&back)
    } else {
        Err(WriteError::Verify(
            "the file read back differs from what was written".into(),
        ))
    };
    if let Err(e) = after {
        atomic_write(&plan.path, &plan.original)?;
        return Err(e);
    }
    Ok(())
}

/// Checks that `src` parses as a Rust file and that each check's range is exactly one
/// string literal token whose value is the intended one.
pub fn verify_rust(src: &str, checks: &[LiteralCheck]) -> Result<(), String> {
    syn::parse_file(src).map_err(|e| {
        let at = e.span().start();
        format!(
            "the new text does not parse ({}:{}: {e})",
            at.line,
            at.column + 1
        )
    })?;
    let body = src.strip_prefix('\u{FEFF}').unwrap_or(src);
    let shift = src.len() - body.len();
    let tokens: proc_macro2::TokenStream = body
        .parse()
        .map_err(|e| format!("the new text does not lex: {e}"))?;
    let mut literals = HashSet::new();
    collect_literals(tokens, shift, &mut literals);
    for c in checks {
        let at = line_of(src, c.range.start);
        if !literals.contains(&(c.range.start, c.range.end)) {
            return Err(format!("line {at}: the rewritten literal is not one token"));
        }
        let (value, _) = literal::unescape(&src[c.range.clone()], c.range.start)
            .map_err(|e| format!("line {at}: the rewritten literal does not unescape: {e}"))?;
        if value != c.value {
            return Err(format!(
                "line {at}: the rewritten literal reads back as {value:?}, not {:?}",
                c.value
            ));
        }
    }
    Ok(())
}

/// Checks that each check's range of `src` is exactly one identifier token holding the
/// intended text (after [`verify_rust`] has parsed the file).
pub fn verify_code(src: &str, checks: &[CodeCheck]) -> Result<(), String> {
    if checks.is_empty() {
        return Ok(());
    }
    let idents = super::apply::ident_ranges(src);
    for c in checks {
        let at = line_of(src, c.range.start);
        if src.get(c.range.clone()) != Some(c.text.as_str())
            || !idents.contains(&(c.range.start, c.range.end))
        {
            return Err(format!(
                "line {at}: the rewritten code does not read back as `{}`",
                c.text
            ));
        }
    }
    Ok(())
}

fn collect_literals(
    tokens: proc_macro2::TokenStream,
    shift: usize,
    out: &mut HashSet<(usize, usize)>,
) {
    for t in tokens {
        match t {
            proc_macro2::TokenTree::Group(g) => collect_literals(g.stream(), shift, out),
            proc_macro2::TokenTree::Literal(l) => {
                let r = l.span().byte_range();
                out.insert((r.start + shift, r.end + shift));
            }
            _ => {}
        }
    }
}

/// The 1-based line of a byte offset.
pub(crate) fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Writes the bytes into the temporary file.
type Fill<'a> = dyn FnMut(&mut fs::File, &[u8]) -> io::Result<()> + 'a;

/// Removes the temporary file when dropped before [`TempFile::persisted`]: on an error
/// and on a panic alike, so an interrupted write leaves no stray file behind.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl TempFile {
    fn persisted(mut self) {
        self.keep = true;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Whether `path` (resolved through symlinks) lies under one of `roots`; `fix` writes
/// only there, so a link that leads out of the workspace is never written through.
pub fn inside_any(path: &Path, roots: &[PathBuf]) -> bool {
    let Ok(target) = fs::canonicalize(path) else {
        return false;
    };
    roots.iter().any(|r| {
        fs::canonicalize(r)
            .map(|r| target.starts_with(&r))
            .unwrap_or(false)
    })
}

/// Writes `bytes` to a temporary file in the directory of `path` and renames it over
/// `path` (the target of a symlink), keeping the original permissions.
///
/// The original is replaced only by the rename, after the new bytes are complete and
/// synced: a failed write (a full disk) or an interrupted run never leaves a partial
/// file in its place. Temporary files are hidden and named
/// `.NAME.promptopt-PID-N.tmp`; one left by a killed run is never read (it is not a
/// `.rs` file) and never reused (`create_new`).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_write_with(path, bytes, &mut |f, b| f.write_all(b))
}

fn atomic_write_with(path: &Path, bytes: &[u8], fill: &mut Fill<'_>) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent directory"))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let perms = fs::metadata(&target)?.permissions();
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(
            ".{name}.promptopt-{}-{attempt}.tmp",
            std::process::id()
        ));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let guard = TempFile {
        path: tmp.clone(),
        keep: false,
    };
    fill(&mut file, bytes)?;
    file.sync_all()?;
    drop(file);
    fs::set_permissions(&tmp, perms)?;
    fs::rename(&tmp, &target)?;
    guard.persisted();
    // Make the rename itself durable (best effort: not every platform can open a
    // directory for syncing).
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(range: std::ops::Range<usize>, value: &str) -> LiteralCheck {
        LiteralCheck {
            range,
            value: value.into(),
        }
    }

    #[test]
    fn verifies_literals() {
        let src = "const P: &str = \"a\\nb\";\n";
        assert_eq!(verify_rust(src, &[check(16..22, "a\nb")]), Ok(()));
        assert!(verify_rust(src, &[check(16..22, "a b")]).is_err());
        assert!(verify_rust(src, &[check(17..22, "a\nb")]).is_err());
        assert!(verify_rust("const P: &str = \"a;\n", &[]).is_err());
        let inner = "fn f() { let _ = format!(\"x {y}\", y = 1); }\n";
        let start = inner.find('"').expect("quote");
        assert_eq!(
            verify_rust(inner, &[check(start..start + 7, "x {y}")]),
            Ok(())
        );
    }

    #[test]
    fn verifies_empty_and_raw_literals() {
        for lit in ["r\"\"", "\"\"", "r#\"a\"#"] {
            let _: syn::LitStr = syn::parse_str(lit).expect("a literal");
            let src = format!("const P: &str = {lit};\n");
            let v = crate::literal::unescape(lit, 0).expect("literal").0;
            assert_eq!(
                verify_rust(&src, &[check(16..16 + lit.len(), &v)]),
                Ok(()),
                "{src}"
            );
        }
    }

    #[test]
    fn verifies_rewritten_code_spans() {
        let src = "fn f(v: &str) -> String { serde_json::to_string(v).unwrap() }\n";
        let at = src.find("to_string").expect("ident");
        let ok = CodeCheck {
            range: at..at + "to_string".len(),
            text: "to_string".into(),
        };
        assert_eq!(verify_code(src, std::slice::from_ref(&ok)), Ok(()));
        // Not the text planned, not one identifier token, or cutting one in two.
        for (range, text) in [
            (at..at + 9, "to_vec"),
            (at - 12..at + 9, "serde_json::to_string"),
            (at..at + 2, "to"),
        ] {
            let bad = CodeCheck {
                range,
                text: text.into(),
            };
            assert!(verify_code(src, &[bad]).is_err(), "{text}");
        }
    }

    #[test]
    fn writes_atomically_and_refuses_stale() {
        let dir = std::env::temp_dir().join(format!("promptopt-write-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("p.rs");
        fs::write(&path, "const P: &str = \"old\";\n").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        let good = PlannedWrite {
            path: path.clone(),
            original: b"const P: &str = \"old\";\n".to_vec(),
            new: b"const P: &str = \"new\";\n".to_vec(),
            rust_checks: Some(vec![check(16..21, "new")]),
            code_checks: Vec::new(),
        };
        let stale = PlannedWrite {
            original: b"something else".to_vec(),
            ..good.clone()
        };
        assert!(matches!(commit(&stale), Err(WriteError::Changed)));
        let bad = PlannedWrite {
            rust_checks: Some(vec![check(16..21, "other")]),
            code_checks: Vec::new(),
            ..good.clone()
        };
        assert!(matches!(commit(&bad), Err(WriteError::Verify(_))));
        assert_eq!(fs::read(&path).expect("read"), good.original);
        commit(&good).expect("written");
        assert_eq!(fs::read(&path).expect("read"), good.new);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let leftovers = fs::read_dir(&dir).expect("dir").count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
        fs::remove_dir_all(&dir).expect("cleanup");
    }

    /// A directory holding `p.rs` with `old`, and a plan to change it to `new`.
    fn fixture() -> (tempfile::TempDir, PlannedWrite) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("p.rs");
        let old = b"const P: &str = \"Could you please be brief.\";\n".to_vec();
        fs::write(&path, &old).expect("write");
        let new = b"const P: &str = \"Be brief.\";\n".to_vec();
        let plan = PlannedWrite {
            path,
            original: old,
            new,
            rust_checks: Some(vec![check(16..27, "Be brief.")]),
            code_checks: Vec::new(),
        };
        (tmp, plan)
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_full_disk_leaves_the_original_intact() {
        let (tmp, plan) = fixture();
        // The disk fills after half of the new text.
        let mut full = |f: &mut fs::File, b: &[u8]| -> io::Result<()> {
            f.write_all(&b[..b.len() / 2])?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        };
        let err = commit_with(&plan, &mut full).expect_err("the write fails");
        assert!(
            matches!(&err, WriteError::Io(e) if e.kind() == io::ErrorKind::StorageFull),
            "{err}"
        );
        assert_eq!(fs::read(&plan.path).expect("read"), plan.original);
        assert_eq!(entries(tmp.path()), ["p.rs"], "no temporary file left");
        commit(&plan).expect("a later run with room succeeds");
        assert_eq!(fs::read(&plan.path).expect("read"), plan.new);
    }

    #[test]
    fn an_interrupted_write_never_replaces_the_original() {
        let (tmp, plan) = fixture();
        let mut killed = |f: &mut fs::File, b: &[u8]| -> io::Result<()> {
            f.write_all(&b[..3]).expect("partial write");
            panic!("interrupted mid-write");
        };
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            commit_with(&plan, &mut killed)
        }));
        assert!(r.is_err(), "the write was interrupted");
        assert_eq!(fs::read(&plan.path).expect("read"), plan.original);
        assert_eq!(
            entries(tmp.path()),
            ["p.rs"],
            "the partial temp file is removed"
        );
    }

    #[test]
    fn a_stale_temp_file_is_neither_reused_nor_renamed() {
        let (tmp, plan) = fixture();
        // What a killed run would leave: the name this process tries first.
        let stale = tmp
            .path()
            .join(format!(".p.rs.promptopt-{}-0.tmp", std::process::id()));
        fs::write(&stale, "half a fi").expect("write");
        commit(&plan).expect("written");
        assert_eq!(fs::read(&plan.path).expect("read"), plan.new);
        assert_eq!(fs::read(&stale).expect("stale kept"), b"half a fi");
        assert_eq!(entries(tmp.path()).len(), 2);
    }

    #[test]
    fn a_read_only_file_is_left_alone() {
        let (_tmp, plan) = fixture();
        let mut perms = fs::metadata(&plan.path).expect("meta").permissions();
        perms.set_readonly(true);
        fs::set_permissions(&plan.path, perms).expect("chmod");
        assert!(matches!(commit(&plan), Err(WriteError::ReadOnly)));
        assert_eq!(fs::read(&plan.path).expect("read"), plan.original);
    }

    #[cfg(unix)]
    #[test]
    fn inside_any_resolves_links() {
        let ws = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let target = outside.path().join("secret.md");
        fs::write(&target, "x").expect("write");
        let link = ws.path().join("prompt.md");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let own = ws.path().join("own.md");
        fs::write(&own, "x").expect("write");
        let roots = [ws.path().to_path_buf()];
        assert!(inside_any(&own, &roots));
        assert!(!inside_any(&link, &roots), "a link out of the workspace");
        assert!(!inside_any(&ws.path().join("missing.md"), &roots));
    }
}
