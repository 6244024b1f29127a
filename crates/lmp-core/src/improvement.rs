//! Improvement projects the Rapid Improvement Model way: a goal aligned with
//! the Value Compass, measures (the main one and the balancing ones that
//! could get worse), and tests of change as Plan-Do-Study-Act cycles.

use crate::refusal::Refusal;
use crate::refuse;
use jiff::civil::Date;

crate::text_enum! {
    /// The goal a project or decision serves; the patient or member sits at
    /// the centre of all four.
    pub enum CompassPoint ("Value Compass point") {
        BestQuality => ("best_quality", "Best Quality", "La mejor calidad"),
        BestService => ("best_service", "Best Service", "El mejor servicio"),
        MostAffordable => ("most_affordable", "Most Affordable", "Lo más asequible"),
        BestPlaceToWork => ("best_place_to_work", "Best Place to Work", "El mejor lugar para trabajar"),
    }
}

crate::text_enum! {
    pub enum ProjectStatus ("project status") {
        Planning => ("planning", "Planning", "Planificación"),
        Testing => ("testing", "Testing changes", "Probando cambios"),
        Sustaining => ("sustaining", "Sustaining the gain", "Sosteniendo la mejora"),
        Completed => ("completed", "Completed", "Terminado"),
        Stopped => ("stopped", "Stopped", "Detenido"),
    }
}

impl ProjectStatus {
    /// Whether the team still owes documentation on it.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            ProjectStatus::Planning | ProjectStatus::Testing | ProjectStatus::Sustaining
        )
    }
}

crate::text_enum! {
    /// A project's own measure, or one watched beside it in case the change
    /// makes it worse (staff workload, overtime, injuries, patient experience).
    pub enum MeasureRole ("measure role") {
        Main => ("main", "Main measure", "Medida principal"),
        Balancing => ("balancing", "Balancing measure", "Medida de equilibrio"),
    }
}

crate::text_enum! {
    /// Which way is better for a measure: a wait time should go down, a
    /// satisfaction score up.
    pub enum Direction ("direction") {
        Up => ("up", "Higher is better", "Más alto es mejor"),
        Down => ("down", "Lower is better", "Más bajo es mejor"),
    }
}

/// Compass points as one stored word list: `best_quality;most_affordable`.
pub fn parse_compass_points(text: &str) -> Result<Vec<CompassPoint>, Refusal> {
    let mut points = Vec::new();
    for word in text.split([';', ',']).map(str::trim).filter(|w| !w.is_empty()) {
        let point: CompassPoint = word.parse()?;
        if !points.contains(&point) {
            points.push(point);
        }
    }
    if points.is_empty() {
        return Err(refuse!(
            "a project serves at least one point of the Value Compass",
            "un proyecto sirve al menos a un punto de la Brújula de Valor"
        ));
    }
    points.sort();
    Ok(points)
}

pub fn compass_points_text(points: &[CompassPoint]) -> String {
    points.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(";")
}

/// What makes a goal SMART here: a measure, its unit, where it starts, a
/// target that differs from the start, and a date.
#[derive(Debug, Clone, PartialEq)]
pub struct SmartGoal {
    pub measure: String,
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    pub target_date: Date,
}

impl SmartGoal {
    pub fn check(&self, started_on: Date) -> Result<(), Refusal> {
        if self.measure.trim().is_empty() {
            return Err(refuse!(
                "the goal needs a measure: how will you know a change is an improvement?",
                "la meta necesita una medida: ¿cómo sabrá que un cambio es una mejora?"
            ));
        }
        if self.unit.trim().is_empty() {
            return Err(refuse!(
                "the measure needs a unit (minutes, %, count per week, …)",
                "la medida necesita una unidad (minutos, %, cantidad por semana, …)"
            ));
        }
        if !self.baseline.is_finite() || !self.target.is_finite() {
            return Err(refuse!(
                "baseline and target must be numbers",
                "la línea de base y el objetivo deben ser números"
            ));
        }
        if self.baseline == self.target {
            return Err(refuse!(
                "the target must differ from the baseline",
                "el objetivo debe ser distinto de la línea de base"
            ));
        }
        if self.target_date <= started_on {
            let target_date = self.target_date;
            return Err(refuse!(
                "the target date {target_date} must come after the project starts ({started_on})",
                "la fecha objetivo {target_date} debe ser posterior al inicio del proyecto ({started_on})"
            ));
        }
        Ok(())
    }

