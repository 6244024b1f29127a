//! A joint staffing plan: from the census and acuity expected at each hour
//! of the week, the staff each role needs — the licensed nurses the ratio
//! asks, more where acuity runs high (an acuity system may only add), relief
//! so that breaks keep the ratio, the triage nurse, and the other roles by
//! their own ratios — and what a year of it costs. "What if" is two plans
//! side by side.

use super::layered::{Layered, StaffingError};
use crate::refusal::Refusal;
use crate::refuse;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const HOURS_OF_WEEK: usize = 168;

/// The plan's row of licensed nurses (triage included).
pub const LICENSED: &str = "licensed";

/// What a plan is built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    /// The census expected at each hour of the week, Monday 00:00 first (168).
    pub hours: Vec<ExpectedHour>,
    /// One relief nurse for every this many nurses, so breaks keep the
    /// ratio at all times (0: none).
    #[serde(default)]
    pub break_relief_per: u32,
    /// Roles besides licensed nurses: by patients each, or a fixed number.
    #[serde(default)]
    pub roles: Vec<RoleNeed>,
    /// Pay an hour by role, in cents (`licensed` for licensed nurses).
    #[serde(default)]
    pub pay_cents: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedHour {
    pub patients: u32,
    #[serde(default)]
    pub critical: u32,
    #[serde(default)]
    pub trauma: u32,
    #[serde(default)]
    pub occupied_rooms: u32,
    /// The patients' acuity against the unit's usual, in percent: above 100
    /// adds licensed nurses in proportion; below never takes any away.
    #[serde(default = "usual_acuity")]
    pub acuity_percent: u32,
}

fn usual_acuity() -> u32 {
    100
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleNeed {
    /// Lower case: `cna`, `clerk`.
    pub role: String,
    /// One for every this many patients (rounded up).
    #[serde(default)]
    pub patients_per_staff: Option<u32>,
    /// Or this many on duty whenever the unit has patients.
    #[serde(default)]
    pub fixed: u32,
}

/// The staff a plan asks for, by role and hour of the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// `licensed` first, then the other roles in the input's order.
    pub roles: Vec<String>,
    /// `staff[r][h]`: role r's staff at hour of week h.
    pub staff: Vec<Vec<u32>>,
    /// Of the licensed nurses, how many each hour the ratio itself asks
    /// (the legal minimum, before acuity and relief).
    pub legal_minimum: Vec<u32>,
}

/// A role's year: staff-hours and cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleYear {
    pub role: String,
    pub staff_hours: i64,
    /// None where the plan has no pay rate for the role.
    pub cost_cents: Option<i64>,
}

/// Two plans' years side by side: `after − before` per role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatIf {
    pub before: Vec<RoleYear>,
    pub after: Vec<RoleYear>,
    pub staff_hours_difference: i64,
    pub cost_difference_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    Hours(usize),
    Hour { hour: usize, reason: Refusal },
    Role(String),
    RoleTwice(String),
    Pay(String),
    Rules(StaffingError),
}

impl From<StaffingError> for PlanError {
    fn from(error: StaffingError) -> PlanError {
        PlanError::Rules(error)
    }
}

impl From<&PlanError> for Refusal {
    fn from(error: &PlanError) -> Refusal {
        match error {
            PlanError::Hours(given) => refuse!(
                "a plan gives the census for each of the week's 168 hours; this one gives {given}",
                "un plan da el censo de cada una de las 168 horas de la semana; este da {given}"
            ),
            PlanError::Hour { hour, reason } => reason.clone().after(
                &format!("hour {hour} of the week"),
                &format!("hora {hour} de la semana"),
            ),
            PlanError::Role(role) => refuse!(
                "role {role:?}: give patients per staff member (1 or more) or a fixed number",
                "rol {role:?}: dé pacientes por miembro del personal (1 o más) o un número fijo"
            ),
            PlanError::RoleTwice(role) => {
                refuse!("role {role:?} is listed twice", "el rol {role:?} aparece dos veces")
            }
            PlanError::Pay(role) => refuse!(
                "pay for {role:?} must be 0 cents or more",
                "el pago de {role:?} debe ser de 0 centavos o más"
            ),
            PlanError::Rules(e) => e.into(),
        }
    }
}

crate::display_as_refusal!(PlanError);

