//! What AWS accepts as a name, checked before any call (a name AWS refuses would stop an
//! apply half-way). Each check returns what is wrong in words, or None.

/// Characters EC2 accepts in a VPC security group's name (and its description).
const GROUP_CHARS: &str = " ._-:/()#,@[]+=&;{}!$*";

/// A VPC security group name: 1–255 characters of a-z, A-Z, 0-9, spaces and
/// `._-:/()#,@[]+=&;{}!$*`, not starting with `sg-`.
pub fn security_group_name(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("the group needs a name".into());
    }
    let n = name.chars().count();
    if n > 255 {
        return Some(format!("{n} characters; a group name has at most 255"));
    }
    if name.to_ascii_lowercase().starts_with("sg-") {
        return Some("a group name may not start with sg-".into());
    }
    let bad: String = name
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || GROUP_CHARS.contains(*c)))
        .collect::<std::collections::BTreeSet<char>>()
        .into_iter()
        .collect();
    if !bad.is_empty() {
        return Some(format!(
            "{:?} cannot be in a group name (letters, digits, spaces and {GROUP_CHARS} only)",
            bad
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names() {
        assert_eq!(security_group_name("prod-private-endpoints"), None);
        assert_eq!(security_group_name("a b._-:/()#,@[]+=&;{}!$*"), None);
        assert!(security_group_name("").unwrap().contains("needs a name"));
        assert!(security_group_name("SG-x").unwrap().contains("sg-"));
        assert!(
            security_group_name(&"a".repeat(256))
                .unwrap()
                .contains("256 characters")
        );
        let bad = security_group_name("prod|é\u{1b}").unwrap();
        assert!(bad.contains("cannot be in a group name"), "{bad}");
        assert!(
            bad.contains("|") && bad.contains("é") && bad.contains("\\u{1b}"),
            "{bad}"
        );
    }
}
