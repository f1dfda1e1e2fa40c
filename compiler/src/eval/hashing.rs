//! `hash` at compile time, with Clojure's algorithms where a macro's
//! helper can tell: a long's and a string's hash are Murmur3's, as
//! Clojure's, and a collection's combines its items' as `hash-ordered-coll`
//! and `hash-unordered-coll` do, so a type that keeps its own hash as
//! instaparse's AutoFlattenSeq does (31 × h + hash(x), then
//! `mix-collection-hash`) equals the vector it holds. Other values hash
//! consistently with `=` here, not as the JVM would.
//!
//! The 32-bit int arithmetic such a type uses (`unchecked-add-int`,
//! `unchecked-multiply-int`) wraps as Java's does.

use super::builtins::{arity, items};
use super::{error, Builtin, Interp, Result};
use crate::form::{Form, FormKind};

const C1: i32 = 0xcc9e_2d51_u32 as i32;
const C2: i32 = 0x1b87_3593;

fn mix_k1(k1: i32) -> i32 {
    k1.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
}

fn mix_h1(h1: i32, k1: i32) -> i32 {
    (h1 ^ k1)
        .rotate_left(13)
        .wrapping_mul(5)
        .wrapping_add(0xe654_6b64_u32 as i32)
}

fn fmix(h1: i32, length: i32) -> i32 {
    let mut h = (h1 ^ length) as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as i32
}

fn hash_int(input: i32) -> i32 {
    if input == 0 {
        return 0;
    }
    fmix(mix_h1(0, mix_k1(input)), 4)
}

fn hash_long(input: i64) -> i32 {
    if input == 0 {
        return 0;
    }
    let low = input as i32;
    let high = ((input as u64) >> 32) as i32;
    let h1 = mix_h1(mix_h1(0, mix_k1(low)), mix_k1(high));
    fmix(h1, 8)
}

/// Clojure's `mix-collection-hash`.
fn mix_collection_hash(hash: i32, count: i32) -> i32 {
    fmix(mix_h1(0, mix_k1(hash)), count)
}

/// Java's String.hashCode, over UTF-16 code units.
fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0_i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

fn ordered(values: &[Form]) -> i32 {
    let h = values
        .iter()
        .fold(1_i32, |h, x| h.wrapping_mul(31).wrapping_add(hash(x)));
    mix_collection_hash(h, values.len() as i32)
}

fn unordered(values: &[Form]) -> i32 {
    let h = values.iter().fold(0_i32, |h, x| h.wrapping_add(hash(x)));
    mix_collection_hash(h, values.len() as i32)
}

/// A compile-time value's hash, consistent with `=` there.
pub(super) fn hash(form: &Form) -> i32 {
    match &*form.kind {
        FormKind::Nil => 0,
        FormKind::Bool(b) => {
            if *b {
                1231
            } else {
                1237
            }
        }
        FormKind::Int(n) => hash_long(*n),
        FormKind::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => hash_long(*f as i64),
        FormKind::Float(f) => {
            let bits = f.to_bits();
            (bits ^ (bits >> 32)) as i32
        }
        FormKind::Str(s) => hash_int(java_string_hash(s)),
        FormKind::Char(c) => *c as i32,
        FormKind::Keyword { ns, name, .. } => {
            hash_int(java_string_hash(&format!("{ns}/{name}"))).wrapping_add(0x9e37_79b9_u32 as i32)
        }
        FormKind::Symbol { ns, name } => hash_int(java_string_hash(&format!("{ns}/{name}"))),
        FormKind::List(xs) | FormKind::Vector(xs) => ordered(xs),
        FormKind::Set(xs) => unordered(xs),
        FormKind::Map(kvs) => {
            let entries: Vec<Form> = kvs
                .chunks(2)
                .map(|kv| Form::value(FormKind::Vector(kv.to_vec())))
                .collect();
            unordered(&entries)
        }
        _ => java_string_hash(&crate::form::pr_str(form)),
    }
}

fn int32(form: &Form, what: &str) -> Result<i32> {
    match &*form.kind {
        FormKind::Int(n) => Ok(*n as i32),
        _ => error(format!("{what} needs an integer, got {}", form.describe())),
    }
}

fn long(form: &Form, what: &str) -> Result<i64> {
    match &*form.kind {
        FormKind::Int(n) => Ok(*n),
        _ => error(format!("{what} needs an integer, got {}", form.describe())),
    }
}

fn int(n: i64) -> Result<Form> {
    Ok(Form::value(FormKind::Int(n)))
}

builtins_named! {HASH_BUILTINS,
    ("hash", |_, a| {
        arity("hash", &a, |n| n == 1)?;
        int(i64::from(hash(&a[0])))
    }),
    ("mix-collection-hash", |_, a| {
        arity("mix-collection-hash", &a, |n| n == 2)?;
        int(i64::from(mix_collection_hash(int32(&a[0], "mix-collection-hash")?, int32(&a[1], "mix-collection-hash")?)))
    }),
    ("hash-ordered-coll", |_, a| {
        arity("hash-ordered-coll", &a, |n| n == 1)?;
        int(i64::from(ordered(&items(&a[0])?)))
    }),
    ("hash-unordered-coll", |_, a| {
        arity("hash-unordered-coll", &a, |n| n == 1)?;
        int(i64::from(unordered(&items(&a[0])?)))
    }),
    ("unchecked-add-int", |_, a| {
        arity("unchecked-add-int", &a, |n| n == 2)?;
        int(i64::from(int32(&a[0], "unchecked-add-int")?.wrapping_add(int32(&a[1], "unchecked-add-int")?)))
    }),
    ("unchecked-multiply-int", |_, a| {
        arity("unchecked-multiply-int", &a, |n| n == 2)?;
        int(i64::from(int32(&a[0], "unchecked-multiply-int")?.wrapping_mul(int32(&a[1], "unchecked-multiply-int")?)))
    }),
    ("unchecked-subtract-int", |_, a| {
        arity("unchecked-subtract-int", &a, |n| n == 2)?;
        int(i64::from(int32(&a[0], "unchecked-subtract-int")?.wrapping_sub(int32(&a[1], "unchecked-subtract-int")?)))
    }),
    ("unchecked-subtract", |_, a| {
        arity("unchecked-subtract", &a, |n| n == 2)?;
        int(long(&a[0], "unchecked-subtract")?.wrapping_sub(long(&a[1], "unchecked-subtract")?))
    }),
    ("unchecked-add", |_, a| {
        arity("unchecked-add", &a, |n| n == 2)?;
        int(long(&a[0], "unchecked-add")?.wrapping_add(long(&a[1], "unchecked-add")?))
    }),
    ("unchecked-multiply", |_, a| {
        arity("unchecked-multiply", &a, |n| n == 2)?;
        int(long(&a[0], "unchecked-multiply")?.wrapping_mul(long(&a[1], "unchecked-multiply")?))
    }),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values JVM Clojure 1.11 prints for (hash 1), (hash 42),
    /// (hash "abc"), (hash [1 2]) and (hash #{1 2}).
    #[test]
    fn hashes_as_clojure() {
        let i = |n| Form::value(FormKind::Int(n));
        assert_eq!(hash(&i(1)), 1_392_991_556);
        assert_eq!(hash(&i(42)), 1_871_679_806);
        assert_eq!(hash(&Form::value(FormKind::Str("abc".into()))), 74_834_163);
        assert_eq!(
            hash(&Form::value(FormKind::Vector(vec![i(1), i(2)]))),
            156_247_261
        );
        assert_eq!(
            hash(&Form::value(FormKind::Set(vec![i(1), i(2)]))),
            460_223_544
        );
    }
}
