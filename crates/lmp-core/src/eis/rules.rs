//! The agreement's Employment and Income Security rules, effective-dated:
//! the notice before a displacement, the alternatives the parties look at
//! first, how long income is protected, the retraining period, and which
//! displaced workers go first. A displacement is governed by the rule in
//! force on the day it was announced.

use super::priority::group_ranks;
use crate::refusal::Refusal;
use crate::refuse;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Why work changed.
    pub enum Reason ("displacement reason") {
        UnitClosure => ("unit_closure", "A unit closes", "Cierra una unidad"),
        Restructuring => ("restructuring", "A service is restructured", "Se reestructura un servicio"),
        Technology => ("technology", "Technology replaces a task", "La tecnología reemplaza una tarea"),
        Consolidation => ("consolidation", "Services are consolidated", "Se consolidan servicios"),
    }
}

crate::text_enum! {
    /// What the parties look at before anyone is displaced.
    pub enum Alternative ("alternative") {
        Attrition => ("attrition", "Attrition", "Bajas naturales"),
        Retraining => ("retraining", "Retraining", "Recapacitación"),
        VoluntarySeverance => ("voluntary_severance", "Voluntary severance", "Indemnización voluntaria"),
        EarlyRetirement => ("early_retirement", "Early retirement", "Jubilación anticipada"),
    }
}

crate::text_enum! {
    /// What pay does when income protection ends.
    pub enum AfterProtection ("option after protection") {
        /// Pay follows the job held.
        PayFollowsJob => ("pay_follows_job", "Pay follows the job held", "El salario sigue al puesto ocupado"),
        /// Pay is frozen ("red-circled") until the job's rate catches up.
        RedCircleFrozen => ("red_circle_frozen", "Red circle: pay frozen until the job's rate catches up", "Círculo rojo: salario congelado hasta que la tarifa del puesto lo alcance"),
        /// Pay steps down to the job's rate over a period.
        RedCircleStepDown => ("red_circle_step_down", "Red circle: pay steps down to the job's rate", "Círculo rojo: el salario baja por pasos hasta la tarifa del puesto"),
    }
}

/// The rules from one day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EisRule {
    pub effective_from: Date,
    /// Days between announcing a displacement and its taking effect.
    pub notice_days: i32,
    /// Days a displaced worker keeps current wages and benefits.
    pub protection_days: i32,
    /// How long retraining into a vacancy may take; vacancies name the
    /// classes that can be retrained into them within it.
    pub retraining_weeks: i32,
    /// Looked at, and recorded, before anyone enters the transition pool.
    pub alternatives: Vec<Alternative>,
    /// "This reason's workers go ahead of that one's", before seniority.
    #[serde(default)]
    pub reason_ahead_of: Vec<(Reason, Reason)>,
    /// The options open when protection ends.
    pub after_protection: Vec<AfterProtection>,
}

/// A partnership's EIS rules, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EisRules {
    pub rules: Vec<EisRule>,
}

impl Default for EisRules {
    /// The agreement's published terms: 60 days' notice; attrition,
    /// retraining, voluntary severance and early retirement looked at first;
    /// a year of current wages and benefits; placement by seniority; after
    /// the year, pay follows the job held, with red-circle options.
    fn default() -> EisRules {
        EisRules {
            rules: vec![EisRule {
                effective_from: jiff::civil::date(1997, 1, 1),
                notice_days: 60,
                protection_days: 365,
                retraining_weeks: 26,
                alternatives: Alternative::ALL.to_vec(),
                reason_ahead_of: Vec::new(),
                after_protection: AfterProtection::ALL.to_vec(),
            }],
        }
    }
}

impl EisRules {
    /// Parse and check rules someone wrote (JSON, as `lmp eis rules` prints them).
    pub fn parse(json: &str) -> Result<EisRules, Refusal> {
        let rules: EisRules = serde_json::from_str(json)
            .map_err(|e| refuse!("the rules do not parse: {e}", "las reglas no se pueden leer: {e}"))?;
        rules.check()?;
        Ok(rules)
    }