impl PlanInput {
    pub fn check(&self) -> Result<(), PlanError> {
        if self.hours.len() != HOURS_OF_WEEK {
            return Err(PlanError::Hours(self.hours.len()));
        }
        for (hour, expected) in self.hours.iter().enumerate() {
            if expected.critical + expected.trauma > expected.patients {
                let (serious, patients) = (expected.critical + expected.trauma, expected.patients);
                return Err(PlanError::Hour {
                    hour,
                    reason: refuse!(
                        "{serious} critical and trauma patients among {patients}",
                        "{serious} pacientes críticos y de trauma entre {patients}"
                    ),
                });
            }
            if expected.acuity_percent > 400 {
                return Err(PlanError::Hour {
                    hour,
                    reason: refuse!(
                        "acuity above 400% of the usual",
                        "agudeza por encima del 400 % de lo habitual"
                    ),
                });
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for need in &self.roles {
            if need.role == LICENSED || !seen.insert(need.role.as_str()) {
                return Err(PlanError::RoleTwice(need.role.clone()));
            }
            if need.patients_per_staff == Some(0) || (need.patients_per_staff.is_none() && need.fixed == 0) {
                return Err(PlanError::Role(need.role.clone()));
            }
        }
        if let Some((role, _)) = self.pay_cents.iter().find(|(_, cents)| **cents < 0) {
            return Err(PlanError::Pay(role.clone()));
        }
        Ok(())
    }
}

/// Build the plan for a unit type under the rules in force on `day`.
pub fn build(layered: &Layered, unit_type: &str, day: Date, input: &PlanInput) -> Result<Plan, PlanError> {
    input.check()?;
    let mut roles = vec![LICENSED.to_string()];
    roles.extend(input.roles.iter().map(|r| r.role.clone()));
    let mut staff = vec![vec![0; HOURS_OF_WEEK]; roles.len()];
    let mut legal_minimum = vec![0; HOURS_OF_WEEK];
    for (hour, expected) in input.hours.iter().enumerate() {
        let mut by_class = Vec::new();
        if expected.critical > 0 {
            by_class.push(("critical", expected.critical));
        }
        if expected.trauma > 0 {
            by_class.push(("trauma", expected.trauma));
        }
        let rooms = Some(expected.occupied_rooms);
        let need = layered
            .required(unit_type, day, expected.patients, &by_class, rooms)
            .map_err(|e| PlanError::Hour {
                hour,
                reason: (&e).into(),
            })?;
        let counted = need.counted_nurses;
        let acuity_extra = (counted * expected.acuity_percent.saturating_sub(100)).div_ceil(100);
        let with_acuity = counted + acuity_extra;
        let relief = if input.break_relief_per > 0 && with_acuity > 0 {
            with_acuity.div_ceil(input.break_relief_per)
        } else {
            0
        };
        legal_minimum[hour] = counted;
        staff[0][hour] = with_acuity + relief + need.triage_nurses;
        for (row, need) in staff.iter_mut().skip(1).zip(&input.roles) {
            row[hour] = match need.patients_per_staff {
                Some(per) => expected.patients.div_ceil(per),
                None if expected.patients > 0 || expected.occupied_rooms > 0 => need.fixed,
                None => 0,
            };
        }
    }
    Ok(Plan {
        roles,
        staff,
        legal_minimum,
    })
}

impl Plan {
    /// Each role's year: every hour of the week comes 365/7 times a year.
    pub fn year(&self, pay_cents: &BTreeMap<String, i64>) -> Vec<RoleYear> {
        self.roles
            .iter()
            .zip(&self.staff)
            .map(|(role, hours)| {
                let week: i64 = hours.iter().map(|n| i64::from(*n)).sum();
                RoleYear {
                    role: role.clone(),
                    staff_hours: per_year(week),
                    cost_cents: pay_cents.get(role).map(|rate| per_year(week * rate)),
                }
            })
            .collect()
    }
}

/// A week's amount over a year of 365 days, rounded half up.
fn per_year(week: i64) -> i64 {
    (week * 365 * 2 + 7).div_euclid(14)
}

/// What changing a plan's input does to a year of staff and cost.
pub fn what_if(before: (&Plan, &PlanInput), after: (&Plan, &PlanInput)) -> WhatIf {
    let before_year = before.0.year(&before.1.pay_cents);
    let after_year = after.0.year(&after.1.pay_cents);
    let total = |year: &[RoleYear]| -> (i64, i64) {
        (
            year.iter().map(|r| r.staff_hours).sum(),
            year.iter().filter_map(|r| r.cost_cents).sum(),
        )
    };
    let (hours_before, cost_before) = total(&before_year);
    let (hours_after, cost_after) = total(&after_year);
    WhatIf {
        before: before_year,
        after: after_year,
        staff_hours_difference: hours_after - hours_before,
        cost_difference_cents: cost_after - cost_before,
    }
}

/// The days of the week as a plan's week names them, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The columns of a plan's week written out as text, one row an hour.
pub const WEEK_COLUMNS: [&str; 7] = [
    "day",
    "hour",
    "patients",
    "critical",
    "trauma",
    "occupied_rooms",
    "acuity_percent",
];

/// A plan's expected week as comma-separated text, header first, so it can
/// be edited in a form or a spreadsheet.
pub fn week_text(hours: &[ExpectedHour]) -> String {
    let mut text = WEEK_COLUMNS.join(",");
    for (i, h) in hours.iter().enumerate() {
        text.push_str(&format!(
            "\n{},{},{},{},{},{},{}",
            WEEKDAYS[(i / 24) % 7],
            i % 24,
            h.patients,
            h.critical,
            h.trauma,
            h.occupied_rooms,
            h.acuity_percent
        ));
    }
    text
}

/// Read [`week_text`] back: every hour of the week once, in any order; a
/// bad field is named by its line and column.
pub fn parse_week_text(text: &str) -> Result<Vec<ExpectedHour>, Refusal> {
    let mut hours: Vec<Option<ExpectedHour>> = vec![None; HOURS_OF_WEEK];
    let at = |line: usize, column: usize, reason: Refusal| {
        reason.after(
            &format!("line {line}, column {column}"),
            &format!("línea {line}, columna {column}"),
        )
    };
    for (i, row) in text.lines().enumerate() {
        let line = i + 1;
        let row = row.trim();
        if row.is_empty() || (line == 1 && row.starts_with("day")) {
            continue;
        }
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if fields.len() != WEEK_COLUMNS.len() {
            let (count, columns) = (fields.len(), WEEK_COLUMNS.join(","));
            return Err(at(
                line,
                1,
                refuse!(
                    "{count} fields; a row has {columns}",
                    "{count} campos; una fila tiene {columns}"
                ),
            ));
        }
        let day = WEEKDAYS
            .iter()
            .position(|d| d.eq_ignore_ascii_case(fields[0]))
            .ok_or_else(|| {
                let day = fields[0];
                at(
                    line,
                    1,
                    refuse!("{day:?} is not a day: Mon … Sun", "{day:?} no es un día: Mon … Sun"),
                )
            })?;
        let mut numbers = [0_u32; 6];
        for (column, (slot, field)) in numbers.iter_mut().zip(&fields[1..]).enumerate() {
            *slot = field.parse().map_err(|_| {
                at(
                    line,
                    column + 2,
                    refuse!("{field:?} is not a whole number", "{field:?} no es un número entero"),
                )
            })?;
        }
        let [hour, patients, critical, trauma, occupied_rooms, acuity_percent] = numbers;
        if hour > 23 {
            return Err(at(
                line,
                2,
                refuse!("hour {hour}: hours run 0 to 23", "hora {hour}: las horas van de 0 a 23"),
            ));
        }
        let slot = &mut hours[day * 24 + hour as usize];
        if slot.is_some() {
            let day = WEEKDAYS[day];
            return Err(at(
                line,
                1,
                refuse!("{day} {hour}:00 is given twice", "{day} {hour}:00 aparece dos veces"),
            ));
        }
        *slot = Some(ExpectedHour {
            patients,
            critical,
            trauma,
            occupied_rooms,
            acuity_percent,
        });
    }
    if let Some(missing) = hours.iter().position(Option::is_none) {
        let (day, hour) = (WEEKDAYS[missing / 24], missing % 24);
        return Err(refuse!(
            "the week needs all 168 hours; {day} {hour}:00 is missing",
            "la semana necesita las 168 horas; falta {day} {hour}:00"
        ));
    }
    Ok(hours.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::rules::built_in_named;
    use jiff::civil::date;

    fn law() -> Layered {
        Layered::new(built_in_named("ca-title22").unwrap(), |_| None).unwrap()
    }

    fn week(patients: u32) -> Vec<ExpectedHour> {
        vec![
            ExpectedHour {
                patients,
                acuity_percent: 100,
                ..ExpectedHour::default()
            };
            HOURS_OF_WEEK
        ]
    }

    fn input(hours: Vec<ExpectedHour>) -> PlanInput {
        PlanInput {
            hours,
            break_relief_per: 0,
            roles: vec![
                RoleNeed {
                    role: "cna".into(),
                    patients_per_staff: Some(8),
                    fixed: 0,
                },
                RoleNeed {
                    role: "clerk".into(),
                    patients_per_staff: None,
                    fixed: 1,
                },
            ],
            pay_cents: BTreeMap::from([("licensed".into(), 8_000), ("cna".into(), 3_000)]),
        }
    }

    #[test]
    fn the_ratio_then_acuity_then_relief_by_hand() {
        // 22 med-surg patients: the ratio asks 5 (22 / 5 rounded up).
        let mut plain = input(week(22));
        let plan = build(&law(), "med-surg", date(2026, 1, 1), &plain).unwrap();
        assert_eq!(plan.roles, ["licensed", "cna", "clerk"]);
        assert_eq!((plan.staff[0][0], plan.legal_minimum[0]), (5, 5));
        assert_eq!((plan.staff[1][0], plan.staff[2][0]), (3, 1));
        // Acuity 130%: 5 × 0.3 = 1.5, so 2 more. Below 100% takes none away.
        plain.hours[10].acuity_percent = 130;
        plain.hours[11].acuity_percent = 70;
        // One relief nurse for every 4: 7 nurses at hour 10 need 2 more.
        plain.break_relief_per = 4;
        let plan = build(&law(), "med-surg", date(2026, 1, 1), &plain).unwrap();
        assert_eq!(plan.staff[0][10], 5 + 2 + 2);
        assert_eq!(plan.staff[0][11], 5 + 2);
        assert_eq!(plan.legal_minimum[10], 5);
    }

    #[test]
    fn the_ed_plan_carries_its_triage_nurse_and_acuity_classes() {
        let mut hours = week(8);
        for hour in &mut hours {
            hour.critical = 2;
            hour.trauma = 1;
        }
        let plan = build(&law(), "emergency", date(2026, 1, 1), &input(hours)).unwrap();
        assert_eq!((plan.staff[0][0], plan.legal_minimum[0]), (4 + 1, 4));
        let mut empty = week(0);
        empty[3].patients = 0;
        let plan = build(&law(), "emergency", date(2026, 1, 1), &input(empty)).unwrap();
        assert_eq!(
            (plan.staff[0][3], plan.staff[2][3]),
            (0, 0),
            "no patients, nobody fixed"
        );
    }

    #[test]
    fn a_year_and_what_if() {
        let before_input = input(week(22));
        let before = build(&law(), "med-surg", date(2026, 1, 1), &before_input).unwrap();
        let year = before.year(&before_input.pay_cents);
        // 5 nurses every hour: 5 × 8,760 staff-hours; at $80 an hour.
        assert_eq!(year[0].staff_hours, 5 * 8760);
        assert_eq!(year[0].cost_cents, Some(5 * 8760 * 8_000));
        assert_eq!(year[2].cost_cents, None, "no pay rate for clerks");
        // What if the census rose to 26 (6 nurses, 4 CNAs)?
        let after_input = input(week(26));
        let after = build(&law(), "med-surg", date(2026, 1, 1), &after_input).unwrap();
        let change = what_if((&before, &before_input), (&after, &after_input));
        assert_eq!(change.staff_hours_difference, 8760 * 2);
        assert_eq!(change.cost_difference_cents, 8760 * 8_000 + 8760 * 3_000);
    }

    #[test]
    fn a_week_as_text_reads_back_and_a_bad_row_is_placed() {
        let mut hours = week(22);
        hours[30].critical = 2;
        hours[167].acuity_percent = 120;
        let text = week_text(&hours);
        assert!(text.starts_with("day,hour,patients"), "{text}");
        assert!(text.contains("\nTue,6,22,2,0,0,100\n"), "{text}");
        assert_eq!(parse_week_text(&text).unwrap(), hours);
        // Rows in any order.
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        assert_eq!(parse_week_text(&lines.join("\n")).unwrap(), hours);
        let bad = text.replacen("Tue,6,22,2", "Tue,6,x,2", 1);
        let refused = parse_week_text(&bad).unwrap_err();
        assert_eq!(refused.to_string(), "line 32, column 3: \"x\" is not a whole number");
        assert_eq!(
            refused.in_language(crate::language::Language::Spanish),
            "línea 32, columna 3: \"x\" no es un número entero"
        );
        let missing = text.replacen("\nSun,23,22,0,0,0,120", "", 1);
        assert!(parse_week_text(&missing).unwrap_err().contains("Sun 23:00 is missing"));
        let twice = text.replacen("Sun,23", "Sun,22", 1);
        assert!(parse_week_text(&twice)
            .unwrap_err()
            .contains("Sun 22:00 is given twice"));
        assert!(parse_week_text(&text.replacen("Mon,0", "Funday,0", 1))
            .unwrap_err()
            .to_string()
            .starts_with("line 2, column 1"));
    }

    #[test]
    fn a_bad_plan_says_what_is_wrong() {
        let short = PlanInput {
            hours: week(3)[..24].to_vec(),
            ..input(week(3))
        };
        assert!(matches!(short.check(), Err(PlanError::Hours(24))));
        let mut hours = week(3);
        hours[5].critical = 4;
        assert!(matches!(input(hours).check(), Err(PlanError::Hour { hour: 5, .. })));
        let mut twice = input(week(3));
        twice.roles.push(twice.roles[0].clone());
        assert!(matches!(twice.check(), Err(PlanError::RoleTwice(_))));
        let mut none = input(week(3));
        none.roles[1].fixed = 0;
        assert!(matches!(none.check(), Err(PlanError::Role(_))));
        assert!(matches!(
            build(&law(), "burns", date(2026, 1, 1), &input(week(3))),
            Err(PlanError::Hour { hour: 0, .. })
        ));
    }
}
