//! Decimals as text: read exactly from the digits written, or refused, and
//! written with their exact digits. A `decimal` is rust_decimal's: an
//! integer of 96 bits (up to 79228162514264337593543950335) scaled by a
//! power of ten from 0 to 28, so it holds 28 significant digits, 29 below
//! that bound, and at most 28 after the point. A number written with more
//! is not rounded to fit: it is refused, and says why.

use std::fmt;

use rust_decimal::Decimal;

/// The largest decimal's digits, for messages.
pub const MAX_DIGITS: &str = "79228162514264337593543950335";

/// Why a number's text is not read as a decimal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigitsError {
    /// The text is not a number written in digits.
    NotANumber,
    /// Its whole part is beyond the largest decimal, either way.
    TooLarge,
    /// It has more significant digits than a decimal holds, or digits
    /// beyond the 28th place after the point: it would be rounded.
    TooPrecise,
}

impl DigitsError {
    /// The failure in words, about the number written `quoted` (in
    /// backticks, as `crate::core::value::quote` puts it).
    pub fn message(self, quoted: &str) -> String {
        let text = quoted;
        match self {
            DigitsError::NotANumber => format!("{text} is not a number written in digits"),
            DigitsError::TooLarge => {
                format!("{text} is too large for a decimal (at most {MAX_DIGITS} either way)")
            }
            DigitsError::TooPrecise => format!(
                "{text} has more digits than a decimal holds exactly (28 or 29 significant \
                 digits, at most 28 after the point), and would have to be rounded"
            ),
        }
    }
}

/// Reads a number written in digits exactly: `12`, `-0.1`, `1.50`, `.5`,
/// `5.`, `1e3`, `2.5E-4`, with an optional sign, and `_` between digits
/// (`1_000.5`). Zeros that only pad (`0.10000000000000000000000000000`,
/// `1e-40` being neither) do not count against the digits a decimal holds.
pub fn parse(text: &str) -> Result<Decimal, DigitsError> {
    let b = text.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    // The mantissa's text (digits, a point, separators), how many digits
    // it has, and how many of them come after the point. Read without a
    // copy: a batch reads a decimal a field.
    let from = i;
    let (mut count, mut after_point) = (0i64, 0i64);
    let mut point = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                count += 1;
                after_point += i64::from(point);
            }
            b'_' if i > from
                && b[i - 1].is_ascii_digit()
                && b.get(i + 1).is_some_and(u8::is_ascii_digit) => {}
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if count == 0 {
        return Err(DigitsError::NotANumber);
    }
    let mantissa_text = &b[from..i];
    let mut exponent = 0i64;
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        while let Some(c @ b'0'..=b'9') = b.get(i) {
            // Beyond any decimal's reach either way, whatever its digits.
            exponent = (exponent * 10 + i64::from(c - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return Err(DigitsError::NotANumber);
        }
        exponent *= sign;
    }
    if i != b.len() {
        return Err(DigitsError::NotANumber);
    }
    let digits = || {
        mantissa_text
            .iter()
            .filter(|c| c.is_ascii_digit())
            .map(|c| c - b'0')
    };
    // value = digits × 10^(exponent - after_point), without the zeros that
    // lead or trail.
    let lead = digits().take_while(|&d| d == 0).count() as i64;
    let significant = count - lead;
    if significant == 0 {
        return Ok(Decimal::ZERO);
    }
    // As written, with its places after the point (`1.50`), where that fits.
    let written = exponent - after_point;
    if (-28..=0).contains(&written)
        && significant <= 29
        && let Some(d) = mantissa(digits().skip(lead as usize), 0)
            .and_then(|m| signed(m, negative, (-written) as u32).ok())
    {
        return Ok(d);
    }
    let trail = digits().rev().take_while(|&d| d == 0).count() as i64;
    let len = significant - trail;
    let kept = || digits().skip(lead as usize).take(len as usize);
    let power = written + trail;
    // Digits of the whole part: beyond 29, or beyond the largest decimal's
    // 29, it is too large whatever follows.
    let whole = len + power;
    if whole > 29 {
        return Err(DigitsError::TooLarge);
    }
    let scale = (-power).max(0);
    if scale > 28 || len > 29 {
        return Err(too_precise_or_large(kept(), whole));
    }
    match mantissa(kept(), power.max(0) as usize) {
        Some(m) => signed(m, negative, scale as u32),
        None => Err(too_precise_or_large(kept(), whole)),
    }
}

/// The largest mantissa of a decimal: 2^96 - 1.
const MAX_MANTISSA: u128 = (1 << 96) - 1;

/// The integer of at most 29 `digits` followed by `zeros` zeros (at most
/// 29 digits in all), if a decimal's mantissa holds it.
fn mantissa(digits: impl Iterator<Item = u8>, zeros: usize) -> Option<u128> {
    let mut m: u128 = 0;
    for d in digits {
        m = m * 10 + u128::from(d);
    }
    for _ in 0..zeros {
        m *= 10;
    }
    (m <= MAX_MANTISSA).then_some(m)
}

/// The decimal `m` × 10^-scale, negative if `negative`.
fn signed(m: u128, negative: bool, scale: u32) -> Result<Decimal, DigitsError> {
    let m = i128::try_from(m).map_err(|_| DigitsError::TooLarge)?;
    let m = if negative { -m } else { m };
    Decimal::try_from_i128_with_scale(m, scale).map_err(|_| DigitsError::TooLarge)
}

