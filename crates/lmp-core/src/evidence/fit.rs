//! Ordinary least squares over sparse rows, the way the evidence models
//! need it: a team's own level absorbed (team fixed effects by demeaning,
//! exact in an unbalanced panel), and standard errors clustered by team,
//! because a team's months are not independent of each other.
//!
//! The arithmetic is statsmodels' own: `OLS(...).fit(cov_type="cluster",
//! cov_kwds={"groups": team}, use_t=True)` with the team dummies written
//! out gives the same estimates, errors and intervals (the small-sample
//! factor `G/(G-1)·(N-1)/(N-K)` counts the absorbed teams in `K`, as the
//! dummies would; the intervals use Student's t with `G-1` degrees of
//! freedom). `tests` and the store's statsmodels check hold it to that.

use super::interval::t_quantile;
use serde::Serialize;

/// The observations of one model, each with its group (the team) and its
/// regressors as (column, value) pairs; a column left out is zero.
#[derive(Debug, Clone, Default)]
pub struct Observations {
    y: Vec<f64>,
    group: Vec<u32>,
    /// Row `i`'s regressors are `entries[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    entries: Vec<(u32, f64)>,
}

impl Observations {
    pub fn new() -> Observations {
        Observations {
            starts: vec![0],
            ..Observations::default()
        }
    }

    /// One observation. Groups are numbered from 0, densely.
    pub fn push(&mut self, y: f64, group: u32, regressors: impl IntoIterator<Item = (u32, f64)>) {
        self.y.push(y);
        self.group.push(group);
        self.entries.extend(regressors.into_iter().filter(|(_, v)| *v != 0.0));
        self.starts.push(self.entries.len());
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    fn row(&self, i: usize) -> &[(u32, f64)] {
        &self.entries[self.starts[i]..self.starts[i + 1]]
    }

    fn groups(&self) -> usize {
        self.group.iter().max().map_or(0, |g| *g as usize + 1)
    }
}

/// How a model is fitted.
#[derive(Debug, Clone)]
pub struct Model {
    /// The regressors' names, by column.
    pub columns: Vec<String>,
    /// Each group's own intercept, absorbed (team fixed effects).
    pub absorb_groups: bool,
    /// The confidence level of the intervals, such as 0.95.
    pub confidence: f64,
}

/// One coefficient, its clustered standard error and interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    pub name: String,
    pub estimate: f64,
    pub std_error: f64,
    pub t: f64,
    pub p_value: f64,
    pub low: f64,
    pub high: f64,
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    pub coefficients: Vec<Coefficient>,
    /// Columns left out because the others already explain them (a facility
    /// with one unit type, a month no team was seen in).
    pub dropped: Vec<String>,
    pub observations: usize,
    pub groups: usize,
    /// Parameters, the absorbed group intercepts among them.
    pub parameters: usize,
    pub confidence: f64,
}

impl Fit {
    pub fn coefficient(&self, name: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.name == name)
    }
}

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitRefused {
    /// Fewer groups than two, or no more observations than parameters.
    TooFew {
        observations: usize,
        parameters: usize,
        groups: usize,
    },
}

