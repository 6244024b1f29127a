//! Run charts: a measure over time against its median, and the standard
//! signals that a change is real rather than noise.
//!
//! The rules (as the Institute for Healthcare Improvement teaches them):
//! - **shift**: six or more consecutive points all above or all below the
//!   median; points on the median neither break nor add to a run;
//! - **trend**: five or more consecutive points all going up or all going
//!   down; a repeated value neither breaks nor adds to it;
//! - **astronomical point**: one obviously different from the rest — here,
//!   further from the median than three robust standard deviations
//!   (1.4826 × the median absolute deviation).

use serde::Serialize;

pub const SHIFT_POINTS: usize = 6;
pub const TREND_POINTS: usize = 5;
pub const ASTRONOMICAL_SPREADS: f64 = 3.0;

crate::text_enum! {
    pub enum SignalKind ("signal") {
        Shift => ("shift", "Shift", "Desplazamiento"),
        Trend => ("trend", "Trend", "Tendencia"),
        Astronomical => ("astronomical", "Astronomical point", "Punto astronómico"),
    }
}

/// A signal and the points (indices into the series) that make it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    pub first: usize,
    pub last: usize,
}

impl Signal {
    pub fn covers(&self, index: usize) -> bool {
        (self.first..=self.last).contains(&index)
    }
}

/// The median of the values, or `None` for none.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// Every signal in a series of values in time order.
pub fn signals(values: &[f64]) -> Vec<Signal> {
    let Some(centre) = median(values) else {
        return Vec::new();
    };
    let mut found = shifts(values, centre);
    found.extend(trends(values));
    found.extend(astronomical_points(values, centre));
    found.sort_by_key(|s| (s.first, s.last));
    found
}

fn shifts(values: &[f64], centre: f64) -> Vec<Signal> {
    let mut found = Vec::new();
    // (side of the median, first index, last index, points counted)
    let mut run: Option<(bool, usize, usize, usize)> = None;
    let close = |run: Option<(bool, usize, usize, usize)>, found: &mut Vec<Signal>| {
        if let Some((_, first, last, count)) = run {
            if count >= SHIFT_POINTS {
                found.push(Signal {
                    kind: SignalKind::Shift,
                    first,
                    last,
                });
            }
        }
    };
    for (i, &v) in values.iter().enumerate() {
        if v == centre {
            continue;
        }
        let above = v > centre;
        run = match run {
            Some((side, first, _, count)) if side == above => Some((side, first, i, count + 1)),
            other => {
                close(other, &mut found);
                Some((above, i, i, 1))
            }
        };
    }
    close(run, &mut found);
    found
}

fn trends(values: &[f64]) -> Vec<Signal> {
    let mut found = Vec::new();
    // (rising, first index, last index, points counted)
    let mut run: Option<(bool, usize, usize, usize)> = None;
    let mut last_distinct: Option<(usize, f64)> = None;
    let close = |run: Option<(bool, usize, usize, usize)>, found: &mut Vec<Signal>| {
        if let Some((_, first, last, count)) = run {
            if count >= TREND_POINTS {
                found.push(Signal {
                    kind: SignalKind::Trend,
                    first,
                    last,
                });
            }
        }
    };
    for (i, &v) in values.iter().enumerate() {
        let Some((previous_index, previous)) = last_distinct else {
            last_distinct = Some((i, v));
            continue;
        };
        if v == previous {
            if let Some(r) = run.as_mut() {
                r.2 = i;
            }
            continue;
        }
        let rising = v > previous;
        run = match run {
            Some((dir, first, _, count)) if dir == rising => Some((dir, first, i, count + 1)),
            other => {
                close(other, &mut found);
                Some((rising, previous_index, i, 2))
            }
        };
        last_distinct = Some((i, v));
    }
    close(run, &mut found);
    found
}

fn astronomical_points(values: &[f64], centre: f64) -> Vec<Signal> {
    let deviations: Vec<f64> = values.iter().map(|v| (v - centre).abs()).collect();
    let Some(mad) = median(&deviations) else {
        return Vec::new();
    };
    if mad == 0.0 {
        return Vec::new();
    }
    let limit = ASTRONOMICAL_SPREADS * 1.4826 * mad;
    deviations
        .iter()
        .enumerate()
        .filter(|(_, d)| **d > limit)
        .map(|(i, _)| Signal {
            kind: SignalKind::Astronomical,
            first: i,
            last: i,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds(values: &[f64]) -> Vec<(SignalKind, usize, usize)> {
        signals(values).into_iter().map(|s| (s.kind, s.first, s.last)).collect()
    }

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn six_points_on_one_side_are_a_shift_and_five_are_not() {
        // median 5.5: five low then five high (with alternation to avoid trends)
        let five = [1.0, 2.0, 1.0, 2.0, 1.0, 9.0, 10.0, 9.0, 10.0, 9.0];
        assert!(kinds(&five).iter().all(|k| k.0 != SignalKind::Shift));
        let six = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 9.0, 10.0, 9.0, 10.0, 9.0, 10.0];
        assert_eq!(
            kinds(&six)
                .into_iter()
                .filter(|k| k.0 == SignalKind::Shift)
                .collect::<Vec<_>>(),
            vec![(SignalKind::Shift, 0, 5), (SignalKind::Shift, 6, 11)]
        );
    }

    #[test]
    fn points_on_the_median_neither_break_nor_add_to_a_shift() {
        // median is 5; the 5s sit on it.
        let values = [
            6.0, 7.0, 6.0, 5.0, 7.0, 6.0, 5.0, 7.0, 1.0, 2.0, 1.0, 2.0, 1.0, 5.0, 5.0,
        ];
        let shifts: Vec<_> = kinds(&values)
            .into_iter()
            .filter(|k| k.0 == SignalKind::Shift)
            .collect();
        assert_eq!(shifts, vec![(SignalKind::Shift, 0, 7)]);
    }

    #[test]
    fn five_rising_points_are_a_trend_and_repeats_do_not_count() {
        assert_eq!(kinds(&[1.0, 2.0, 3.0, 4.0]), vec![]);
        let with_repeat = [1.0, 2.0, 2.0, 3.0, 4.0];
        assert!(!kinds(&with_repeat).iter().any(|k| k.0 == SignalKind::Trend));
        let rising = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 1.0];
        assert!(kinds(&rising).contains(&(SignalKind::Trend, 0, 5)));
        let falling = [9.0, 8.0, 7.0, 6.0, 5.0];
        assert!(kinds(&falling).contains(&(SignalKind::Trend, 0, 4)));
    }

    #[test]
    fn one_wild_value_is_astronomical() {
        let values = [10.0, 11.0, 10.0, 12.0, 11.0, 40.0, 10.0, 11.0, 12.0, 10.0];
        assert!(kinds(&values).contains(&(SignalKind::Astronomical, 5, 5)));
        let flat = [3.0; 8];
        assert_eq!(kinds(&flat), vec![]);
    }

    proptest! {
        #[test]
        fn signals_stay_inside_the_series(values in proptest::collection::vec(-1e6f64..1e6, 0..60)) {
            for s in signals(&values) {
                prop_assert!(s.first <= s.last && s.last < values.len());
                let needed = match s.kind {
                    SignalKind::Shift => SHIFT_POINTS,
                    SignalKind::Trend => TREND_POINTS,
                    SignalKind::Astronomical => 1,
                };
                prop_assert!(s.last - s.first + 1 >= needed);
            }
        }
    }
}
