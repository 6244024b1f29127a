//! Meetings of any partnership body called ahead: a date, a time and a
//! place, an agenda that links the decisions to be worked, the members
//! told; then attendance by side and the minutes, once it has met.

use crate::audit::{AuditAppend, Change};
use crate::decisions::{now_precise, require_take_part};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::{Date, Time};
use lmp_core::meeting::check_meeting;
use lmp_core::notice::NoticeKind;
use lmp_core::policy::Permit;
use lmp_core::refuse;
use lmp_core::team::MeetingKind;
use serde::Serialize;
use sqlx::FromRow;

/// A meeting as it is called.
#[derive(Debug, Clone)]
pub struct CallMeeting {
    pub title: String,
    pub date: Date,
    pub start: Time,
    pub duration_minutes: i64,
    pub location: String,
    /// Each item's words, and the decision it takes up, if any.
    pub agenda: Vec<(String, Option<i64>)>,
}

/// A called meeting with its agenda and who came.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct CalledMeeting {
    pub id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub title: String,
    pub held_on: String,
    pub starts_at: Option<String>,
    pub duration_minutes: Option<i64>,
    pub location: String,
    /// The minutes, once written.
    pub notes: String,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct AgendaItem {
    pub position: i64,
    pub title: String,
    pub decision_id: Option<i64>,
    pub decision_title: Option<String>,
    pub decision_stage: Option<String>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Attendee {
    pub person_id: i64,
    pub name: String,
    pub side: String,
}

/// The side a meeting's attendee counts for: their seat's in the body, or
/// else the side their work puts them on.
#[macro_export]
macro_rules! attendee_side {
    ($tx:expr, $partnership_id:expr, $person_id:expr, $body_id:expr) => {{
        let person_id: i64 = $person_id;
        let found: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT p.kind, (SELECT s.side FROM seats s WHERE s.body_id = $3 AND s.person_id = p.id \
             ORDER BY s.side LIMIT 1) FROM people p WHERE p.partnership_id = $1 AND p.id = $2",
        )
        .bind($partnership_id)
        .bind(person_id)
        .bind($body_id)
        .fetch_optional(&mut *$tx)
        .await?;
        // Someone of another partnership is simply not found here.
        let (kind, seat_side) = found.ok_or_else(|| {
            $crate::StoreError::Rule(refuse!(
                "person {person_id} is not in this partnership",
                "la persona {person_id} no está en esta alianza"
            ))
        })?;
        match seat_side {
            Some(side) => side,
            None => kind
                .parse::<lmp_core::person::PersonKind>()
                .map_err($crate::StoreError::Rule)?
                .home_side()
                .as_str()
                .to_string(),
        }
    }};
}

