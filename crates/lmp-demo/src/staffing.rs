//! A year of hour-by-hour census and staff on duty for every nursing unit
//! of the demo's hospitals, as a staffing system exports it: every unit's
//! reading for 07:00, then every unit's for 08:00, and so on, with now and
//! then a second reading within the hour.
//!
//! Units are staffed shift by shift (07:00 and 19:00) for the census
//! expected at the shift's busiest hour; what goes wrong is what goes wrong
//! on real units — a nurse calls out and the charge nurse cannot take
//! patients, breaks nobody relieves on units that run short, weeks with a
//! vacancy on nights, a census that climbs past what the shift was staffed
//! for, an ED without its triage nurse.

use super::Rng;
use lmp_core::staffing::check::UnitDef;
use lmp_core::staffing::hourly::days_from_civil;
use lmp_core::Refusal;
use lmp_store::Store;

/// Each hospital's nursing units: (unit type, how many, beds, code).
const HOSPITAL_UNITS: [(&str, usize, u32, &str); 17] = [
    ("med-surg", 12, 32, "MS"),
    ("telemetry", 6, 28, "TELE"),
    ("critical-care", 5, 16, "ICU"),
    ("step-down", 4, 20, "SDU"),
    ("emergency", 2, 40, "ED"),
    ("operating-room", 4, 10, "OR"),
    ("post-anesthesia", 2, 12, "PACU"),
    ("labor-delivery", 2, 12, "LD"),
    ("postpartum-couplets", 2, 20, "MB"),
    ("antepartum", 1, 10, "AP"),
    ("nicu", 2, 24, "NICU"),
    ("well-baby-nursery", 1, 24, "NURS"),
    ("pediatrics", 2, 18, "PEDS"),
    ("psychiatric", 2, 20, "PSY"),
    ("specialty", 2, 16, "ONC"),
    ("continuing-care-nursery", 1, 10, "CCN"),
    ("postpartum-mothers", 1, 14, "PPM"),
];

/// Units per hospital.
pub const UNITS_PER_HOSPITAL: usize = 51;

/// The readings file's header.
pub const READINGS_HEADER: &str =
    "unit,at,patients,critical,trauma,occupied_rooms,charge_off_care,triage,rn,lvn,cna,clerk";

/// The patients per nurse the sample staffs to (Title 22's table).
fn ratio(unit_type: &str) -> u32 {
    match unit_type {
        "critical-care" | "nicu" | "post-anesthesia" | "labor-delivery" => 2,
        "step-down" => 3,
        "med-surg" => 5,
        "psychiatric" | "postpartum-mothers" => 6,
        "well-baby-nursery" => 8,
        "operating-room" => 1,
        _ => 4,
    }
}

#[derive(Debug, Clone)]
struct SampleUnit {
    def: UnitDef,
    per_nurse: u32,
    /// Typical occupancy in thousandths.
    occupancy: u32,
    /// Runs short: breaks are not relieved, and it has weeks with a vacancy on nights.
    runs_short: bool,
    /// Days (numbers) of its short-staffed stretches.
    stretches: Vec<(i32, i32)>,
    has_charge: bool,
}

/// The units of some hospitals and a year of their readings.
#[derive(Debug, Clone)]
pub struct StaffingSample {
    units: Vec<SampleUnit>,
    first_day: i32,
    days: i32,
    seed: u64,
}

