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
    let bad = bad_chars(name, |c| {
        c.is_ascii_alphanumeric() || GROUP_CHARS.contains(c)
    });
    if !bad.is_empty() {
        return Some(format!(
            "{:?} cannot be in a group name (letters, digits, spaces and {GROUP_CHARS} only)",
            bad
        ));
    }
    None
}

/// A security group's description (and a rule's): at most 255 of the name's characters.
pub fn group_description(text: &str) -> Option<String> {
    let n = text.chars().count();
    if n > 255 {
        return Some(format!("{n} characters; a description has at most 255"));
    }
    let bad = bad_chars(text, |c| {
        c.is_ascii_alphanumeric() || GROUP_CHARS.contains(c)
    });
    (!bad.is_empty()).then(|| {
        format!(
            "{bad:?} cannot be in a description (letters, digits, spaces and {GROUP_CHARS} only)"
        )
    })
}

/// A Route 53 Resolver endpoint, rule or association name: 1–64 characters of letters,
/// digits, `-`, `_` and spaces, not digits only.
pub fn resolver_name(name: &str) -> Option<String> {
    let n = name.chars().count();
    if n == 0 || n > 64 {
        return Some(format!(
            "{name:?} has {n} characters; a Resolver name has 1 to 64"
        ));
    }
    if name.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("{name:?}: a Resolver name may not be digits only"));
    }
    let bad = bad_chars(name, |c| c.is_ascii_alphanumeric() || "-_ ".contains(c));
    (!bad.is_empty()).then(|| {
        format!("{bad:?} cannot be in a Resolver name (letters, digits, - _ and spaces only)")
    })
}

/// A tag key: 1–128 characters, not starting with `aws:` (AWS keeps that prefix).
pub fn tag_key(key: &str) -> Option<String> {
    let n = key.chars().count();
    if n == 0 || n > 128 {
        return Some(format!(
            "tag key {key:?} has {n} characters; keys have 1 to 128"
        ));
    }
    key.to_ascii_lowercase()
        .starts_with("aws:")
        .then(|| format!("tag key {key:?}: the aws: prefix is AWS's own"))
}

/// A tag value: at most 256 characters, no control characters.
pub fn tag_value(value: &str) -> Option<String> {
    let n = value.chars().count();
    if n > 256 {
        return Some(format!(
            "a tag value of {n} characters; values have at most 256"
        ));
    }
    value
        .chars()
        .any(char::is_control)
        .then(|| format!("tag value {value:?} holds control characters"))
}

/// The longest `metadata.name` whose derived names all fit: the Resolver rule
/// association is `{name}-api-{vpc-id}` (a VPC ID has up to 21 characters), at most 64.
pub const MAX_SPEC_NAME: usize = 64 - "-api-".len() - 21;

/// `metadata.name`: it names, tags and tokens everything apply creates, so it is kept to
/// what every one of those accepts: 1–38 letters, digits, `-` and `_`.
pub fn spec_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("metadata.name is empty: it tags and names everything apply creates".into());
    }
    let n = name.chars().count();
    if n > MAX_SPEC_NAME {
        return Some(format!(
            "metadata.name has {n} characters; at most {MAX_SPEC_NAME}, so that {{name}}-api-{{vpc-id}} fits the 64 a Resolver name may have"
        ));
    }
    let bad = bad_chars(name, |c| c.is_ascii_alphanumeric() || "-_".contains(c));
    (!bad.is_empty())
        .then(|| format!("{bad:?} cannot be in metadata.name (letters, digits, - and _ only)"))
}

/// The characters of `text` that `ok` refuses, once each, in order.
fn bad_chars(text: &str, ok: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    for c in text.chars().filter(|c| !ok(*c)) {
        if !out.contains(c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_tag_description_and_spec_names() {
        assert_eq!(resolver_name("prod-private-api"), None);
        assert!(resolver_name(&"a".repeat(65)).unwrap().contains("1 to 64"));
        assert!(resolver_name("123").unwrap().contains("digits only"));
        assert!(resolver_name("a;rm").unwrap().contains("\";\""));
        assert_eq!(tag_key("eks-private-tui:plan"), None);
        assert!(tag_key("aws:x").unwrap().contains("AWS's own"));
        assert!(tag_value(&"v".repeat(257)).unwrap().contains("at most 256"));
        assert!(tag_value("a\u{1b}]0;x").unwrap().contains("control"));
        assert_eq!(group_description("VPC endpoints of eks-private-tui"), None);
        assert!(group_description("é").is_some());
        assert_eq!(MAX_SPEC_NAME, 38);
        assert_eq!(spec_name("prod-private"), None);
        assert!(spec_name("").unwrap().contains("empty"));
        assert!(spec_name(&"p".repeat(39)).unwrap().contains("at most 38"));
        assert!(
            spec_name("prod private$(id)")
                .unwrap()
                .contains("cannot be in metadata.name")
        );
        assert!(spec_name("pröd").is_some());
    }

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
