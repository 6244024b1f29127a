//! A restructuring for the demo's EIS board: three displacements (a unit
//! closed, a lab consolidated, scheduling automated) announced months apart
//! with the alternatives recorded and confirmed by both sides, a few
//! thousand union members in the pool (about one in 45), three vacancies a
//! worker, placement run, and the earlier displacements' proposals accepted
//! by both sides — the latest's and some others still waiting, a few declined.

use super::restructuring::Restructuring;
use jiff::civil::Date;
use lmp_core::eis::rules::{Alternative, Reason};
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_core::Refusal;
use lmp_core::Side;
use lmp_store::eis::files::{write_vacancies, write_workers};
use lmp_store::eis::pool::Taken;
use lmp_store::eis::NewDisplacement;
use lmp_store::{on_pool, Result, Store};

const EVENTS: [(Reason, &str, i64); 3] = [
    (
        Reason::UnitClosure,
        "The medical-surgical unit closes; its patients move to the new tower.",
        300,
    ),
    (
        Reason::Consolidation,
        "The regional laboratory takes over the hospital's lab work.",
        180,
    ),
    (
        Reason::Technology,
        "Appointment scheduling moves to self-service and the new contact centre.",
        75,
    ),
];

const FINDINGS: [(Alternative, &str); 4] = [
    (
        Alternative::Attrition,
        "Retirements and resignations over the notice period cover about a tenth of the posts.",
    ),
    (
        Alternative::Retraining,
        "Retraining paths agreed into the classes with vacancies; the education trust funds them.",
    ),
    (
        Alternative::VoluntarySeverance,
        "Offered to all; taken by a few, counted before the pool was set.",
    ),
    (
        Alternative::EarlyRetirement,
        "Offered to those within five years of retirement age.",
    ),
];

fn days_before(today: Date, days: i64) -> Date {
    today.checked_sub(jiff::Span::new().days(days)).unwrap_or(today)
}