impl StaffingSample {
    /// `hospitals`: (facility code, region code). `year`: the readings' year.
    pub fn new(hospitals: &[(String, String)], year: i32, seed: u64) -> StaffingSample {
        let first_day = days_from_civil(year, 1, 1);
        let days = days_from_civil(year + 1, 1, 1) - first_day;
        let mut rng = Rng(seed ^ 0x5747_4646);
        let mut units = Vec::with_capacity(hospitals.len() * UNITS_PER_HOSPITAL);
        for (facility, region) in hospitals {
            for (unit_type, count, beds, code) in HOSPITAL_UNITS {
                for n in 1..=count {
                    let runs_short = rng.below(100) < 8;
                    let stretches = if runs_short {
                        (0..1 + rng.below(3))
                            .map(|_| {
                                let start = first_day + rng.below(days as usize - 30) as i32;
                                (start, start + 10 + rng.below(12) as i32)
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    let licensed_roles = if matches!(unit_type, "med-surg" | "psychiatric" | "postpartum-mothers") {
                        vec!["rn".to_string(), "lvn".to_string()]
                    } else {
                        vec!["rn".to_string()]
                    };
                    units.push(SampleUnit {
                        def: UnitDef {
                            code: format!("{facility}-{code}{n}"),
                            name: format!("{} {n}", label(unit_type)),
                            facility: facility.clone(),
                            region: region.clone(),
                            unit_type: unit_type.to_string(),
                            beds: beds + rng.below(5) as u32,
                            licensed_roles,
                        },
                        per_nurse: ratio(unit_type),
                        occupancy: 740 + rng.below(180) as u32,
                        runs_short,
                        stretches,
                        has_charge: beds >= 16 && unit_type != "operating-room",
                    });
                }
            }
        }
        StaffingSample {
            units,
            first_day,
            days,
            seed,
        }
    }

    pub fn units(&self) -> impl Iterator<Item = &UnitDef> {
        self.units.iter().map(|u| &u.def)
    }

    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    /// Hours in the year.
    pub fn hours(&self) -> usize {
        self.days as usize * 24
    }

    /// The readings of hours `from..to` of the year (0 = Jan 1, 00:00), every
    /// unit's for an hour before the next hour's, appended to `out`.
    pub fn write_readings(&self, from: usize, to: usize, out: &mut Vec<u8>) {
        for hour_of_year in from..to.min(self.hours()) {
            let day = self.first_day + (hour_of_year / 24) as i32;
            let hour = (hour_of_year % 24) as u32;
            let stamp = Stamp::new(day, hour);
            for (u, unit) in self.units.iter().enumerate() {
                let mut rng = Rng(self.seed ^ (u as u64).wrapping_mul(0x9E37_79B9) ^ (hour_of_year as u64) << 32);
                let reading = unit.reading(day, hour, self.first_day, &mut rng, self.seed ^ u as u64);
                reading.write(&unit.def.code, &stamp.text(0), out);
                // Now and then a second reading within the hour: a patient
                // more or less, or a nurse gone to a break nobody covers.
                if rng.below(100) < 4 {
                    let mut later = reading;
                    match rng.below(3) {
                        0 => later.patients += 1,
                        1 => later.patients = later.patients.saturating_sub(1).max(later.critical + later.trauma),
                        _ => later.rn = later.rn.saturating_sub(1),
                    }
                    if later.occupied_rooms > 0 {
                        later.patients = later.occupied_rooms;
                    }
                    later.write(&unit.def.code, &stamp.text(30), out);
                }
            }
        }
    }
}

fn label(unit_type: &str) -> &'static str {
    match unit_type {
        "med-surg" => "Medical/Surgical",
        "telemetry" => "Telemetry",
        "critical-care" => "Intensive Care",
        "step-down" => "Step-Down",
        "emergency" => "Emergency",
        "operating-room" => "Operating Rooms",
        "post-anesthesia" => "PACU",
        "labor-delivery" => "Labor & Delivery",
        "postpartum-couplets" => "Mother-Baby",
        "antepartum" => "Antepartum",
        "nicu" => "NICU",
        "well-baby-nursery" => "Well-Baby Nursery",
        "pediatrics" => "Pediatrics",
        "psychiatric" => "Behavioral Health",
        "specialty" => "Oncology",
        "continuing-care-nursery" => "Continuing Care Nursery",
        _ => "Postpartum",
    }
}

/// "2025-03-01T07:00", formatted once per hour.
struct Stamp([u8; 16]);

impl Stamp {
    fn new(day: i32, hour: u32) -> Stamp {
        let date = lmp_core::staffing::hourly::civil_from_days(day);
        let text = format!("{date}T{hour:02}:00");
        let mut bytes = [b'0'; 16];
        bytes.copy_from_slice(&text.as_bytes()[..16]);
        Stamp(bytes)
    }

    fn text(&self, minute: u8) -> [u8; 16] {
        let mut text = self.0;
        text[14] = b'0' + minute / 10;
        text[15] = b'0' + minute % 10;
        text
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct SampleReading {
    patients: u32,
    critical: u32,
    trauma: u32,
    occupied_rooms: u32,
    charge_off_care: u32,
    triage: u32,
    rn: u32,
    lvn: u32,
    cna: u32,
    clerk: u32,
}

impl SampleReading {
    fn write(&self, unit: &str, at: &[u8; 16], out: &mut Vec<u8>) {
        out.extend_from_slice(unit.as_bytes());
        out.push(b',');
        out.extend_from_slice(at);
        for n in [
            self.patients,
            self.critical,
            self.trauma,
            self.occupied_rooms,
            self.charge_off_care,
            self.triage,
            self.rn,
            self.lvn,
            self.cna,
            self.clerk,
        ] {
            out.push(b',');
            push_number(out, n);
        }
        out.push(b'\n');
    }
}

fn push_number(out: &mut Vec<u8>, n: u32) {
    if n < 10 {
        out.push(b'0' + n as u8);
    } else if n < 100 {
        out.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]);
    } else {
        out.extend_from_slice(n.to_string().as_bytes());
    }
}

impl SampleUnit {
    /// The census expected at an hour, in thousandths of a patient.
    fn expected(&self, day: i32, hour: u32, first_day: i32) -> u32 {
        let beds = self.def.beds;
        // 1970-01-01 was a Thursday: 0 = Monday.
        let weekday = (day + 3).rem_euclid(7);
        let weekend = weekday >= 5;
        // Winter is busier than summer.
        let season = match day - first_day {
            150..=240 => 960,
            60..=330 => 1000,
            _ => 1060,
        };
        let occupancy = match self.def.unit_type.as_str() {
            "emergency" => {
                let curve = [
                    35, 30, 26, 24, 24, 28, 36, 48, 60, 70, 78, 84, 88, 90, 92, 92, 90, 88, 84, 78, 70, 60, 50, 42,
                ];
                curve[hour as usize] * 10
            }
            "operating-room" => {
                if !weekend && (7..17).contains(&hour) {
                    820
                } else {
                    60
                }
            }
            "post-anesthesia" => {
                if !weekend && (8..19).contains(&hour) {
                    620
                } else {
                    90
                }
            }
            _ => {
                let discharge_dip = if (13..17).contains(&hour) { 30 } else { 0 };
                let weekend_dip = if weekend { 30 } else { 0 };
                self.occupancy - discharge_dip - weekend_dip
            }
        };
        beds * occupancy * season / 1000
    }

    fn reading(&self, day: i32, hour: u32, first_day: i32, rng: &mut Rng, unit_seed: u64) -> SampleReading {
        let noise = rng.below(2001) as i64 - 1000; // ± one patient, in thousandths
        let spread = i64::from(self.def.beds) * 60; // ± 6% of beds
        let census =
            (i64::from(self.expected(day, hour, first_day)) + noise * spread / 1000 + (rng.below(1000) as i64 - 500))
                .clamp(0, i64::from(self.def.beds) * 1000);
        let patients = (census / 1000) as u32;
        // The shift: 07:00–19:00 or 19:00–07:00, staffed for its busiest hour.
        let shift_start = if (7..19).contains(&hour) { 7 } else { 19 };
        let shift_day = if hour < 7 { day - 1 } else { day };
        let busiest = (0..12)
            .map(|h| {
                let at = shift_start + h;
                self.expected(shift_day + (at / 24) as i32, at % 24, first_day)
            })
            .max()
            .unwrap_or(0);
        let planned_patients = busiest.div_ceil(1000);
        let mut reading = SampleReading::default();
        let is_ed = self.def.unit_type == "emergency";
        let is_or = self.def.unit_type == "operating-room";
        if is_or {
            reading.occupied_rooms = patients.min(self.def.beds);
            reading.patients = reading.occupied_rooms;
        } else {
            reading.patients = patients;
        }
        if is_ed {
            reading.trauma = (0..patients).filter(|_| rng.below(100) < 3).count() as u32;
            reading.critical = (0..patients - reading.trauma).filter(|_| rng.below(100) < 10).count() as u32;
        }
        let mut nurses = if is_or {
            planned_patients
        } else {
            planned_patients.div_ceil(self.per_nurse)
        };
        if is_ed {
            // Room for the expected critical and trauma patients.
            nurses += planned_patients / 10;
        }
        // The shift's own luck: decided once per unit and shift.
        let mut shift_rng = Rng(unit_seed ^ ((shift_day as u64) << 20) ^ u64::from(shift_start));
        let called_out = shift_rng.below(100) < 4;
        let charge_covers = shift_rng.below(100) < 75;
        if self.has_charge {
            // The charge nurse runs the unit and takes no patients…
            reading.charge_off_care = 1;
            nurses += 1;
        }
        if called_out && nurses > 1 {
            nurses -= 1;
            // …unless a nurse called out and she takes the patients.
            if self.has_charge && charge_covers {
                reading.charge_off_care = 0;
            }
        }
        if self.runs_short {
            let on_break = matches!(hour, 12 | 0);
            let in_stretch = self.stretches.iter().any(|(from, to)| (*from..*to).contains(&day)) && shift_start == 19;
            if (on_break || in_stretch) && nurses > 1 {
                nurses -= 1;
            }
        }
        if is_ed {
            // The triage nurse, on top; now and then not there.
            if rng.below(1000) >= 15 {
                reading.triage = 1;
                nurses += 1;
            }
        }
        let lvn = if self.def.licensed_roles.len() > 1 && nurses >= 4 {
            1
        } else {
            0
        };
        reading.lvn = lvn;
        reading.rn = nurses - lvn;
        if !is_or {
            reading.cna = reading.patients.div_ceil(8);
        }
        reading.clerk = u32::from(self.def.beds >= 16 && (7..19).contains(&hour));
        reading
    }
}

/// The units file's lines, header first.
pub fn units_csv(sample: &StaffingSample) -> String {
    let mut text = lmp_core::staffing::hourly::UNIT_COLUMNS.join(",");
    text.push('\n');
    for unit in sample.units() {
        text.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            unit.code,
            unit.name,
            unit.facility,
            unit.region,
            unit.unit_type,
            unit.beds,
            unit.licensed_roles.join(";")
        ));
    }
    text
}

