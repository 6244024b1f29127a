//! The trust's annual budget and its trustees: equal numbers from labor and
//! management (up to three each), and a budget in force only once a labor
//! and a management trustee have both approved it.

use crate::language::Language;
use crate::money::Cents;
use crate::refusal::Refusal;
use crate::refuse;
use crate::trust::ledger::SpendingCategory;
use crate::Side;
use serde::{Deserialize, Serialize};

/// At most this many trustees on each side (six in all).
pub const MOST_TRUSTEES_A_SIDE: usize = 3;

/// One category's amount in a year's budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub category: SpendingCategory,
    pub amount_cents: Cents,
}

/// A proposed budget: each category once, no amount below zero, something to spend.
pub fn check_budget(lines: &[BudgetLine]) -> Result<(), Refusal> {
    if lines.is_empty() {
        return Err(refuse!(
            "a budget needs at least one category",
            "un presupuesto necesita al menos una categoría"
        ));
    }
    for (i, line) in lines.iter().enumerate() {
        let (category, category_es) = (line.category.label(), line.category.label_in(Language::Spanish));
        if line.amount_cents.get() < 0 {
            return Err(refuse!(
                "{category}: an amount below zero",
                "{category_es}: un monto menor que cero"
            ));
        }
        if lines[..i].iter().any(|earlier| earlier.category == line.category) {
            return Err(refuse!("{category} appears twice", "{category_es} aparece dos veces"));
        }
    }
    if lines.iter().all(|l| l.amount_cents.get() == 0) {
        return Err(refuse!(
            "a budget of nothing: give at least one category an amount",
            "un presupuesto vacío: dé un monto al menos a una categoría"
        ));
    }
    Ok(())
}

/// Whether another trustee may be named for `side`, given how many each side has.
pub fn check_new_trustee(side: Side, labor: usize, management: usize) -> Result<(), Refusal> {
    let side_es = side.label_in(Language::Spanish);
    let on_side = match side {
        Side::Labor => labor,
        Side::Management => management,
        other => {
            return Err(refuse!(
                "trustees are named by labor or management, not {other}",
                "los fideicomisarios los nombran la parte sindical o la gerencia, no «{side_es}»"
            ))
        }
    };
    if on_side >= MOST_TRUSTEES_A_SIDE {
        return Err(refuse!(
            "{side} already has {MOST_TRUSTEES_A_SIDE} trustees, the most a side may have",
            "«{side_es}» ya tiene {MOST_TRUSTEES_A_SIDE} fideicomisarios, el máximo por parte"
        ));
    }
    Ok(())
}

/// A category's budget beside what was spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BudgetVsActual {
    pub category: SpendingCategory,
    pub budget_cents: Cents,
    pub spent_cents: Cents,
}

impl BudgetVsActual {
    /// Spent as a whole percent of the budget; `None` with no budget.
    pub fn percent_spent(&self) -> Option<i64> {
        (self.budget_cents.get() > 0).then(|| self.spent_cents.get() * 100 / self.budget_cents.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(category: SpendingCategory, amount: i64) -> BudgetLine {
        BudgetLine {
            category,
            amount_cents: Cents(amount),
        }
    }

    #[test]
    fn a_budget_names_each_category_once_with_something_to_spend() {
        assert!(check_budget(&[line(SpendingCategory::Training, 100)]).is_ok());
        assert!(check_budget(&[]).is_err());
        assert!(check_budget(&[line(SpendingCategory::Training, -1)]).is_err());
        assert!(check_budget(&[line(SpendingCategory::Training, 0)]).is_err());
        let twice = [line(SpendingCategory::Training, 1), line(SpendingCategory::Training, 2)];
        assert!(check_budget(&twice).unwrap_err().contains("twice"));
    }

    #[test]
    fn each_side_names_up_to_three_trustees() {
        assert!(check_new_trustee(Side::Labor, 2, 0).is_ok());
        assert!(check_new_trustee(Side::Labor, 3, 0).is_err());
        assert!(check_new_trustee(Side::Management, 3, 2).is_ok());
        assert!(check_new_trustee(Side::Management, 0, 3).is_err());
        assert!(check_new_trustee(Side::Physician, 0, 0).is_err());
    }

    #[test]
    fn spending_is_shown_as_a_share_of_the_budget() {
        let row = |budget, spent| BudgetVsActual {
            category: SpendingCategory::Training,
            budget_cents: Cents(budget),
            spent_cents: Cents(spent),
        };
        assert_eq!(row(200, 50).percent_spent(), Some(25));
        assert_eq!(row(0, 50).percent_spent(), None);
    }
}
