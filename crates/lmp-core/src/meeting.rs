//! Meetings of a partnership body: when and where, an agenda linking the
//! decisions to be worked, and the `.ics` invitation (RFC 5545) members add
//! to their calendars.

use jiff::civil::{Date, Time};
use jiff::Timestamp;

/// Check what a person typed to call a meeting.
pub fn check_meeting(title: &str, duration_minutes: i64, agenda: &[String]) -> Result<(), crate::Refusal> {
    use crate::refuse;
    if title.trim().is_empty() || title.chars().count() > 200 {
        return Err(refuse!(
            "a meeting needs a title of 1 to 200 characters",
            "una reunión necesita un título de 1 a 200 caracteres"
        ));
    }
    if !(5..=600).contains(&duration_minutes) {
        return Err(refuse!(
            "a meeting lasts 5 to 600 minutes, not {duration_minutes}",
            "una reunión dura de 5 a 600 minutos, no {duration_minutes}"
        ));
    }
    if agenda.len() > 50 {
        return Err(refuse!(
            "an agenda has at most 50 items",
            "un orden del día tiene como máximo 50 puntos"
        ));
    }
    if let Some(long) = agenda.iter().find(|item| item.chars().count() > 500) {
        let start = long.chars().take(40).collect::<String>();
        return Err(refuse!(
            "an agenda item is at most 500 characters: \"{start}…\"",
            "un punto del orden del día tiene como máximo 500 caracteres: «{start}…»"
        ));
    }
    Ok(())
}

/// A calendar invitation for one meeting. Times are the meeting place's own
/// wall-clock ("floating" in RFC 5545), as members read them on the notice.
#[derive(Debug, Clone)]
pub struct Invitation<'a> {
    /// Unique and stable, so a calendar updates rather than duplicates.
    pub uid: String,
    pub date: Date,
    pub start: Time,
    pub duration_minutes: i64,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    /// When the invitation was made (DTSTAMP, UTC).
    pub stamp: Timestamp,
}

impl Invitation<'_> {
    pub fn to_ics(&self) -> String {
        let start = self.date.to_datetime(self.start);
        let end = start
            .checked_add(jiff::SignedDuration::from_mins(self.duration_minutes))
            .unwrap_or(start);
        let lines = [
            "BEGIN:VCALENDAR".to_string(),
            "VERSION:2.0".into(),
            "PRODID:-//lmp//labor-management partnership//EN".into(),
            "CALSCALE:GREGORIAN".into(),
            "METHOD:PUBLISH".into(),
            "BEGIN:VEVENT".into(),
            format!("UID:{}", self.uid),
            format!("DTSTAMP:{}", self.stamp.strftime("%Y%m%dT%H%M%SZ")),
            format!("DTSTART:{}", start.strftime("%Y%m%dT%H%M%S")),
            format!("DTEND:{}", end.strftime("%Y%m%dT%H%M%S")),
            format!("SUMMARY:{}", escape(self.summary)),
            format!("LOCATION:{}", escape(self.location)),
            format!("DESCRIPTION:{}", escape(self.description)),
            "END:VEVENT".into(),
            "END:VCALENDAR".into(),
        ];
        lines.iter().map(|line| fold(line)).collect::<Vec<_>>().join("")
    }
}

/// Escape text for a property value: backslash, semicolon, comma, newline.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line at 75 octets (never inside a character), ending CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_is_valid_calendar_text() {
        let invitation = Invitation {
            uid: "meeting-7@lmp".into(),
            date: jiff::civil::date(2026, 12, 1),
            start: jiff::civil::time(9, 30, 0, 0),
            duration_minutes: 90,
            summary: "Facility council; staffing, nights",
            location: "Room 4",
            description: &"Agenda:\n1. Float pool ".repeat(10),
            stamp: Timestamp::from_second(1_780_000_000).expect("time"),
        };
        let ics = invitation.to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART:20261201T093000\r\n"));
        assert!(ics.contains("DTEND:20261201T110000\r\n"));
        assert!(ics.contains("SUMMARY:Facility council\\; staffing\\, nights\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "folded: {line:?}");
        }
        // Unfolding gives back the escaped description whole.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("DESCRIPTION:Agenda:\\n1. Float pool Agenda:"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        for part in fold(&line).split("\r\n") {
            assert!(part.len() <= 75);
        }
    }

    #[test]
    fn a_meeting_is_checked_as_called() {
        assert_eq!(check_meeting("Council", 60, &["Float pool".into()]), Ok(()));
        assert!(check_meeting(" ", 60, &[]).is_err());
        assert!(check_meeting("Council", 0, &[]).is_err());
        assert!(check_meeting("Council", 60, &["x".repeat(501)]).is_err());
    }
}
