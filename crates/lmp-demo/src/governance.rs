//! What surrounds the demo's decisions: four years of co-lead seats (with
//! the vacancies real partnerships have), council meetings with agendas,
//! attendance by side and minutes (now and then one side missing), a
//! meeting coming up for every council, a few decisions open today, and a
//! two-key change waiting for its second key.

use super::Rng;
use jiff::{Span, Timestamp};
use lmp_core::decision::{ContributionKind, DecisionMode};
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_core::two_key::JointChange;
use lmp_store::audit::{AuditAppend, Change};
use lmp_store::bulk::{BulkInsert, Value};
use lmp_store::decisions::stamp;
use lmp_store::joint_changes::ChangeTarget;
use lmp_store::{in_tx, on_pool, Result, Store};
use std::collections::HashMap;

/// How far back the demo's history reaches.
const YEARS_DAYS: i64 = 4 * 365 + 30;

fn days_ago(now: Timestamp, days: i64) -> Timestamp {
    now.saturating_sub(Span::new().hours(days * 24)).unwrap_or(now)
}

pub(crate) async fn load_demo_governance(store: &Store, pid: i64) -> Result<()> {
    let now = Timestamp::now();
    let mut rng = Rng(0x60_7E2A_4CE5);
    demo_co_lead_history(store, pid, now, &mut rng).await?;
    demo_council_meetings(store, pid, now, &mut rng).await?;
    Ok(())
}