pub(crate) async fn load_demo_eis(store: &Store, pid: i64, today: Date, sign_ins: [&str; 2]) -> Result<()> {
    let [labor, manager] = sign_ins;
    for (no, side) in [(labor, Side::Labor), (manager, Side::Management)] {
        store
            .add_eis_representative(&Permit::operator(pid, Action::ChangeSeat { side }), no)
            .await?;
    }
    let reps = store.eis_representatives(pid).await?;
    let rep = |side: Side| reps.iter().find(|r| r.side == side.as_str()).map(|r| r.person_id);
    let (Some(labor_rep), Some(management_rep)) = (rep(Side::Labor), rep(Side::Management)) else {
        return Ok(());
    };
    // Each act is a named representative's, never a system's: the
    // employer's representative records and posts, labor's runs placement
    // and records a worker's decline, and each accepts for their own side.
    let acting = |side: Side, action: Action| -> Result<Permit> {
        let rep = reps.iter().find(|r| r.side == side.as_str()).ok_or_else(|| {
            lmp_store::StoreError::Rule(Refusal::as_written("the demo names a representative of each side"))
        })?;
        let actor = Actor {
            user_id: 0,
            username: rep.name.clone(),
            partnership_id: pid,
            role: if side == Side::Labor {
                UserRole::LaborRepresentative
            } else {
                UserRole::Manager
            },
        };
        Ok(authorize(&actor, action, pid)?)
    };
    let manage_for = |side: Side| {
        acting(
            side,
            Action::ManageEis {
                representing: Some(side),
            },
        )
    };
    let manage = manage_for(Side::Management)?;
    let labor_manage = manage_for(Side::Labor)?;
    let speak = |side: Side| {
        acting(
            side,
            Action::SpeakForEis {
                representing: Some(side),
            },
        )
    };
    let units: Vec<String> = on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT code FROM units WHERE partnership_id = $1 AND kind = 'department' ORDER BY id LIMIT 3"
    )
    .bind(pid)
    .fetch_all(pool)
    .await?);
    let members: Vec<String> = on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT employee_no FROM people WHERE partnership_id = $1 AND kind = 'union_member' ORDER BY id"
    )
    .bind(pid)
    .fetch_all(pool)
    .await?);
    let displaced: Vec<&String> = members.iter().skip(7).step_by(45).collect();
    // Three vacancies a worker, and never fewer than a system posts in a
    // season, so a small pool still finds its classes open.
    let vacancy_count = (displaced.len() * 3).max(2_000);
    let mut restructuring = Restructuring::new(0x6569_7300_0001, vacancy_count);
    let share = displaced.len().div_ceil(EVENTS.len());
    let mut events = Vec::new();
    for (i, ((reason, description, days_ago), unit)) in EVENTS.iter().zip(&units).enumerate() {
        let announced = days_before(today, *days_ago);
        let event = store
            .record_displacement(
                &manage,
                &NewDisplacement {
                    unit_code: unit.clone(),
                    reason: *reason,
                    description: description.to_string(),
                    announced_on: announced,
                    effective_on: days_before(today, days_ago - 60),
                },
            )
            .await?;
        for (n, (alternative, finding)) in FINDINGS.iter().enumerate() {
            let (side, person) = if n % 2 == 0 {
                (Side::Labor, labor_rep)
            } else {
                (Side::Management, management_rep)
            };
            store
                .record_alternative(&speak(side)?, event, *alternative, finding, person)
                .await?;
        }
        store
            .confirm_alternatives(&speak(Side::Labor)?, event, labor_rep)
            .await?;
        store
            .confirm_alternatives(&speak(Side::Management)?, event, management_rep)
            .await?;
        let rows = displaced
            .iter()
            .enumerate()
            .skip(i * share)
            .take(share)
            .map(|(n, employee_no)| {
                let mut row = restructuring.worker(n);
                row.worker_id = employee_no.to_string();
                row
            });
        let mut bytes = Vec::new();
        write_workers(rows.collect::<Vec<_>>(), &mut bytes)
            .map_err(|e| lmp_store::StoreError::Rule(Refusal::as_written(e.to_string())))?;
        let _: Taken = store
            .add_to_pool(&manage, event, &format!("displaced-{}.csv", i + 1), bytes.as_slice())
            .await?;
        events.push(event);
    }
    let mut bytes = Vec::new();
    let vacancies: Vec<_> = (0..vacancy_count).map(|n| restructuring.vacancy(n)).collect();
    write_vacancies(vacancies, &mut bytes)
        .map_err(|e| lmp_store::StoreError::Rule(Refusal::as_written(e.to_string())))?;
    let posts = Store::read_vacancy_posts("vacancies.csv", bytes.as_slice())?;
    store.post_vacancies(&manage, "vacancies.csv", &posts).await?;
    store.run_placement(&labor_manage).await?;
    // The earlier displacements' proposals were accepted by both sides
    // (up to a few hundred, so the demo loads quickly); a few declined.
    let first_events: Vec<i64> = events.iter().take(2).copied().collect();
    let pool = store.eis_pool(pid, false).await?;
    let proposals = store.eis_proposals(pid, None).await?;
    let mut accepted = 0;
    for (n, proposal) in proposals.iter().filter(|p| p.status == "proposed").enumerate() {
        let event = pool.iter().find(|w| w.pool_id == proposal.pool_id).map(|w| w.event_id);
        // One in four waits for the representatives, whatever its displacement.
        if !event.is_some_and(|e| first_events.contains(&e)) || accepted >= 400 || n % 4 == 3 {
            continue;
        }
        if n % 17 == 5 && proposal.kind.as_deref() != Some("comparable") {
            store
                .decline_proposal(
                    &labor_manage,
                    proposal.id,
                    "The worker prefers to wait for a job nearer home.",
                )
                .await?;
            continue;
        }
        store
            .accept_proposal(&speak(Side::Labor)?, proposal.id, labor_rep)
            .await?;
        store
            .accept_proposal(&speak(Side::Management)?, proposal.id, management_rep)
            .await?;
        accepted += 1;
    }
    Ok(())
}
