//! Rewriting prompts in place: render literals in their own style, plan the new text of
//! each file, check version control, and write atomically with verification.

pub mod apply;
pub mod git;
pub mod render;
pub mod write;
