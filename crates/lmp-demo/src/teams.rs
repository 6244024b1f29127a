//! The demo's teams at work: years of meetings, projects on the Value
//! Compass, measurements, tests of change, savings claims and signatures,
//! and a Path to Performance history — generated so that each team's
//! computed level today lands where its story says, and the totals tell the
//! published story (about 3,600 teams, roughly $600 M of self-reported
//! savings, a minority at levels 4–5 that grows over the years).

use super::Rng;
use jiff::civil::Date;
use jiff::Span;
use lmp_core::improvement::CompassPoint::{self, *};
use lmp_core::team::CharterSection;
use lmp_core::training::Class;
use lmp_core::Side;
use lmp_store::audit::{AuditAppend, Change};
use lmp_store::bulk::{BulkInsert, Value};
use lmp_store::teams::rating::month_of;
use lmp_store::{in_tx, on_pool, Result, Store};
use std::collections::{HashMap, HashSet};

/// What the generator needs of one team, read back after bodies are loaded.
#[derive(Debug, Clone, Default)]
struct Seed {
    id: i64,
    code: String,
    facility: Option<i64>,
    co_leads: Vec<(i64, Side)>,
    sponsors: Vec<(i64, Side)>,
    members: Vec<(i64, Side)>,
}

/// A kind of project teams run, with its measure and what it might cost.
struct Template {
    title: &'static str,
    points: &'static [CompassPoint],
    measure: &'static str,
    unit: &'static str,
    baseline: f64,
    target: f64,
    change: &'static str,
    balancing: (&'static str, &'static str, &'static str),
    /// Typical saving per claim, in dollars (0: the project saves no money).
    saving: i64,
}

const TEMPLATES: &[Template] = &[
    Template {
        title: "Fewer falls on nights",
        points: &[BestQuality, BestPlaceToWork],
        measure: "Falls per 1,000 patient days",
        unit: "per 1,000 patient days",
        baseline: 3.8,
        target: 2.2,
        change: "Hourly rounding with a bed-alarm check",
        balancing: ("Overtime hours", "hours per pay period", "down"),
        saving: 54_000,
    },
    Template {
        title: "Hand hygiene every time",
        points: &[BestQuality],
        measure: "Hand hygiene compliance",
        unit: "%",
        baseline: 78.0,
        target: 95.0,
        change: "Peer observers and a weekly huddle board",
        balancing: ("Staff workload score", "score 1-10", "down"),
        saving: 0,
    },
    Template {
        title: "Door-to-room under 30 minutes",
        points: &[BestService],
        measure: "Door-to-room time",
        unit: "minutes",
        baseline: 44.0,
        target: 30.0,
        change: "A greeter nurse at the front desk at peak hours",
        balancing: ("Patient experience top-box", "%", "up"),
        saving: 27_000,
    },
    Template {
        title: "Answer the phone",
        points: &[BestService, MostAffordable],
        measure: "Call abandonment",
        unit: "%",
        baseline: 14.0,
        target: 6.0,
        change: "Shared call queue across the two front desks",
        balancing: ("Missed breaks", "per week", "down"),
        saving: 66_000,
    },
    Template {
        title: "Linen: order what we use",
        points: &[MostAffordable],
        measure: "Linen cost",
        unit: "$ per patient day",
        baseline: 11.5,
        target: 8.0,
        change: "Par levels counted by the unit clerk each morning",
        balancing: ("Patient experience top-box", "%", "up"),
        saving: 138_000,
    },
    Template {
        title: "Supply waste in the OR",
        points: &[MostAffordable, BestQuality],
        measure: "Opened-unused supplies",
        unit: "$ per case",
        baseline: 38.0,
        target: 22.0,
        change: "Surgeon preference cards reviewed with the scrub techs",
        balancing: ("Turnover time", "minutes", "down"),
        saving: 183_000,
    },
    Template {
        title: "Overtime we can plan for",
        points: &[MostAffordable, BestPlaceToWork],
        measure: "Unplanned overtime",
        unit: "hours per pay period",
        baseline: 160.0,
        target: 90.0,
        change: "Self-scheduling with a shared float pool",
        balancing: ("Missed breaks", "per week", "down"),
        saving: 114_000,
    },
    Template {
        title: "Safe patient handling",
        points: &[BestPlaceToWork, BestQuality],
        measure: "Staff lifting injuries",
        unit: "per quarter",
        baseline: 6.0,
        target: 2.0,
        change: "Lift equipment at every second room and a lift team on days",
        balancing: ("Overtime hours", "hours per pay period", "down"),
        saving: 90_000,
    },
    Template {
        title: "Breaks for everyone",
        points: &[BestPlaceToWork],
        measure: "Missed breaks",
        unit: "per week",
        baseline: 25.0,
        target: 5.0,
        change: "A break-relief nurse each shift",
        balancing: ("Patient experience top-box", "%", "up"),
        saving: 0,
    },
    Template {
        title: "Discharge before noon",
        points: &[BestService, MostAffordable],
        measure: "Discharges before noon",
        unit: "%",
        baseline: 18.0,
        target: 40.0,
        change: "Discharge huddle at 9:00 with pharmacy",
        balancing: ("Readmissions within 30 days", "%", "down"),
        saving: 156_000,
    },
];

/// The level each team is built to reach, per thousand teams with both
/// co-leads: level 1 to 5.
const LEVEL_SHARES: [(u8, u64); 5] = [(1, 140), (2, 260), (3, 320), (4, 180), (5, 100)];

/// How far back the demo's records go.
const HISTORY_MONTHS: i64 = 48;

#[derive(Default)]
struct Rows {
    teams: Vec<Vec<Value>>,
    classes: Vec<Vec<Value>>,
    meetings: Vec<Vec<Value>>,
    attendance: Vec<Vec<Value>>,
    projects: Vec<Vec<Value>>,
    compass: Vec<Vec<Value>>,
    measures: Vec<Vec<Value>>,
    measurements: Vec<Vec<Value>>,
    tests: Vec<Vec<Value>>,
    participants: Vec<Vec<Value>>,
    claims: Vec<Vec<Value>>,
    signatures: Vec<Vec<Value>>,
    ratings: Vec<Vec<Value>>,
    changes: Vec<Change>,
}

/// (team id, code, facility id) and (team id, person id, role, side).
type TeamRow = (i64, String, Option<i64>);
pub(super) type SeatRow = (i64, i64, String, String);

/// The next id of each table, assigned here so children can name parents.
struct Ids {
    meeting: i64,
    project: i64,
    measure: i64,
    test: i64,
    claim: i64,
}

fn days_before(day: Date, days: i64) -> Date {
    day.saturating_sub(Span::new().days(days))
}

fn target_level(rng: &mut Rng, seed: &Seed) -> u8 {
    let both = Side::REQUIRED
        .iter()
        .all(|side| seed.co_leads.iter().any(|(_, s)| s == side));
    if !both {
        return 0;
    }
    let mut roll = rng.below(1000) as u64;
    for (level, share) in LEVEL_SHARES {
        if roll < share {
            return level;
        }
        roll -= share;
    }
    3
}

fn generate(seeds: &[Seed], pid: i64, today: Date, ids: &mut Ids) -> Rows {
    let mut rng = Rng(0x5EED_0F7E_A115);
    let mut rows = Rows::default();
    let mut trained: HashSet<(i64, Class)> = HashSet::new();
    // Projects so far, for adoption: (project id, team, facility, template).
    let mut originals: Vec<(i64, i64, Option<i64>, usize, Date)> = Vec::new();
    let now = lmp_store::now_text();
    for (index, seed) in seeds.iter().enumerate() {
        let level = if index == 0 { 3 } else { target_level(&mut rng, seed) };
        let lead_side = Side::REQUIRED[index % 2];
        // Charter.
        let mut charter: Vec<String> = CharterSection::ALL
            .iter()
            .map(|section| {
                format!(
                    "{} agreed by the team.",
                    section.label().split(':').next().unwrap_or("This section")
                )
            })
            .collect();
        if level < 2 {
            for text in charter.iter_mut().skip(2) {
                text.clear();
            }
        }
        let champion = if level >= 4 {
            seed.members.get(2).map(|m| m.0)
        } else {
            None
        };
        let mut team_row = vec![Value::Int(seed.id), Value::Int(pid)];
        team_row.extend(charter.into_iter().map(Value::Text));
        team_row.push(champion.into());
        team_row.push(Value::Text(now.clone()));
        rows.teams.push(team_row);
        // Classes.
        let mut train = |person: i64, class: Class, rows: &mut Rows, rng: &mut Rng| {
            if trained.insert((person, class)) {
                let on = days_before(today, 200 + rng.below(900) as i64);
                rows.classes.push(vec![
                    Value::Int(pid),
                    Value::Int(person),
                    class.as_str().into(),
                    on.to_string().into(),
                ]);
            }
        };
        if level >= 1 {
            for (person, _) in &seed.co_leads {
                train(*person, Class::CoLeadWorkshop, &mut rows, &mut rng);
            }
        }
        if level >= 2 {
            for (person, _) in &seed.sponsors {
                train(*person, Class::EffectiveStakeholding, &mut rows, &mut rng);
            }
        }
        // Meetings over two years: monthly for teams past level 1.
        let every = if level >= 2 { 28 } else { 75 };
        let mut day = days_before(today, 3 + rng.below(10) as i64);
        let oldest = days_before(today, 730);
        let mut k = 0usize;
        while day > oldest && !seed.co_leads.is_empty() {
            let id = ids.meeting;
            ids.meeting += 1;
            let co_lead = |side: Side| seed.co_leads.iter().find(|(_, s)| *s == side).map(|(p, _)| *p);
            let run_by = if level >= 5 && k % 4 == 1 {
                seed.members.get(3 + k % 5).map(|m| m.0)
            } else if level >= 4 {
                co_lead(Side::REQUIRED[k % 2])
            } else {
                co_lead(lead_side).or_else(|| seed.co_leads.first().map(|c| c.0))
            };
            rows.meetings.push(vec![
                Value::Int(id),
                Value::Int(pid),
                Value::Int(seed.id),
                (if k % 3 == 2 { "huddle" } else { "meeting" }).into(),
                day.to_string().into(),
                run_by.into(),
                "".into(),
                "operator".into(),
                now.clone().into(),
            ]);
            let mut present: HashSet<i64> = HashSet::new();
            for (person, side) in &seed.co_leads {
                if present.insert(*person) {
                    rows.attendance.push(vec![
                        Value::Int(id),
                        Value::Int(*person),
                        Value::Int(pid),
                        side.as_str().into(),
                    ]);
                }
            }
            if level >= 3 {
                if let Some((person, side)) = seed.sponsors.get(k % seed.sponsors.len().max(1)) {
                    if present.insert(*person) {
                        rows.attendance.push(vec![
                            Value::Int(id),
                            Value::Int(*person),
                            Value::Int(pid),
                            side.as_str().into(),
                        ]);
                    }
                }
            }
            let came = 4 + rng.below(8);
            for _ in 0..came {
                if seed.members.is_empty() {
                    break;
                }
                let (person, side) = seed.members[rng.below(seed.members.len())];
                if present.insert(person) {
                    rows.attendance.push(vec![
                        Value::Int(id),
                        Value::Int(person),
                        Value::Int(pid),
                        side.as_str().into(),
                    ]);
                }
            }
            if let Some((person, side)) = run_by.and_then(|p| seed.members.iter().find(|m| m.0 == p)) {
                if present.insert(*person) {
                    rows.attendance.push(vec![
                        Value::Int(id),
                        Value::Int(*person),
                        Value::Int(pid),
                        side.as_str().into(),
                    ]);
                }
            }
            day = days_before(day, every as i64 + rng.below(6) as i64 - 3);
            k += 1;
        }
        // Projects.
        let project_count = match level {
            0 | 1 => rng.below(2),
            2 => 1 + rng.below(2),
            3 => 2 + rng.below(2),
            4 => 3 + rng.below(2),
            _ => 4 + rng.below(2),
        };
        let mut covered: HashSet<CompassPoint> = HashSet::new();
        let mut tests_left: usize = match level {
            0..=2 => rng.below(2),
            3 => 2,
            _ => 3 + rng.below(4),
        };
        for p in 0..project_count {
            // The newest project is current; older ones are finished.
            let newest = p + 1 == project_count;
            let age_days = if newest {
                150 + rng.below(250) as i64
            } else {
                400 + rng.below(1000) as i64
            };
            let started = days_before(today, age_days);
            let mut t = (index * 7 + p * 3 + rng.below(TEMPLATES.len())) % TEMPLATES.len();
            // Spread: a high-performing team's first project, and now and
            // then another's, adopts a project another team began earlier.
            let mut adopted_from = None;
            if (level >= 5 && p == 0) || (level >= 3 && !newest && rng.below(8) == 0) {
                let skip = rng.below(50);
                if let Some(origin) = originals
                    .iter()
                    .rev()
                    .filter(|o| o.1 != seed.id && o.4 < started)
                    .nth(skip)
                {
                    adopted_from = Some(origin.0);
                    t = origin.3;
                }
            } else if level >= 5 {
                // A high-performing team's projects fill in the compass.
                if let Some(missing) = CompassPoint::ALL.iter().find(|c| !covered.contains(c)) {
                    t = TEMPLATES
                        .iter()
                        .position(|tpl| tpl.points.contains(missing))
                        .unwrap_or(t);
                }
            }
            let template = &TEMPLATES[t];
            covered.extend(template.points.iter().copied());
            let status = if !newest {
                "completed"
            } else if level >= 3 {
                "testing"
            } else {
                "planning"
            };
            let last_documented = if newest {
                match level {
                    0..=2 => days_before(today, 120 + rng.below(200) as i64),
                    _ => days_before(today, rng.below(25) as i64),
                }
            } else {
                days_before(today, age_days - 330)
            };
            let project_id = ids.project;
            ids.project += 1;
            let code = format!("{}-P{}", seed.code, p + 1);
            rows.projects.push(vec![
                Value::Int(project_id),
                Value::Int(pid),
                Value::Int(seed.id),
                code.clone().into(),
                template.title.into(),
                status.into(),
                format!(
                    "{} for our patients and ourselves, by {}",
                    template.title,
                    days_before(started, -330)
                )
                .into(),
                format!("{} ({}), tracked monthly", template.measure, template.unit).into(),
                template.change.into(),
                started.to_string().into(),
                days_before(started, -330).to_string().into(),
                adopted_from.into(),
                last_documented.to_string().into(),
                now.clone().into(),
            ]);
            for point in template.points {
                rows.compass
                    .push(vec![Value::Int(project_id), Value::Int(pid), point.as_str().into()]);
            }
            originals.push((project_id, seed.id, seed.facility, t, started));
            // Measures and a point a month until the last documentation.
            let main = ids.measure;
            let balancing = ids.measure + 1;
            ids.measure += 2;
            let direction = if template.target > template.baseline {
                "up"
            } else {
                "down"
            };
            rows.measures.push(vec![
                Value::Int(main),
                Value::Int(pid),
                Value::Int(project_id),
                "main".into(),
                template.measure.into(),
                template.unit.into(),
                direction.into(),
                Value::Real(template.baseline),
                Value::Real(template.target),
            ]);
            rows.measures.push(vec![
                Value::Int(balancing),
                Value::Int(pid),
                Value::Int(project_id),
                "balancing".into(),
                template.balancing.0.into(),
                template.balancing.1.into(),
                template.balancing.2.into(),
                Value::Null,
                Value::Null,
            ]);
            let months = ((last_documented - started).get_days().max(0) / 30) as usize;
            let spread = (template.target - template.baseline).abs();
            let balancing_base = 20.0 + rng.below(60) as f64;
            for m in 0..=months {
                let taken = days_before(started, -(m as i64 * 30));
                if taken > last_documented {
                    break;
                }
                let progress = (m as f64 / 6.0).min(1.0) * if level >= 3 { 1.0 } else { 0.5 };
                let noise = (rng.below(1000) as f64 / 1000.0 - 0.5) * spread * 0.3;
                let value = template.baseline + (template.target - template.baseline) * progress + noise;
                rows.measurements.push(vec![
                    Value::Int(main),
                    Value::Int(pid),
                    taken.to_string().into(),
                    Value::Real((value * 10.0).round() / 10.0),
                ]);
                let b = balancing_base + (rng.below(1000) as f64 / 1000.0 - 0.5) * balancing_base * 0.2;
                rows.measurements.push(vec![
                    Value::Int(balancing),
                    Value::Int(pid),
                    taken.to_string().into(),
                    Value::Real((b * 10.0).round() / 10.0),
                ]);
            }
            // Tests of change: the project's first weeks.
            let tests_here = if newest {
                tests_left
            } else {
                tests_left.min(1 + rng.below(2))
            };
            tests_left -= tests_here;
            for n in 0..tests_here {
                let test_id = ids.test;
                ids.test += 1;
                let start = days_before(started, -(14 + n as i64 * 35));
                let end = days_before(start, -28);
                let done = end < today;
                rows.tests.push(vec![
                    Value::Int(test_id),
                    Value::Int(pid),
                    Value::Int(project_id),
                    format!("{} (cycle {})", template.change, n + 1).into(),
                    format!("{} moves toward {}", template.measure, template.target).into(),
                    start.min(today).to_string().into(),
                    (if done { Some(end.to_string()) } else { None }).into(),
                    (if done {
                        format!("{} moved as predicted on most days", template.measure)
                    } else {
                        String::new()
                    })
                    .into(),
                    (if done {
                        Some(if n % 3 == 2 { "adapt" } else { "adopt" })
                    } else {
                        None
                    })
                    .into(),
                    now.clone().into(),
                ]);
                let mut who: HashSet<i64> = HashSet::new();
                for _ in 0..3 + rng.below(5) {
                    if let Some((person, _)) = seed.members.get(rng.below(seed.members.len().max(1))) {
                        if who.insert(*person) {
                            rows.participants
                                .push(vec![Value::Int(test_id), Value::Int(*person), Value::Int(pid)]);
                        }
                    }
                }
            }
            // Savings: a claim per year of the project, signed by both co-leads or both sponsors.
            if template.saving > 0 && level >= 2 {
                let years = 1 + (months / 12);
                for y in 0..years {
                    let period_start = days_before(started, -(y as i64 * 365));
                    let period_end = days_before(period_start, -364).min(today);
                    if period_start >= today {
                        break;
                    }
                    let claim_id = ids.claim;
                    ids.claim += 1;
                    let dollars = template.saving / 2 + rng.below(template.saving as usize) as i64;
                    let cents = dollars * 100 + rng.below(100) as i64;
                    let fresh = (today - period_end).get_days() < 60;
                    let verified = index != 0 && rng.below(100) < if fresh { 40 } else { 82 };
                    rows.claims.push(vec![
                        Value::Int(claim_id),
                        Value::Int(pid),
                        format!("{code}-S{}", y + 1).into(),
                        Value::Int(project_id),
                        Value::Int(seed.id),
                        (if template.points.contains(&MostAffordable) {
                            "cost_reduction"
                        } else {
                            "cost_avoidance"
                        })
                        .into(),
                        Value::Int(cents),
                        period_start.to_string().into(),
                        period_end.to_string().into(),
                        format!(
                            "{} fell from {} to about {} {}; priced at the unit's cost per unit, {}-month period",
                            template.measure, template.baseline, template.target, template.unit, 12
                        )
                        .into(),
                        Value::Null,
                        "operator".into(),
                        now.clone().into(),
                        (if verified { Some(period_end.to_string()) } else { None }).into(),
                    ]);
                    let pair: Vec<(i64, Side, &str)> = if rng.below(4) == 0 && seed.sponsors.len() >= 2 {
                        seed.sponsors.iter().map(|(p, s)| (*p, *s, "sponsor")).collect()
                    } else {
                        seed.co_leads
                            .iter()
                            .filter(|(_, s)| Side::REQUIRED.contains(s))
                            .map(|(p, s)| (*p, *s, "co_lead"))
                            .collect()
                    };
                    let signers = if verified { pair.len() } else { pair.len().min(1) };
                    let mut signed: HashSet<i64> = HashSet::new();
                    for (person, side, role) in pair.into_iter().take(signers) {
                        if signed.insert(person) {
                            rows.signatures.push(vec![
                                Value::Int(claim_id),
                                Value::Int(person),
                                Value::Int(pid),
                                role.into(),
                                side.as_str().into(),
                                period_end.to_string().into(),
                            ]);
                        }
                    }
                }
            }
        }
        // Path to Performance history: the level rose to where it is now,
        // a level every two to four years, so four years ago about one team
        // in ten was at 4–5 (as in 2011: 329 of 3,485).
        let climb = 24 + rng.below(24) as i64;
        for back in (1..=HISTORY_MONTHS).rev() {
            let month = month_of(today.first_of_month().saturating_sub(Span::new().months(back)));
            let then = (i64::from(level) - back / climb).max(0);
            let self_assessed = if then > 0 {
                Some(then + i64::from(rng.below(8) == 0))
            } else {
                None
            };
            let decision = self_assessed.map(|s| if s == then { "confirmed" } else { "disputed" });
            let sponsor = seed.sponsors.first().map(|s| s.0).filter(|_| decision.is_some());
            rows.ratings.push(vec![
                Value::Int(seed.id),
                month.into(),
                Value::Int(pid),
                Value::Int(then),
                self_assessed.map(|l| l.min(5)).into(),
                self_assessed.map(|_| "operator").into(),
                decision.into(),
                sponsor.into(),
                (if decision == Some("disputed") {
                    "Two tests of change, not three: not there yet"
                } else {
                    ""
                })
                .into(),
            ]);
        }
        rows.changes
            .push(Change::new("team.demo", "team", &seed.code).after(&serde_json::json!({
                "built_for_level": level, "projects": project_count,
            })));
    }
    rows
}

/// Give every team of the partnership its years of work, then rate them all.
pub(crate) async fn load_demo_teams(store: &Store, pid: i64, today: Date) -> Result<u64> {
    let seeds = demo_team_seeds(store, pid).await?;
    in_tx!(store, |tx| {
        let next = |table: &str| format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
        let mut ids = Ids {
            meeting: sqlx::query_scalar(&next("meetings")).fetch_one(&mut *tx).await?,
            project: sqlx::query_scalar(&next("projects")).fetch_one(&mut *tx).await?,
            measure: sqlx::query_scalar(&next("measures")).fetch_one(&mut *tx).await?,
            test: sqlx::query_scalar(&next("tests_of_change")).fetch_one(&mut *tx).await?,
            claim: sqlx::query_scalar(&next("savings_claims")).fetch_one(&mut *tx).await?,
        };
        let rows = generate(&seeds, pid, today, &mut ids);
        let mut section_columns = vec!["body_id", "partnership_id"];
        section_columns.extend(CharterSection::ALL.iter().map(|s| s.as_str()));
        section_columns.extend(["health_safety_champion_id", "charter_updated_at"]);
        tx.insert_rows("teams", &section_columns, &rows.teams).await?;
        tx.insert_rows(
            "class_completions",
            &["partnership_id", "person_id", "class", "completed_on"],
            &rows.classes,
        )
        .await?;
        tx.insert_rows(
            "meetings",
            &[
                "id",
                "partnership_id",
                "body_id",
                "kind",
                "held_on",
                "run_by_id",
                "notes",
                "created_by",
                "created_at",
            ],
            &rows.meetings,
        )
        .await?;
        tx.insert_rows(
            "meeting_attendance",
            &["meeting_id", "person_id", "partnership_id", "side"],
            &rows.attendance,
        )
        .await?;
        tx.insert_rows(
            "projects",
            &[
                "id",
                "partnership_id",
                "body_id",
                "code",
                "title",
                "status",
                "aim",
                "how_we_know",
                "change_idea",
                "started_on",
                "target_date",
                "adopted_from_id",
                "last_documented_on",
                "created_at",
            ],
            &rows.projects,
        )
        .await?;
        tx.insert_rows(
            "project_compass",
            &["project_id", "partnership_id", "point"],
            &rows.compass,
        )
        .await?;
        tx.insert_rows(
            "measures",
            &[
                "id",
                "partnership_id",
                "project_id",
                "role",
                "name",
                "unit",
                "direction",
                "baseline",
                "target",
            ],
            &rows.measures,
        )
        .await?;
        tx.insert_rows(
            "measurements",
            &["measure_id", "partnership_id", "taken_on", "value"],
            &rows.measurements,
        )
        .await?;
        tx.insert_rows(
            "tests_of_change",
            &[
                "id",
                "partnership_id",
                "project_id",
                "change",
                "prediction",
                "started_on",
                "ended_on",
                "result",
                "decision",
                "created_at",
            ],
            &rows.tests,
        )
        .await?;
        tx.insert_rows(
            "test_participants",
            &["test_id", "person_id", "partnership_id"],
            &rows.participants,
        )
        .await?;
        tx.insert_rows(
            "savings_claims",
            &[
                "id",
                "partnership_id",
                "ref",
                "project_id",
                "body_id",
                "category",
                "amount_cents",
                "period_start",
                "period_end",
                "method",
                "corrects_id",
                "entered_by",
                "entered_at",
                "verified_at",
            ],
            &rows.claims,
        )
        .await?;
        tx.insert_rows(
            "savings_signatures",
            &["claim_id", "person_id", "partnership_id", "role", "side", "signed_at"],
            &rows.signatures,
        )
        .await?;
        tx.insert_rows(
            "level_ratings",
            &[
                "body_id",
                "month",
                "partnership_id",
                "computed_level",
                "self_assessed_level",
                "self_assessed_by",
                "sponsor_decision",
                "sponsor_id",
                "sponsor_note",
            ],
            &rows.ratings,
        )
        .await?;
        tx.append_audit(pid, "operator", rows.changes).await?;
        sqlx::query(lmp_store::teams::REFRESH_TOOK_PART)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
    });
    store
        .advance_id_sequences(&["meetings", "projects", "measures", "tests_of_change", "savings_claims"])
        .await?;
    store
        .rerate_teams(
            pid,
            lmp_store::teams::rating::TeamScope::All,
            &store.team_rules(pid).await?.path,
            today,
        )
        .await
}

async fn demo_team_seeds(store: &Store, pid: i64) -> Result<Vec<Seed>> {
    let (teams, seats): (Vec<TeamRow>, Vec<SeatRow>) = on_pool!(store, |pool| {
        let teams = sqlx::query_as(
            "SELECT b.id, b.code, d.parent_id FROM bodies b LEFT JOIN units d ON d.id = b.unit_id \
             WHERE b.partnership_id = $1 AND b.level = 'team' ORDER BY b.id",
        )
        .bind(pid)
        .fetch_all(pool)
        .await?;
        let seats = sqlx::query_as(
            "SELECT s.body_id, s.person_id, s.role, s.side FROM seats s JOIN bodies b ON b.id = s.body_id \
             WHERE s.partnership_id = $1 AND b.level = 'team' ORDER BY s.id",
        )
        .bind(pid)
        .fetch_all(pool)
        .await?;
        (teams, seats)
    });
    let mut by_id: HashMap<i64, Seed> = HashMap::new();
    let order: Vec<i64> = teams.iter().map(|t| t.0).collect();
    for (id, code, facility) in teams {
        by_id.insert(
            id,
            Seed {
                id,
                code,
                facility,
                ..Seed::default()
            },
        );
    }
    for (body, person, role, side) in seats {
        let (Some(seed), Ok(side)) = (by_id.get_mut(&body), side.parse::<Side>()) else {
            continue;
        };
        match role.as_str() {
            "co_lead" => seed.co_leads.push((person, side)),
            "sponsor" => seed.sponsors.push((person, side)),
            _ => seed.members.push((person, side)),
        }
    }
    Ok(order.into_iter().filter_map(|id| by_id.remove(&id)).collect())
}
