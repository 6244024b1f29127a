//! The evidence models over one measure's team-month panel: means by
//! group and year, levels with controls, and the event study and
//! difference-in-differences of teams that moved up a level.
//!
//! Each model's formula, as statsmodels reads it on the exported panel
//! (`team,facility,unit_type,size,month,year,level,value`), is in
//! [`Formula`]; the check against statsmodels runs exactly those.

use super::fit::{least_squares, Fit, FitRefused, Model, Observations};
use super::interval::MeanInterval;
use super::measure::month_name;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the models know of a team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamFacts {
    pub code: String,
    pub facility: String,
    pub unit_type: String,
    /// Members on the team.
    pub size: f64,
}

/// The levels the regression compares with level 1: 0 is a team not yet
/// at level 1 of the Path to Performance.
pub const LEVELS_AGAINST_ONE: [u8; 5] = [0, 2, 3, 4, 5];

/// A department's kind of unit: its name up to the first comma, as HR
/// files name departments ("Pharmacy, Oakland Medical Center").
pub fn unit_type_of(department: &str) -> String {
    department.split(',').next().unwrap_or("").trim().to_string()
}

/// One team's value in one month, with the team's level that month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeamMonth {
    /// Index into the panel's teams.
    pub team: u32,
    /// Months since January of year 0: `year * 12 + month - 1`.
    pub month: i32,
    pub level: u8,
    pub value: f64,
}

impl TeamMonth {
    pub fn year(&self) -> i32 {
        self.month.div_euclid(12)
    }
}

/// One measure's values, team by team, each team's months in order.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    pub teams: Vec<TeamFacts>,
    pub rows: Vec<TeamMonth>,
}

/// The models as statsmodels' formulas on the exported panel.
pub struct Formula;

impl Formula {
    pub const LEVELS: &'static str = "value ~ C(level, Treatment(1)) + C(facility) + C(unit_type) + size + C(year)";
    /// Event-quarter columns (`q_m4` … `q_p8`, `q_m1` left out) built by the
    /// export; `C(team)` is what the fit absorbs.
    pub const EVENT_STUDY: &'static str =
        "value ~ C(team) + C(month) + q_m4 + q_m3 + q_m2 + q_0 + q_p1 + q_p2 + q_p3 + q_p4 + q_p5 + q_p6 + q_p7 + q_p8";
    pub const DIFFERENCE_IN_DIFFERENCES: &'static str = "value ~ C(team) + C(month) + after";
}

/// The event quarters the event study estimates: from four (or more)
/// quarters before the move to eight (or more) after; the quarter just
/// before is the baseline.
pub const EVENT_QUARTERS: [i32; 12] = [-4, -3, -2, 0, 1, 2, 3, 4, 5, 6, 7, 8];

/// The export's column name of an event quarter: `q_m4`, `q_0`, `q_p8`.
pub fn event_column(quarter: i32) -> String {
    match quarter {
        q if q < 0 => format!("q_m{}", -q),
        0 => "q_0".to_string(),
        q => format!("q_p{q}"),
    }
}

/// The event quarter a column of [`event_column`] names, if it names one.
pub fn event_quarter_of(column: &str) -> Option<i32> {
    match column {
        "q_0" => Some(0),
        _ => {
            let (sign, digits) = match column.strip_prefix("q_m") {
                Some(d) => (-1, d),
                None => (1, column.strip_prefix("q_p")?),
            };
            digits.parse::<i32>().ok().filter(|q| *q > 0).map(|q| sign * q)
        }
    }
}

/// The quarter, binned at both ends, `months_since` a team's move falls in.
pub fn event_quarter(months_since: i32) -> i32 {
    months_since.div_euclid(3).clamp(-4, 8)
}

/// Each team's first month at a higher level than the month before, if
/// it ever moved up.
pub fn moved_up(panel: &Panel) -> Vec<Option<i32>> {
    let mut first = vec![None; panel.teams.len()];
    let mut previous: Option<(u32, u8)> = None;
    for row in &panel.rows {
        if let Some((team, level)) = previous {
            if team == row.team && row.level > level && first[row.team as usize].is_none() {
                first[row.team as usize] = Some(row.month);
            }
        }
        previous = Some((row.team, row.level));
    }
    first
}

/// One group's mean in one year, over its teams: each team counts once,
/// as the mean of its months in that group and year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupYear {
    pub group: String,
    pub year: i32,
    #[serde(flatten)]
    pub mean: MeanInterval,
}

