//! Contributions, computed exactly in whole cents. The one rounding rule of
//! the trust lives here: a worker's contribution for a pay period is their
//! counted hours times the rate, rounded to the nearest cent, a half cent
//! rounding up. Every total is a sum of these rounded amounts, so totals by
//! local, facility, region, period and year always add up to the ledger.

use crate::money::Cents;
use crate::trust::hours::{Hundredths, PayPeriod};
use crate::trust::rules::{EmployerFormula, TrustRule};

/// Hours times a rate in cents an hour, rounded to the nearest cent, half a
/// cent up. Hours are in hundredths, so the exact amount is in hundredths of
/// a cent.
pub fn cents_for_hours(hours: Hundredths, cents_per_hour: i64) -> Cents {
    let hundredths_of_cents = hours.get() * cents_per_hour;
    Cents((hundredths_of_cents + 50).div_euclid(100))
}

/// One worker's contributions for one pay period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerContribution {
    pub worker: Cents,
    /// The employer's match for this worker; `None` when the employer pays a
    /// fixed yearly amount, shared by hours over the period's lines instead.
    pub employer: Option<Cents>,
}

impl WorkerContribution {
    pub fn compute(rule: &TrustRule, counted: Hundredths) -> WorkerContribution {
        WorkerContribution {
            worker: cents_for_hours(counted, rule.worker_cents_per_hour),
            employer: match rule.employer {
                EmployerFormula::MatchPerHour { cents_per_hour } => Some(cents_for_hours(counted, cents_per_hour)),
                EmployerFormula::FixedAnnual { .. } => None,
            },
        }
    }
}

/// A period's share of a fixed yearly amount: the amount accrues day by day,
/// and the share is what accrued by the period's last day less what accrued
/// before its first, in each year the period touches. Shares of periods that
/// cover a year add up to the yearly amount exactly, whatever their lengths
/// and in whatever order they are computed.
pub fn fixed_share_of_period(cents_per_year: Cents, period: &PayPeriod) -> Cents {
    // What accrued in a year through its `days`th day: the floor of amount ×
    // days ÷ days in the year, in integers.
    let accrued = |day: jiff::civil::Date, days: i16| -> i64 {
        (i128::from(cents_per_year.get()) * i128::from(days) / i128::from(day.days_in_year())) as i64
    };
    let mut share = 0;
    let mut first = period.start;
    loop {
        let last = period.end.min(jiff::civil::date(first.year(), 12, 31));
        share += accrued(last, last.day_of_year()) - accrued(first, first.day_of_year() - 1);
        if last == period.end {
            return Cents(share);
        }
        first = jiff::civil::date(first.year() + 1, 1, 1);
    }
}

