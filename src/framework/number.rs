//! [`Number`]: a number attribute as Terraform sends it, so that a value of
//! the wrong kind gets a validation error naming the attribute instead of
//! tf-provider's decode failure ("data did not match any variant").

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number attribute: msgpack int or float, or a decimal string — cty
/// sends a number that a float64 cannot hold exactly (`99.9`, `1e30`) as a
/// string. Whether it is whole and in range is for validation to say
/// ([`super::validate::whole_id`]).
///
/// A whole number is held exactly (member IDs exceed 2^53 in principle);
/// it is serialized as a msgpack int, as `Value<i64>` was, so states
/// written before stay valid. A huge one keeps its digits, so that an
/// error can echo the value as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    /// A whole number that fits an `i64`, exactly.
    Whole(i64),
    /// A number with a fractional part (`2.5`), as near as an `f64` holds it.
    Fraction(f64),
    /// A whole number beyond an `i64`, as exact decimal digits: `1e30`
    /// arrives as cty's text `1000000000000000000000000000000`, and 2^64
    /// as a float that holds it exactly (`18446744073709551616`).
    Huge(String),
}

impl Number {
    /// The value as a whole number, when it is one that fits an `i64`.
    pub fn whole(&self) -> Option<i64> {
        match *self {
            Number::Whole(n) => Some(n),
            Number::Fraction(_) | Number::Huge(_) => None,
        }
    }

    /// A float's kind: whole floats within `i64` are exact integers.
    fn from_f64(v: f64) -> Number {
        // -2^63 and 2^63 are exact floats; every float in between that has
        // no fractional part converts to i64 exactly.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if !v.is_finite() {
            Number::Huge(v.to_string())
        } else if v.fract() != 0.0 {
            Number::Fraction(v)
        } else if (-LIMIT..LIMIT).contains(&v) {
            Number::Whole(v as i64)
        } else {
            // `{:.0}` prints a float's exact value, not its shortest
            // round-trip form (2^64 is "18446744073709551616", not
            // "18446744073709552000"); cty only sends floats it holds exactly.
            Number::Huge(format!("{v:.0}"))
        }
    }

    /// cty's decimal text (`big.Float.Text('f', -1)`): "99.9", or digits
    /// beyond an i64. Classified from the text, not from its f64 rounding
    /// (which would make `9007199254740993.5` whole).
    fn from_decimal(text: &str) -> Option<Number> {
        let text = text.trim();
        let approx: f64 = text.parse().ok()?;
        let (int_part, fraction) = text.split_once('.').unwrap_or((text, ""));
        let plain = |s: &str| {
            let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        };
        if !plain(int_part) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            // Exponent notation or the like: the float is all we have.
            return Some(Number::from_f64(approx));
        }
        if fraction.bytes().any(|b| b != b'0') {
            return Some(Number::Fraction(approx));
        }
        Some(match int_part.parse::<i64>() {
            Ok(n) => Number::Whole(n),
            Err(_) => Number::Huge(int_part.trim_start_matches('+').to_string()),
        })
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Number {
        Number::Whole(n)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Whole(n) => write!(f, "{n}"),
            Number::Fraction(v) => write!(f, "{v}"),
            Number::Huge(digits) => f.write_str(digits),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Number::Whole(n) => serializer.serialize_i64(*n),
            Number::Fraction(v) => serializer.serialize_f64(*v),
            // Never in a state (validation refuses it); as near as a float holds it.
            Number::Huge(digits) => serializer.serialize_f64(digits.parse().unwrap_or(f64::NAN)),
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
                Ok(Number::Whole(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(i64::try_from(v).map_or_else(|_| Number::Huge(v.to_string()), Number::Whole))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number::from_f64(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                Number::from_decimal(v)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }

        deserializer.deserialize_any(NumberVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Number {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn decodes_what_terraform_sends_and_says_whether_it_is_whole() {
        assert_eq!(decode("20").whole(), Some(20));
        assert_eq!(decode("2.5"), Number::Fraction(2.5));
        assert_eq!(decode("\"99.9\""), Number::Fraction(99.9));
        assert!(serde_json::from_str::<Number>("\"many\"").is_err());
        assert_eq!(serde_json::to_string(&Number::Whole(20)).unwrap(), "20");
    }

    #[test]
    fn whole_numbers_are_exact_and_huge_ones_are_not_whole() {
        // 2^53 + 1: an f64 would round it.
        assert_eq!(
            decode("9007199254740993").whole(),
            Some(9_007_199_254_740_993)
        );
        assert_eq!(decode("\"-9223372036854775808\"").whole(), Some(i64::MIN));
        let huge = |digits: &str| Number::Huge(digits.into());
        assert_eq!(
            decode("\"1000000000000000000000000000000\""),
            huge("1000000000000000000000000000000")
        );
        // What the user wrote, not the float's shortest form
        // (18446744073709552000) nor its exact value (1e30 is
        // 1000000000000000019884624838656 as a float).
        assert_eq!(
            decode("18446744073709551616.0"),
            huge("18446744073709551616")
        );
        assert_eq!(decode("18446744073709551616"), huge("18446744073709551616"));
        assert_eq!(
            decode("\"+12345678901234567890123\""),
            huge("12345678901234567890123")
        );
        assert_eq!(decode("18446744073709551615").whole(), None);
        assert_eq!(decode("5.0"), Number::Whole(5));
        assert_eq!(Number::from_f64(f64::INFINITY).whole(), None);
        // cty's text of a fraction an f64 rounds to a whole number.
        assert!(matches!(
            decode("\"9007199254740993.5\""),
            Number::Fraction(_)
        ));
        assert_eq!(decode("\"12.000\""), Number::Whole(12));
        assert_eq!(
            huge("12345678901234567890123").to_string(),
            "12345678901234567890123"
        );
    }
}
