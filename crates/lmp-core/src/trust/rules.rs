//! The agreement's rules for funding the trust, effective-dated: which hour
//! types count as hours worked, the rate diverted from each worker's wages,
//! and the employer's formula. Rates change by agreement, so every rule has
//! the day it takes effect; a pay period is governed by the rule in force on
//! its last day.

use crate::money::Cents;
use crate::refusal::Refusal;
use crate::refuse;
use crate::trust::hours::PayPeriod;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// An hour type payroll reports, and whether it counts as hours worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourType {
    pub code: String,
    pub counted: bool,
}

/// How the employer's contribution is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EmployerFormula {
    /// A matching amount per counted hour, computed per worker and period
    /// exactly as the worker's share is.
    MatchPerHour { cents_per_hour: i64 },
    /// A fixed amount a year, shared among the year's days and so among the
    /// pay periods; each period's share is spread over its locals and
    /// facilities by counted hours.
    FixedAnnual { cents_per_year: Cents },
}

/// The rules from one day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustRule {
    pub effective_from: Date,
    pub hour_types: Vec<HourType>,
    /// Diverted from each worker's wages per counted hour.
    pub worker_cents_per_hour: i64,
    pub employer: EmployerFormula,
}

impl TrustRule {
    /// Where `code` sits in this rule's hour types.
    pub fn hour_type(&self, code: &str) -> Option<usize> {
        self.hour_types.iter().position(|t| t.code == code)
    }

    pub fn hour_type_codes(&self) -> String {
        let codes: Vec<&str> = self.hour_types.iter().map(|t| t.code.as_str()).collect();
        codes.join(", ")
    }
}

/// A partnership's trust rules, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustRules {
    pub rules: Vec<TrustRule>,
}

impl Default for TrustRules {
    /// The published rule: 9 cents an hour from the worker and a matching 9
    /// from the employer, since the trust's first agreement. Hours worked are
    /// regular, overtime and double time; paid time not worked is reported
    /// but not counted.
    fn default() -> TrustRules {
        let hour_type = |code: &str, counted| HourType {
            code: code.to_string(),
            counted,
        };
        TrustRules {
            rules: vec![TrustRule {
                effective_from: jiff::civil::date(1997, 1, 1),
                hour_types: vec![
                    hour_type("regular", true),
                    hour_type("overtime", true),
                    hour_type("double_time", true),
                    hour_type("paid_leave", false),
                    hour_type("sick", false),
                    hour_type("holiday", false),
                    hour_type("education", false),
                    hour_type("on_call", false),
                ],
                worker_cents_per_hour: 9,
                employer: EmployerFormula::MatchPerHour { cents_per_hour: 9 },
            }],
        }
    }
}

/// At most this many hour types in a rule, so a worker's period fits a bit set.
pub const MOST_HOUR_TYPES: usize = 64;

impl TrustRules {
    /// Parse and check rules someone wrote (JSON, as `lmp trust rules` prints them).
    pub fn parse(json: &str) -> Result<TrustRules, Refusal> {
        let rules: TrustRules = serde_json::from_str(json)
            .map_err(|e| refuse!("the rules do not parse: {e}", "las reglas no se pueden leer: {e}"))?;
        rules.check()?;
        Ok(rules)
    }