/// Hospitals shaped like the demo's: (facility code, region code), the
/// regions in the demo's proportions.
pub fn sample_hospitals(count: usize) -> Vec<(String, String)> {
    const REGIONS: [(&str, usize); 7] = [
        ("R-NCAL", 19),
        ("R-SCAL", 14),
        ("R-NW", 2),
        ("R-CO", 1),
        ("R-OH", 1),
        ("R-GA", 1),
        ("R-MAS", 1),
    ];
    let cycle: Vec<&str> = REGIONS
        .iter()
        .flat_map(|(code, n)| std::iter::repeat_n(*code, *n))
        .collect();
    (0..count)
        .map(|h| (format!("H{:03}", h + 1), cycle[h % cycle.len()].to_string()))
        .collect()
}

/// A partnership's hospitals as a sample takes them: (facility code, region code).
pub async fn sample_hospitals_of(
    store: &lmp_store::Store,
    partnership_id: i64,
) -> lmp_store::Result<Vec<(String, String)>> {
    Ok(lmp_store::on_pool!(store, |pool| sqlx::query_as(
        "SELECT f.code, r.code FROM units f JOIN units r ON r.id = f.parent_id \
         WHERE f.partnership_id = $1 AND f.kind = 'hospital' ORDER BY f.id"
    )
    .bind(partnership_id)
    .fetch_all(pool)
    .await?))
}