    /// The direction the target implies.
    pub fn direction(&self) -> Direction {
        if self.target > self.baseline {
            Direction::Up
        } else {
            Direction::Down
        }
    }
}

/// The three questions of the Rapid Improvement Model, in the team's words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RimQuestions {
    /// What are we trying to accomplish?
    pub aim: String,
    /// How will we know that a change is an improvement?
    pub how_we_know: String,
    /// What change can we make that will result in improvement?
    pub change_idea: String,
}

impl RimQuestions {
    pub fn check(&self) -> Result<(), Refusal> {
        for (answer, question, pregunta) in [
            (&self.aim, "what are we trying to accomplish", "¿Qué intentamos lograr?"),
            (
                &self.how_we_know,
                "how will we know that a change is an improvement",
                "¿Cómo sabremos que un cambio es una mejora?",
            ),
            (
                &self.change_idea,
                "what change can we make",
                "¿Qué cambio podemos hacer?",
            ),
        ] {
            if answer.trim().is_empty() {
                return Err(refuse!(
                    "answer the question {question:?}",
                    "responda a la pregunta «{pregunta}»"
                ));
            }
        }
        Ok(())
    }
}

/// One Plan-Do-Study-Act cycle. Planned with a prediction; studied with a
/// result; acted on with a decision (adopt, adapt, abandon).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOfChange {
    pub change: String,
    pub prediction: String,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub result: String,
    pub next_step: Option<PdsaDecision>,
}

crate::text_enum! {
    /// What the team decided in the "Act" step.
    pub enum PdsaDecision ("decision") {
        Adopt => ("adopt", "Adopt", "Adoptar"),
        Adapt => ("adapt", "Adapt and test again", "Adaptar y volver a probar"),
        Abandon => ("abandon", "Abandon", "Abandonar"),
    }
}

impl TestOfChange {
    pub fn check(&self, today: Date) -> Result<(), Refusal> {
        let started = self.started_on;
        if self.change.trim().is_empty() {
            return Err(refuse!(
                "say what change is being tested",
                "diga qué cambio se está probando"
            ));
        }
        if self.prediction.trim().is_empty() {
            return Err(refuse!(
                "a test of change starts with a prediction: what do you expect to happen?",
                "una prueba de cambio empieza con una predicción: ¿qué espera que pase?"
            ));
        }
        if started > today {
            return Err(refuse!(
                "the test cannot start in the future ({started})",
                "la prueba no puede empezar en el futuro ({started})"
            ));
        }
        if let Some(ended) = self.ended_on {
            if ended < started {
                return Err(refuse!(
                    "the test ends ({ended}) before it starts ({started})",
                    "la prueba termina ({ended}) antes de empezar ({started})"
                ));
            }
            if ended > today {
                return Err(refuse!(
                    "the test cannot end in the future ({ended})",
                    "la prueba no puede terminar en el futuro ({ended})"
                ));
            }
            if self.result.trim().is_empty() {
                return Err(refuse!(
                    "a finished test records its result: what happened, against the prediction?",
                    "una prueba terminada registra su resultado: ¿qué pasó, frente a la predicción?"
                ));
            }
        }
        if self.next_step.is_some() && self.ended_on.is_none() {
            return Err(refuse!(
                "decide adopt, adapt or abandon once the test has ended",
                "decida adoptar, adaptar o abandonar cuando la prueba haya terminado"
            ));
        }
        Ok(())
    }

    /// A test counts as done once it has ended and its result is written.
    pub fn is_done(&self) -> bool {
        self.ended_on.is_some()
    }
}