    pub fn check(&self) -> Result<(), Refusal> {
        if self.rules.is_empty() {
            return Err(refuse!(
                "the trust needs at least one rule",
                "el fideicomiso necesita al menos una regla"
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
            if rule.hour_types.is_empty() || rule.hour_types.len() > MOST_HOUR_TYPES {
                return Err(refuse!(
                    "the rule from {from} must name 1 to {MOST_HOUR_TYPES} hour types",
                    "la regla desde {from} debe nombrar de 1 a {MOST_HOUR_TYPES} tipos de hora"
                ));
            }
            if !rule.hour_types.iter().any(|t| t.counted) {
                return Err(refuse!(
                    "the rule from {from} counts no hour type as hours worked",
                    "la regla desde {from} no cuenta ningún tipo de hora como horas trabajadas"
                ));
            }
            for (i, t) in rule.hour_types.iter().enumerate() {
                let code = &t.code;
                let word = !code.is_empty()
                    && code.len() <= 32
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !word {
                    return Err(refuse!(
                        "hour type {code:?} in the rule from {from}: use lowercase letters, digits and _",
                        "tipo de hora {code:?} en la regla desde {from}: use minúsculas, dígitos y _"
                    ));
                }
                if rule.hour_types[..i].iter().any(|earlier| earlier.code == t.code) {
                    return Err(refuse!(
                        "hour type {code:?} appears twice in the rule from {from}",
                        "el tipo de hora {code:?} aparece dos veces en la regla desde {from}"
                    ));
                }
            }
            if !(0..=10_000).contains(&rule.worker_cents_per_hour) {
                return Err(refuse!(
                    "the worker rate in the rule from {from} must be 0 to 10000 cents an hour",
                    "la tarifa del trabajador en la regla desde {from} debe ir de 0 a 10000 centavos por hora"
                ));
            }
            match rule.employer {
                EmployerFormula::MatchPerHour { cents_per_hour } if !(0..=10_000).contains(&cents_per_hour) => {
                    return Err(refuse!(
                        "the employer's rate in the rule from {from} must be 0 to 10000 cents an hour",
                        "la tarifa del empleador en la regla desde {from} debe ir de 0 a 10000 centavos por hora"
                    ))
                }
                EmployerFormula::FixedAnnual { cents_per_year } if cents_per_year.get() < 0 => {
                    return Err(refuse!(
                        "the employer's yearly amount in the rule from {from} is below 0",
                        "el monto anual del empleador en la regla desde {from} es menor que 0"
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The rule governing a pay period: the one in force on its last day.
    pub fn for_period(&self, period: &PayPeriod) -> Result<&TrustRule, Refusal> {
        self.rules
            .iter()
            .rev()
            .find(|rule| rule.effective_from <= period.end)
            .ok_or_else(|| {
                let end = period.end;
                let earliest = self
                    .rules
                    .first()
                    .map_or_else(String::new, |r| r.effective_from.to_string());
                refuse!(
                    "no trust rule is in force on {end}: the earliest takes effect {earliest}",
                    "ninguna regla del fideicomiso está en vigor el {end}: la primera entra en vigor el {earliest}"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn period(end: Date) -> PayPeriod {
        PayPeriod::new(end.checked_sub(jiff::Span::new().days(13)).expect("date"), end).expect("period")
    }

    #[test]
    fn the_rule_in_force_on_the_last_day_governs() {
        let mut rules = TrustRules::default();
        let mut raised = rules.rules[0].clone();
        raised.effective_from = date(2026, 1, 1);
        raised.worker_cents_per_hour = 10;
        rules.rules.push(raised);
        assert!(rules.check().is_ok());
        assert_eq!(
            rules
                .for_period(&period(date(2025, 12, 31)))
                .map(|r| r.worker_cents_per_hour),
            Ok(9)
        );
        assert_eq!(
            rules
                .for_period(&period(date(2026, 1, 3)))
                .map(|r| r.worker_cents_per_hour),
            Ok(10)
        );
        assert!(rules
            .for_period(&period(date(1990, 1, 31)))
            .unwrap_err()
            .contains("no trust rule"));
    }

    #[test]
    fn rules_round_trip_and_bad_ones_are_refused() {
        let json = serde_json::to_string_pretty(&TrustRules::default()).expect("json");
        assert_eq!(TrustRules::parse(&json), Ok(TrustRules::default()));
        assert!(json.contains("\"match_per_hour\""));
        let mut none_counted = TrustRules::default();
        none_counted.rules[0]
            .hour_types
            .iter_mut()
            .for_each(|t| t.counted = false);
        assert!(none_counted.check().unwrap_err().contains("counts no hour type"));
        let mut twice = TrustRules::default();
        let first = twice.rules[0].hour_types[0].clone();
        twice.rules[0].hour_types.push(first);
        assert!(twice.check().unwrap_err().contains("twice"));
        let mut out_of_order = TrustRules::default();
        out_of_order.rules.push(out_of_order.rules[0].clone());
        assert!(out_of_order.check().unwrap_err().contains("in order"));
        let mut fixed = TrustRules::default();
        fixed.rules[0].employer = EmployerFormula::FixedAnnual {
            cents_per_year: Cents(-1),
        };
        assert!(fixed.check().is_err());
        assert!(TrustRules::parse(r#"{"rules": []}"#).is_err());
    }
}