    pub fn check(&self) -> Result<(), Refusal> {
        if self.rules.is_empty() {
            return Err(refuse!(
                "EIS needs at least one rule",
                "el EIS necesita al menos una regla"
            ));
        }
        for pair in self.rules.windows(2) {
            if pair[1].effective_from <= pair[0].effective_from {
                return Err(crate::refusal::rules_out_of_order(
                    pair[1].effective_from,
                    pair[0].effective_from,
                ));
            }
        }
        for rule in &self.rules {
            let from = rule.effective_from;
            if !(0..=730).contains(&rule.notice_days) {
                return Err(refuse!(
                    "the rule from {from}: notice must be 0 to 730 days",
                    "la regla desde {from}: el aviso debe ser de 0 a 730 días"
                ));
            }
            if !(0..=3650).contains(&rule.protection_days) {
                return Err(refuse!(
                    "the rule from {from}: protection must be 0 to 3650 days",
                    "la regla desde {from}: la protección debe ser de 0 a 3650 días"
                ));
            }
            if !(0..=260).contains(&rule.retraining_weeks) {
                return Err(refuse!(
                    "the rule from {from}: retraining must take 0 to 260 weeks",
                    "la regla desde {from}: la recapacitación debe durar de 0 a 260 semanas"
                ));
            }
            if rule.after_protection.is_empty() {
                return Err(refuse!(
                    "the rule from {from} names no option for when protection ends",
                    "la regla desde {from} no nombra ninguna opción para cuando termine la protección"
                ));
            }
            rule.reason_ranks()
                .map_err(|e| e.after(&format!("the rule from {from}"), &format!("la regla desde {from}")))?;
        }
        Ok(())
    }

    /// The rule in force on `day` (the earliest, for a day before them all).
    pub fn in_force(&self, day: Date) -> &EisRule {
        self.rules
            .iter()
            .rev()
            .find(|r| r.effective_from <= day)
            .unwrap_or(&self.rules[0])
    }
}

impl EisRule {
    /// Each reason's rank (0 first) from `reason_ahead_of`; reasons named
    /// nowhere come after those named. A circle is an error.
    pub fn reason_ranks(&self) -> Result<Vec<(Reason, u32)>, Refusal> {
        let pairs: Vec<(String, String)> = self
            .reason_ahead_of
            .iter()
            .map(|(a, b)| (a.as_str().to_string(), b.as_str().to_string()))
            .collect();
        let ranks = group_ranks(&pairs)?;
        let last = ranks.values().max().map_or(0, |m| m + 1);
        Ok(Reason::ALL
            .iter()
            .map(|r| (*r, ranks.get(r.as_str()).copied().unwrap_or(last)))
            .collect())
    }

    /// The first day a displacement announced on `announced` may take effect.
    pub fn earliest_effect(&self, announced: Date) -> Date {
        announced
            .checked_add(jiff::Span::new().days(i64::from(self.notice_days)))
            .unwrap_or(announced)
    }

    /// The last day of income protection for a worker who entered the pool on `entered`.
    pub fn protected_until(&self, entered: Date) -> Date {
        entered
            .checked_add(jiff::Span::new().days(i64::from(self.protection_days)))
            .unwrap_or(entered)
    }
}

/// Days of protection left on `today` (0 once it has ended).
pub fn protection_days_left(protected_until: Date, today: Date) -> i64 {
    today
        .until(protected_until)
        .map_or(0, |s| i64::from(s.get_days()).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_defaults_are_the_agreements() {
        let rules = EisRules::default();
        rules.check().unwrap();
        let rule = rules.in_force(date(2026, 1, 1));
        assert_eq!(rule.notice_days, 60);
        assert_eq!(rule.protection_days, 365);
        assert_eq!(rule.alternatives.len(), 4);
        assert_eq!(rule.earliest_effect(date(2026, 1, 1)), date(2026, 3, 2));
        assert_eq!(rule.protected_until(date(2026, 3, 2)), date(2027, 3, 2));
    }

    #[test]
    fn the_rule_of_the_announcement_day_governs() {
        let mut rules = EisRules::default();
        let mut later = rules.rules[0].clone();
        later.effective_from = date(2026, 6, 1);
        later.notice_days = 90;
        rules.rules.push(later);
        rules.check().unwrap();
        assert_eq!(rules.in_force(date(2026, 5, 31)).notice_days, 60);
        assert_eq!(rules.in_force(date(2026, 6, 1)).notice_days, 90);
    }

    #[test]
    fn days_left_count_down_to_zero() {
        assert_eq!(protection_days_left(date(2026, 1, 31), date(2026, 1, 1)), 30);
        assert_eq!(protection_days_left(date(2026, 1, 31), date(2026, 2, 5)), 0);
    }

    #[test]
    fn reason_precedence_ranks_and_a_circle_is_refused() {
        let mut rules = EisRules::default();
        rules.rules[0].reason_ahead_of = vec![(Reason::UnitClosure, Reason::Technology)];
        let ranks = rules.rules[0].reason_ranks().unwrap();
        let rank = |r| ranks.iter().find(|(x, _)| *x == r).unwrap().1;
        assert!(rank(Reason::UnitClosure) < rank(Reason::Technology));
        assert_eq!(rank(Reason::Restructuring), rank(Reason::Consolidation));
        rules.rules[0]
            .reason_ahead_of
            .push((Reason::Technology, Reason::UnitClosure));
        let error = rules.check().unwrap_err();
        assert!(error.contains("circle"), "{error}");
        assert!(EisRules::parse("{\"rules\": []}").is_err());
    }
}
