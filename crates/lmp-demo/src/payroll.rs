//! A pay year as the employer's payroll system would export it, for every
//! union member of a partnership: generated row by row as it is read, so a
//! year of 3.5 million rows never sits in memory. `lmp trust sample-hours`
//! writes it to a file; the demo takes it in through the same import, and
//! gives the trust its remittances, trustees, budgets and spending.

use super::Rng;
use jiff::civil::Date;
use lmp_core::money::Cents;
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_core::trust::budget::BudgetLine;
use lmp_core::trust::hours::{PayPeriod, HOURS_COLUMNS};
use lmp_core::trust::ledger::SpendingCategory;
use lmp_core::Refusal;
use lmp_core::Side;
use lmp_store::trust::ledger::{Remittance, Spending};
use lmp_store::{on_pool, Result, Store};
use std::io::{Read, Write};

/// Pay periods run two weeks, Sunday to Saturday, counted from this Sunday.
const FIRST_PAY_SUNDAY: (i16, i8, i8) = (1997, 1, 5);

/// The biweekly pay periods that end in `year`, up to `through` when given.
pub fn biweekly_periods(year: i16, through: Option<Date>) -> Vec<PayPeriod> {
    let (y, m, d) = FIRST_PAY_SUNDAY;
    let anchor = jiff::civil::date(y, m, d);
    let jan_first = jiff::civil::date(year, 1, 1);
    let days_since = i64::from(anchor.until(jan_first).map_or(0, |s| s.get_days()));
    // The first period whose last day (start + 13) is on or after 1 January.
    let mut index = (days_since - 13).max(0).div_euclid(14);
    let mut periods = Vec::new();
    loop {
        let start = anchor.checked_add(jiff::Span::new().days(index * 14)).unwrap_or(anchor);
        let end = start.checked_add(jiff::Span::new().days(13)).unwrap_or(start);
        index += 1;
        if end.year() < year {
            continue;
        }
        if end.year() > year || through.is_some_and(|t| end > t) {
            return periods;
        }
        if let Ok(period) = PayPeriod::new(start, end) {
            periods.push(period);
        }
    }
}

/// A union member as payroll knows them.
struct Paid {
    employee_no: String,
    local: String,
    facility: String,
    /// Regular hours in a full two weeks: 80 at full time.
    regular: u32,
}

/// The rows of a pay year, made as they are read.
pub struct DemoPayroll {
    people: Vec<Paid>,
    periods: Vec<PayPeriod>,
    period: usize,
    person: usize,
    rng: Rng,
    buffer: Vec<u8>,
    at: usize,
    header_written: bool,
}

impl DemoPayroll {
    /// One row per member per period for most, a second for overtime or
    /// paid leave now and then, and none for a member on unpaid leave.
    fn fill(&mut self) {
        self.buffer.clear();
        self.at = 0;
        if !self.header_written {
            self.header_written = true;
            self.buffer.extend_from_slice(HOURS_COLUMNS.join(",").as_bytes());
            self.buffer.push(b'\n');
        }
        while self.buffer.len() < 1 << 16 && self.period < self.periods.len() {
            let period = self.periods[self.period];
            let (start, end) = (period.start.to_string(), period.end.to_string());
            let person = &self.people[self.person];
            let roll = self.rng.below(1000) as u32;
            let mut row = |kind: &str, hundredths: u32| {
                let _ = writeln!(
                    self.buffer,
                    "{},{},{},{start},{end},{kind},{}.{:02}",
                    person.employee_no,
                    person.local,
                    person.facility,
                    hundredths / 100,
                    hundredths % 100
                );
            };
            let regular = person.regular * 100;
            match roll {
                // Unpaid leave, a gap between jobs: no hours this period.
                0..=19 => {}
                // Paid leave takes a day or more out of regular hours.
                20..=44 => {
                    let leave = 800 * (1 + (roll % 3));
                    row("regular", regular.saturating_sub(leave));
                    row("paid_leave", leave);
                }
                // Overtime: a few hours on top, now and then a double shift.
                45..=64 => {
                    row("regular", regular);
                    row("overtime", 400 + 25 * (roll % 48));
                }
                65..=66 => {
                    row("regular", regular);
                    row("double_time", 800);
                }
                // A sick day.
                67..=74 => {
                    row("regular", regular.saturating_sub(800));
                    row("sick", 800);
                }
                _ => row("regular", regular),
            }
            self.person += 1;
            if self.person == self.people.len() {
                self.person = 0;
                self.period += 1;
            }
        }
    }
}

