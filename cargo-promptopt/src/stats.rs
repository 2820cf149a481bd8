//! `PROMPTOPT_STATS=1`: what a run did and where its time went, on stderr. For
//! profiling and the benchmark notes; silent otherwise.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `PROMPTOPT_STATS` is set (read once).
pub fn on() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("PROMPTOPT_STATS").is_some())
}

/// Prints the time since `since` under `phase` and restarts the clock.
pub fn phase(phase: &str, since: &mut Instant) {
    if on() {
        eprintln!(
            "promptopt: {phase}: {:.1} ms",
            since.elapsed().as_secs_f64() * 1e3
        );
    }
    *since = Instant::now();
}
