//! `PROMPTOPT_STATS=1`: what a run did and where its time went, on stderr. For
//! profiling and the benchmark notes; silent otherwise.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `PROMPTOPT_STATS` is set (read once).
pub fn on() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("PROMPTOPT_STATS").is_some())
}

/// Prints the time since `since` under `phase`, with the resident memory now and at
/// its peak so far (where the OS tells), and restarts the clock.
pub fn phase(phase: &str, since: &mut Instant) {
    if on() {
        eprintln!(
            "promptopt: {phase}: {:.1} ms{}",
            since.elapsed().as_secs_f64() * 1e3,
            memory()
        );
    }
    *since = Instant::now();
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
