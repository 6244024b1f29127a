//! Small pools and a brute-force optimum, for checking the engine and its explanations.

use super::fit::{Eligibility, Kind};
use super::placement::Score;
use super::pool::{Fte, Pool, VacancyRow, WorkerRow};
use proptest::prelude::*;

/// A small pool: workers (class, seniority year, shift) and vacancies
/// (class, shift, retrain_from), nobody needing licences.
pub fn pool(workers: &[(&str, i16, &str)], vacancies: &[(&str, &str, &[&str])]) -> Pool {
    let workers: Vec<_> = workers.iter().map(|(c, y, s)| (*c, *y, *s, false)).collect();
    let vacancies: Vec<_> = vacancies.iter().map(|(c, s, f)| (*c, *s, *f, false)).collect();
    pool_with_licence(&workers, &vacancies)
}

/// As [`pool`], each worker holding or not, and each vacancy requiring or
/// not, the one licence "ACLS".
pub fn pool_with_licence(workers: &[(&str, i16, &str, bool)], vacancies: &[(&str, &str, &[&str], bool)]) -> Pool {
    let licence = |has: bool| if has { vec!["ACLS".to_string()] } else { vec![] };
    let mut pool = Pool::default();
    for (i, (class, year, shift, holds)) in workers.iter().enumerate() {
        pool.add_worker(WorkerRow {
            worker_id: format!("W{i}"),
            job_class: class.to_string(),
            licences: licence(*holds),
            fte: Fte::parse("1").unwrap(),
            shift: shift.to_string(),
            pay_band: "B".into(),
            region: "r".into(),
            seniority_date: jiff::civil::date(*year, 1, 1),
        })
        .unwrap();
    }
    for (i, (class, shift, from, requires)) in vacancies.iter().enumerate() {
        pool.add_vacancy(VacancyRow {
            vacancy_id: format!("V{i}"),
            job_class: class.to_string(),
            required_licences: licence(*requires),
            fte: Fte::parse("1").unwrap(),
            shift: shift.to_string(),
            pay_band: "B".into(),
            region: "r".into(),
            retrain_from: from.iter().map(|c| c.to_string()).collect(),
        })
        .unwrap();
    }
    pool
}

/// Every way of placing the pool, for checking the engine by brute force.
/// With `forced`, only the placements giving that worker that vacancy;
/// none if that is not a job they may take.
pub fn best_by_brute_force(
    eligibility: &Eligibility,
    positions: &[u32],
    vacancies: usize,
    forced: Option<(usize, u32)>,
) -> Option<Score> {
    struct Walk<'a> {
        eligibility: &'a Eligibility,
        positions: &'a [u32],
        forced: Option<(usize, u32)>,
        taken: Vec<bool>,
        kinds: Vec<Option<Kind>>,
        best: Option<Score>,
    }
    impl Walk<'_> {
        fn from(&mut self, w: usize) {
            if w == self.kinds.len() {
                let score = Score::of(&self.kinds, self.positions);
                if self.best.as_ref().is_none_or(|b| score.cmp_objective(b).is_lt()) {
                    self.best = Some(score);
                }
                return;
            }
            let forced = self.forced.filter(|(fw, _)| *fw == w).map(|(_, fv)| fv);
            if forced.is_none() {
                self.from(w + 1);
            }
            let options: Vec<(u32, Kind)> = self.eligibility.of_worker(w).collect();
            for (v, kind) in options {
                if self.taken[v as usize] || forced.is_some_and(|fv| fv != v) {
                    continue;
                }
                self.taken[v as usize] = true;
                self.kinds[w] = Some(kind);
                self.from(w + 1);
                self.kinds[w] = None;
                self.taken[v as usize] = false;
            }
        }
    }
    let mut walk = Walk {
        eligibility,
        positions,
        forced,
        taken: vec![false; vacancies],
        kinds: vec![None; positions.len()],
        best: None,
    };
    walk.from(0);
    walk.best
}

pub fn small_pool() -> impl Strategy<Value = Pool> {
    const CLASSES: [&str; 3] = ["RN", "LVN", "CNA"];
    const SHIFTS: [&str; 2] = ["day", "night"];
    const RETRAIN_FROM: [&[&str]; 4] = [&[], &["LVN"], &["RN"], &["LVN", "CNA"]];
    let worker = (0..3_usize, 1980..1990_i16, 0..2_usize, any::<bool>());
    let vacancy = (0..3_usize, 0..2_usize, 0..4_usize, prop::bool::weighted(0.3));
    (
        prop::collection::vec(worker, 0..7),
        prop::collection::vec(vacancy, 0..6),
    )
        .prop_map(|(workers, vacancies)| {
            let workers: Vec<_> = workers
                .into_iter()
                .map(|(c, year, s, holds)| (CLASSES[c], year, SHIFTS[s], holds))
                .collect();
            let vacancies: Vec<_> = vacancies
                .into_iter()
                .map(|(c, s, from, requires)| (CLASSES[c], SHIFTS[s], RETRAIN_FROM[from], requires))
                .collect();
            pool_with_licence(&workers, &vacancies)
        })
}
