//! Extraction (in progress).