/// Means by `group_of` a row and year, each team one value.
pub fn means_by_year(
    panel: &Panel,
    confidence: f64,
    group_of: impl Fn(&TeamMonth) -> Option<String>,
) -> Vec<GroupYear> {
    // (group, year) -> team -> (sum, count)
    let mut cells: BTreeMap<(String, i32), BTreeMap<u32, (f64, usize)>> = BTreeMap::new();
    for row in &panel.rows {
        let Some(group) = group_of(row) else { continue };
        let cell = cells
            .entry((group, row.year()))
            .or_default()
            .entry(row.team)
            .or_default();
        cell.0 += row.value;
        cell.1 += 1;
    }
    cells
        .into_iter()
        .filter_map(|((group, year), teams)| {
            let values: Vec<f64> = teams.values().map(|(sum, n)| sum / *n as f64).collect();
            MeanInterval::of(&values, confidence).map(|mean| GroupYear { group, year, mean })
        })
        .collect()
}

/// Categories in the order patsy gives them (sorted), the first the reference.
fn categories<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut all: Vec<String> = values.map(str::to_string).collect();
    all.sort();
    all.dedup();
    all
}

/// The levels with controls: each level against level 1, holding the
/// facility, the unit type, the team's size and the year alike;
/// errors clustered by team.
pub fn levels_with_controls(panel: &Panel, confidence: f64) -> Result<Fit, FitRefused> {
    let facilities = categories(panel.teams.iter().map(|t| t.facility.as_str()));
    let unit_types = categories(panel.teams.iter().map(|t| t.unit_type.as_str()));
    let mut years: Vec<i32> = panel.rows.iter().map(TeamMonth::year).collect();
    years.sort_unstable();
    years.dedup();
    let mut columns = vec!["const".to_string()];
    columns.extend(LEVELS_AGAINST_ONE.iter().map(|l| format!("level {l}")));
    let facility_at = columns.len();
    columns.extend(facilities.iter().skip(1).map(|f| format!("facility {f}")));
    let unit_type_at = columns.len();
    columns.extend(unit_types.iter().skip(1).map(|u| format!("unit type {u}")));
    let size_at = columns.len();
    columns.push("size".to_string());
    let year_at = columns.len();
    columns.extend(years.iter().skip(1).map(|y| format!("year {y}")));
    let position = |all: &[String], value: &str| all.binary_search_by(|v| v.as_str().cmp(value)).ok();
    let team_columns: Vec<(Option<usize>, Option<usize>)> = panel
        .teams
        .iter()
        .map(|t| {
            (
                position(&facilities, &t.facility).filter(|i| *i > 0),
                position(&unit_types, &t.unit_type).filter(|i| *i > 0),
            )
        })
        .collect();
    let mut data = Observations::new();
    for row in &panel.rows {
        let team = &panel.teams[row.team as usize];
        let (facility, unit_type) = team_columns[row.team as usize];
        let year = years.binary_search(&row.year()).ok().filter(|i| *i > 0);
        let mut x = vec![(0u32, 1.0)];
        if let Some(at) = LEVELS_AGAINST_ONE.iter().position(|l| *l == row.level) {
            x.push((at as u32 + 1, 1.0));
        }
        if let Some(f) = facility {
            x.push(((facility_at + f - 1) as u32, 1.0));
        }
        if let Some(u) = unit_type {
            x.push(((unit_type_at + u - 1) as u32, 1.0));
        }
        x.push((size_at as u32, team.size));
        if let Some(y) = year {
            x.push(((year_at + y - 1) as u32, 1.0));
        }
        data.push(row.value, row.team, x);
    }
    let model = Model {
        columns,
        absorb_groups: false,
        confidence,
    };
    least_squares(&model, &data)
}

/// Where a row stands to its team's move up, if the team moved: the event
/// quarter (binned) and whether the move has happened.
pub fn event_of(moved: Option<i32>, row: &TeamMonth) -> Option<(i32, bool)> {
    moved.map(|m| (event_quarter(row.month - m), row.month >= m))
}

