//! End-to-end tests of `cargo promptopt` live in `tests/tests/`; fixtures in `tests/fixtures/`.