/// Split `total` over parts in proportion to `weights`, exactly: each part
/// gets its floor, and the cents left go one each to the largest remainders
/// (the earlier part first on a tie). With no weight at all, the parts share
/// equally by the same rule.
pub fn allocate(total: Cents, weights: &[i64]) -> Vec<Cents> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    let (weights, sum): (Vec<i128>, i128) = if sum == 0 {
        (vec![1; weights.len()], weights.len() as i128)
    } else {
        (weights.iter().map(|w| i128::from((*w).max(0))).collect(), sum)
    };
    let total = i128::from(total.get());
    let mut shares: Vec<i128> = weights.iter().map(|w| (total * w).div_euclid(sum)).collect();
    let mut left = total - shares.iter().sum::<i128>();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder.sort_by_key(|&i| (std::cmp::Reverse((total * weights[i]).rem_euclid(sum)), i));
    for &i in by_remainder.iter().cycle() {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares.into_iter().map(|s| Cents(s as i64)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::rules::TrustRules;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn half_a_cent_rounds_up_and_less_rounds_down() {
        assert_eq!(cents_for_hours(Hundredths(8000), 9), Cents(720));
        assert_eq!(cents_for_hours(Hundredths(50), 9), Cents(5), "4.5 cents");
        assert_eq!(cents_for_hours(Hundredths(49), 9), Cents(4), "4.41 cents");
        assert_eq!(cents_for_hours(Hundredths(0), 9), Cents(0));
    }

    #[test]
    fn a_worker_pays_the_rate_and_the_employer_matches_or_pays_by_the_year() {
        let mut rules = TrustRules::default();
        let rule = &rules.rules[0];
        let paid = WorkerContribution::compute(rule, Hundredths(7250));
        assert_eq!(paid.worker, Cents(653), "72.5 h × 9¢ = 652.5¢");
        assert_eq!(paid.employer, Some(Cents(653)));
        rules.rules[0].employer = EmployerFormula::FixedAnnual {
            cents_per_year: Cents(2_000_000_000),
        };
        assert_eq!(
            WorkerContribution::compute(&rules.rules[0], Hundredths(7250)).employer,
            None
        );
    }

    #[test]
    fn a_years_periods_share_the_yearly_amount_exactly() {
        let year = Cents(2_170_000_001);
        // Biweekly periods starting the Sunday before the year, so the first
        // and last straddle the year's edges; every day of 2026 covered once.
        let mut start = date(2025, 12, 28);
        let mut total_2026 = 0;
        while start <= date(2026, 12, 31) {
            let end = start.checked_add(jiff::Span::new().days(13)).expect("date");
            let clipped = PayPeriod::new(start.max(date(2026, 1, 1)), end.min(date(2026, 12, 31))).expect("period");
            total_2026 += fixed_share_of_period(year, &clipped).get();
            start = end.checked_add(jiff::Span::new().days(1)).expect("date");
        }
        assert_eq!(total_2026, year.get());
        let straddling = PayPeriod::new(date(2025, 12, 28), date(2026, 1, 10)).expect("period");
        let (before, after) = (
            PayPeriod::new(date(2025, 12, 28), date(2025, 12, 31)).expect("p"),
            PayPeriod::new(date(2026, 1, 1), date(2026, 1, 10)).expect("p"),
        );
        assert_eq!(
            fixed_share_of_period(year, &straddling),
            Cents(fixed_share_of_period(year, &before).get() + fixed_share_of_period(year, &after).get())
        );
    }

    #[test]
    fn allocation_is_exact_and_favours_no_one_without_reason() {
        assert_eq!(allocate(Cents(100), &[1, 1, 1]), vec![Cents(34), Cents(33), Cents(33)]);
        assert_eq!(allocate(Cents(10), &[0, 0]), vec![Cents(5), Cents(5)]);
        assert_eq!(allocate(Cents(7), &[3, 0, 1]), vec![Cents(5), Cents(0), Cents(2)]);
        assert!(allocate(Cents(7), &[]).is_empty());
    }

    proptest! {
        #[test]
        fn allocation_always_sums_to_the_total(total in -1_000_000_000_i64..1_000_000_000, weights in proptest::collection::vec(0_i64..1_000_000, 1..40)) {
            let shares = allocate(Cents(total), &weights);
            prop_assert_eq!(shares.iter().map(|c| c.get()).sum::<i64>(), total);
            let sum: i64 = weights.iter().sum();
            if sum > 0 && total >= 0 {
                for (share, w) in shares.iter().zip(&weights) {
                    let exact = total as f64 * *w as f64 / sum as f64;
                    prop_assert!((share.get() as f64 - exact).abs() < 1.0 + 1e-6);
                }
            }
        }

        #[test]
        fn rounding_is_never_off_by_half_a_cent_or_more(hours in 0_i64..100_000_000, rate in 0_i64..1_000) {
            let cents = cents_for_hours(Hundredths(hours), rate).get() as f64;
            let exact = hours as f64 * rate as f64 / 100.0;
            prop_assert!(cents - exact <= 0.5 + 1e-9 && exact - cents < 0.5 + 1e-9);
        }
    }
}