impl Read for DemoPayroll {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buffer.len() {
            self.fill();
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A pay year's payroll file for a partnership's union members (the
/// periods ending in `year`, up to `through`), deterministic for a year.
pub async fn demo_payroll(store: &Store, partnership_id: i64, year: i16, through: Option<Date>) -> Result<DemoPayroll> {
    let rows: Vec<(String, String, String)> = on_pool!(store, |pool| sqlx::query_as(
        "SELECT p.employee_no, l.code, \
                CASE WHEN u.kind IN ('hospital', 'medical_office') THEN u.code ELSE f.code END \
         FROM people p \
         JOIN units l ON l.id = p.local_id \
         JOIN units u ON u.id = p.unit_id \
         LEFT JOIN units f ON f.id = u.parent_id \
         WHERE p.partnership_id = $1 AND p.local_id IS NOT NULL \
           AND (u.kind IN ('hospital', 'medical_office') OR f.kind IN ('hospital', 'medical_office')) \
         ORDER BY p.id"
    )
    .bind(partnership_id)
    .fetch_all(pool)
    .await?);
    let mut rng = Rng(0x7275_7374 ^ year as u64);
    let people = rows
        .into_iter()
        .map(|(employee_no, local, facility)| Paid {
            employee_no,
            local,
            facility,
            // Most full time; some 0.9 and part time.
            regular: match rng.below(20) {
                0..=11 => 80,
                12..=16 => 72,
                _ => 48,
            },
        })
        .collect();
    Ok(DemoPayroll {
        people,
        periods: biweekly_periods(year, through),
        period: 0,
        person: 0,
        rng,
        buffer: Vec::new(),
        at: 0,
        header_written: false,
    })
}

/// The demo trust's budget by category, a year: about the $45 M the
/// partnership's trust spends.
const DEMO_BUDGET: [(SpendingCategory, i64); 6] = [
    (SpendingCategory::PartnershipStaff, 18_000_000 * 100),
    (SpendingCategory::Training, 9_000_000 * 100),
    (SpendingCategory::TeamSupport, 6_800_000 * 100),
    (SpendingCategory::RegionalActivity, 5_400_000 * 100),
    (SpendingCategory::Communications, 2_700_000 * 100),
    (SpendingCategory::Administration, 3_100_000 * 100),
];

/// The trust's last year and this year so far: payroll taken in through
/// the same import, the employer's remittances (the latest period not yet
/// paid, a few locals short or over), trustees of both sides (the demo's
/// labor and manager sign-ins among them), each year's budget approved by
/// both sides and next year's waiting, and monthly spending.
pub(crate) async fn load_demo_trust(store: &Store, pid: i64, today: Date, trustees: [&str; 2]) -> Result<()> {
    let trust = Permit::operator(pid, Action::ManageTrust);
    for year in [today.year() - 1, today.year()] {
        let payroll = demo_payroll(store, pid, year, Some(today)).await?;
        store
            .import_hours(&trust, &format!("payroll-{year}.csv"), payroll, false)
            .await?;
    }
    demo_trustees(store, pid, &trust, trustees).await?;
    let mut rng = Rng(0x7275_7374_0002);
    for year in [today.year() - 1, today.year()] {
        demo_remittances(store, pid, &trust, year, today, &mut rng).await?;
        demo_budget(store, pid, year, true).await?;
        demo_spending(store, &trust, year, today, &mut rng).await?;
    }
    demo_budget(store, pid, today.year() + 1, false).await?;
    Ok(())
}

async fn demo_trustees(store: &Store, pid: i64, trust: &Permit, sign_ins: [&str; 2]) -> Result<()> {
    let pick = |kind: &'static str| async move {
        let numbers: Vec<String> = on_pool!(store, |pool| sqlx::query_scalar(
            "SELECT employee_no FROM people WHERE partnership_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 2"
        )
        .bind(pid)
        .bind(kind)
        .fetch_all(pool)
        .await?);
        Ok::<_, lmp_store::StoreError>(numbers)
    };
    let [labor, manager] = sign_ins;
    for no in std::iter::once(labor.to_string()).chain(pick("union_member").await?) {
        store.add_trustee(trust, &no, Side::Labor).await?;
    }
    for no in std::iter::once(manager.to_string()).chain(pick("manager").await?) {
        store.add_trustee(trust, &no, Side::Management).await?;
    }
    Ok(())
}

/// Each period and local remitted as owed, but for the latest period (not
/// yet paid) and now and then a local short or over by a little.
async fn demo_remittances(
    store: &Store,
    pid: i64,
    trust: &Permit,
    year: i16,
    today: Date,
    rng: &mut Rng,
) -> Result<()> {
    let owed = store.trust_reconciliation(pid, year).await?;
    let latest = owed.iter().map(|r| r.period_start.clone()).max();
    let remittances: Vec<Remittance> = owed
        .iter()
        .filter(|r| Some(&r.period_start) != latest.as_ref() || year < today.year())
        .filter_map(|r| {
            let start: Date = r.period_start.parse().ok()?;
            let end: Date = r.period_end.parse().ok()?;
            let off = match rng.below(200) {
                0 => -(r.owed.get() / 10),
                1 => -1_250,
                2 => 875,
                _ => 0,
            };
            Some(Remittance {
                period_start: start,
                local: r.local.clone(),
                amount: Cents(r.owed.get() + off),
                received_on: end.checked_add(jiff::Span::new().days(10)).unwrap_or(end).min(today),
                reference: format!("EFT-{}-{}", r.period_start, r.local),
            })
        })
        .collect();
    store.record_remittances(trust, &remittances).await?;
    Ok(())
}

/// A trustee as the one acting: their own name on what they do, never a
/// system's. `role` is the sign-in the act needs (proposing a budget is the
/// trust's administration; approving is a trustee's side).
fn trustee_actor(pid: i64, trustee: &lmp_store::trust::ledger::Trustee, role: UserRole) -> Actor {
    Actor {
        user_id: 0,
        username: trustee.name.clone(),
        partnership_id: pid,
        role,
    }
}

fn side_of(trustee: &lmp_store::trust::ledger::Trustee) -> Result<Side> {
    trustee
        .side
        .parse()
        .map_err(|e| lmp_store::StoreError::Rule(Refusal::as_written(format!("{e:?}"))))
}

async fn demo_budget(store: &Store, pid: i64, year: i16, approve: bool) -> Result<()> {
    let lines: Vec<BudgetLine> = DEMO_BUDGET
        .iter()
        .map(|(category, cents)| BudgetLine {
            category: *category,
            amount_cents: Cents(cents + i64::from(year % 10) * 1_000_000),
        })
        .collect();
    let trustees = store.trustees(pid).await?;
    // Each year's budget is put forward by a named trustee, the sides taking turns.
    let proposing_side = if year % 2 == 0 { Side::Labor } else { Side::Management };
    let mut proposer = None;
    for trustee in &trustees {
        if side_of(trustee)? == proposing_side {
            proposer = Some(trustee);
            break;
        }
    }
    let proposer = proposer
        .ok_or_else(|| lmp_store::StoreError::Rule(Refusal::as_written("the demo trust has no trustee of a side")))?;
    let proposing = authorize(
        &trustee_actor(pid, proposer, UserRole::PartnershipAdmin),
        Action::ManageTrust,
        pid,
    )?;
    let id = store.propose_budget(&proposing, year, &lines).await?;
    if !approve {
        return Ok(());
    }
    // The trustees who are not the demo's sign-ins approve, so those
    // sign-ins find next year's budget waiting for them.
    for trustee in trustees.iter().skip(1).step_by(3).take(2) {
        let side = side_of(trustee)?;
        let role = if side == Side::Labor {
            UserRole::LaborRepresentative
        } else {
            UserRole::Manager
        };
        let permit = authorize(
            &trustee_actor(pid, trustee, role),
            Action::ApproveBudget { trustee_of: Some(side) },
            pid,
        )?;
        store.approve_budget(&permit, id, trustee.person_id).await?;
    }
    Ok(())
}

/// A month's spending in each category, near a twelfth of its budget.
async fn demo_spending(store: &Store, trust: &Permit, year: i16, today: Date, rng: &mut Rng) -> Result<()> {
    for month in 1..=12_i8 {
        let Ok(day) = Date::new(year, month, 28) else { continue };
        if day > today {
            break;
        }
        for (category, yearly) in DEMO_BUDGET {
            let twelfth = yearly / 12;
            let amount = twelfth - twelfth / 10 + (twelfth / 5) * rng.below(100) as i64 / 100;
            let spending = Spending {
                category,
                amount: Cents(amount),
                spent_on: day,
                memo: format!("{} {}-{month:02}", category.label(), year),
            };
            store.record_spending(trust, &spending).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_year_has_26_or_27_biweekly_periods_that_tile_it() {
        for year in 2020..2030 {
            let periods = biweekly_periods(year, None);
            assert!((26..=27).contains(&periods.len()), "{year}: {}", periods.len());
            assert!(periods.iter().all(|p| p.end.year() == year && p.days() == 14));
            assert!(periods.windows(2).all(|w| w[0].end.tomorrow().ok() == Some(w[1].start)));
            assert!(periods[0].end <= date(year, 1, 14));
        }
        let so_far = biweekly_periods(2026, Some(date(2026, 3, 1)));
        assert!(so_far.iter().all(|p| p.end <= date(2026, 3, 1)) && so_far.len() == 4);
    }
}