impl Store {
    /// Call a meeting of a body: its members are told, and the agenda's
    /// decisions must be ones the body holds.
    pub async fn call_meeting(&self, permit: &Permit, body_id: i64, meeting: &CallMeeting) -> Result<i64> {
        require_take_part(permit, body_id)?;
        let items: Vec<String> = meeting.agenda.iter().map(|(t, _)| t.clone()).collect();
        check_meeting(&meeting.title, meeting.duration_minutes, &items).map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let body: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT name, closed_on FROM bodies WHERE partnership_id = $1 AND id = $2")
                    .bind(partnership_id)
                    .bind(body_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (body_name, closed_on) = body.ok_or(StoreError::NotFound("body"))?;
            if let Some(closed_on) = closed_on {
                return Err(StoreError::Rule(refuse!(
                    "{body_name} closed on {closed_on}: it holds no more meetings",
                    "{body_name} cerró el {closed_on}: ya no celebra reuniones"
                )));
            }
            let now = now_precise();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO meetings (partnership_id, body_id, kind, held_on, title, starts_at, duration_minutes, location, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(partnership_id)
            .bind(body_id)
            .bind(MeetingKind::Meeting.as_str())
            .bind(meeting.date.to_string())
            .bind(meeting.title.trim())
            .bind(meeting.start.strftime("%H:%M").to_string())
            .bind(meeting.duration_minutes)
            .bind(meeting.location.trim())
            .bind(&actor)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            for (position, (title, decision)) in meeting.agenda.iter().enumerate() {
                if let Some(decision) = decision {
                    let held: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM decisions WHERE partnership_id = $1 AND id = $2 AND body_id = $3",
                    )
                    .bind(partnership_id)
                    .bind(decision)
                    .bind(body_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if held.is_none() {
                        let item = position + 1;
                        return Err(StoreError::Rule(refuse!(
                            "agenda item {item}: decision {decision} is not before this body",
                            "punto {item} del orden del día: la decisión {decision} no está ante este órgano"
                        )));
                    }
                }
                sqlx::query(
                    "INSERT INTO agenda_items (partnership_id, meeting_id, position, title, decision_id) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(partnership_id)
                .bind(id)
                .bind(position as i64 + 1)
                .bind(title.trim())
                .bind(decision)
                .execute(&mut *tx)
                .await?;
            }
            let change = Change::new("meeting.call", "body", body_id).after(&serde_json::json!({
                "meeting": id, "title": meeting.title.trim(), "date": meeting.date.to_string(),
                "start": meeting.start.strftime("%H:%M").to_string(), "minutes": meeting.duration_minutes,
                "location": meeting.location.trim(), "agenda": meeting.agenda}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            let when = format!(
                "{} on {} at {}",
                meeting.title.trim(),
                meeting.date,
                meeting.start.strftime("%H:%M")
            );
            crate::notify!(
                tx,
                partnership_id,
                body_id,
                None,
                NoticeKind::Meeting,
                &when,
                &body_name,
                format!("/meetings/{id}"),
                &now
            );
            id
        });
        Ok(id)
    }

    /// After the meeting: who came (each counted for their side in the body,
    /// or the side their work puts them on) and the minutes. Recording again
    /// replaces both; the audit log keeps every version.
    pub async fn record_minutes(
        &self,
        permit: &Permit,
        meeting_id: i64,
        attendees: &[i64],
        minutes: &str,
        today: Date,
    ) -> Result<()> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        if minutes.chars().count() > 20_000 {
            return Err(StoreError::Rule(refuse!(
                "minutes are at most 20,000 characters",
                "el acta tiene como máximo 20.000 caracteres"
            )));
        }
        let mut attendees = attendees.to_vec();
        attendees.sort_unstable();
        attendees.dedup();
        in_tx!(self, |tx| {
            let found: Option<(i64, String)> =
                sqlx::query_as("SELECT body_id, held_on FROM meetings WHERE partnership_id = $1 AND id = $2")
                    .bind(partnership_id)
                    .bind(meeting_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (body_id, held_on) = found.ok_or(StoreError::NotFound("meeting"))?;
            require_take_part(permit, body_id)?;
            if held_on.as_str() > today.to_string().as_str() {
                return Err(StoreError::Rule(refuse!(
                    "the meeting is on {held_on}: record who came once it has met",
                    "la reunión es el {held_on}: registre quién asistió una vez celebrada"
                )));
            }
            sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1")
                .bind(meeting_id)
                .execute(&mut *tx)
                .await?;
            let mut sides = Vec::with_capacity(attendees.len());
            for person_id in &attendees {
                let side = crate::attendee_side!(tx, partnership_id, *person_id, body_id);
                sqlx::query(
                    "INSERT INTO meeting_attendance (meeting_id, person_id, partnership_id, side) VALUES ($1, $2, $3, $4)",
                )
                .bind(meeting_id)
                .bind(person_id)
                .bind(partnership_id)
                .bind(&side)
                .execute(&mut *tx)
                .await?;
                sides.push(side);
            }
            sqlx::query("UPDATE meetings SET notes = $1 WHERE id = $2")
                .bind(minutes.trim())
                .bind(meeting_id)
                .execute(&mut *tx)
                .await?;
            let count = |side: &str| sides.iter().filter(|s| s.as_str() == side).count();
            let change = Change::new("meeting.minutes", "body", body_id).after(&serde_json::json!({
                "meeting": meeting_id, "attendees": attendees, "labor": count("labor"),
                "management": count("management"), "minutes": minutes.trim()}));
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }

    pub async fn called_meeting(&self, partnership_id: i64, id: i64) -> Result<Option<CalledMeeting>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT m.id, m.body_id, b.name AS body_name, m.title, m.held_on, m.starts_at, m.duration_minutes, m.location, \
             m.notes, m.created_by FROM meetings m JOIN bodies b ON b.id = m.body_id \
             WHERE m.partnership_id = $1 AND m.id = $2"
        )
        .bind(partnership_id)
        .bind(id)
        .fetch_optional(pool)
        .await?
        }))
    }

    pub async fn agenda_of(&self, partnership_id: i64, meeting_id: i64) -> Result<Vec<AgendaItem>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.position, a.title, a.decision_id, d.title AS decision_title, d.stage AS decision_stage \
             FROM agenda_items a LEFT JOIN decisions d ON d.id = a.decision_id \
             WHERE a.partnership_id = $1 AND a.meeting_id = $2 ORDER BY a.position"
        )
        .bind(partnership_id)
        .bind(meeting_id)
        .fetch_all(pool)
        .await?))
    }

    pub async fn attendance_of(&self, partnership_id: i64, meeting_id: i64) -> Result<Vec<Attendee>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.person_id, p.name, a.side FROM meeting_attendance a JOIN people p ON p.id = a.person_id \
             WHERE a.partnership_id = $1 AND a.meeting_id = $2 ORDER BY a.side, p.name"
        )
        .bind(partnership_id)
        .bind(meeting_id)
        .fetch_all(pool)
        .await?))
    }

    /// A body's called meetings, the next ones first, then the latest held.
    pub async fn called_meetings_of(
        &self,
        partnership_id: i64,
        body_id: i64,
        today: Date,
    ) -> Result<Vec<CalledMeeting>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT m.id, m.body_id, b.name AS body_name, m.title, m.held_on, m.starts_at, m.duration_minutes, m.location, \
             m.notes, m.created_by FROM meetings m JOIN bodies b ON b.id = m.body_id \
             WHERE m.partnership_id = $1 AND m.body_id = $2 AND m.starts_at IS NOT NULL \
             ORDER BY CASE WHEN m.held_on >= $3 THEN 0 ELSE 1 END, \
                      CASE WHEN m.held_on >= $3 THEN m.held_on END, m.held_on DESC LIMIT 20"
        )
        .bind(partnership_id)
        .bind(body_id)
        .bind(today.to_string())
        .fetch_all(pool)
        .await?
        }))
    }
}
