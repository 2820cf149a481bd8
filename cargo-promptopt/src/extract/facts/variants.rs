//! Match arms by the enum variants their patterns name (`Task::Deobfuscate(s) => ..`):
//! an arm for a variant no code builds never runs (see `unbuilt.rs`).

/// The `(enum, variant)` pairs an arm's pattern names, when every alternative is one
/// variant (`E::A`, `E::B(..)`, `E::C { .. }`, `E::A | E::B`, `&E::A`); `None` for any
/// other pattern (a binding, a wildcard, a tuple, a literal), which may match anything.
/// `Self::A` is the impl's type's (`self_ty`).
pub(super) fn arm_variants(pat: &syn::Pat, self_ty: Option<&str>) -> Option<Vec<super::Variant>> {
    let path = match pat {
        syn::Pat::Path(p) => &p.path,
        syn::Pat::TupleStruct(p) => &p.path,
        syn::Pat::Struct(p) => &p.path,
        syn::Pat::Reference(r) => return arm_variants(&r.pat, self_ty),
        syn::Pat::Paren(p) => return arm_variants(&p.pat, self_ty),
        syn::Pat::Or(o) => {
            let mut all = Vec::new();
            for case in &o.cases {
                all.extend(arm_variants(case, self_ty)?);
            }
            return Some(all);
        }
        _ => return None,
    };
    let n = path.segments.len();
    if n < 2 {
        return None;
    }
    let enum_seg = path.segments[n - 2].ident.to_string();
    let variant = path.segments[n - 1].ident.to_string();
    let enum_name = match enum_seg.as_str() {
        "Self" => self_ty?.to_string(),
        _ => enum_seg,
    };
    let upper = |s: &str| s.starts_with(|c: char| c.is_ascii_uppercase());
    (upper(&enum_name) && upper(&variant)).then(|| vec![(enum_name, variant)])
}
