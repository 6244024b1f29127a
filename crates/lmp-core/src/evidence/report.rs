//! One measure's evidence, whole: the means by level, participation and
//! engagement year by year, the three models, and the panel exactly as the
//! models read it, for anyone to fit again.

use super::fit::{Fit, FitRefused};
use super::measure::month_name;
use super::models::{
    difference_in_differences, event_column, event_of, event_study, levels_with_controls, means_by_year, moved_up,
    Formula, GroupYear, Panel, EVENT_QUARTERS,
};
use crate::language::Language;
use serde::Serialize;
use std::fmt::Write as _;

/// The confidence level of every interval shown.
pub const CONFIDENCE: f64 = 0.95;

crate::text_enum! {
    /// A percent (participation index, engagement) in one of three bands.
    pub enum Band ("band") {
        Under50 => ("under_50", "under 50%", "menos del 50 %"),
        From50To79 => ("50_to_79", "50–79%", "50–79 %"),
        From80 => ("80_and_over", "80% and over", "80 % o más"),
    }
}

/// The band `percent` falls in.
pub fn band(percent: f64) -> Band {
    match percent {
        p if p < 50.0 => Band::Under50,
        p if p < 80.0 => Band::From50To79,
        _ => Band::From80,
    }
}

/// The words for a group of the means: `level 3` (a team-month at the
/// level the team had then) or a band's word.
pub fn group_label(group: &str, language: Language) -> String {
    if let Some(level) = group.strip_prefix("level ").and_then(|l| l.parse::<u8>().ok()) {
        return level_in_words(level, language);
    }
    match group.parse::<Band>() {
        Ok(band) => band.label_in(language).to_string(),
        Err(_) => group.to_string(),
    }
}

/// A Path to Performance level, its number and its name.
pub fn level_in_words(level: u8, language: Language) -> String {
    let word = match language {
        Language::English => "Level",
        Language::Spanish => "Nivel",
    };
    format!("{word} {level}: {}", crate::path::level_name_in(level, language))
}

/// A model, or why it could not be fitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fitted {
    Fit(Fit),
    TooFew {
        observations: usize,
        parameters: usize,
        groups: usize,
    },
}

impl From<Result<Fit, FitRefused>> for Fitted {
    fn from(result: Result<Fit, FitRefused>) -> Fitted {
        match result {
            Ok(fit) => Fitted::Fit(fit),
            Err(FitRefused::TooFew {
                observations,
                parameters,
                groups,
            }) => Fitted::TooFew {
                observations,
                parameters,
                groups,
            },
        }
    }
}

impl Fitted {
    pub fn fit(&self) -> Option<&Fit> {
        match self {
            Fitted::Fit(fit) => Some(fit),
            Fitted::TooFew { .. } => None,
        }
    }
}

/// One measure's evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub teams: usize,
    pub values: usize,
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    /// Teams whose level rose in the months seen.
    pub teams_moved_up: usize,
    pub by_level: Vec<GroupYear>,
    pub by_participation: Vec<GroupYear>,
    pub by_engagement: Vec<GroupYear>,
    pub levels_with_controls: Fitted,
    pub event_study: Fitted,
    pub difference_in_differences: Fitted,
    pub confidence: f64,
}

/// Read one measure's panel; `participation` and `engagement` are each
/// team's percent (the panel's team order), where known.
pub fn evidence(panel: &Panel, participation: &[Option<f64>], engagement: &[Option<f64>]) -> Evidence {
    let months = panel.rows.iter().map(|r| r.month);
    let (first, last) = (months.clone().min(), months.max());
    let by_band = |percent: &[Option<f64>]| {
        means_by_year(panel, CONFIDENCE, |row| {
            percent
                .get(row.team as usize)
                .copied()
                .flatten()
                .map(|p| band(p).as_str().to_string())
        })
    };
    Evidence {
        teams: panel.teams.len(),
        values: panel.rows.len(),
        first_month: first.map(month_name),
        last_month: last.map(month_name),
        teams_moved_up: moved_up(panel).iter().filter(|m| m.is_some()).count(),
        by_level: means_by_year(panel, CONFIDENCE, |row| Some(format!("level {}", row.level))),
        by_participation: by_band(participation),
        by_engagement: by_band(engagement),
        levels_with_controls: levels_with_controls(panel, CONFIDENCE).into(),
        event_study: event_study(panel, CONFIDENCE).into(),
        difference_in_differences: difference_in_differences(panel, CONFIDENCE).into(),
        confidence: CONFIDENCE,
    }
}

/// The header of the exported panel.
pub fn panel_header() -> String {
    let quarters: Vec<String> = EVENT_QUARTERS.iter().map(|q| event_column(*q)).collect();
    format!(
        "team,facility,unit_type,size,month,year,level,value,{},after",
        quarters.join(",")
    )
}

