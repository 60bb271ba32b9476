//! `spec`: the spec as YAML, with the provenance comment; loading it gives the same spec.

use crate::spec::Spec;

pub fn render(spec: &Spec) -> String {
    format!("# {}\n{}", super::provenance(spec), spec.to_yaml())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_export_loads_back_identical() {
        let s = crate::rules::testkit::spec();
        let text = super::render(&s);
        assert!(text.starts_with("# Written by eks-private-tui "), "{text}");
        assert_eq!(crate::spec::Spec::from_yaml(&text), Ok(s));
    }
}
