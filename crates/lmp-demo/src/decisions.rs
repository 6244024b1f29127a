//! The demo's joint decisions: a few years of issues raised and worked
//! through at every level, so the participation index and the warning
//! signs have a story. Most decisions are framed by both sides; some have
//! one side come in only after the options were fixed (more often labor, as
//! the research warns), a few are written up after the fact, a few blocked
//! and escalated. Timestamps are spread over the last four years and grow
//! more joint with time.

use super::Rng;
use jiff::{Span, Timestamp};
use lmp_core::decision::{ContributionKind, DecisionMode, Stage, Stance};
use lmp_store::audit::{AuditAppend, Change};
use lmp_store::bulk::{BulkInsert, Value};
use lmp_store::{in_tx, on_pool, Result, Store};
use std::collections::HashMap;

/// Decisions per body, by level.
fn decisions_for(level: &str, rng: &mut Rng) -> usize {
    match level {
        "national" => 30,
        "regional" => 16,
        "facility" => 8,
        "department" => 2,
        _ => rng.below(3),
    }
}

const ISSUES: &[(&str, &str, &str, &str)] = &[
    (
        "Night float coverage",
        "Nights run short when someone calls out",
        "Safe patient loads at night",
        "Overtime within budget",
    ),
    (
        "Break relief",
        "Breaks are missed on busy shifts",
        "Real breaks every shift",
        "Coverage without agency staff",
    ),
    (
        "Scheduling rules",
        "Schedules post too late to plan around",
        "Schedules four weeks ahead",
        "Flexibility for census swings",
    ),
    (
        "New charting system rollout",
        "Training time for the new charting system",
        "Paid training before go-live",
        "Go-live on the agreed date",
    ),
    (
        "Parking and transit",
        "Staff parking moved off campus",
        "Safe access at night",
        "Lower parking lease costs",
    ),
    (
        "Supply par levels",
        "Shortages of basic supplies on weekends",
        "Supplies on hand every shift",
        "Less waste and expired stock",
    ),
];

fn at(base: Timestamp, minutes: i64) -> String {
    lmp_store::decisions::stamp(base.saturating_add(Span::new().minutes(minutes)).unwrap_or(base))
}

