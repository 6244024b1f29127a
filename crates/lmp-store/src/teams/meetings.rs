//! Team meetings and huddles: when, who ran them, who came (by side).

use super::{ensure_team_row, require_team_permit, team_code, took_part};
use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::policy::Permit;
use lmp_core::refuse;
use lmp_core::team::MeetingKind;
use serde::Serialize;
use sqlx::FromRow;

pub const MAX_NOTES_CHARS: usize = 4_000;

/// A meeting as recorded.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub held_on: Date,
    /// Who ran it; counted as attending.
    pub run_by: Option<i64>,
    pub attendees: Vec<i64>,
    pub notes: String,
}

/// A meeting with its attendance by side.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Meeting {
    pub id: i64,
    pub team_id: i64,
    pub kind: String,
    pub held_on: String,
    pub run_by_id: Option<i64>,
    pub run_by_name: Option<String>,
    pub notes: String,
    pub labor: i64,
    pub management: i64,
    pub physician: i64,
}

#[derive(Serialize)]
struct MeetingRecord<'a> {
    kind: &'a str,
    held_on: String,
    run_by: Option<i64>,
    attendees: usize,
}

impl Store {
    /// Record a meeting or huddle. Each attendee counts for the side of
    /// their seat on the team, or else the side their work puts them on.
    pub async fn record_meeting(&self, permit: &Permit, team_id: i64, meeting: NewMeeting, today: Date) -> Result<i64> {
        require_team_permit(permit, team_id)?;
        if meeting.held_on > today {
            let held_on = meeting.held_on;
            return Err(StoreError::Rule(refuse!(
                "a meeting cannot be recorded before it happens ({held_on})",
                "una reunión no puede registrarse antes de que ocurra ({held_on})"
            )));
        }
        if meeting.notes.chars().count() > MAX_NOTES_CHARS {
            return Err(StoreError::Rule(refuse!(
                "notes are limited to {MAX_NOTES_CHARS} characters",
                "las notas tienen como máximo {MAX_NOTES_CHARS} caracteres"
            )));
        }
        let mut attendees = meeting.attendees.clone();
        attendees.extend(meeting.run_by);
        attendees.sort_unstable();
        attendees.dedup();
        if attendees.is_empty() {
            return Err(StoreError::Rule(refuse!(
                "record who came: a meeting has at least one person",
                "registre quién asistió: una reunión tiene al menos una persona"
            )));
        }
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let code = team_code!(tx, partnership_id, team_id);
            ensure_team_row!(tx, partnership_id, team_id);
            let mut sides = Vec::with_capacity(attendees.len());
            for person_id in &attendees {
                let side = crate::attendee_side!(tx, partnership_id, *person_id, team_id);
                sides.push((*person_id, side));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO meetings (partnership_id, body_id, kind, held_on, run_by_id, notes, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(partnership_id)
            .bind(team_id)
            .bind(meeting.kind.as_str())
            .bind(meeting.held_on.to_string())
            .bind(meeting.run_by)
            .bind(meeting.notes.trim())
            .bind(&actor)
            .bind(crate::now_text())
            .fetch_one(&mut *tx)
            .await?;
            for (person_id, side) in &sides {
                sqlx::query(
                    "INSERT INTO meeting_attendance (meeting_id, person_id, partnership_id, side) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(person_id)
                .bind(partnership_id)
                .bind(side)
                .execute(&mut *tx)
                .await?;
                took_part!(tx, person_id, meeting.held_on.to_string());
            }
            let change = Change::new("team.meeting", "team", &code).after(&MeetingRecord {
                kind: meeting.kind.as_str(),
                held_on: meeting.held_on.to_string(),
                run_by: meeting.run_by,
                attendees: sides.len(),
            });
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            id
        });
        Ok(id)
    }

    /// The team's latest meetings, newest first.
    pub async fn meetings_of_team(&self, partnership_id: i64, team_id: i64, limit: i64) -> Result<Vec<Meeting>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT m.id, m.body_id AS team_id, m.kind, m.held_on, m.run_by_id, p.name AS run_by_name, m.notes, \
             (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.side = 'labor') AS labor, \
             (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.side = 'management') AS management, \
             (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.side = 'physician') AS physician \
             FROM meetings m LEFT JOIN people p ON p.id = m.run_by_id \
             WHERE m.partnership_id = $1 AND m.body_id = $2 ORDER BY m.held_on DESC, m.id DESC LIMIT $3"
        )
        .bind(partnership_id)
        .bind(team_id)
        .bind(limit)
        .fetch_all(pool)
        .await?
        }))
    }
}