/// Every co-lead seat held for four years, except where a seat stood
/// empty for a while and someone new took it (or it is empty still).
async fn demo_co_lead_history(store: &Store, pid: i64, now: Timestamp, rng: &mut Rng) -> Result<()> {
    let spells: Vec<(i64, i64, i64, String)> = on_pool!(store, |pool| sqlx::query_as(
        "SELECT id, body_id, person_id, side FROM co_lead_spells WHERE partnership_id = $1 ORDER BY id"
    )
    .bind(pid)
    .fetch_all(pool)
    .await?);
    let since = stamp(days_ago(now, YEARS_DAYS));
    let mut earlier = Vec::new();
    let mut moved: Vec<(i64, String)> = Vec::new();
    for (id, body, person, side) in &spells {
        // About one seat in nine stood empty once: for two weeks to five months.
        if rng.below(9) != 0 {
            continue;
        }
        let ended = rng.below(1400) as i64 + 40;
        let empty_for = 14 + rng.below(140) as i64;
        let returned = (ended - empty_for).max(1);
        earlier.push(vec![
            Value::Int(pid),
            Value::Int(*body),
            Value::Int(*person),
            side.as_str().into(),
            since.clone().into(),
            stamp(days_ago(now, ended)).into(),
        ]);
        moved.push((*id, stamp(days_ago(now, returned))));
    }
    in_tx!(store, |tx| {
        sqlx::query("UPDATE co_lead_spells SET started_at = $1 WHERE partnership_id = $2")
            .bind(&since)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
        for (id, started) in &moved {
            sqlx::query("UPDATE co_lead_spells SET started_at = $1 WHERE id = $2")
                .bind(started)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.insert_rows(
            "co_lead_spells",
            &[
                "partnership_id",
                "body_id",
                "person_id",
                "side",
                "started_at",
                "ended_at",
            ],
            &earlier,
        )
        .await?;
    });
    Ok(())
}

/// Councils (every body above the team) meet each quarter; the agenda
/// takes up the decisions raised since the last meeting.
async fn demo_council_meetings(store: &Store, pid: i64, now: Timestamp, rng: &mut Rng) -> Result<()> {
    type Seat = (i64, i64, String);
    type Raised = (i64, i64, String, String);
    let (bodies, seats, decisions): (Vec<(i64, String)>, Vec<Seat>, Vec<Raised>) = on_pool!(store, |pool| {
        let bodies =
            sqlx::query_as("SELECT id, name FROM bodies WHERE partnership_id = $1 AND level <> 'team' ORDER BY id")
                .bind(pid)
                .fetch_all(pool)
                .await?;
        let seats = sqlx::query_as(
            "SELECT s.body_id, s.person_id, s.side FROM seats s JOIN bodies b ON b.id = s.body_id \
                 WHERE s.partnership_id = $1 AND b.level <> 'team' ORDER BY s.id",
        )
        .bind(pid)
        .fetch_all(pool)
        .await?;
        let decisions = sqlx::query_as(
            "SELECT id, origin_body_id, title, created_at FROM decisions WHERE partnership_id = $1 ORDER BY created_at",
        )
        .bind(pid)
        .fetch_all(pool)
        .await?;
        (bodies, seats, decisions)
    });
    let mut seats_of: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (body, person, side) in seats {
        let list = seats_of.entry(body).or_default();
        if !list.iter().any(|(p, _)| *p == person) {
            list.push((person, side));
        }
    }
    let mut decisions_of: HashMap<i64, Vec<(i64, String, String)>> = HashMap::new();
    for (id, body, title, created) in decisions {
        decisions_of.entry(body).or_default().push((id, title, created));
    }
    let next = |table: &str| format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
    let mut meeting_id: i64 = on_pool!(store, |pool| sqlx::query_scalar(&next("meetings"))
        .fetch_one(pool)
        .await?);
    let (mut meetings, mut agenda, mut attendance, mut changes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let today = lmp_store::today();
    let names = super::seat_holder_names(store, pid).await?;
    for (body, name) in &bodies {
        let members = seats_of.get(body).cloned().unwrap_or_default();
        // The sides take turns calling the quarter's meeting, each by name.
        let caller = |side: &str| {
            members
                .iter()
                .find(|(_, s)| s == side)
                .and_then(|(p, _)| names.get(p).cloned())
                .unwrap_or_default()
        };
        let callers = [caller("labor"), caller("management")];
        let raised = decisions_of.get(body).cloned().unwrap_or_default();
        // Sixteen quarters back, then one coming up.
        for quarter in (0..=16).rev() {
            let held = if quarter == 0 {
                today
                    .checked_add(Span::new().days(7 + rng.below(21) as i64))
                    .unwrap_or(today)
            } else {
                today
                    .checked_sub(Span::new().days(quarter * 91 - rng.below(30) as i64))
                    .unwrap_or(today)
            };
            let id = meeting_id;
            meeting_id += 1;
            let held_text = held.to_string();
            let window_start = held.checked_sub(Span::new().days(91)).unwrap_or(held).to_string();
            let taken_up: Vec<&(i64, String, String)> = raised
                .iter()
                .filter(|(_, _, created)| {
                    created.as_str() >= window_start.as_str() && created.as_str() < held_text.as_str()
                })
                .take(3)
                .collect();
            let mut position = 1;
            for (decision, title, _) in &taken_up {
                agenda.push(vec![
                    Value::Int(pid),
                    Value::Int(id),
                    Value::Int(position),
                    title.as_str().into(),
                    Value::Int(*decision),
                ]);
                position += 1;
            }
            for item in [
                "Co-leads' report",
                "Unit-based team progress",
                "Partnership Trust update",
            ] {
                agenda.push(vec![
                    Value::Int(pid),
                    Value::Int(id),
                    Value::Int(position),
                    item.into(),
                    Value::Null,
                ]);
                position += 1;
            }
            let mut minutes = String::new();
            if quarter > 0 {
                // Now and then one side does not come at all: the sign the health page watches.
                let missing = match rng.below(100) {
                    0..=6 => Some("management"),
                    7..=12 => Some("labor"),
                    _ => None,
                };
                let mut came = (0, 0);
                for (person, side) in &members {
                    if Some(side.as_str()) == missing || rng.below(100) >= 85 {
                        continue;
                    }
                    if side == "labor" {
                        came.0 += 1;
                    } else if side == "management" {
                        came.1 += 1;
                    }
                    attendance.push(vec![
                        Value::Int(id),
                        Value::Int(*person),
                        Value::Int(pid),
                        side.as_str().into(),
                    ]);
                }
                minutes = format!(
                    "Met with {} from labor and {} from management. Reviewed {} item(s); actions recorded on each decision's page.",
                    came.0,
                    came.1,
                    position - 1
                );
            }
            meetings.push(vec![
                Value::Int(id),
                Value::Int(pid),
                Value::Int(*body),
                "meeting".into(),
                held_text.clone().into(),
                minutes.into(),
                callers[quarter as usize % 2].as_str().into(),
                stamp(now).into(),
                format!("{name}: quarterly meeting").into(),
                "09:30".into(),
                Value::Int(120),
                "Conference room B".into(),
            ]);
            changes.push(Change::new("meeting.call", "body", body).after(&serde_json::json!({
                "meeting": id, "date": held_text, "agenda_items": position - 1})));
        }
    }
    in_tx!(store, |tx| {
        tx.insert_rows(
            "meetings",
            &[
                "id",
                "partnership_id",
                "body_id",
                "kind",
                "held_on",
                "notes",
                "created_by",
                "created_at",
                "title",
                "starts_at",
                "duration_minutes",
                "location",
            ],
            &meetings,
        )
        .await?;
        tx.insert_rows(
            "agenda_items",
            &["partnership_id", "meeting_id", "position", "title", "decision_id"],
            &agenda,
        )
        .await?;
        tx.insert_rows(
            "meeting_attendance",
            &["meeting_id", "person_id", "partnership_id", "side"],
            &attendance,
        )
        .await?;
        tx.append_audit(pid, "operator", changes).await?;
    });
    store.advance_id_sequences(&["meetings", "agenda_items"]).await?;
    Ok(())
}

/// Decisions open today (one waits for the demo co-leads' stances) and a
/// two-key change waiting for management's key: written through the
/// same calls people make, so notices go out as they would.
pub(crate) async fn load_demo_open_work(store: &Store, pid: i64) -> Result<()> {
    let team = store.first_team(pid).await?;
    let councils: Vec<i64> = on_pool!(store, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM bodies WHERE partnership_id = $1 AND level IN ('national', 'regional') ORDER BY id LIMIT 6",
        )
        .bind(pid)
        .fetch_all(pool)
        .await?
    });
    let issues = [
        (
            "Holiday scheduling rotation",
            "Holidays fall on the same people every year",
        ),
        ("Float pool expansion", "Call-outs leave units short at night"),
        ("Tuition support for LVN to RN", "Vacancies for RNs keep growing"),
    ];
    for (n, body) in std::iter::once(team).chain(councils).enumerate() {
        let leaders = store.body_leaders(pid, body).await?;
        let lead = |side: &str| {
            leaders
                .iter()
                .find(|s| s.role == "co_lead" && s.side == side)
                .map(|s| (s.person_id, s.person_name.clone()))
        };
        let (Some((labor, labor_name)), Some((management, management_name))) = (lead("labor"), lead("management"))
        else {
            continue;
        };
        // Each co-lead acts in their own name, from their own seat.
        let taking_part = async |person: i64, name: String| -> Result<Permit> {
            let seats = store.seats_held(pid, body, Some(person)).await?;
            let actor = Actor {
                user_id: 0,
                username: name,
                partnership_id: pid,
                role: UserRole::Member,
            };
            Ok(authorize(&actor, Action::TakePart { seats }, pid)?)
        };
        let permit = taking_part(labor, labor_name).await?;
        let management_permit = taking_part(management, management_name).await?;
        let (title, issue) = issues[n % issues.len()];
        let d = store.raise_decision(&permit, body, labor, title, issue).await?;
        store
            .contribute(
                &permit,
                d,
                labor,
                ContributionKind::Interest,
                "Fair rotation, known a year ahead",
                None,
            )
            .await?;
        store
            .contribute(
                &management_permit,
                d,
                management,
                ContributionKind::Interest,
                "Coverage on every holiday",
                None,
            )
            .await?;
        store.advance_decision(&permit, d).await?;
        store
            .contribute(
                &management_permit,
                d,
                management,
                ContributionKind::Alternative,
                "A published rotation by seniority",
                None,
            )
            .await?;
        store
            .contribute(
                &permit,
                d,
                labor,
                ContributionKind::Alternative,
                "Volunteers first, then rotation",
                None,
            )
            .await?;
        if n % 2 == 0 {
            store.advance_decision(&permit, d).await?;
            store
                .contribute(
                    &permit,
                    d,
                    labor,
                    ContributionKind::Solution,
                    "Volunteers first, then a published rotation",
                    None,
                )
                .await?;
            store.advance_decision(&permit, d).await?;
        }
    }
    // A department that wants to recommend rather than decide: labor has
    // turned its key; management's is still to turn.
    let department: Option<i64> = on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT MIN(id) FROM bodies WHERE partnership_id = $1 AND level = 'department'"
    )
    .bind(pid)
    .fetch_one(pool)
    .await?);
    if let Some(department) = department {
        let labor = Actor {
            user_id: 0,
            username: "labor".into(),
            partnership_id: pid,
            role: UserRole::LaborRepresentative,
        };
        if let Ok(permit) = authorize(&labor, Action::RequestJointChange, pid) {
            store
                .request_joint_change(
                    &permit,
                    ChangeTarget::Body(department),
                    &JointChange::DecisionRules {
                        mode: DecisionMode::Recommend,
                        time_limit_days: Some(21),
                    },
                    "Staffing questions here belong with the facility council",
                )
                .await?;
        }
    }
    Ok(())
}
