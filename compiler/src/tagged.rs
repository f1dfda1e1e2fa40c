//! Clojure's built-in tagged literals, `#inst "…"` and `#uuid "…"`: checked
//! and put in their one canonical text when read, so the reader gives a value
//! (quoted data holds a date, not a call) and two spellings of one instant
//! are equal, as the JVM's `java.util.Date`s are. A ratio literal past a
//! long's range, `1/9223372036854775808`, is kept the same way, as its text in
//! lowest terms, which the page reads back as a `clojure.lang.Ratio`.

/// Which of the built-in tags a literal has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiteralTag {
    /// `#inst`: a `java.util.Date`, kept as its canonical UTC text.
    Inst,
    /// `#uuid`: a `java.util.UUID`, kept as its lower-case text.
    Uuid,
    /// A ratio whose numerator or denominator is past a long's range (no
    /// tag is written): kept as `n/d` in lowest terms.
    Ratio,
}

impl LiteralTag {
    /// The tag as written after `#`.
    pub fn name(self) -> &'static str {
        match self {
            LiteralTag::Inst => "inst",
            LiteralTag::Uuid => "uuid",
            LiteralTag::Ratio => "ratio",
        }
    }

    /// The page's clojure.core function that makes the value from its text.
    pub fn maker(self) -> &'static str {
        match self {
            LiteralTag::Inst => "read-instant*",
            LiteralTag::Uuid => "parse-uuid",
            LiteralTag::Ratio => "read-string",
        }
    }

    /// The JVM class of the value.
    pub fn class(self) -> &'static str {
        match self {
            LiteralTag::Inst => "java.util.Date",
            LiteralTag::Uuid => "java.util.UUID",
            LiteralTag::Ratio => "clojure.lang.Ratio",
        }
    }

    /// The canonical text of `text`, or None when it is not one of this tag.
    pub fn canonical(self, text: &str) -> Option<String> {
        match self {
            LiteralTag::Inst => timestamp_millis(text).map(inst_text),
            LiteralTag::Uuid => is_uuid_text(text).then(|| text.to_ascii_lowercase()),
            LiteralTag::Ratio => None,
        }
    }
}

/// The canonical text of a UUID: 8-4-4-4-12 hex digits.
fn is_uuid_text(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Milliseconds since the epoch of an RFC 3339 timestamp as clojure.instant
/// reads one: `yyyy`, then optionally `-MM`, `-dd`, `Thh`, `:mm`, `:ss`,
/// `.fff…` in turn, then optionally `Z` or `±hh:mm`; each field within its
/// calendar's range. A fraction past milliseconds is dropped, as a Date does.
pub fn timestamp_millis(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let mut at = 0;
    let number = |at: &mut usize, n: usize| -> Option<i64> {
        let digits = b.get(*at..*at + n)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *at += n;
        Some(digits.iter().fold(0, |v, d| v * 10 + i64::from(d - b'0')))
    };
    let year = number(&mut at, 4)?;
    // Each later field is present only after the one before it.
    let mut fields = [1, 1, 0, 0, 0];
    let mut present = 0;
    for (i, (sep, max)) in [(b'-', 12), (b'-', 31), (b'T', 23), (b':', 59), (b':', 59)]
        .into_iter()
        .enumerate()
    {
        if b.get(at) != Some(&sep) {
            break;
        }
        at += 1;
        fields[i] = number(&mut at, 2).filter(|v| *v <= max)?;
        present = i + 1;
    }
    // A fraction of a second, of any length, only after the seconds.
    let mut millis = 0;
    if present == fields.len() && b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return None;
        }
        let digits = format!("{:0<3}", &s[start..at.min(start + 3)]);
        millis = digits.parse::<i64>().ok()?;
    }
    let offset_minutes = match b.get(at) {
        Some(b'Z' | b'z') => {
            at += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            at += 1;
            let hours = number(&mut at, 2).filter(|h| *h <= 23)?;
            if b.get(at) != Some(&b':') {
                return None;
            }
            at += 1;
            let minutes = number(&mut at, 2).filter(|m| *m <= 59)?;
            sign * (hours * 60 + minutes)
        }
        _ => 0,
    };
    let [month, day, hour, minute, second] = fields;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if at != b.len() || !(1..=12).contains(&month) || !(1..=days_in_month).contains(&day) {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An instant as Clojure prints a Date: `1939-01-01T00:00:00.000-00:00`.
pub fn inst_text(millis: i64) -> String {
    let (days, in_day) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}-00:00",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_have_one_text() {
        let canonical = |t: &str| LiteralTag::Inst.canonical(t);
        assert_eq!(
            canonical("1939").as_deref(),
            Some("1939-01-01T00:00:00.000-00:00")
        );
        assert_eq!(
            canonical("2025-09-01T20:47:03.713-00:00").as_deref(),
            Some("2025-09-01T20:47:03.713-00:00")
        );
        assert_eq!(
            canonical("2025-09-01T22:47:03.71234+02:00").as_deref(),
            Some("2025-09-01T20:47:03.712-00:00")
        );
        assert_eq!(
            canonical("1969-12-31T23:59:59.999Z").as_deref(),
            Some("1969-12-31T23:59:59.999-00:00")
        );
        assert_eq!(
            canonical("2024-02-29").as_deref(),
            Some("2024-02-29T00:00:00.000-00:00")
        );
        assert_eq!(timestamp_millis("1970-01-02"), Some(86_400_000));
        for bad in [
            "2023-02-29",
            "19",
            "2025-13",
            "2025-01-01T24",
            "2025-01-01T10:00:00.",
            "x",
        ] {
            assert_eq!(canonical(bad), None, "{bad}");
        }
    }

    #[test]
    fn uuids_are_lower_case() {
        assert_eq!(
            LiteralTag::Uuid
                .canonical("A6F3C3A8-7A48-4B84-9A2D-2D8C0D4E4D6B")
                .as_deref(),
            Some("a6f3c3a8-7a48-4b84-9a2d-2d8c0d4e4d6b")
        );
        assert_eq!(LiteralTag::Uuid.canonical("a6f3c3a8"), None);
    }
}
