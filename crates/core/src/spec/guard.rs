//! A first pass over a spec's YAML, before it becomes a [`Spec`](super::Spec): it walks
//! every node as the typed pass would (aliases expanded), holding nothing, and refuses
//!
//! - a document that expands to more than [`MAX_EXPANDED`] bytes of values (a few
//!   kilobytes of anchors and aliases can stand for gigabytes);
//! - a mapping with the same key twice, at the duplicate's line (the typed pass would keep
//!   the last one of a map silently).

use serde::de::{self, DeserializeSeed, Visitor};
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;

/// The most bytes of scalar values a spec may stand for once aliases are expanded.
pub const MAX_EXPANDED: usize = 4 << 20;

/// Walk `text`; the error carries the location of the node at fault.
pub fn check(text: &str) -> Result<(), serde_yaml::Error> {
    let budget = Cell::new(MAX_EXPANDED);
    Node(&budget).deserialize(serde_yaml::Deserializer::from_str(text))
}

#[derive(Clone, Copy)]
struct Node<'a>(&'a Cell<usize>);

impl Node<'_> {
    fn charge<E: de::Error>(self, n: usize) -> Result<(), E> {
        let left = self.0.get();
        if n > left {
            self.0.set(0);
            return Err(E::custom(format!(
                "the spec stands for more than {} MiB of values once its YAML aliases are expanded; write the values out (a spec is a few kilobytes)",
                MAX_EXPANDED >> 20
            )));
        }
        self.0.set(left - n);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! scalars {
    ($($f:ident: $t:ty),*) => {
        $(fn $f<E: de::Error>(self, _: $t) -> Result<(), E> {
            self.charge(1)
        })*
    };
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    scalars!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_i128: i128, visit_u128: u128);
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.charge(v.len().max(1))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        self.charge(v.len().max(1))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.charge(1)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.charge(1)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let seen = RefCell::new(HashSet::new());
        while map
            .next_key_seed(Key {
                node: self,
                seen: &seen,
            })?
            .is_some()
        {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!Tag value`): the tag, then the value.
        use de::VariantAccess;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

/// A mapping's key: refused when the mapping had it already.
struct Key<'a, 'b> {
    node: Node<'a>,
    seen: &'b RefCell<HashSet<String>>,
}

impl Key<'_, '_> {
    fn once<E: de::Error>(&self, key: String) -> Result<(), E> {
        self.node.charge(key.len().max(1))?;
        if self.seen.borrow().contains(&key) {
            return Err(E::custom(format!(
                "the key {key:?} appears twice in one mapping; keep one"
            )));
        }
        self.seen.borrow_mut().insert(key);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.once(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.once(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.once(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.once(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.once(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.once("null".into())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.node.visit_seq(seq)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.node.visit_map(map)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        self.node.visit_enum(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_that_expand_too_far_and_duplicate_keys_are_refused() {
        assert!(check("a: 1\nb: [x, y]\nc: {d: e}\n").is_ok());
        // A 64 KiB string referenced 100 times: 6.4 MiB once expanded.
        let mut text = format!("big: &b {}\nrefs:\n", "x".repeat(64 << 10));
        for _ in 0..100 {
            text.push_str("- *b\n");
        }
        let e = check(&text).unwrap_err().to_string();
        assert!(e.contains("aliases are expanded"), "{e}");
        // Fewer references fit.
        let small = format!("big: &b {}\nrefs: [*b, *b]\n", "x".repeat(64 << 10));
        assert!(check(&small).is_ok());
        // A duplicate key, nested: named, at its own line.
        let e = check("a: 1\nnodeSubnets:\n  eu-west-1a: subnet-1\n  eu-west-1b: subnet-2\n  eu-west-1a: subnet-3\n")
            .unwrap_err();
        assert!(
            e.to_string().contains("\"eu-west-1a\" appears twice"),
            "{e}"
        );
        assert_eq!(e.location().map(|l| l.line()), Some(5), "{e}");
        // At the top level too.
        let e = check("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.location().map(|l| l.line()), Some(3), "{e}");
        // The same key in two mappings is fine.
        assert!(check("a: {k: 1}\nb: {k: 2}\n").is_ok());
    }
}
