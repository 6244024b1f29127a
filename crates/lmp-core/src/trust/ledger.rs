//! The trust's double-entry ledger: every entry's postings sum to zero
//! (debits positive, credits negative), so the books always balance.
//!
//! Contributions computed from payroll are owed (receivable) until the
//! employer remits them; spending draws on cash against a budget the
//! trustees approved, labor and management both.

use crate::money::Cents;

crate::text_enum! {
    /// The ledger's accounts.
    pub enum Account ("account") {
        /// Contributions computed from payroll and not yet remitted.
        Receivable => ("receivable", "Contributions receivable", "Contribuciones por cobrar"),
        /// Money the trust holds.
        Cash => ("cash", "Cash", "Efectivo"),
        /// Income: the cents diverted from workers' wages.
        WorkerContributions => ("worker_contributions", "Worker contributions", "Contribuciones de los trabajadores"),
        /// Income: the employer's contribution.
        EmployerContributions => ("employer_contributions", "Employer contributions", "Contribuciones del empleador"),
        /// What the trust spent, by category.
        Spending => ("spending", "Spending", "Gastos"),
    }
}

crate::text_enum! {
    /// What the trust spends on.
    pub enum SpendingCategory ("spending category") {
        PartnershipStaff => ("partnership_staff", "Partnership staff", "Personal de la asociación"),
        Training => ("training", "Training", "Capacitación"),
        TeamSupport => ("team_support", "Team support", "Apoyo a los equipos"),
        RegionalActivity => ("regional_activity", "Regional activity", "Actividad regional"),
        Communications => ("communications", "Communications", "Comunicaciones"),
        Administration => ("administration", "Trust administration", "Administración del fondo"),
    }
}

crate::text_enum! {
    /// Why an entry was posted.
    pub enum EntryKind ("ledger entry kind") {
        Contribution => ("contribution", "Contributions from payroll", "Contribuciones de nómina"),
        Adjustment => ("adjustment", "Adjustment for a corrected payroll file", "Ajuste por un archivo de nómina corregido"),
        Remittance => ("remittance", "Remittance from the employer", "Remesa del empleador"),
        Spending => ("spending", "Spending", "Gastos"),
    }
}

/// One line of an entry: a signed amount on an account (debit positive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub account: Account,
    pub category: Option<SpendingCategory>,
    pub amount: Cents,
}

impl Posting {
    fn new(account: Account, amount: i64) -> Posting {
        Posting {
            account,
            category: None,
            amount: Cents(amount),
        }
    }
}

/// Contributions owed for a pay period and local: the employer owes both
/// shares (it withholds the worker's from wages).
pub fn contribution_postings(worker: Cents, employer: Cents) -> Vec<Posting> {
    vec![
        Posting::new(Account::Receivable, worker.get() + employer.get()),
        Posting::new(Account::WorkerContributions, -worker.get()),
        Posting::new(Account::EmployerContributions, -employer.get()),
    ]
}

/// Money received from the employer against what it owes.
pub fn remittance_postings(amount: Cents) -> Vec<Posting> {
    vec![
        Posting::new(Account::Cash, amount.get()),
        Posting::new(Account::Receivable, -amount.get()),
    ]
}

/// Money spent from the trust's cash.
pub fn spending_postings(category: SpendingCategory, amount: Cents) -> Vec<Posting> {
    vec![
        Posting {
            account: Account::Spending,
            category: Some(category),
            amount,
        },
        Posting::new(Account::Cash, -amount.get()),
    ]
}

/// An entry balances when its postings sum to zero.
pub fn balances(postings: &[Posting]) -> bool {
    postings.iter().map(|p| i128::from(p.amount.get())).sum::<i128>() == 0
}

/// How a period and local's remittances stand against what was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconciliation {
    /// Nothing received yet.
    Unpaid { owed: Cents },
    /// Received less than owed.
    Short { by: Cents },
    /// Received exactly what was owed.
    Matched,
    /// Received more than owed.
    Over { by: Cents },
}

impl Reconciliation {
    pub fn of(computed: Cents, remitted: Cents) -> Reconciliation {
        let difference = remitted.get() - computed.get();
        match difference {
            0 => Reconciliation::Matched,
            d if remitted.get() == 0 => Reconciliation::Unpaid { owed: Cents(-d) },
            d if d < 0 => Reconciliation::Short { by: Cents(-d) },
            d => Reconciliation::Over { by: Cents(d) },
        }
    }

    pub fn word(&self) -> &'static str {
        match self {
            Reconciliation::Unpaid { .. } => "unpaid",
            Reconciliation::Short { .. } => "short",
            Reconciliation::Matched => "matched",
            Reconciliation::Over { .. } => "over",
        }
    }

    /// Anything but an exact match wants a look.
    pub fn flagged(&self) -> bool {
        !matches!(self, Reconciliation::Matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_balances() {
        assert!(balances(&contribution_postings(Cents(720), Cents(725))));
        assert!(balances(&remittance_postings(Cents(1_445))));
        assert!(balances(&spending_postings(SpendingCategory::Training, Cents(99))));
        let mut broken = remittance_postings(Cents(10));
        broken[0].amount = Cents(11);
        assert!(!balances(&broken));
    }

    #[test]
    fn a_remittance_is_matched_short_over_or_unpaid() {
        assert_eq!(Reconciliation::of(Cents(100), Cents(100)), Reconciliation::Matched);
        assert_eq!(
            Reconciliation::of(Cents(100), Cents(90)),
            Reconciliation::Short { by: Cents(10) }
        );
        assert_eq!(
            Reconciliation::of(Cents(100), Cents(101)),
            Reconciliation::Over { by: Cents(1) }
        );
        assert_eq!(
            Reconciliation::of(Cents(100), Cents(0)),
            Reconciliation::Unpaid { owed: Cents(100) }
        );
        assert_eq!(Reconciliation::of(Cents(0), Cents(0)), Reconciliation::Matched);
        assert!(!Reconciliation::Matched.flagged() && Reconciliation::Over { by: Cents(1) }.flagged());
    }
}