/// Check a new measurement against the measure it belongs to.
pub fn check_measurement(
    measure_unit: &str,
    unit: &str,
    value: f64,
    taken_on: Date,
    today: Date,
) -> Result<(), Refusal> {
    if !value.is_finite() {
        return Err(refuse!("the value must be a number", "el valor debe ser un número"));
    }
    let unit = unit.trim();
    if unit != measure_unit {
        return Err(refuse!(
            "wrong unit {unit:?}: this measure is recorded in {measure_unit:?}",
            "unidad equivocada {unit:?}: esta medida se registra en {measure_unit:?}"
        ));
    }
    if taken_on > today {
        return Err(refuse!(
            "a measurement cannot be dated in the future ({taken_on})",
            "una medición no puede tener fecha futura ({taken_on})"
        ));
    }
    Ok(())
}

/// Parse a measurement value: a plain decimal number.
pub fn parse_value(text: &str) -> Result<f64, Refusal> {
    let trimmed = text.trim();
    match trimmed.parse::<f64>() {
        Ok(v) if v.is_finite() && !trimmed.contains(['e', 'E', 'n', 'N', 'i', 'I']) => Ok(v),
        _ => Err(refuse!("{text:?} is not a number", "{text:?} no es un número")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_project_serves_at_least_one_compass_point() {
        assert_eq!(
            parse_compass_points("most_affordable; best_quality;best_quality"),
            Ok(vec![CompassPoint::BestQuality, CompassPoint::MostAffordable])
        );
        assert!(parse_compass_points(" ; ").unwrap_err().contains("at least one"));
        assert!(parse_compass_points("best_price")
            .unwrap_err()
            .contains("best_place_to_work"));
    }

    #[test]
    fn a_smart_goal_has_a_measure_a_target_and_a_date() {
        let goal = SmartGoal {
            measure: "Door-to-room time".into(),
            unit: "minutes".into(),
            baseline: 42.0,
            target: 30.0,
            target_date: date(2026, 6, 30),
        };
        assert_eq!(goal.check(date(2026, 1, 1)), Ok(()));
        assert_eq!(goal.direction(), Direction::Down);
        assert!(SmartGoal {
            target: 42.0,
            ..goal.clone()
        }
        .check(date(2026, 1, 1))
        .is_err());
        assert!(goal
            .check(date(2026, 7, 1))
            .unwrap_err()
            .contains("after the project starts"));
        assert!(SmartGoal {
            unit: " ".into(),
            ..goal
        }
        .check(date(2026, 1, 1))
        .is_err());
    }

    #[test]
    fn a_test_of_change_predicts_then_records_its_result() {
        let planned = TestOfChange {
            change: "Huddle at 7:15".into(),
            prediction: "Fewer missed handoffs".into(),
            started_on: date(2026, 3, 1),
            ended_on: None,
            result: String::new(),
            next_step: None,
        };
        let today = date(2026, 4, 1);
        assert_eq!(planned.check(today), Ok(()));
        assert!(!planned.is_done());
        let ended_without_result = TestOfChange {
            ended_on: Some(date(2026, 3, 14)),
            ..planned.clone()
        };
        assert!(ended_without_result.check(today).unwrap_err().contains("result"));
        let done = TestOfChange {
            result: "Two missed handoffs instead of nine".into(),
            next_step: Some(PdsaDecision::Adopt),
            ..ended_without_result
        };
        assert_eq!(done.check(today), Ok(()));
        assert!(done.is_done());
        let backwards = TestOfChange {
            ended_on: Some(date(2026, 2, 1)),
            ..done
        };
        assert!(backwards.check(today).unwrap_err().contains("before it starts"));
    }

    #[test]
    fn measurements_keep_their_measure_s_unit_and_no_future() {
        let today = date(2026, 5, 1);
        assert_eq!(
            check_measurement("minutes", "minutes", 31.5, date(2026, 4, 30), today),
            Ok(())
        );
        assert!(check_measurement("minutes", "hours", 1.0, today, today)
            .unwrap_err()
            .contains("wrong unit"));
        assert!(check_measurement("minutes", "minutes", 1.0, date(2026, 5, 2), today).is_err());
        assert_eq!(parse_value(" 12.5 "), Ok(12.5));
        assert!(parse_value("NaN").is_err());
        assert!(parse_value("inf").is_err());
        assert!(parse_value("1e400").is_err());
    }
}