/// Teams that moved up against teams that never did, each team's own
/// level and each month's absorbed: either one coefficient for the months
/// after the move (`quarters: false`), or one per event quarter.
fn moved_up_model(panel: &Panel, confidence: f64, quarters: bool) -> Result<Fit, FitRefused> {
    let moves = moved_up(panel);
    let mut months: Vec<i32> = panel.rows.iter().map(|r| r.month).collect();
    months.sort_unstable();
    months.dedup();
    let mut columns: Vec<String> = if quarters {
        EVENT_QUARTERS.iter().map(|q| event_column(*q)).collect()
    } else {
        vec!["after".to_string()]
    };
    let month_at = columns.len();
    columns.extend(months.iter().skip(1).map(|m| format!("month {}", month_name(*m))));
    let mut data = Observations::new();
    for row in &panel.rows {
        let mut x = Vec::with_capacity(2);
        if let Some((quarter, after)) = event_of(moves[row.team as usize], row) {
            if quarters {
                if let Some(c) = EVENT_QUARTERS.iter().position(|e| *e == quarter) {
                    x.push((c as u32, 1.0));
                }
            } else if after {
                x.push((0, 1.0));
            }
        }
        if let Ok(m) = months.binary_search(&row.month) {
            if m > 0 {
                x.push(((month_at + m - 1) as u32, 1.0));
            }
        }
        data.push(row.value, row.team, x);
    }
    let model = Model {
        columns,
        absorb_groups: true,
        confidence,
    };
    least_squares(&model, &data)
}

/// The event study: each quarter from the move against the quarter before.
pub fn event_study(panel: &Panel, confidence: f64) -> Result<Fit, FitRefused> {
    moved_up_model(panel, confidence, true)
}

/// Difference-in-differences: the months after a move against before,
/// beside the teams that did not move.
pub fn difference_in_differences(panel: &Panel, confidence: f64) -> Result<Fit, FitRefused> {
    moved_up_model(panel, confidence, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twelve teams over three years, the first three at level 1, the rest
    /// at 2; the last six move up to 4 in month 18, and their value falls
    /// by 2 from then on.
    fn planted() -> Panel {
        let teams = (0..12)
            .map(|t| TeamFacts {
                code: format!("T{t}"),
                facility: if t % 2 == 0 { "F-A" } else { "F-B" }.to_string(),
                unit_type: if t % 3 == 0 { "clinic" } else { "ward" }.to_string(),
                size: 8.0 + t as f64,
            })
            .collect();
        let mut rows = Vec::new();
        for team in 0..12u32 {
            for m in 0..36 {
                let moved = team >= 6 && m >= 18;
                let wobble = ((team * 7 + m as u32 * 3) % 5) as f64 * 0.1;
                rows.push(TeamMonth {
                    team,
                    month: 2024 * 12 + m,
                    level: if moved {
                        4
                    } else if team < 3 {
                        1
                    } else {
                        2
                    },
                    value: 10.0 + team as f64 * 0.5 + m as f64 * 0.05 - if moved { 2.0 } else { 0.0 } + wobble,
                });
            }
        }
        Panel { teams, rows }
    }

    #[test]
    fn a_team_moves_up_in_the_first_month_at_a_higher_level() {
        let moves = moved_up(&planted());
        assert_eq!(moves[0], None);
        assert_eq!(moves[6], Some(2024 * 12 + 18));
    }

    #[test]
    fn the_planted_fall_is_found_by_each_model() {
        let panel = planted();
        let did = difference_in_differences(&panel, 0.95).expect("fit");
        let after = did.coefficient("after").expect("after");
        assert!(after.low < -2.0 && -2.0 < after.high, "{after:?}");
        let study = event_study(&panel, 0.95).expect("fit");
        let before = study.coefficient("q_m2").expect("q_m2");
        assert!(
            before.low < 0.0 && 0.0 < before.high,
            "no fall before the move: {before:?}"
        );
        let later = study.coefficient("q_p4").expect("q_p4");
        assert!(later.high < 0.0, "{later:?}");
        let levels = levels_with_controls(&panel, 0.95).expect("fit");
        let four = levels.coefficient("level 4").expect("level 4");
        assert!(four.estimate < -1.0, "{four:?}");
        assert!(
            levels.dropped.iter().any(|d| d == "level 5"),
            "no team at 5: {:?}",
            levels.dropped
        );
    }

    #[test]
    fn means_count_each_team_once_a_year() {
        let panel = planted();
        let by_level = means_by_year(&panel, 0.95, |r| Some(format!("level {}", r.level)));
        let first = by_level
            .iter()
            .find(|g| g.group == "level 2" && g.year == 2024)
            .expect("cell");
        assert_eq!(first.mean.count, 9);
        let moved = by_level
            .iter()
            .find(|g| g.group == "level 4" && g.year == 2025)
            .expect("cell");
        assert_eq!(moved.mean.count, 6);
    }

    #[test]
    fn event_quarters_bin_at_both_ends() {
        assert_eq!(event_quarter(-40), -4);
        assert_eq!(event_quarter(-1), -1);
        assert_eq!(event_quarter(0), 0);
        assert_eq!(event_quarter(5), 1);
        assert_eq!(event_quarter(99), 8);
        assert_eq!(event_column(-4), "q_m4");
        assert_eq!(event_column(8), "q_p8");
    }
}
