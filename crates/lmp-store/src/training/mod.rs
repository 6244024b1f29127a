//! Training: how many have completed each class, the team leaders still to
//! take one, sessions with their attendance lists, and (in `import`) the
//! training file. A completion from either way re-rates the teams at once:
//! Path to Performance reads them.

pub mod import;

use crate::audit::{AuditAppend, Change};
use crate::teams::rating::TeamScope;
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::body::BodyRole;
use lmp_core::paging::{Page, Paged};
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::training::{check_attendance, is_earlier_completion, session_source, Attendance, Class};
use serde::Serialize;
use sqlx::FromRow;

/// How many people have completed a class.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ClassCount {
    pub class: String,
    pub people: i64,
}

/// A class a person completed, and where that was recorded.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Completion {
    pub class: String,
    pub completed_on: String,
    pub source: String,
}

/// A team leader (co-lead or sponsor) who has not completed a class.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct LeaderToTrain {
    pub person_id: i64,
    pub employee_no: String,
    pub name: String,
    pub side: String,
    pub team_id: i64,
    pub team_name: String,
}

/// A session of a class, with its list's counts.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ClassSession {
    pub id: i64,
    pub class: String,
    pub held_on: String,
    pub place: String,
    pub created_by: String,
    pub enrolled: i64,
    pub attended: i64,
    pub absent: i64,
}

/// One person on a session's list.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ClassAttendee {
    pub person_id: i64,
    pub employee_no: String,
    pub name: String,
    /// union_member, manager or physician.
    pub kind: String,
    /// enrolled, attended or absent.
    pub status: String,
    pub marked_at: String,
}

/// A session to schedule.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub class: Class,
    pub held_on: Date,
    pub place: String,
}

/// What marking a session's list did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AttendanceReport {
    /// People whose place on the list was written or changed.
    pub marked: u64,
    /// Completions this session gave (a first completion, or an earlier day).
    pub completed: u64,
    /// Completions taken back: they came from this session, and the person
    /// is no longer marked as having attended it.
    pub withdrawn: u64,
    /// Teams re-rated because a leader's training changed.
    pub teams_rated: u64,
}

/// Which teams to re-rate after the training of `people` changed: the few
/// they lead, or all at once when many changed.
const RERATE_ONE_BY_ONE: usize = 50;

