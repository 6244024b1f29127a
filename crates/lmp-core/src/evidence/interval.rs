//! Student's t (from statrs) and a mean's confidence interval.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The `p` quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |t| t.inverse_cdf(p))
}

/// The two-sided p-value of `t` with `df` degrees of freedom.
pub fn two_sided_p(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |dist| 2.0 * dist.cdf(-t.abs()))
}

/// A mean with its interval: each value one team's, so the interval is
/// as wide as the number of teams behind it makes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanInterval {
    pub mean: f64,
    /// `None` for fewer than two values: one team says nothing of spread.
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub count: usize,
}

impl MeanInterval {
    /// The mean of `values`, with a `confidence` (such as 0.95) interval by
    /// Student's t; `None` when there are no values.
    pub fn of(values: &[f64], confidence: f64) -> Option<MeanInterval> {
        let count = values.len();
        if count == 0 {
            return None;
        }
        let n = count as f64;
        let mean = values.iter().sum::<f64>() / n;
        if count < 2 {
            return Some(MeanInterval {
                mean,
                low: None,
                high: None,
                count,
            });
        }
        let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        let half = t_quantile(0.5 + confidence / 2.0, n - 1.0) * (variance / n).sqrt();
        Some(MeanInterval {
            mean,
            low: Some(mean - half),
            high: Some(mean + half),
            count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_are_the_tables() {
        // scipy.stats.t.ppf(0.975, df) to 10 digits.
        for (df, expected) in [
            (1.0, 12.706204736),
            (5.0, 2.5705818356),
            (30.0, 2.0422724563),
            (1000.0, 1.9623390808),
        ] {
            let q = t_quantile(0.975, df);
            assert!((q - expected).abs() / expected < 1e-9, "df {df}: {q}");
        }
        assert!((two_sided_p(2.5705818356, 5.0) - 0.05).abs() < 1e-9);
    }

    #[test]
    fn a_mean_of_few_is_wide_and_of_one_has_no_interval() {
        let few = MeanInterval::of(&[1.0, 2.0, 3.0], 0.95).expect("mean");
        assert_eq!(few.mean, 2.0);
        let (low, high) = (few.low.expect("low"), few.high.expect("high"));
        // 2 ± t(0.975, 2)·1/√3 = 2 ± 2.4841377
        assert!((high - 2.0 - 2.484137712).abs() < 1e-8, "{high}");
        assert!((2.0 - low - 2.484137712).abs() < 1e-8, "{low}");
        let one = MeanInterval::of(&[5.0], 0.95).expect("mean");
        assert_eq!((one.low, one.high, one.count), (None, None, 1));
        assert_eq!(MeanInterval::of(&[], 0.95), None);
    }
}