/// Fit `model` to `data` by least squares, errors clustered by group.
pub fn least_squares(model: &Model, data: &Observations) -> Result<Fit, FitRefused> {
    let k = model.columns.len();
    let n = data.len();
    let g = data.groups();
    // Each group's count and sums, for its mean (absorbed) and its score.
    let mut count = vec![0usize; g];
    let mut sum_y = vec![0.0; g];
    let mut sum_x = vec![0.0; g * k];
    // The raw cross products, from the sparse rows.
    let mut xtx = vec![0.0; k * k];
    let mut xty = vec![0.0; k];
    for i in 0..n {
        let (y, grp) = (data.y[i], data.group[i] as usize);
        count[grp] += 1;
        sum_y[grp] += y;
        let row = data.row(i);
        for &(a, va) in row {
            let a = a as usize;
            sum_x[grp * k + a] += va;
            xty[a] += va * y;
            for &(b, vb) in row {
                xtx[a * k + b as usize] += va * vb;
            }
        }
    }
    let groups = count.iter().filter(|c| **c > 0).count();
    // A column's size before demeaning: one constant within every group
    // demeans to rounding error, which must read as nothing left.
    let scale: Vec<f64> = (0..k).map(|a| xtx[a * k + a]).collect();
    if model.absorb_groups {
        // Demeaned within group: X̃'X̃ = X'X − Σ n_g x̄_g x̄_g'.
        for grp in 0..g {
            if count[grp] == 0 {
                continue;
            }
            let n_g = count[grp] as f64;
            let sx = &sum_x[grp * k..(grp + 1) * k];
            for a in 0..k {
                if sx[a] == 0.0 {
                    continue;
                }
                xty[a] -= sx[a] * sum_y[grp] / n_g;
                for b in 0..k {
                    xtx[a * k + b] -= sx[a] * sx[b] / n_g;
                }
            }
        }
    }
    let kept = independent_columns(&xtx, &scale, k);
    let absorbed = if model.absorb_groups { groups } else { 0 };
    let parameters = kept.len() + absorbed;
    if groups < 2 || n <= parameters {
        return Err(FitRefused::TooFew {
            observations: n,
            parameters,
            groups,
        });
    }
    let m = kept.len();
    let reduced: Vec<f64> = kept
        .iter()
        .flat_map(|&a| kept.iter().map(move |&b| (a, b)))
        .map(|(a, b)| xtx[a * k + b])
        .collect();
    let bread = invert_positive_definite(&reduced, m);
    let rhs: Vec<f64> = kept.iter().map(|&a| xty[a]).collect();
    let beta_kept: Vec<f64> = (0..m)
        .map(|a| (0..m).map(|b| bread[a * m + b] * rhs[b]).sum())
        .collect();
    let mut beta = vec![0.0; k];
    for (j, &col) in kept.iter().enumerate() {
        beta[col] = beta_kept[j];
    }
    // Each group's score Σ x̃ e, with e the demeaned residual.
    let mean_fit: Vec<f64> = (0..g)
        .map(|grp| {
            if !model.absorb_groups || count[grp] == 0 {
                return 0.0;
            }
            let sx = &sum_x[grp * k..(grp + 1) * k];
            sx.iter().zip(&beta).map(|(s, b)| s * b).sum::<f64>() / count[grp] as f64
        })
        .collect();
    let mut score = vec![0.0; g * k];
    let mut residual_sum = vec![0.0; g];
    for i in 0..n {
        let grp = data.group[i] as usize;
        let row = data.row(i);
        let fitted: f64 = row.iter().map(|&(a, v)| v * beta[a as usize]).sum();
        let e = if model.absorb_groups {
            (data.y[i] - sum_y[grp] / count[grp] as f64) - (fitted - mean_fit[grp])
        } else {
            data.y[i] - fitted
        };
        residual_sum[grp] += e;
        for &(a, v) in row {
            score[grp * k + a as usize] += v * e;
        }
    }
    if model.absorb_groups {
        // x̃ = x − x̄: take away x̄_g Σ e (zero but for rounding).
        for grp in 0..g {
            if count[grp] == 0 {
                continue;
            }
            let n_g = count[grp] as f64;
            for a in 0..k {
                score[grp * k + a] -= sum_x[grp * k + a] / n_g * residual_sum[grp];
            }
        }
    }
    let mut meat = vec![0.0; m * m];
    for grp in 0..g {
        let s: Vec<f64> = kept.iter().map(|&a| score[grp * k + a]).collect();
        for a in 0..m {
            if s[a] == 0.0 {
                continue;
            }
            for b in 0..m {
                meat[a * m + b] += s[a] * s[b];
            }
        }
    }
    let (nf, gf, pf) = (n as f64, groups as f64, parameters as f64);
    let factor = gf / (gf - 1.0) * (nf - 1.0) / (nf - pf);
    let covariance = sandwich(&bread, &meat, m);
    let df = gf - 1.0;
    let quantile = t_quantile(0.5 + model.confidence / 2.0, df);
    let coefficients = kept
        .iter()
        .enumerate()
        .map(|(j, &col)| {
            let estimate = beta[col];
            let std_error = (factor * covariance[j * m + j]).max(0.0).sqrt();
            let t = estimate / std_error;
            Coefficient {
                name: model.columns[col].clone(),
                estimate,
                std_error,
                t,
                p_value: super::interval::two_sided_p(t, df),
                low: estimate - quantile * std_error,
                high: estimate + quantile * std_error,
            }
        })
        .collect();
    let dropped = (0..k)
        .filter(|c| !kept.contains(c))
        .map(|c| model.columns[c].clone())
        .collect();
    Ok(Fit {
        coefficients,
        dropped,
        observations: n,
        groups,
        parameters,
        confidence: model.confidence,
    })
}

/// The columns that are not a combination of those before them, by a
/// Cholesky factorisation that skips a column whose remaining variance is
/// nil beside its `scale`. A column that is all zero is skipped too.
fn independent_columns(xtx: &[f64], scale: &[f64], k: usize) -> Vec<usize> {
    const TOLERANCE: f64 = 1e-10;
    let mut kept: Vec<usize> = Vec::new();
    // Rows of L for the kept columns, over the kept columns so far.
    let mut lower: Vec<Vec<f64>> = Vec::new();
    for c in 0..k {
        let diagonal = xtx[c * k + c];
        if diagonal <= TOLERANCE * scale[c] {
            continue;
        }
        let mut row = Vec::with_capacity(kept.len() + 1);
        for (j, &kj) in kept.iter().enumerate() {
            let dot: f64 = (0..j).map(|i| row[i] * lower[j][i]).sum();
            row.push((xtx[c * k + kj] - dot) / lower[j][j]);
        }
        let remaining = diagonal - row.iter().map(|v| v * v).sum::<f64>();
        if remaining > TOLERANCE * scale[c] {
            row.push(remaining.sqrt());
            kept.push(c);
            lower.push(row);
        }
    }
    kept
}

