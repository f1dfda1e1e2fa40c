//! nREPL's framing: bencoded dictionaries back to back on a TCP stream.
//!
//! serde_bencode does the decoding and encoding; this codec only finds where
//! one message ends, so that a message split across reads and several
//! messages in one read both work.

use std::collections::BTreeMap;

use bytes::{Buf, BytesMut};
use serde_bencode::value::Value;
use thiserror::Error;
use tokio_util::codec::{Decoder, Encoder};

/// One nREPL message: a dictionary of byte-string keys.
pub type Message = BTreeMap<String, Value>;

/// Largest message accepted; an eval of a big file fits comfortably.
pub const MAX_MESSAGE: usize = 16 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum BencodeError {
    #[error("malformed bencode at byte {at}: {reason}")]
    Malformed { at: usize, reason: &'static str },
    #[error("nREPL message over {MAX_MESSAGE} bytes")]
    TooLarge,
    #[error("an nREPL message must be a dictionary: {0}")]
    NotADictionary(String),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Where the value starting at `at` ends: Ok(Some(end)), Ok(None) when more
/// bytes are needed. Iterative, so nesting cannot overflow the stack.
pub fn value_end(buf: &[u8], mut at: usize) -> Result<Option<usize>, BencodeError> {
    let malformed = |at, reason| BencodeError::Malformed { at, reason };
    let mut open = 0usize;
    loop {
        let Some(&byte) = buf.get(at) else {
            return Ok(None);
        };
        match byte {
            b'i' => {
                let Some(end) = buf[at..].iter().position(|&b| b == b'e') else {
                    return if buf.len() - at > 24 {
                        Err(malformed(at, "integer too long"))
                    } else {
                        Ok(None)
                    };
                };
                let digits = &buf[at + 1..at + end];
                let valid = !digits.is_empty()
                    && digits
                        .iter()
                        .enumerate()
                        .all(|(i, &d)| d.is_ascii_digit() || (i == 0 && d == b'-'));
                if !valid {
                    return Err(malformed(at, "bad integer"));
                }
                at += end + 1;
            }
            b'0'..=b'9' => {
                let Some(colon) = buf[at..].iter().position(|&b| b == b':') else {
                    return if buf.len() - at > 20 {
                        Err(malformed(at, "string length too long"))
                    } else {
                        Ok(None)
                    };
                };
                let len: usize = std::str::from_utf8(&buf[at..at + colon])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or(malformed(at, "bad string length"))?;
                if len > MAX_MESSAGE {
                    return Err(BencodeError::TooLarge);
                }
                let end = at + colon + 1 + len;
                if end > buf.len() {
                    return Ok(None);
                }
                at = end;
            }
            b'l' | b'd' => {
                open += 1;
                at += 1;
                continue;
            }
            b'e' if open > 0 => {
                open -= 1;
                at += 1;
            }
            _ => return Err(malformed(at, "unexpected byte")),
        }
        if open == 0 {
            return Ok(Some(at));
        }
    }
}

#[derive(Default)]
pub struct BencodeCodec;

impl Decoder for BencodeCodec {
    type Item = Message;
    type Error = BencodeError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Message>, BencodeError> {
        let Some(end) = value_end(src, 0)? else {
            if src.len() > MAX_MESSAGE {
                return Err(BencodeError::TooLarge);
            }
            return Ok(None);
        };
        let bytes = src.split_to(end);
        match serde_bencode::from_bytes::<Value>(&bytes) {
            Ok(Value::Dict(dict)) => Ok(Some(
                dict.into_iter()
                    .map(|(k, v)| (String::from_utf8_lossy(&k).into_owned(), v))
                    .collect(),
            )),
            Ok(other) => Err(BencodeError::NotADictionary(
                format!("{other:?}").chars().take(80).collect(),
            )),
            Err(_) => Err(BencodeError::Malformed {
                at: 0,
                reason: "undecodable value",
            }),
        }
    }
}

impl Encoder<Message> for BencodeCodec {
    type Error = BencodeError;

    fn encode(&mut self, item: Message, dst: &mut BytesMut) -> Result<(), BencodeError> {
        let dict: std::collections::HashMap<Vec<u8>, Value> =
            item.into_iter().map(|(k, v)| (k.into_bytes(), v)).collect();
        let bytes =
            serde_bencode::to_bytes(&Value::Dict(dict)).map_err(|_| BencodeError::Malformed {
                at: 0,
                reason: "unencodable value",
            })?;
        dst.extend_from_slice(&bytes);
        Ok(())
    }
}

/// Reads a string field.
pub fn text(message: &Message, key: &str) -> Option<String> {
    match message.get(key) {
        Some(Value::Bytes(b)) => Some(String::from_utf8_lossy(b).into_owned()),
        Some(Value::Int(i)) => Some(i.to_string()),
        _ => None,
    }
}

pub fn string(value: impl Into<String>) -> Value {
    Value::Bytes(value.into().into_bytes())
}

pub fn strings<I: IntoIterator<Item = S>, S: Into<String>>(values: I) -> Value {
    Value::List(values.into_iter().map(string).collect())
}

/// Drops consumed bytes after a decode error, so a client can recover from a
/// bad message only by reconnecting; the server answers with an error first.
pub fn discard(src: &mut BytesMut) {
    src.advance(src.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(pairs: &[(&str, &str)]) -> Message {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), string(*v)))
            .collect()
    }

    fn encoded(m: &Message) -> Vec<u8> {
        let mut buf = BytesMut::new();
        BencodeCodec.encode(m.clone(), &mut buf).expect("encode");
        buf.to_vec()
    }

    #[test]
    fn a_message_split_across_reads_decodes_once_complete() {
        let m = msg(&[("op", "eval"), ("code", "(+ 1 2)"), ("id", "7")]);
        let bytes = encoded(&m);
        let mut codec = BencodeCodec;
        let mut buf = BytesMut::new();
        for (i, chunk) in bytes.chunks(3).enumerate() {
            buf.extend_from_slice(chunk);
            let decoded = codec.decode(&mut buf).expect("decode");
            if (i + 1) * 3 < bytes.len() {
                assert!(decoded.is_none(), "complete only at the end (chunk {i})");
            } else {
                assert_eq!(decoded, Some(m.clone()));
            }
        }
        assert!(buf.is_empty());
    }

    #[test]
    fn several_messages_in_one_read_all_decode_in_order() {
        let a = msg(&[("op", "clone"), ("id", "1")]);
        let b = msg(&[("op", "describe"), ("id", "2")]);
        let c = msg(&[("op", "eval"), ("code", "d:e:i1e"), ("id", "3")]);
        let mut buf = BytesMut::new();
        for m in [&a, &b, &c] {
            buf.extend_from_slice(&encoded(m));
        }
        buf.extend_from_slice(b"d2:op"); // the start of a fourth
        let mut codec = BencodeCodec;
        assert_eq!(codec.decode(&mut buf).expect("a"), Some(a));
        assert_eq!(codec.decode(&mut buf).expect("b"), Some(b));
        assert_eq!(codec.decode(&mut buf).expect("c"), Some(c));
        assert_eq!(codec.decode(&mut buf).expect("partial"), None);
    }

    #[test]
    fn nested_values_and_integers() {
        assert_eq!(
            value_end(b"d1:ali1ei-2ed1:b0:eee", 0).expect("ok"),
            Some(21)
        );
        assert_eq!(value_end(b"li1e", 0).expect("ok"), None);
    }

    #[test]
    fn malformed_input_is_an_error_not_a_hang() {
        let mut codec = BencodeCodec;
        for bad in [&b"x"[..], b"i1x2e", b"d3:op", b"le"] {
            let mut buf = BytesMut::from(bad);
            match codec.decode(&mut buf) {
                Err(_) | Ok(None) => {}
                Ok(Some(m)) => panic!("{bad:?} decoded to {m:?}"),
            }
        }
        let mut not_dict = BytesMut::from(&b"li1ee"[..]);
        assert!(matches!(
            codec.decode(&mut not_dict),
            Err(BencodeError::NotADictionary(_))
        ));
    }
}
