//! `PROMPTOPT_STATS=1`: what a run did and where its time went, on stderr. For
//! profiling and the benchmark notes; silent otherwise.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `PROMPTOPT_STATS` is set (read once).
pub fn on() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("PROMPTOPT_STATS").is_some())
}

/// Prints the time since `since` under `phase`, with the CPU time all threads spent in
/// it (wall time much below it: the phase ran in parallel; equal: on one thread) and the
/// resident memory now and at its peak so far (where the OS tells), and restarts the
/// clock.
pub fn phase(phase: &str, since: &mut Instant) {
    if on() {
        eprintln!(
            "promptopt: {phase}: {:.1} ms{}{}",
            since.elapsed().as_secs_f64() * 1e3,
            cpu(),
            memory()
        );
    }
    *since = Instant::now();
}

/// `, CPU N ms`: the process's user and system time since the last phase, from
/// `/proc/self/stat` (in clock ticks, 10 ms here); empty elsewhere.
fn cpu() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST: AtomicU64 = AtomicU64::new(0);
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return String::new();
    };
    // Fields after the command name (which may hold spaces) end with `)`.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return String::new();
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks = |i: usize| f.get(i).and_then(|t| t.parse::<u64>().ok());
    let (Some(u), Some(s)) = (ticks(11), ticks(12)) else {
        return String::new();
    };
    let now = u + s;
    let before = LAST.swap(now, Ordering::Relaxed);
    // 100 ticks a second on Linux.
    format!(", CPU {} ms", (now - before) * 10)
}

/// `, RSS N MB (peak M MB)` from `/proc/self/status`; empty elsewhere.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let mb = |key: &str| {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let kb: u64 = line[key.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb / 1024)
    };
    match (mb("VmRSS:"), mb("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", RSS {now} MB (peak {peak} MB)"),
        _ => String::new(),
    }
}
