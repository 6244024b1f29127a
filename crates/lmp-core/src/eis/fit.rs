//! May a worker take a vacancy, and how good a fit is it?
//!
//! Qualified: the same job class and every required licence. Reachable by
//! retraining: the worker's class is one the vacancy can be retrained from,
//! and they hold its licences. Comparable: qualified, and the same pay band,
//! FTE, shift and region — the job the agreement promises first.

use super::pool::{Name, Pool, Vacancy, Worker};
use rustc_hash::FxHashMap;

/// How good a fit a job is, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Qualified, same pay band, FTE, shift and region.
    Comparable,
    /// Qualified, but not comparable.
    Qualified,
    /// Reachable by retraining within the allowed period.
    Retraining,
}

impl Kind {
    /// The step used to favour higher-priority workers with better kinds:
    /// 0 for comparable, 1 for qualified, 2 for retraining.
    pub fn step(self) -> i64 {
        self as i64
    }

    /// The kind as stored and sent: comparable, qualified or retraining.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Comparable => "comparable",
            Kind::Qualified => "qualified",
            Kind::Retraining => "retraining",
        }
    }

    /// The kind in words, for people.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Comparable => "comparable",
            Kind::Qualified => "not comparable",
            Kind::Retraining => "with retraining",
        }
    }
}

/// What keeps a worker from a vacancy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Barrier {
    /// Another job class, and not one retraining reaches.
    OtherJobClass,
    /// The job class fits (or retraining reaches it) but these licences are missing.
    MissingLicences(Vec<Name>),
}

/// Where a qualified job differs from the worker's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    PayBand,
    Fte,
    Shift,
    Region,
}

impl Difference {
    pub fn word(self) -> &'static str {
        match self {
            Difference::PayBand => "pay band",
            Difference::Fte => "FTE",
            Difference::Shift => "shift",
            Difference::Region => "region",
        }
    }
}

fn holds_all(held: &[Name], required: &[Name]) -> bool {
    required.iter().all(|r| held.binary_search(r).is_ok())
}

/// The fit of a worker to a vacancy, or what stands in the way.
pub fn fit(worker: &Worker, vacancy: &Vacancy) -> Result<Kind, Barrier> {
    if let Some(kind) = kind_of(worker, vacancy) {
        return Ok(kind);
    }
    if worker.job_class != vacancy.job_class && vacancy.retrain_from.binary_search(&worker.job_class).is_err() {
        return Err(Barrier::OtherJobClass);
    }
    let missing = vacancy
        .required_licences
        .iter()
        .filter(|r| worker.licences.binary_search(r).is_err())
        .copied()
        .collect();
    Err(Barrier::MissingLicences(missing))
}

/// The kind of job a vacancy would be for a worker, if they may take it at
/// all: [`fit`] without saying why not, and without allocating — the engine
/// asks it for every candidate pair.
pub fn kind_of(worker: &Worker, vacancy: &Vacancy) -> Option<Kind> {
    let same_class = worker.job_class == vacancy.job_class;
    if !same_class && vacancy.retrain_from.binary_search(&worker.job_class).is_err() {
        return None;
    }
    if !holds_all(&worker.licences, &vacancy.required_licences) {
        return None;
    }
    Some(if !same_class {
        Kind::Retraining
    } else if worker.pay_band == vacancy.pay_band
        && worker.fte == vacancy.fte
        && worker.shift == vacancy.shift
        && worker.region == vacancy.region
    {
        Kind::Comparable
    } else {
        Kind::Qualified
    })
}

/// Where the vacancy differs from the worker's own job.
pub fn differences(worker: &Worker, vacancy: &Vacancy) -> Vec<Difference> {
    [
        (worker.pay_band != vacancy.pay_band, Difference::PayBand),
        (worker.fte != vacancy.fte, Difference::Fte),
        (worker.shift != vacancy.shift, Difference::Shift),
        (worker.region != vacancy.region, Difference::Region),
    ]
    .into_iter()
    .filter_map(|(differs, what)| differs.then_some(what))
    .collect()
}

/// Every worker's possible jobs, as compressed rows: the vacancies of
/// worker `w` are `vacancies[offsets[w]..offsets[w + 1]]`.
#[derive(Debug, Clone, Default)]
pub struct Eligibility {
    offsets: Vec<u32>,
    vacancies: Vec<u32>,
    kinds: Vec<Kind>,
}