/// Whether digits that do not fit fail by their whole part (too large) or
/// only by their fraction (too precise).
fn too_precise_or_large(digits: impl Iterator<Item = u8>, whole: i64) -> DigitsError {
    if whole < 29 {
        return DigitsError::TooPrecise;
    }
    // 29 digits before the point: too large beyond the largest decimal's.
    let head = digits.take(29).map(|d| b'0' + d);
    if head.cmp(MAX_DIGITS.bytes()) == std::cmp::Ordering::Greater {
        DigitsError::TooLarge
    } else {
        DigitsError::TooPrecise
    }
}

/// A decimal's exact digits, normalized: no trailing zeros after the point,
/// no point in a whole number, no sign on zero (`1.5`, `-0.25`, `300`).
pub struct Digits(pub Decimal);

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

/// Writes a decimal's digits (see [`Digits`]) into `out`, without making a
/// string for them.
pub fn write(out: &mut Vec<u8>, d: &Decimal) {
    let text = d.normalize().array_string();
    out.extend_from_slice(text.as_ref().as_bytes());
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers_are_read_exactly() {
        for (text, want) in [
            ("0.1", "0.1"),
            ("-0.1", "-0.1"),
            ("+2", "2"),
            ("1.50", "1.5"),
            (".5", "0.5"),
            ("5.", "5"),
            ("1e3", "1000"),
            ("1E+3", "1000"),
            ("2.5e-4", "0.00025"),
            ("1_000.5", "1000.5"),
            ("-0.000", "0"),
            ("0.10000000000000000000000000000000", "0.1"),
            (
                "12345678901234567890.123456789",
                "12345678901234567890.123456789",
            ),
            ("79228162514264337593543950335", MAX_DIGITS),
            (
                "-79228162514264337593543950335",
                "-79228162514264337593543950335",
            ),
            (
                "7922816251426433759354395033.5",
                "7922816251426433759354395033.5",
            ),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
            ("1e-28", "0.0000000000000000000000000001"),
            (
                "0.1234567890123456789012345678",
                "0.1234567890123456789012345678",
            ),
            (
                "1234567890123456789012345678.9",
                "1234567890123456789012345678.9",
            ),
            ("792281625142643375935439503350e-1", MAX_DIGITS),
            ("0e999999999999", "0"),
        ] {
            let got = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(Digits(got).to_string(), want, "{text}");
            assert_eq!(got, dec(want), "{text}");
        }
    }

    #[test]
    fn the_places_written_are_kept_where_they_fit() {
        assert_eq!(parse("3.50").unwrap().to_string(), "3.50");
        assert_eq!(parse("-0.10").unwrap().to_string(), "-0.10");
        assert_eq!(parse("2.5e-1").unwrap().to_string(), "0.25");
        assert_eq!(
            parse("0.10000000000000000000000000000000")
                .unwrap()
                .to_string(),
            "0.1"
        );
    }

    #[test]
    fn numbers_that_would_be_rounded_are_refused() {
        use DigitsError::*;
        for (text, want) in [
            ("0.12345678901234567890123456789", TooPrecise),
            ("1e-29", TooPrecise),
            ("1.00000000000000000000000000001", TooPrecise),
            ("9234567890123456789012345678.9", TooPrecise),
            ("7922816251426433759354395033.55", TooPrecise),
            ("79228162514264337593543950335.5", TooPrecise),
            ("79228162514264337593543950336", TooLarge),
            ("79228162514264337593543950336.5", TooLarge),
            ("123456789012345678901234567890", TooLarge),
            ("1e29", TooLarge),
            ("1e400", TooLarge),
            ("1e-400", TooPrecise),
            ("1e99999999999999999999", TooLarge),
            ("", NotANumber),
            ("-", NotANumber),
            (".", NotANumber),
            ("1e", NotANumber),
            ("1.2.3", NotANumber),
            ("_1", NotANumber),
            ("1__0", NotANumber),
            ("0x1A", NotANumber),
            (".inf", NotANumber),
            ("1 000", NotANumber),
        ] {
            assert_eq!(parse(text), Err(want), "{text}");
        }
        assert_eq!(
            TooPrecise.message("`0.12345678901234567890123456789`"),
            "`0.12345678901234567890123456789` has more digits than a decimal holds exactly \
             (28 or 29 significant digits, at most 28 after the point), and would have to be \
             rounded"
        );
    }

    #[test]
    fn digits_are_written_exactly_and_normalized() {
        let third = dec("100").checked_div(dec("3")).unwrap();
        let mut out = Vec::new();
        write(&mut out, &third);
        assert_eq!(out, b"33.333333333333333333333333333");
        for (d, want) in [
            (dec("1.500"), "1.5"),
            (dec("-0.00"), "0"),
            (dec("300.00"), "300"),
            (dec("0.0000001"), "0.0000001"),
            (Decimal::MAX, MAX_DIGITS),
            (Decimal::MIN, "-79228162514264337593543950335"),
        ] {
            let mut out = Vec::new();
            write(&mut out, &d);
            assert_eq!(String::from_utf8(out).unwrap(), want);
            assert_eq!(Digits(d).to_string(), want);
        }
    }
}
