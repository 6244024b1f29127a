//! Times as people read them: in the partnership's own time zone, in words.
//! Stored times stay UTC (RFC 3339, as the API gives them); only what a
//! page shows is local.

use crate::language::Language;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The time zone a partnership names (an IANA name such as
/// `America/Los_Angeles`), or why it is not one. The zone database is built
/// in, so a name means the same on every machine.
pub fn zone(name: &str) -> Result<TimeZone, crate::Refusal> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::refuse!(
            "a time zone is needed, like America/Los_Angeles",
            "se necesita una zona horaria, como America/Los_Angeles"
        ));
    }
    TimeZone::get(name).map_err(|_| {
        crate::refuse!(
            "{name} is not a time zone; write one like America/Los_Angeles or UTC",
            "{name} no es una zona horaria; escriba una como America/Los_Angeles o UTC"
        )
    })
}

const SPANISH_DAYS: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
const SPANISH_MONTHS: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];

/// `Mon 7 Dec 2026, 1:31 pm PST` in English, `lun 7 dic 2026, 13:31 PST` in
/// Spanish: the day, the date with its month in words, the time (on the
/// clock each language reads) and the zone's abbreviation.
pub fn in_words(at: Timestamp, zone: &TimeZone, language: Language) -> String {
    let zoned = at.to_zoned(zone.clone());
    match language {
        Language::English => zoned.strftime("%a %-d %b %Y, %-I:%M %P %Z").to_string(),
        Language::Spanish => {
            let day = SPANISH_DAYS[usize::from(zoned.weekday().to_monday_zero_offset().unsigned_abs())];
            format!(
                "{day} {}, {}",
                day_in_words(at, zone, language),
                zoned.strftime("%H:%M %Z")
            )
        }
    }
}

/// The date alone, `7 Dec 2026` (`7 dic 2026`), as the partnership's clock had it.
pub fn day_in_words(at: Timestamp, zone: &TimeZone, language: Language) -> String {
    let zoned = at.to_zoned(zone.clone());
    match language {
        Language::English => zoned.strftime("%-d %b %Y").to_string(),
        Language::Spanish => {
            let month = SPANISH_MONTHS[usize::from(zoned.month().unsigned_abs()) - 1];
            format!("{} {month} {}", zoned.day(), zoned.year())
        }
    }
}

/// A stored time (RFC 3339, as the store writes it) in words; text that is
/// not a time is shown as it is rather than lost.
pub fn stored_in_words(stored: &str, zone: &TimeZone, language: Language) -> String {
    match stored.parse::<Timestamp>() {
        Ok(at) => in_words(at, zone, language),
        Err(_) => stored.to_string(),
    }
}

/// As [`stored_in_words`], the date alone.
pub fn stored_day_in_words(stored: &str, zone: &TimeZone, language: Language) -> String {
    match stored.parse::<Timestamp>() {
        Ok(at) => day_in_words(at, zone, language),
        Err(_) => stored.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_reads_in_the_partnerships_zone() {
        let oakland = zone("America/Los_Angeles").expect("zone");
        let at: Timestamp = "2026-12-07T21:31:05.123456Z".parse().expect("time");
        assert_eq!(in_words(at, &oakland, Language::English), "Mon 7 Dec 2026, 1:31 pm PST");
        assert_eq!(in_words(at, &oakland, Language::Spanish), "lun 7 dic 2026, 13:31 PST");
        assert_eq!(day_in_words(at, &oakland, Language::Spanish), "7 dic 2026");
        assert_eq!(
            in_words(at, &TimeZone::UTC, Language::English),
            "Mon 7 Dec 2026, 9:31 pm UTC"
        );
        // Summer time is the zone's own affair.
        let july: Timestamp = "2026-07-01T07:05:00Z".parse().expect("time");
        assert_eq!(
            in_words(july, &oakland, Language::English),
            "Wed 1 Jul 2026, 12:05 am PDT"
        );
        // Late in the evening in Oakland is already tomorrow in UTC.
        let evening: Timestamp = "2026-12-08T03:00:00Z".parse().expect("time");
        assert_eq!(day_in_words(evening, &oakland, Language::English), "7 Dec 2026");
        assert_eq!(
            stored_in_words("2026-12-07T21:31:05Z", &oakland, Language::English),
            "Mon 7 Dec 2026, 1:31 pm PST"
        );
        assert_eq!(stored_in_words("not a time", &oakland, Language::English), "not a time");
    }

    #[test]
    fn a_zone_is_named_or_refused_with_an_example() {
        assert!(zone("America/Chicago").is_ok());
        assert!(zone(" UTC ").is_ok());
        let refused = zone("Pacific Time").unwrap_err();
        assert!(refused.contains("Pacific Time is not a time zone"), "{refused}");
        assert!(zone("").is_err());
    }
}