impl Eligibility {
    /// Look each worker up among the vacancies of their own class and of the
    /// classes retraining reaches from it — never every vacancy.
    pub fn of(pool: &Pool) -> Eligibility {
        Eligibility::of_where(pool, |_, _| true)
    }

    /// As [`Eligibility::of`], leaving out the pairs `allowed` refuses (a
    /// job the worker has already declined, say).
    pub fn of_where(pool: &Pool, allowed: impl Fn(usize, u32) -> bool) -> Eligibility {
        let mut by_class: FxHashMap<Name, Vec<u32>> = FxHashMap::default();
        let mut by_retraining: FxHashMap<Name, Vec<u32>> = FxHashMap::default();
        for (v, vacancy) in pool.vacancies.iter().enumerate() {
            by_class.entry(vacancy.job_class).or_default().push(v as u32);
            for from in vacancy.retrain_from.iter().filter(|c| **c != vacancy.job_class) {
                by_retraining.entry(*from).or_default().push(v as u32);
            }
        }
        let mut eligibility = Eligibility {
            offsets: Vec::with_capacity(pool.workers.len() + 1),
            ..Eligibility::default()
        };
        eligibility.offsets.push(0);
        for (w, worker) in pool.workers.iter().enumerate() {
            let candidates = [&by_class, &by_retraining]
                .into_iter()
                .filter_map(|index| index.get(&worker.job_class))
                .flatten();
            for &v in candidates.filter(|v| allowed(w, **v)) {
                if let Some(kind) = kind_of(worker, &pool.vacancies[v as usize]) {
                    eligibility.vacancies.push(v);
                    eligibility.kinds.push(kind);
                }
            }
            eligibility.offsets.push(eligibility.vacancies.len() as u32);
        }
        eligibility
    }

    pub fn workers(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn edges(&self) -> usize {
        self.vacancies.len()
    }

    /// The vacancies worker `w` may take, each with its kind.
    pub fn of_worker(&self, w: usize) -> impl Iterator<Item = (u32, Kind)> + '_ {
        let range = self.offsets[w] as usize..self.offsets[w + 1] as usize;
        self.vacancies[range.clone()]
            .iter()
            .copied()
            .zip(self.kinds[range].iter().copied())
    }

    /// The index of worker `w`'s first edge; the edges of all workers are
    /// numbered in one sequence.
    pub fn first_edge(&self, w: usize) -> usize {
        self.offsets[w] as usize
    }

    pub fn vacancy_at(&self, edge: usize) -> u32 {
        self.vacancies[edge]
    }

    pub fn kind_at(&self, edge: usize) -> Kind {
        self.kinds[edge]
    }

    pub fn kind(&self, w: usize, vacancy: u32) -> Option<Kind> {
        self.of_worker(w).find(|(v, _)| *v == vacancy).map(|(_, kind)| kind)
    }

    /// The same pairs turned around: each vacancy's possible workers.
    pub fn applicants(&self, vacancies: usize) -> Applicants {
        let mut offsets = vec![0_u32; vacancies + 1];
        for v in &self.vacancies {
            offsets[*v as usize + 1] += 1;
        }
        for v in 0..vacancies {
            offsets[v + 1] += offsets[v];
        }
        let mut next = offsets.clone();
        let mut workers = vec![0; self.vacancies.len()];
        let mut kinds = vec![Kind::Comparable; self.vacancies.len()];
        for w in 0..self.workers() {
            for (v, kind) in self.of_worker(w) {
                let at = &mut next[v as usize];
                workers[*at as usize] = w as u32;
                kinds[*at as usize] = kind;
                *at += 1;
            }
        }
        Applicants {
            offsets,
            workers,
            kinds,
        }
    }
}

/// Each vacancy's possible workers, as compressed rows (see [`Eligibility::applicants`]).
#[derive(Debug, Clone)]
pub struct Applicants {
    offsets: Vec<u32>,
    workers: Vec<u32>,
    kinds: Vec<Kind>,
}

