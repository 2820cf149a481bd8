//! Writing a rewritten file safely: refuse a file that changed on disk since it was
//! read, verify a Rust file's rewritten literals before and after writing, write to a
//! temporary file beside the original and rename it over, keeping permissions.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::literal;

use super::apply::LiteralCheck;

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
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file on disk is not the text the rewrite was planned from.
    #[error("the file changed on disk since it was read; run again")]
    Changed,
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
    let current = fs::read(&plan.path)?;
    if current != plan.original {
        return Err(WriteError::Changed);
    }
    let verify = |bytes: &[u8]| -> Result<(), WriteError> {
        if let Some(checks) = &plan.rust_checks {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| WriteError::Verify(format!("not UTF-8: {e}")))?;
            verify_rust(text, checks).map_err(WriteError::Verify)?;
        }
        Ok(())
    };
    verify(&plan.new)?;
    atomic_write(&plan.path, &plan.new)?;
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

fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Writes `bytes` to a temporary file in the directory of `path` and renames it over
/// `path` (the target of a symlink), keeping the original permissions.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
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
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::set_permissions(&tmp, perms)?;
        fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
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
        };
        let stale = PlannedWrite {
            original: b"something else".to_vec(),
            ..good.clone()
        };
        assert!(matches!(commit(&stale), Err(WriteError::Changed)));
        let bad = PlannedWrite {
            rust_checks: Some(vec![check(16..21, "other")]),
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
}
