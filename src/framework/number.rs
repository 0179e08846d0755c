//! [`Number`]: a number attribute as Terraform sends it, so that a value of
//! the wrong kind gets a validation error naming the attribute instead of
//! tf-provider's decode failure ("data did not match any variant").

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number attribute: msgpack int or float, or a decimal string — cty
/// sends a number that a float64 cannot hold exactly (`99.9`) as a string.
/// Whether it is whole and in range is for validation to say.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Number(pub f64);

impl Number {
    /// The value as a whole number, when it is one that fits an `i64`.
    pub fn whole(self) -> Option<i64> {
        let n = self.0;
        (n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e18).then_some(n as i64)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.whole() {
            Some(n) => serializer.serialize_i64(n),
            None => serializer.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;

        impl Visitor<'_> for NumberVisitor {
            type Value = Number;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                v.trim()
                    .parse()
                    .map(Number)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }

        deserializer.deserialize_any(NumberVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_terraform_sends_and_says_whether_it_is_whole() {
        let n: Number = serde_json::from_str("20").unwrap();
        assert_eq!(n.whole(), Some(20));
        let n: Number = serde_json::from_str("2.5").unwrap();
        assert_eq!(n.whole(), None);
        let n: Number = serde_json::from_str("\"99.9\"").unwrap();
        assert_eq!(n, Number(99.9));
        assert!(serde_json::from_str::<Number>("\"many\"").is_err());
        assert_eq!(serde_json::to_string(&Number(20.0)).unwrap(), "20");
    }
}
