//! The one output path of every command: machine output to stdout, human messages to
//! stderr, both through [`Quiet`].
//!
//! A reader that goes away (`cargo promptopt check --format json | head -1`,
//! `cargo promptopt check 2>&1 | head -1`) closes the pipe. Like `cat`, the tool then
//! stops writing to that stream without a word (no panic, no "Broken pipe" message);
//! unlike `cat`, it finishes its work and keeps its exit status, so a CI gate piped into
//! `head` still fails on deny-level findings and `fix` still reports a refusal with 2.
//! Any other write error is returned to the caller.
//!
//! Commands write with the `out!`/`outln!`/`errln!` macros (see `cli/mod.rs`), or pass
//! [`stdout()`]/[`stderr()`] to a renderer that takes `impl Write`.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// A writer that turns a broken pipe into a quiet end of output: the write that meets
/// it and every later one succeed without writing anything.
#[derive(Debug)]
pub struct Quiet<'a, W> {
    inner: W,
    closed: &'a AtomicBool,
}

impl<'a, W: Write> Quiet<'a, W> {
    /// Wraps `inner`; `closed` records that the reader has gone (shared by every
    /// writer of the same stream).
    pub fn new(inner: W, closed: &'a AtomicBool) -> Self {
        Quiet { inner, closed }
    }

    fn guard<T>(&self, r: io::Result<T>, ok: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed.store(true, Ordering::Relaxed);
                Ok(ok)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Quiet<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed.load(Ordering::Relaxed) {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.guard(r, buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.closed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let r = self.inner.write_all(buf);
        self.guard(r, ())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let r = self.inner.flush();
        self.guard(r, ())
    }
}

/// Standard output (locked for the writer's life).
pub fn stdout() -> Quiet<'static, io::StdoutLock<'static>> {
    Quiet::new(io::stdout().lock(), &STDOUT_CLOSED)
}

/// Standard error (locked for the writer's life).
pub fn stderr() -> Quiet<'static, io::StderrLock<'static>> {
    Quiet::new(io::stderr().lock(), &STDERR_CLOSED)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails every write with `kind`.
    struct Pipe {
        got: Vec<u8>,
        room: usize,
        kind: io::ErrorKind,
        calls: usize,
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.got.len() >= self.room {
                return Err(io::Error::from(self.kind));
            }
            let n = buf.len().min(self.room - self.got.len());
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn pipe(room: usize, kind: io::ErrorKind) -> Pipe {
        Pipe {
            got: Vec::new(),
            room,
            kind,
            calls: 0,
        }
    }

    #[test]
    fn broken_pipe_ends_output_quietly() {
        let closed = AtomicBool::new(false);
        let mut w = Quiet::new(pipe(4, io::ErrorKind::BrokenPipe), &closed);
        writeln!(w, "first line").expect("a closed pipe is not an error");
        assert!(closed.load(Ordering::Relaxed));
        let calls = w.inner.calls;
        writeln!(w, "second line").expect("still quiet");
        w.flush().expect("flush is quiet too");
        assert_eq!(w.inner.calls, calls, "nothing more is written once closed");
        assert_eq!(w.inner.got, b"firs");
    }

    #[test]
    fn other_errors_are_returned() {
        let closed = AtomicBool::new(false);
        let mut w = Quiet::new(pipe(0, io::ErrorKind::StorageFull), &closed);
        let e = writeln!(w, "x").expect_err("a full disk is an error");
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert!(!closed.load(Ordering::Relaxed));
    }

    #[test]
    fn one_flag_per_stream() {
        let closed = AtomicBool::new(false);
        let mut a = Quiet::new(pipe(0, io::ErrorKind::BrokenPipe), &closed);
        write!(a, "x").expect("quiet");
        let mut b = Quiet::new(pipe(100, io::ErrorKind::BrokenPipe), &closed);
        write!(b, "y").expect("quiet");
        assert!(
            b.inner.got.is_empty(),
            "a second writer of a closed stream writes nothing"
        );
    }
}