fn require_training(permit: &Permit) -> Result<i64> {
    match permit.action() {
        Action::RecordTraining => Ok(permit.actor().partnership_id),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

const SESSION_SELECT: &str = "SELECT s.id, s.class, s.held_on, s.place, s.created_by, \
     (SELECT COUNT(*) FROM class_attendance a WHERE a.session_id = s.id AND a.status = 'enrolled') AS enrolled, \
     (SELECT COUNT(*) FROM class_attendance a WHERE a.session_id = s.id AND a.status = 'attended') AS attended, \
     (SELECT COUNT(*) FROM class_attendance a WHERE a.session_id = s.id AND a.status = 'absent') AS absent \
     FROM class_sessions s";

/// `$1` partnership, `$2` role, `$3` class: the open teams' leaders in that
/// role who have not completed the class.
const TO_TRAIN: &str = "FROM seats s JOIN bodies b ON b.id = s.body_id JOIN people p ON p.id = s.person_id \
     WHERE s.partnership_id = $1 AND b.level = 'team' AND b.closed_on IS NULL AND s.role = $2 \
     AND NOT EXISTS (SELECT 1 FROM class_completions c WHERE c.person_id = s.person_id AND c.class = $3)";

impl Store {
    /// How many people have completed each class (classes no one has
    /// completed are left out).
    pub async fn class_counts(&self, partnership_id: i64) -> Result<Vec<ClassCount>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT class, COUNT(*) AS people FROM class_completions WHERE partnership_id = $1 GROUP BY class ORDER BY class"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?
        }))
    }

    /// The classes a person has completed.
    pub async fn completions_of(&self, partnership_id: i64, person_id: i64) -> Result<Vec<Completion>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT class, completed_on, source FROM class_completions \
             WHERE partnership_id = $1 AND person_id = $2 ORDER BY completed_on, class"
        )
        .bind(partnership_id)
        .bind(person_id)
        .fetch_all(pool)
        .await?))
    }

    /// How many of the open teams' leaders in `role` have not completed `class`.
    pub async fn count_leaders_to_train(&self, partnership_id: i64, class: Class, role: BodyRole) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) {TO_TRAIN}");
        Ok(on_pool!(self, |pool| sqlx::query_scalar(&sql)
            .bind(partnership_id)
            .bind(role.as_str())
            .bind(class.as_str())
            .fetch_one(pool)
            .await?))
    }

    /// The open teams' leaders in `role` who have not completed `class`, by
    /// team: whom to enrol next.
    pub async fn leaders_to_train(
        &self,
        partnership_id: i64,
        class: Class,
        role: BodyRole,
        page: Page,
    ) -> Result<Paged<LeaderToTrain>> {
        let total = self.count_leaders_to_train(partnership_id, class, role).await?;
        let sql = format!(
            "SELECT p.id AS person_id, p.employee_no, p.name, s.side, b.id AS team_id, b.name AS team_name {TO_TRAIN} \
             ORDER BY b.name, b.id, s.side, p.name LIMIT $4 OFFSET $5"
        );
        let items = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(role.as_str())
            .bind(class.as_str())
            .bind(i64::from(page.limit))
            .bind(page.offset as i64)
            .fetch_all(pool)
            .await?);
        Ok(Paged::new(items, total, page))
    }

    /// Sessions, latest first; with `from`, only those held on or after it.
    pub async fn class_sessions(
        &self,
        partnership_id: i64,
        from: Option<Date>,
        page: Page,
    ) -> Result<Paged<ClassSession>> {
        let from = from.map(|d| d.to_string()).unwrap_or_default();
        let total: i64 = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM class_sessions WHERE partnership_id = $1 AND held_on >= $2"
        )
        .bind(partnership_id)
        .bind(&from)
        .fetch_one(pool)
        .await?);
        let sql = format!(
            "{SESSION_SELECT} WHERE s.partnership_id = $1 AND s.held_on >= $2 ORDER BY s.held_on DESC, s.id DESC LIMIT $3 OFFSET $4"
        );
        let items = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(&from)
            .bind(i64::from(page.limit))
            .bind(page.offset as i64)
            .fetch_all(pool)
            .await?);
        Ok(Paged::new(items, total, page))
    }

    pub async fn class_session(&self, partnership_id: i64, id: i64) -> Result<Option<ClassSession>> {
        let sql = format!("{SESSION_SELECT} WHERE s.partnership_id = $1 AND s.id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// A session's list, by name.
    pub async fn session_attendance(&self, partnership_id: i64, session_id: i64) -> Result<Vec<ClassAttendee>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT p.id AS person_id, p.employee_no, p.name, p.kind, a.status, a.marked_at \
             FROM class_attendance a JOIN people p ON p.id = a.person_id \
             WHERE a.partnership_id = $1 AND a.session_id = $2 ORDER BY p.name, p.employee_no"
        )
        .bind(partnership_id)
        .bind(session_id)
        .fetch_all(pool)
        .await?))
    }

    /// Schedule a session of a class, audited.
    pub async fn create_class_session(&self, permit: &Permit, new: &NewSession) -> Result<ClassSession> {
        let pid = require_training(permit)?;
        let actor = permit.actor().username.clone();
        let place =
            lmp_core::import::text(1, new.place.trim(), "place", false).map_err(|e| StoreError::Rule(e.reason))?;
        let id: i64 = in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO class_sessions (partnership_id, class, held_on, place, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(pid)
            .bind(new.class.as_str())
            .bind(new.held_on.to_string())
            .bind(&place)
            .bind(&actor)
            .bind(crate::now_text())
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("training.session", "class_session", id).after(&serde_json::json!({
                "class": new.class.as_str(),
                "held_on": new.held_on.to_string(),
                "place": place,
            }));
            tx.append_audit(pid, &actor, vec![change]).await?;
            id
        });
        self.class_session(pid, id)
            .await?
            .ok_or(StoreError::NotFound("class session"))
    }

    /// Put people on a session's list, or mark them attended or absent
    /// (`marks`: employee numbers and where each stands), all or none.
    /// Attending on or after the session's day completes the class, dated
    /// that day, unless the person completed it earlier; a mark taken back
    /// takes back the completion this session gave.
    pub async fn mark_attendance(
        &self,
        permit: &Permit,
        session_id: i64,
        marks: &[(String, Attendance)],
        today: Date,
    ) -> Result<AttendanceReport> {
        let pid = require_training(permit)?;
        let actor = permit.actor().username.clone();
        let source = session_source(session_id);
        let now = crate::now_text();
        let (mut report, people) = in_tx!(self, |tx| {
            let session: Option<(String, String)> =
                sqlx::query_as("SELECT class, held_on FROM class_sessions WHERE partnership_id = $1 AND id = $2")
                    .bind(pid)
                    .bind(session_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (class, held_on) = session.ok_or(StoreError::NotFound("class session"))?;
            let held: Date = held_on.parse().map_err(|e| {
                StoreError::Rule(refuse!(
                    "the session's day {held_on:?}: {e}",
                    "el día de la sesión {held_on:?}: {e}"
                ))
            })?;
            let mut report = AttendanceReport::default();
            let mut people: Vec<i64> = Vec::new();
            for (employee_no, status) in marks {
                check_attendance(held, today, *status).map_err(|e| StoreError::Rule(e.into()))?;
                let person: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM people WHERE partnership_id = $1 AND employee_no = $2")
                        .bind(pid)
                        .bind(employee_no.trim())
                        .fetch_optional(&mut *tx)
                        .await?;
                let person_id = person.ok_or_else(|| {
                    let employee_no = employee_no.trim();
                    StoreError::Rule(refuse!(
                        "{employee_no:?} is not a person of this partnership",
                        "{employee_no:?} no es una persona de esta alianza"
                    ))
                })?;
                let stored: Option<String> =
                    sqlx::query_scalar("SELECT status FROM class_attendance WHERE session_id = $1 AND person_id = $2")
                        .bind(session_id)
                        .bind(person_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if stored.as_deref() == Some(status.as_str()) {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO class_attendance (session_id, person_id, partnership_id, status, marked_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id, person_id) \
                     DO UPDATE SET status = excluded.status, marked_at = excluded.marked_at",
                )
                .bind(session_id)
                .bind(person_id)
                .bind(pid)
                .bind(status.as_str())
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                report.marked += 1;
                let mut changes = vec![Change::new("training.attendance", "class_session", session_id)
                    .before(&serde_json::json!({"employee_no": employee_no.trim(), "status": stored}))
                    .after(&serde_json::json!({"employee_no": employee_no.trim(), "status": status.as_str()}))];
                let completion: Option<(String, String)> = sqlx::query_as(
                    "SELECT completed_on, source FROM class_completions WHERE person_id = $1 AND class = $2",
                )
                .bind(person_id)
                .bind(&class)
                .fetch_optional(&mut *tx)
                .await?;
                let completed_on = completion.as_ref().and_then(|(on, _)| on.parse::<Date>().ok());
                if *status == Attendance::Attended {
                    if is_earlier_completion(completed_on, held) {
                        sqlx::query(
                            "INSERT INTO class_completions (partnership_id, person_id, class, completed_on, source) \
                             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, class) \
                             DO UPDATE SET completed_on = excluded.completed_on, source = excluded.source",
                        )
                        .bind(pid)
                        .bind(person_id)
                        .bind(&class)
                        .bind(&held_on)
                        .bind(&source)
                        .execute(&mut *tx)
                        .await?;
                        changes.push(Change::new("training.completion", "person", employee_no.trim()).after(
                            &serde_json::json!({
                                "class": class, "completed_on": held_on, "source": source,
                            }),
                        ));
                        report.completed += 1;
                        people.push(person_id);
                    }
                } else if completion.as_ref().is_some_and(|(_, from)| *from == source) {
                    sqlx::query("DELETE FROM class_completions WHERE person_id = $1 AND class = $2")
                        .bind(person_id)
                        .bind(&class)
                        .execute(&mut *tx)
                        .await?;
                    changes.push(
                        Change::new("training.completion_withdrawn", "person", employee_no.trim())
                            .before(&serde_json::json!({"class": class, "completed_on": held_on, "source": source})),
                    );
                    report.withdrawn += 1;
                    people.push(person_id);
                }
                tx.append_audit(pid, &actor, changes).await?;
            }
            (report, people)
        });
        report.teams_rated = self.rerate_after_training(pid, &people).await?;
        Ok(report)
    }

    /// Re-rate the teams whose leaders' training changed (`people`; all
    /// teams when many did), by the partnership's own rules.
    pub(crate) async fn rerate_after_training(&self, partnership_id: i64, people: &[i64]) -> Result<u64> {
        if people.is_empty() {
            return Ok(0);
        }
        if people.len() > RERATE_ONE_BY_ONE {
            return self.rerate_all_teams(partnership_id).await;
        }
        let rules = self.team_rules(partnership_id).await?.path;
        let today = crate::today();
        let mut rated = 0;
        for person in people {
            rated += self
                .rerate_teams(partnership_id, TeamScope::LedBy(*person), &rules, today)
                .await?;
        }
        Ok(rated)
    }
}
