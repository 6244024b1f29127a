//! Outcome measures both sides accepted, and three years of every team's
//! monthly values, taken in through the store's own outcomes import.
//!
//! One effect is planted, so the Evidence page can be seen to find it:
//! a team at level 4 or 5 of the Path to Performance files
//! [`PLANTED_INJURY_EFFECT`] fewer injury claims per 100 FTE a month than
//! it would at a lower level. Everything else is a facility's and a kind
//! of unit's own level, team size, a slow drift and noise.

use crate::Rng;
use lmp_core::evidence::measure::{last_ended_month, month_name, Domain, MeasureDefinition};
use lmp_core::improvement::Direction;
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_store::joint_changes::ChangeTarget;
use lmp_store::{on_pool, Result, Store};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Claims per 100 FTE a month that level 4–5 teams are planted to save.
pub const PLANTED_INJURY_EFFECT: f64 = -0.8;

/// Months of values, ending with the last month that has ended.
const MONTHS: i32 = 36;

/// (code, name, domain, definition, unit, direction, typical value, spread)
type Planted = (
    &'static str,
    &'static str,
    Domain,
    &'static str,
    &'static str,
    Direction,
    f64,
    f64,
);

const MEASURES: [Planted; 6] = [
    (
        "injuries",
        "Injury claims",
        Domain::Workplace,
        "Workers' compensation claims first filed in the month by the unit's workers, per 100 FTE worked",
        "claims per 100 FTE",
        Direction::Down,
        3.0,
        0.6,
    ),
    (
        "lost_days",
        "Days lost to injury",
        Domain::Workplace,
        "Work days lost to injuries in the month, per 100 FTE worked",
        "days per 100 FTE",
        Direction::Down,
        9.0,
        2.0,
    ),
    (
        "turnover",
        "Turnover",
        Domain::Workplace,
        "Workers who left the unit in the month, as a percent of its headcount at the month's start",
        "percent",
        Direction::Down,
        1.4,
        0.5,
    ),
    (
        "vacancy",
        "Vacancy rate",
        Domain::Workplace,
        "Budgeted positions unfilled on the month's last day, as a percent of budgeted positions",
        "percent",
        Direction::Down,
        6.0,
        1.5,
    ),
    (
        "overtime",
        "Overtime hours",
        Domain::Cost,
        "Overtime hours paid in the month per FTE worked",
        "hours per FTE",
        Direction::Down,
        7.0,
        1.8,
    ),
    (
        "patient_experience",
        "Patient experience",
        Domain::Service,
        "Patients surveyed in the month who rated their care 9 or 10 of 10, as a percent of those answering",
        "percent",
        Direction::Up,
        78.0,
        4.0,
    ),
];

/// A demo user as the one acting: the sign-in's own name on what it does.
fn actor(pid: i64, username: &str, role: UserRole) -> Actor {
    Actor {
        user_id: 0,
        username: username.into(),
        partnership_id: pid,
        role,
    }
}

/// Noise with mean 0 and standard deviation about `spread` (a sum of four
/// uniform draws: near enough normal, and the same on every machine).
fn noise(rng: &mut Rng, spread: f64) -> f64 {
    let sum: f64 = (0..4).map(|_| (rng.next() >> 11) as f64 / (1u64 << 53) as f64).sum();
    (sum - 2.0) * spread * (3.0f64).sqrt()
}

/// Each measure asked for by labor's representative and accepted by a
/// manager, then every team's values.
pub(crate) async fn load_demo_outcomes(store: &Store, pid: i64, today: jiff::civil::Date) -> Result<()> {
    let labor = actor(pid, "labor", UserRole::LaborRepresentative);
    let manager = actor(pid, "manager", UserRole::Manager);
    let (Ok(ask), Ok(approve)) = (
        authorize(&labor, Action::RequestJointChange, pid),
        authorize(
            &manager,
            Action::ApproveJointChange {
                side: lmp_core::Side::Management,
            },
            pid,
        ),
    ) else {
        return Ok(());
    };
    for (code, name, domain, definition, unit, direction, _, _) in MEASURES {
        let measure = MeasureDefinition {
            code: code.into(),
            name: name.into(),
            domain,
            definition: definition.into(),
            unit: unit.into(),
            direction,
        };
        let change = lmp_core::two_key::JointChange::DefineMeasure { measure };
        let id = store
            .request_joint_change(
                &ask,
                ChangeTarget::Partnership,
                &change,
                "So both sides read the same numbers",
            )
            .await?;
        store.approve_joint_change(&approve, id).await?;
    }
    let file = outcomes_file(store, pid, today).await?;
    store
        .import_outcomes(
            &Permit::operator(pid, Action::Import),
            "demo-outcomes.csv",
            file.as_bytes(),
            last_ended_month(today),
        )
        .await?;
    Ok(())
}

/// The outcomes file the demo takes in.
async fn outcomes_file(store: &Store, pid: i64, today: jiff::civil::Date) -> Result<String> {
    let teams: Vec<(i64, String, String, String, i64)> = on_pool!(store, |pool| sqlx::query_as(
        "SELECT b.id, b.code, COALESCE(f.code, ''), COALESCE(d.name, ''), \
         (SELECT COUNT(DISTINCT s.person_id) FROM seats s WHERE s.body_id = b.id) \
         FROM bodies b LEFT JOIN units d ON d.id = b.unit_id LEFT JOIN units f ON f.id = d.parent_id \
         WHERE b.partnership_id = $1 AND b.level = 'team' ORDER BY b.id"
    )
    .bind(pid)
    .fetch_all(pool)
    .await?);
    let ratings: Vec<(i64, String, i64)> = on_pool!(store, |pool| sqlx::query_as(
        "SELECT body_id, month, computed_level FROM level_ratings WHERE partnership_id = $1"
    )
    .bind(pid)
    .fetch_all(pool)
    .await?);
    let level: HashMap<(i64, String), i64> = ratings.into_iter().map(|(t, m, l)| ((t, m), l)).collect();
    // Each place's and kind of unit's own level, the same every run.
    let mut shift: HashMap<String, f64> = HashMap::new();
    let mut rng = Rng(0x0u64.wrapping_add(pid as u64) ^ 0x5EED_0C0E);
    let end = last_ended_month(today);
    let mut out = String::from("team_code,measure,month,value\n");
    for (id, code, facility, department, size) in &teams {
        let unit_type = lmp_core::evidence::models::unit_type_of(department);
        for (m, (measure, _, _, _, _, _, typical, spread)) in MEASURES.iter().enumerate() {
            let place = *shift
                .entry(format!("{m} {facility}"))
                .or_insert_with(|| noise(&mut rng, spread * 0.5));
            let kind = *shift
                .entry(format!("{m} {unit_type}"))
                .or_insert_with(|| noise(&mut rng, spread * 0.5));
            let own = noise(&mut rng, spread * 0.3);
            for month in (end - MONTHS + 1)..=end {
                let Some(level) = level.get(&(*id, month_name(month))) else {
                    continue;
                };
                let drift = (month - end) as f64 * typical * 0.001;
                let planted = if *measure == "injuries" && *level >= 4 {
                    PLANTED_INJURY_EFFECT
                } else {
                    0.0
                };
                let value =
                    (typical + place + kind + own + 0.01 * *size as f64 + drift + planted + noise(&mut rng, *spread))
                        .max(0.0);
                let _ = writeln!(out, "{code},{measure},{},{value:.3}", month_name(month));
            }
        }
    }
    Ok(out)
}