/// Give every body of the partnership its years of decisions.
pub(crate) async fn load_demo_decisions(store: &Store, pid: i64) -> Result<u64> {
    type BodyRow = (i64, String, Option<i64>);
    let (bodies, seats): (Vec<BodyRow>, Vec<super::teams::SeatRow>) = on_pool!(store, |pool| {
        let bodies = sqlx::query_as("SELECT id, level, parent_id FROM bodies WHERE partnership_id = $1 ORDER BY id")
            .bind(pid)
            .fetch_all(pool)
            .await?;
        let seats = sqlx::query_as(
            "SELECT body_id, person_id, role, side FROM seats WHERE partnership_id = $1 AND role IN ('co_lead', 'member') ORDER BY id",
        )
        .bind(pid)
        .fetch_all(pool)
        .await?;
        (bodies, seats)
    });
    // Who raised each decision is named on its page: the raiser's own name.
    let names = super::seat_holder_names(store, pid).await?;
    let mut by_body: HashMap<i64, Vec<(i64, String, String)>> = HashMap::new();
    for (body, person, role, side) in seats {
        by_body.entry(body).or_default().push((person, role, side));
    }
    let now = Timestamp::now();
    let mut rng = Rng(0xDEC1_5105);
    let limits = lmp_core::escalation::EscalationRules::default();
    let limit_minutes = |level: &str| {
        level
            .parse::<lmp_core::body::BodyLevel>()
            .map_or(30, |l| limits.limit_days(l))
            * 24
            * 60
    };
    let level_of: HashMap<i64, String> = bodies.iter().map(|(id, level, _)| (*id, level.clone())).collect();
    let (mut decisions, mut contributions, mut stances, mut changes, mut moves) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let next = |table: &str| format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
    let (mut decision_id, mut contribution_id): (i64, i64) = on_pool!(store, |pool| {
        (
            sqlx::query_scalar(&next("decisions")).fetch_one(pool).await?,
            sqlx::query_scalar(&next("contributions")).fetch_one(pool).await?,
        )
    });
    for (body, level, parent) in &bodies {
        let people = by_body.get(body).cloned().unwrap_or_default();
        let lead = |side: &str| people.iter().find(|(_, r, s)| r == "co_lead" && s == side).map(|p| p.0);
        let (Some(labor), Some(management)) = (lead("labor"), lead("management")) else {
            continue;
        };
        let member = people
            .iter()
            .find(|(_, r, s)| r == "member" && s == "labor")
            .map(|p| p.0)
            .unwrap_or(labor);
        for _ in 0..decisions_for(level, &mut rng) {
            let days_ago = 30 + rng.below(1430) as i64;
            let start = now.saturating_sub(Span::new().hours(days_ago * 24)).unwrap_or(now);
            // Older decisions were less often joint: the partnership grew into it.
            let joint_odds = 45 + (1460 - days_ago.min(1460)) as usize * 30 / 1460;
            let roll = rng.below(100);
            let (late_side, after_the_fact) = if roll < joint_odds {
                (None, false)
            } else if roll < joint_odds + 8 {
                (Some(if rng.below(100) < 65 { "labor" } else { "management" }), true)
            } else {
                (Some(if rng.below(100) < 65 { "labor" } else { "management" }), false)
            };
            let blocked = rng.below(20) == 0;
            let (title, issue, labor_interest, management_interest) = ISSUES[rng.below(ISSUES.len())];
            let options_closed = at(start, 60 * 24 * 7);
            let adopted = at(start, 60 * 24 * 14);
            let id = decision_id;
            decision_id += 1;
            let deadline_minutes = limit_minutes(level);
            // Who speaks when: the late side's first word comes after the
            // options closed (or, after the fact, after adoption).
            let first = |side: &str| -> i64 {
                match late_side {
                    Some(late) if late == side && after_the_fact => 60 * 24 * 15,
                    Some(late) if late == side => 60 * 24 * 10,
                    _ => 60,
                }
            };
            let raiser = if late_side == Some("labor") { management } else { labor };
            let raiser_side = if raiser == labor { "labor" } else { "management" };
            // Each word lands in the audit chain as a live one would, so
            // every demo decision's history verifies.
            let mut push = |person: i64, side: &str, kind: ContributionKind, text: &str, minute: i64| {
                let when = at(start, minute);
                changes.push(if kind == ContributionKind::Issue {
                    Change::new("decision.raise", "decision", id).after(&serde_json::json!({
                        "title": title, "issue": text, "person": person, "side": side, "at": when}))
                } else {
                    Change::new("decision.contribute", "decision", id).after(&serde_json::json!({
                        "kind": kind.as_str(), "text": text, "person": person, "side": side,
                        "option": null, "criterion": null, "score": null, "at": when}))
                });
                contributions.push(vec![
                    Value::Int(contribution_id),
                    Value::Int(pid),
                    Value::Int(id),
                    Value::Int(*body),
                    Value::Int(person),
                    side.into(),
                    kind.as_str().into(),
                    text.into(),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    when.into(),
                ]);
                contribution_id += 1;
            };
            push(raiser, raiser_side, ContributionKind::Issue, issue, 0);
            let labor_at = first("labor");
            let management_at = first("management");
            let interest_kind = |minute: i64| {
                if minute < 60 * 24 * 7 {
                    ContributionKind::Interest
                } else {
                    ContributionKind::Comment
                }
            };
            push(member, "labor", interest_kind(labor_at), labor_interest, labor_at);
            push(
                management,
                "management",
                interest_kind(management_at),
                management_interest,
                management_at,
            );
            push(
                raiser,
                raiser_side,
                ContributionKind::Alternative,
                "A joint pilot for ninety days",
                60 * 24 * 3,
            );
            push(
                raiser,
                raiser_side,
                ContributionKind::Solution,
                "Pilot for ninety days, reviewed jointly",
                60 * 24 * 8,
            );
            for (person, side, role, minute) in [
                (labor, "labor", "co_lead", labor_at.max(60 * 24 * 9)),
                (management, "management", "co_lead", management_at.max(60 * 24 * 9)),
                (
                    member,
                    "labor",
                    if member == labor { "co_lead" } else { "member" },
                    labor_at.max(60 * 24 * 9) + 5,
                ),
            ] {
                let stance = if blocked && side == "management" {
                    Stance::Block
                } else {
                    Stance::Support
                };
                let reason = if stance == Stance::Block {
                    "Not within this year's budget"
                } else {
                    ""
                };
                // A side recorded after the fact stands after adoption.
                let minute = if minute >= 60 * 24 * 15 {
                    minute + 10
                } else {
                    minute.min(60 * 24 * 14)
                };
                let when = at(start, minute);
                changes.push(Change::new("decision.stance", "decision", id).after(&serde_json::json!({
                    "person": person, "side": side, "role": role, "stance": stance.as_str(), "reason": reason, "at": when})));
                stances.push(vec![
                    Value::Int(pid),
                    Value::Int(id),
                    Value::Int(person),
                    side.into(),
                    role.into(),
                    stance.as_str().into(),
                    reason.into(),
                    when.into(),
                ]);
            }
            // Where it ends: adopted here; or, blocked past its deadline,
            // risen by the clock to the parent body and settled there (a
            // neutral's ruling at the top); or still waiting here.
            let overdue = blocked
                && now
                    > start
                        .saturating_add(Span::new().minutes(deadline_minutes))
                        .unwrap_or(now);
            let parent_leads = parent.and_then(|p| {
                let people = by_body.get(&p)?;
                let lead = |side: &str| people.iter().find(|(_, r, s)| r == "co_lead" && s == side).map(|x| x.0);
                Some((p, lead("labor")?, lead("management")?))
            });
            let (final_body, stage, adopted_at, stage_changed) = if !blocked {
                changes
                    .push(Change::new("decision.adopted", "decision", id).after(&serde_json::json!({"at": adopted})));
                (*body, Stage::Adopted, Some(adopted.clone()), adopted.clone())
            } else if overdue {
                let risen = at(start, deadline_minutes);
                let settled = at(start, deadline_minutes + 60 * 24 * 10);
                if let Some((to, labor_lead, management_lead)) = parent_leads {
                    moves.push(vec![
                        Value::Int(pid),
                        Value::Int(id),
                        Value::Int(*body),
                        Value::Int(to),
                        "no consensus by the deadline".into(),
                        lmp_store::decisions::DEADLINE_ACTOR.into(),
                        risen.clone().into(),
                    ]);
                    changes.push(
                        Change::new("decision.escalate", "decision", id)
                            .before(body)
                            .after(&serde_json::json!({
                        "body": to, "reason": "no consensus by the deadline", "at": risen})),
                    );
                    for (person, side) in [(labor_lead, "labor"), (management_lead, "management")] {
                        changes.push(
                            Change::new("decision.stance", "decision", id).after(&serde_json::json!({
                            "person": person, "side": side, "role": "co_lead", "stance": "can_live_with",
                            "reason": "A smaller pilot first", "at": settled})),
                        );
                        stances.push(vec![
                            Value::Int(pid),
                            Value::Int(id),
                            Value::Int(person),
                            side.into(),
                            "co_lead".into(),
                            Stance::CanLiveWith.as_str().into(),
                            "A smaller pilot first".into(),
                            settled.clone().into(),
                        ]);
                    }
                    changes.push(
                        Change::new("decision.adopted", "decision", id).after(&serde_json::json!({"at": settled})),
                    );
                    (to, Stage::Adopted, Some(settled.clone()), settled)
                } else {
                    let ruling = "A neutral's ruling: pilot it for ninety days, then review jointly";
                    changes.push(
                        Change::new("decision.ruling", "decision", id).after(&serde_json::json!({
                        "ruling": ruling, "recorded_by": labor, "side": "labor", "at": settled})),
                    );
                    contributions.push(vec![
                        Value::Int(contribution_id),
                        Value::Int(pid),
                        Value::Int(id),
                        Value::Int(*body),
                        Value::Int(labor),
                        "labor".into(),
                        ContributionKind::Ruling.as_str().into(),
                        ruling.into(),
                        Value::Null,
                        Value::Null,
                        Value::Null,
                        settled.clone().into(),
                    ]);
                    contribution_id += 1;
                    (*body, Stage::Ruled, None, settled)
                }
            } else {
                (*body, Stage::Deciding, None, at(start, 60 * 24 * 14))
            };
            let final_level = level_of.get(&final_body).map_or(level.as_str(), String::as_str);
            let deadline = if final_body == *body {
                at(start, deadline_minutes)
            } else {
                at(start, deadline_minutes + limit_minutes(final_level))
            };
            decisions.push(vec![
                Value::Int(id),
                Value::Int(pid),
                Value::Int(final_body),
                Value::Int(*body),
                title.into(),
                DecisionMode::Consensus.as_str().into(),
                stage.as_str().into(),
                deadline.into(),
                names.get(&labor).cloned().unwrap_or_default().into(),
                at(start, 0).into(),
                stage_changed.into(),
                options_closed.clone().into(),
                adopted_at.into(),
            ]);
        }
    }
    let count = decisions.len() as u64;
    in_tx!(store, |tx| {
        tx.insert_rows(
            "decisions",
            &[
                "id",
                "partnership_id",
                "body_id",
                "origin_body_id",
                "title",
                "mode",
                "stage",
                "deadline",
                "created_by",
                "created_at",
                "stage_changed_at",
                "options_closed_at",
                "adopted_at",
            ],
            &decisions,
        )
        .await?;
        tx.insert_rows(
            "contributions",
            &[
                "id",
                "partnership_id",
                "decision_id",
                "body_id",
                "person_id",
                "side",
                "kind",
                "text",
                "option_id",
                "criterion_id",
                "score",
                "at",
            ],
            &contributions,
        )
        .await?;
        tx.insert_rows(
            "stances",
            &[
                "partnership_id",
                "decision_id",
                "person_id",
                "side",
                "role",
                "stance",
                "reason",
                "at",
            ],
            &stances,
        )
        .await?;
        tx.insert_rows(
            "decision_moves",
            &[
                "partnership_id",
                "decision_id",
                "from_body_id",
                "to_body_id",
                "reason",
                "moved_by",
                "at",
            ],
            &moves,
        )
        .await?;
        tx.append_audit(pid, "operator", changes).await?;
    });
    store
        .advance_id_sequences(&["decisions", "contributions", "stances", "decision_moves"])
        .await?;
    Ok(count)
}