/// The readings file of a sample, header first, made a day at a time as it
/// is read: a year is never held in memory.
pub struct ReadingsReader {
    sample: StaffingSample,
    next_day: usize,
    end_day: usize,
    buffer: Vec<u8>,
    at: usize,
}

impl ReadingsReader {
    /// The whole year.
    pub fn new(sample: StaffingSample) -> ReadingsReader {
        let days = sample.hours() / 24;
        ReadingsReader::days(sample, 0..days)
    }

    /// Days `from..to` of the year (0 = Jan 1).
    pub fn days(sample: StaffingSample, days: std::ops::Range<usize>) -> ReadingsReader {
        ReadingsReader {
            next_day: days.start,
            end_day: days.end.min(sample.hours() / 24),
            sample,
            buffer: format!("{READINGS_HEADER}\n").into_bytes(),
            at: 0,
        }
    }
}

impl std::io::Read for ReadingsReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buffer.len() {
            if self.next_day >= self.end_day {
                return Ok(0);
            }
            self.buffer.clear();
            self.at = 0;
            let from = self.next_day * 24;
            self.sample.write_readings(from, from + 24, &mut self.buffer);
            self.next_day += 1;
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The partnership's hospitals' nursing units and a year of their
/// readings (last calendar year), through the same imports as a file:
/// the first half, then plans derived from it and approved to govern
/// from 1 July, then the second half, held to them.
pub(crate) async fn load_demo_staffing(
    store: &Store,
    partnership_id: i64,
    today: jiff::civil::Date,
) -> lmp_store::Result<()> {
    use lmp_core::policy::{Action, Permit};
    let hospitals = sample_hospitals_of(store, partnership_id).await?;
    let year = today.year() - 1;
    let sample = StaffingSample::new(&hospitals, year.into(), 22);
    let permit = Permit::operator(partnership_id, Action::ManageStaffing);
    store
        .import_staffing_units(&permit, "demo units.csv", units_csv(&sample).as_bytes(), None)
        .await?;
    assign_demo_teams(store, partnership_id).await?;
    let (january, july) = (jiff::civil::date(year, 1, 1), jiff::civil::date(year, 7, 1));
    let half = usize::try_from(july.since(january).map_or(181, |span| span.get_days())).unwrap_or(181);
    let halves = [
        ("demo readings January-June.csv", 0..half),
        ("demo readings July-December.csv", half..366),
    ];
    for (i, (file, days)) in halves.into_iter().enumerate() {
        if i == 1 {
            load_demo_plans(store, partnership_id, january, july).await?;
        }
        let reader = ReadingsReader::days(sample.clone(), days);
        store
            .import_staffing_readings(&permit, file, reader, false, std::sync::Arc::new(|_| {}))
            .await?;
    }
    Ok(())
}

/// Each nursing unit's team: one of its hospital's unit-based teams, in turn.
async fn assign_demo_teams(store: &Store, partnership_id: i64) -> lmp_store::Result<()> {
    let pairs: Vec<(i64, i64)> = lmp_store::on_pool!(store, |pool| sqlx::query_as(
        "SELECT su.id, su.facility_id FROM staffing_units su WHERE su.partnership_id = $1 ORDER BY su.id"
    )
    .bind(partnership_id)
    .fetch_all(pool)
    .await?);
    let teams: Vec<(i64, i64)> = lmp_store::on_pool!(store, |pool| sqlx::query_as(
        "SELECT b.id, d.parent_id FROM bodies b JOIN units d ON d.id = b.unit_id \
         WHERE b.partnership_id = $1 AND b.level = 'team' AND d.parent_id IS NOT NULL ORDER BY b.id"
    )
    .bind(partnership_id)
    .fetch_all(pool)
    .await?);
    let mut by_facility: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (team, facility) in teams {
        by_facility.entry(facility).or_default().push(team);
    }
    let mut turn: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    let assigned: Vec<(i64, i64)> = pairs
        .into_iter()
        .filter_map(|(unit, facility)| {
            let teams = by_facility.get(&facility)?;
            let n = turn.entry(facility).or_default();
            *n += 1;
            Some((unit, teams[(*n - 1) % teams.len()]))
        })
        .collect();
    lmp_store::in_tx!(store, |tx| {
        for (unit, team) in &assigned {
            sqlx::query("UPDATE staffing_units SET team_id = $1 WHERE id = $2")
                .bind(team)
                .bind(unit)
                .execute(&mut *tx)
                .await?;
        }
    });
    Ok(())
}

/// Plans for the first few med-surg units with a team, each hour of
/// the week at the median census from `from` to the day before
/// `effective_from`: two approved by both co-leads, one awaiting
/// management.
async fn load_demo_plans(
    store: &Store,
    partnership_id: i64,
    from: jiff::civil::Date,
    effective_from: jiff::civil::Date,
) -> lmp_store::Result<()> {
    use lmp_core::policy::{authorize, Action, Actor, UserRole};
    use lmp_core::staffing::plan::{PlanInput, RoleNeed};
    // Units whose teams have both co-leads: the plan is theirs to write and approve.
    let units: Vec<(String, i64)> = lmp_store::on_pool!(store, |pool| {
        sqlx::query_as(
        "SELECT su.code, su.team_id FROM staffing_units su \
         WHERE su.partnership_id = $1 AND su.team_id IS NOT NULL AND su.unit_type = 'med-surg' \
           AND EXISTS (SELECT 1 FROM seats s WHERE s.body_id = su.team_id AND s.role = 'co_lead' AND s.side = 'labor') \
           AND EXISTS (SELECT 1 FROM seats s WHERE s.body_id = su.team_id AND s.role = 'co_lead' AND s.side = 'management') \
         ORDER BY su.id LIMIT 3"
    )
    .bind(partnership_id)
    .fetch_all(pool)
    .await?
    });
    let until = effective_from.yesterday().unwrap_or(effective_from);
    for (i, (code, team_id)) in units.into_iter().enumerate() {
        let mut hours = store
            .staffing_history(partnership_id, &code, Some(from), Some(until), 50)
            .await?
            .hours;
        // Sicker patients by day: acuity adds a nurse where it runs high.
        for (h, hour) in hours.iter_mut().enumerate() {
            hour.acuity_percent = if (7..19).contains(&(h % 24)) { 110 } else { 100 };
        }
        let input = PlanInput {
            hours,
            break_relief_per: 0,
            roles: vec![RoleNeed {
                role: "cna".into(),
                patients_per_staff: Some(8),
                fixed: 0,
            }],
            pay_cents: [("licensed", 8_500), ("cna", 3_200)]
                .into_iter()
                .map(|(r, c)| (r.to_string(), c))
                .collect(),
        };
        let leaders = store.body_leaders(partnership_id, team_id).await?;
        // Each side's co-lead acts in person, as the policy asks.
        let co_lead = |side: lmp_core::Side| {
            let seat = leaders
                .iter()
                .find(|s| s.role == "co_lead" && s.side == side.as_str())
                .ok_or_else(|| {
                    lmp_store::StoreError::Rule(Refusal::as_written(format!("{code} has no {} co-lead", side.as_str())))
                })?;
            let actor = Actor {
                user_id: 0,
                username: seat.person_name.clone(),
                partnership_id,
                role: UserRole::Member,
            };
            Ok::<_, lmp_store::StoreError>((actor, seat.person_id))
        };
        let (labor, labor_person) = co_lead(lmp_core::Side::Labor)?;
        let seats = store.seats_held(partnership_id, team_id, Some(labor_person)).await?;
        let edit = authorize(&labor, Action::EditStaffingPlan { seats }, partnership_id)?;
        let plan = store
            .write_staffing_plan(
                &edit,
                &code,
                &input,
                "Built at the staffing discussion from the median census of January to June.",
                Some(effective_from),
            )
            .await?;
        let sides: &[lmp_core::Side] = if i < 2 {
            &[lmp_core::Side::Labor, lmp_core::Side::Management]
        } else {
            &[lmp_core::Side::Labor]
        };
        for side in sides {
            let (actor, person) = co_lead(*side)?;
            let seats = store.seats_held(partnership_id, team_id, Some(person)).await?;
            let approve = authorize(&actor, Action::ApproveStaffingPlan { seats }, partnership_id)?;
            store.approve_staffing_plan(&approve, plan.id).await?;
        }
    }
    Ok(())
}