/// The exported panel's file name for a measure: `injuries-panel.csv`.
pub fn panel_file(code: &str) -> String {
    format!("{code}-panel.csv")
}

/// The exported models' file name for a measure: `injuries-models.json`.
pub fn models_file(code: &str) -> String {
    format!("{code}-models.json")
}

/// The models as run, for anyone to fit again: the measure, the panel's
/// file, each formula in statsmodels' notation and what each found.
#[derive(Debug, Clone, Serialize)]
pub struct ModelsExport<'a, M: Serialize> {
    pub measure: &'a M,
    pub panel: &'a str,
    pub clustered_by: &'static str,
    pub note: &'static str,
    pub formulas: Formulas,
    pub evidence: &'a Evidence,
}

/// The three models' formulas.
#[derive(Debug, Clone, Serialize)]
pub struct Formulas {
    pub levels_with_controls: &'static str,
    pub event_study: &'static str,
    pub difference_in_differences: &'static str,
}

impl<'a, M: Serialize> ModelsExport<'a, M> {
    pub fn new(measure: &'a M, panel: &'a str, evidence: &'a Evidence) -> ModelsExport<'a, M> {
        ModelsExport {
            measure,
            panel,
            clustered_by: "team",
            note: "statsmodels: smf.ols(formula, panel).fit(cov_type='cluster', cov_kwds={'groups': team codes}, use_t=True); C(team) is absorbed here",
            formulas: Formulas {
                levels_with_controls: Formula::LEVELS,
                event_study: Formula::EVENT_STUDY,
                difference_in_differences: Formula::DIFFERENCE_IN_DIFFERENCES,
            },
            evidence,
        }
    }
}

/// The panel as CSV, exactly as the models read it: each value as the
/// shortest decimal that reads back as the same number, and the event
/// columns of the teams that moved up (0 for the rest).
pub fn panel_csv(panel: &Panel, out: &mut String) {
    let moves = moved_up(panel);
    let _ = writeln!(out, "{}", panel_header());
    for row in &panel.rows {
        let team = &panel.teams[row.team as usize];
        let event = event_of(moves[row.team as usize], row);
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{}",
            quoted(&team.code),
            quoted(&team.facility),
            quoted(&team.unit_type),
            team.size,
            month_name(row.month),
            row.year(),
            row.level,
            row.value
        );
        for q in EVENT_QUARTERS {
            let on = event.is_some_and(|(quarter, _)| quarter == q);
            let _ = write!(out, ",{}", u8::from(on));
        }
        let _ = writeln!(out, ",{}", u8::from(event.is_some_and(|(_, after)| after)));
    }
}

/// A CSV field, quoted when it must be.
fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::models::{TeamFacts, TeamMonth};

    #[test]
    fn bands_split_at_half_and_four_fifths() {
        assert_eq!(band(10.0), Band::Under50);
        assert_eq!(band(50.0), Band::From50To79);
        assert_eq!(band(79.9), Band::From50To79);
        assert_eq!(band(80.0), Band::From80);
        assert_eq!(group_label("80_and_over", Language::Spanish), "80 % o más");
        assert_eq!(group_label("level 4", Language::English), "Level 4: Operational");
    }

    #[test]
    fn the_export_carries_each_value_exactly_and_the_event_columns() {
        let panel = Panel {
            teams: vec![TeamFacts {
                code: "T-1".into(),
                facility: "F, north".into(),
                unit_type: "Pharmacy".into(),
                size: 9.0,
            }],
            rows: vec![
                TeamMonth {
                    team: 0,
                    month: 24_300,
                    level: 1,
                    value: 0.1 + 0.2,
                },
                TeamMonth {
                    team: 0,
                    month: 24_301,
                    level: 2,
                    value: 1.0 / 3.0,
                },
            ],
        };
        let mut out = String::new();
        panel_csv(&panel, &mut out);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], panel_header());
        assert!(
            lines[1].starts_with("T-1,\"F, north\",Pharmacy,9,2025-01,2025,1,0.30000000000000004,"),
            "{}",
            lines[1]
        );
        // Moved up in its second month: the month before is quarter -1 (the
        // baseline, no column), the month of the move quarter 0, after.
        assert!(lines[1].ends_with(",0,0,0,0,0,0,0,0,0,0,0,0,0"), "{}", lines[1]);
        assert!(lines[2].ends_with(",0,0,0,1,0,0,0,0,0,0,0,0,1"), "{}", lines[2]);
        // (The quoted facility holds a comma: the value is the ninth piece.)
        let value: f64 = lines[2].split(',').nth(8).expect("value").parse().expect("number");
        assert_eq!(value, 1.0 / 3.0);
    }
}