/// The inverse of a symmetric positive definite `m`×`m` matrix, by Cholesky.
fn invert_positive_definite(a: &[f64], m: usize) -> Vec<f64> {
    let mut l = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|p| l[i * m + p] * l[j * m + p]).sum();
            if i == j {
                l[i * m + i] = (a[i * m + i] - dot).max(f64::MIN_POSITIVE).sqrt();
            } else {
                l[i * m + j] = (a[i * m + j] - dot) / l[j * m + j];
            }
        }
    }
    // L⁻¹, lower triangular, then A⁻¹ = L⁻ᵀ L⁻¹.
    let mut inv_l = vec![0.0; m * m];
    for c in 0..m {
        for i in c..m {
            let given = if i == c { 1.0 } else { 0.0 };
            let dot: f64 = (c..i).map(|p| l[i * m + p] * inv_l[p * m + c]).sum();
            inv_l[i * m + c] = (given - dot) / l[i * m + i];
        }
    }
    let mut inverse = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..=i {
            let v: f64 = (i..m).map(|p| inv_l[p * m + i] * inv_l[p * m + j]).sum();
            inverse[i * m + j] = v;
            inverse[j * m + i] = v;
        }
    }
    inverse
}

/// B M B, all `m`×`m` (B symmetric).
fn sandwich(bread: &[f64], meat: &[f64], m: usize) -> Vec<f64> {
    let mut bm = vec![0.0; m * m];
    for i in 0..m {
        for p in 0..m {
            let b = bread[i * m + p];
            if b == 0.0 {
                continue;
            }
            for j in 0..m {
                bm[i * m + j] += b * meat[p * m + j];
            }
        }
    }
    let mut out = vec![0.0; m * m];
    for i in 0..m {
        for p in 0..m {
            let b = bm[i * m + p];
            for j in 0..m {
                out[i * m + j] += b * bread[p * m + j];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(columns: &[&str], absorb: bool) -> Model {
        Model {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            absorb_groups: absorb,
            confidence: 0.95,
        }
    }

    #[test]
    fn a_line_through_exact_points_is_found_exactly() {
        let mut data = Observations::new();
        for i in 0..12 {
            let x = i as f64;
            data.push(
                3.0 + 2.0 * x + if i % 2 == 0 { 0.5 } else { -0.5 },
                i / 3,
                [(0, 1.0), (1, x)],
            );
        }
        let fit = least_squares(&model(&["const", "x"], false), &data).expect("fit");
        let slope = fit.coefficient("x").expect("x");
        assert!((slope.estimate - 2.0).abs() < 0.05, "{slope:?}");
        assert!(slope.low < slope.estimate && slope.estimate < slope.high);
        assert_eq!((fit.observations, fit.groups, fit.parameters), (12, 4, 2));
    }

    #[test]
    fn a_column_the_others_explain_is_dropped_not_divided_by() {
        let mut data = Observations::new();
        for i in 0..20 {
            let x = (i * 7 % 5) as f64;
            data.push(x + (i % 3) as f64, i / 4, [(0, 1.0), (1, x), (2, 2.0 * x)]);
        }
        let fit = least_squares(&model(&["const", "x", "twice x"], false), &data).expect("fit");
        assert_eq!(fit.dropped, vec!["twice x".to_string()]);
        assert_eq!(fit.coefficients.len(), 2);
    }

    #[test]
    fn absorbing_each_groups_intercept_equals_writing_its_dummies() {
        // y = group's own level + 1.5 x + noise; the two ways agree.
        let mut absorbed = Observations::new();
        let mut dummies = Observations::new();
        let groups = 5;
        for i in 0..60u32 {
            let grp = i % groups;
            let x = ((i * 13) % 7) as f64;
            let y = grp as f64 * 4.0 + 1.5 * x + ((i * 31) % 5) as f64 * 0.3;
            absorbed.push(y, grp, [(0, x)]);
            let mut row = vec![(0u32, 1.0), (1, x)];
            if grp > 0 {
                row.push((1 + grp, 1.0));
            }
            dummies.push(y, grp, row);
        }
        let within = least_squares(&model(&["x"], true), &absorbed).expect("fit");
        let names = ["const", "x", "g1", "g2", "g3", "g4"];
        let full = least_squares(&model(&names, false), &dummies).expect("fit");
        let (a, b) = (within.coefficient("x").expect("x"), full.coefficient("x").expect("x"));
        assert!((a.estimate - b.estimate).abs() < 1e-12, "{a:?} {b:?}");
        assert!((a.std_error - b.std_error).abs() < 1e-12, "{a:?} {b:?}");
        assert_eq!(within.parameters, full.parameters);
    }

    #[test]
    fn one_group_is_too_few_to_cluster() {
        let mut data = Observations::new();
        for i in 0..10 {
            data.push(i as f64, 0, [(0, 1.0)]);
        }
        assert!(matches!(
            least_squares(&model(&["const"], false), &data),
            Err(FitRefused::TooFew { groups: 1, .. })
        ));
    }
}