impl Applicants {
    /// The workers who may take vacancy `v`, each with the kind it would be.
    pub fn of_vacancy(&self, v: u32) -> impl Iterator<Item = (u32, Kind)> + '_ {
        let range = self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize;
        self.workers[range.clone()]
            .iter()
            .copied()
            .zip(self.kinds[range].iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eis::pool::{Fte, VacancyRow, WorkerRow};

    fn worker(class: &str, licences: &[&str]) -> WorkerRow {
        WorkerRow {
            worker_id: "W".into(),
            job_class: class.into(),
            licences: licences.iter().map(|l| l.to_string()).collect(),
            fte: Fte::parse("1").unwrap(),
            shift: "day".into(),
            pay_band: "B4".into(),
            region: "north".into(),
            seniority_date: jiff::civil::date(2000, 1, 1),
        }
    }

    fn vacancy(id: &str, class: &str, licences: &[&str], retrain_from: &[&str]) -> VacancyRow {
        VacancyRow {
            vacancy_id: id.into(),
            job_class: class.into(),
            required_licences: licences.iter().map(|l| l.to_string()).collect(),
            fte: Fte::parse("1").unwrap(),
            shift: "day".into(),
            pay_band: "B4".into(),
            region: "north".into(),
            retrain_from: retrain_from.iter().map(|l| l.to_string()).collect(),
        }
    }

    fn fits(w: WorkerRow, v: VacancyRow) -> Result<Kind, Barrier> {
        let mut pool = Pool::default();
        pool.add_worker(w).unwrap();
        pool.add_vacancy(v).unwrap();
        fit(&pool.workers[0], &pool.vacancies[0])
    }

    #[test]
    fn same_class_same_terms_is_comparable() {
        assert_eq!(
            fits(worker("RN", &["RN-CA"]), vacancy("V", "RN", &["RN-CA"], &[])),
            Ok(Kind::Comparable)
        );
    }

    #[test]
    fn any_differing_term_makes_it_qualified_only() {
        for change in 0..4 {
            let mut v = vacancy("V", "RN", &[], &[]);
            match change {
                0 => v.pay_band = "B5".into(),
                1 => v.fte = Fte::parse("0.5").unwrap(),
                2 => v.shift = "night".into(),
                _ => v.region = "south".into(),
            }
            assert_eq!(fits(worker("RN", &[]), v), Ok(Kind::Qualified));
        }
    }

    #[test]
    fn retraining_needs_the_class_listed_and_the_licences_held() {
        assert_eq!(
            fits(worker("LVN", &[]), vacancy("V", "RN", &[], &["LVN"])),
            Ok(Kind::Retraining)
        );
        assert_eq!(
            fits(worker("CNA", &[]), vacancy("V", "RN", &[], &["LVN"])),
            Err(Barrier::OtherJobClass)
        );
        assert!(matches!(
            fits(worker("LVN", &[]), vacancy("V", "RN", &["RN-CA"], &["LVN"])),
            Err(Barrier::MissingLicences(missing)) if missing.len() == 1
        ));
    }

    #[test]
    fn eligibility_lists_each_workers_jobs_once_with_their_kind() {
        let mut pool = Pool::default();
        pool.add_worker(worker("LVN", &[])).unwrap();
        pool.add_vacancy(vacancy("V1", "LVN", &[], &["LVN"])).unwrap();
        pool.add_vacancy(vacancy("V2", "RN", &[], &["LVN"])).unwrap();
        pool.add_vacancy(vacancy("V3", "RN", &[], &[])).unwrap();
        let eligibility = Eligibility::of(&pool);
        let jobs: Vec<_> = eligibility.of_worker(0).collect();
        assert_eq!(jobs, [(0, Kind::Comparable), (1, Kind::Retraining)]);
    }

    #[test]
    fn applicants_are_the_same_pairs_by_vacancy() {
        let mut pool = Pool::default();
        for (id, class) in [("W1", "LVN"), ("W2", "RN"), ("W3", "LVN")] {
            pool.add_worker(WorkerRow {
                worker_id: id.into(),
                ..worker(class, &[])
            })
            .unwrap();
        }
        pool.add_vacancy(vacancy("V1", "RN", &[], &["LVN"])).unwrap();
        pool.add_vacancy(vacancy("V2", "CNA", &[], &[])).unwrap();
        pool.add_vacancy(vacancy("V3", "LVN", &[], &[])).unwrap();
        let applicants = Eligibility::of(&pool).applicants(pool.vacancies.len());
        let of = |v: u32| applicants.of_vacancy(v).collect::<Vec<_>>();
        assert_eq!(
            of(0),
            [(0, Kind::Retraining), (1, Kind::Comparable), (2, Kind::Retraining)]
        );
        assert_eq!(of(1), []);
        assert_eq!(of(2), [(0, Kind::Comparable), (2, Kind::Comparable)]);
    }
}
