//! Why each worker got what they got, in words an EIS representative can
//! read to the worker: the job and how it fits; each better job, who holds
//! it and which rule of the objective keeps it there; for a worker left
//! unplaced, who holds each job they could take and what keeps them from
//! the rest of their class's jobs.
//!
//! "Which rule" is not guessed: the engine's prices let one shortest-path
//! search ask what the best arrangement giving the worker that job would
//! cost, criterion by criterion.

use super::fit::{differences, fit, Applicants, Barrier, Difference, Eligibility, Kind};
use super::placement::{Costs, Placement};
use super::pool::Pool;
use crate::language::Language;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// How many better jobs, or held jobs, an explanation names one by one.
pub const NAMED: usize = 5;

/// Why a better job went to someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptBy {
    /// Giving it to this worker would leave someone without a job.
    SomeoneUnplaced,
    /// It would mean fewer comparable placements overall.
    FewerComparable,
    /// It would mean more placements needing retraining.
    MoreRetraining,
    /// Workers ahead of this one would get worse kinds of job.
    WorseForThoseAhead,
    /// An arrangement as good exists; the engine kept this one.
    EquallyGood,
}

impl KeptBy {
    pub fn words(self, language: Language) -> &'static str {
        use Language::{English, Spanish};
        match (self, language) {
            (KeptBy::SomeoneUnplaced, English) => "giving it to you would leave another worker without a job",
            (KeptBy::SomeoneUnplaced, Spanish) => "dárselo a usted dejaría a otro trabajador sin puesto",
            (KeptBy::FewerComparable, English) => "giving it to you would mean fewer comparable placements overall",
            (KeptBy::FewerComparable, Spanish) => "dárselo a usted supondría menos colocaciones comparables en total",
            (KeptBy::MoreRetraining, English) => "giving it to you would mean more workers needing retraining",
            (KeptBy::MoreRetraining, Spanish) => {
                "dárselo a usted supondría más trabajadores que necesiten recapacitación"
            }
            (KeptBy::WorseForThoseAhead, English) => "giving it to you would give workers ahead of you a lesser job",
            (KeptBy::WorseForThoseAhead, Spanish) => {
                "dárselo a usted daría un puesto peor a trabajadores que van antes que usted"
            }
            (KeptBy::EquallyGood, English) => {
                "an arrangement giving it to you is just as good under the rules; this one was kept"
            }
            (KeptBy::EquallyGood, Spanish) => {
                "una asignación que se lo da a usted es igual de buena según las reglas; se mantuvo esta"
            }
        }
    }
}

/// A kind of job in words.
fn kind_words(kind: Kind, language: Language) -> &'static str {
    match language {
        Language::English => kind.word(),
        Language::Spanish => match kind {
            Kind::Comparable => "comparable",
            Kind::Qualified => "no comparable",
            Kind::Retraining => "con recapacitación",
        },
    }
}

fn difference_words(difference: Difference, language: Language) -> &'static str {
    match language {
        Language::English => difference.word(),
        Language::Spanish => match difference {
            Difference::PayBand => "banda salarial",
            Difference::Fte => "FTE",
            Difference::Shift => "turno",
            Difference::Region => "región",
        },
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BetterJob {
    pub vacancy: u32,
    /// The kind it would have been for this worker.
    pub kind: Kind,
    pub holder: u32,
    pub holder_ahead: bool,
    pub kept_by: KeptBy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldJob {
    pub vacancy: u32,
    pub kind: Kind,
    pub holder: u32,
    pub holder_ahead: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explanation {
    Placed {
        vacancy: u32,
        kind: Kind,
        differences: Vec<Difference>,
        /// The best few jobs of a better kind, each with who holds it and why.
        better: Vec<BetterJob>,
        /// How many more better jobs there are beyond those named.
        more_better: usize,
    },
    Unplaced {
        /// Jobs this worker could take, each held by someone.
        held: Vec<HeldJob>,
        more_held: usize,
        /// Jobs of their class (or reachable by retraining) they lack licences for.
        missing_licences: Vec<(u32, Barrier)>,
        more_missing: usize,
    },
}

/// Explains the outcomes of one placement, worker by worker. Built once per
/// placement: it keeps each vacancy's applicants, which the searches for a
/// better job's reason walk backwards.
pub struct Explainer<'a> {
    pool: &'a Pool,
    eligibility: &'a Eligibility,
    placement: &'a Placement,
    /// Priority positions (0 first).
    positions: &'a [u32],
    applicants: Applicants,
    costs: Costs,
}

impl<'a> Explainer<'a> {
    pub fn new(pool: &'a Pool, eligibility: &'a Eligibility, placement: &'a Placement, positions: &'a [u32]) -> Self {
        Explainer {
            pool,
            eligibility,
            placement,
            positions,
            applicants: eligibility.applicants(pool.vacancies.len()),
            costs: Costs::for_pool(pool.workers.len()),
        }
    }

    /// Explain one worker's outcome.
    pub fn explain(&self, worker: u32) -> Explanation {
        let w = worker as usize;
        let ahead = |other: u32| self.positions[other as usize] < self.positions[w];
        match (self.placement.vacancy_of[w], self.placement.kind_of[w]) {
            (Some(vacancy), Some(kind)) => {
                let mut better: Vec<(u32, Kind)> = self.eligibility.of_worker(w).filter(|(_, k)| *k < kind).collect();
                better.sort_by_key(|(v, k)| (*k, *v));
                let more_better = better.len().saturating_sub(NAMED);
                let refill = if better.is_empty() {
                    0
                } else {
                    self.refill(worker, vacancy)
                };
                let better = better
                    .into_iter()
                    .take(NAMED)
                    .filter_map(|(v, k)| {
                        // Every better job is held: a free one would have been taken.
                        let holder = self.placement.holder_of[v as usize]?;
                        Some(BetterJob {
                            vacancy: v,
                            kind: k,
                            holder,
                            holder_ahead: ahead(holder),
                            kept_by: self.kept_by(worker, v, holder, refill),
                        })
                    })
                    .collect();
                Explanation::Placed {
                    vacancy,
                    kind,
                    differences: differences(&self.pool.workers[w], &self.pool.vacancies[vacancy as usize]),
                    better,
                    more_better,
                }
            }
            _ => {
                let mut held: Vec<HeldJob> = self
                    .eligibility
                    .of_worker(w)
                    .filter_map(|(v, kind)| {
                        let holder = self.placement.holder_of[v as usize]?;
                        Some(HeldJob {
                            vacancy: v,
                            kind,
                            holder,
                            holder_ahead: ahead(holder),
                        })
                    })
                    .collect();
                held.sort_by_key(|h| (h.kind, h.vacancy));
                let more_held = held.len().saturating_sub(NAMED);
                held.truncate(NAMED);
                let worker_row = &self.pool.workers[w];
                let mut missing: Vec<(u32, Barrier)> = self
                    .pool
                    .vacancies
                    .iter()
                    .enumerate()
                    .filter_map(|(v, vacancy)| match fit(worker_row, vacancy) {
                        Err(barrier @ Barrier::MissingLicences(_)) => Some((v as u32, barrier)),
                        _ => None,
                    })
                    .collect();
                let more_missing = missing.len().saturating_sub(NAMED);
                missing.truncate(NAMED);
                Explanation::Unplaced {
                    held,
                    more_held,
                    missing_licences: missing,
                    more_missing,
                }
            }
        }
    }
}

impl Explanation {
    /// The explanation in plain words, to read to the worker, in `language`.
    /// Both languages say the same things in the same order.
    pub fn words(&self, pool: &Pool, worker: u32, language: Language) -> String {
        let spanish = language == Language::Spanish;
        let me = &pool.workers[worker as usize];
        let vacancy_id = |v: u32| pool.vacancies[v as usize].id.as_str();
        let worker_id = |w: u32| pool.workers[w as usize].id.as_str();
        let place = |ahead: bool| match (ahead, spanish) {
            (true, false) => "ahead of you",
            (false, false) => "after you",
            (true, true) => "antes que usted",
            (false, true) => "después de usted",
        };
        match self {
            Explanation::Placed {
                vacancy,
                kind,
                differences,
                better,
                more_better,
            } => {
                let job = &pool.vacancies[*vacancy as usize];
                let mut text = match kind {
                    Kind::Comparable if spanish => format!(
                        "Colocado en {}, un puesto comparable: la misma banda salarial, FTE, turno y región.",
                        job.id
                    ),
                    Kind::Comparable => format!(
                        "Placed in {}, a comparable job: the same pay band, FTE, shift and region.",
                        job.id
                    ),
                    Kind::Qualified => {
                        let how: Vec<String> = differences
                            .iter()
                            .map(|d| {
                                let (theirs, yours) = match d {
                                    Difference::PayBand => (
                                        pool.names.word(job.pay_band).to_string(),
                                        pool.names.word(me.pay_band).to_string(),
                                    ),
                                    Difference::Fte => (job.fte.to_string(), me.fte.to_string()),
                                    Difference::Shift => (
                                        pool.names.word(job.shift).to_string(),
                                        pool.names.word(me.shift).to_string(),
                                    ),
                                    Difference::Region => (
                                        pool.names.word(job.region).to_string(),
                                        pool.names.word(me.region).to_string(),
                                    ),
                                };
                                let yours_word = if spanish { "el suyo" } else { "yours" };
                                format!("{} {theirs} ({yours_word}: {yours})", difference_words(*d, language))
                            })
                            .collect();
                        if spanish {
                            format!(
                                "Colocado en {}, un puesto para el que está calificado pero no comparable: {}.",
                                job.id,
                                how.join("; ")
                            )
                        } else {
                            format!(
                                "Placed in {}, a job you are qualified for but not a comparable one: {}.",
                                job.id,
                                how.join("; ")
                            )
                        }
                    }
                    Kind::Retraining => format!(
                        "{} {} {} {} {} {}.",
                        if spanish { "Colocado en" } else { "Placed in" },
                        job.id,
                        if spanish {
                            "con recapacitación de"
                        } else {
                            "with retraining from"
                        },
                        pool.names.word(me.job_class),
                        if spanish { "a" } else { "to" },
                        pool.names.word(job.job_class)
                    ),
                };
                for job in better {
                    let (for_you, went_to) = if spanish {
                        ("para usted", "fue para")
                    } else {
                        ("for you", "went to")
                    };
                    text.push_str(&format!(
                        " {} ({} {for_you}) {went_to} {}, {}: {}.",
                        vacancy_id(job.vacancy),
                        kind_words(job.kind, language),
                        worker_id(job.holder),
                        place(job.holder_ahead),
                        job.kept_by.words(language)
                    ));
                }
                if *more_better > 0 {
                    text.push_str(&if spanish {
                        format!(" Otros ocupan {more_better} puestos mejores más.")
                    } else {
                        format!(" {more_better} more better jobs are held by others.")
                    });
                }
                if better.is_empty() && *kind != Kind::Comparable {
                    text.push_str(if spanish {
                        " No había ningún puesto mejor abierto para usted."
                    } else {
                        " No better job was open to you."
                    });
                }
                text
            }
            Explanation::Unplaced {
                held,
                more_held,
                missing_licences,
                more_missing,
            } => {
                let mut text = if held.is_empty() {
                    if spanish {
                        "No colocado: ninguna vacante abierta es de su clase de puesto ni de una a la que llegue la recapacitación."
                            .to_string()
                    } else {
                        "Not placed: no open vacancy is in your job class or one retraining reaches from it."
                            .to_string()
                    }
                } else {
                    let named: Vec<String> = held
                        .iter()
                        .map(|h| {
                            format!(
                                "{} ({}, {})",
                                vacancy_id(h.vacancy),
                                worker_id(h.holder),
                                place(h.holder_ahead)
                            )
                        })
                        .collect();
                    let more = match (*more_held > 0, spanish) {
                        (false, _) => String::new(),
                        (true, false) => format!(" and {more_held} more"),
                        (true, true) => format!(" y {more_held} más"),
                    };
                    if spanish {
                        format!(
                            "No colocado: cada puesto que podría ocupar lo tiene un trabajador que va antes que usted, \
                             que no podría moverse sin que alguien antes que usted perdiera un puesto — {}{more}.",
                            named.join(", ")
                        )
                    } else {
                        format!(
                            "Not placed: every job you could take is held by a worker ahead of you, who could not move \
                             without someone ahead of you losing a job — {}{more}.",
                            named.join(", ")
                        )
                    }
                };
                for (v, barrier) in missing_licences {
                    if let Barrier::MissingLicences(missing) = barrier {
                        let names: Vec<&str> = missing.iter().map(|l| pool.names.word(*l)).collect();
                        text.push_str(&if spanish {
                            format!(
                                " {} requiere {}, que usted no tiene.",
                                vacancy_id(*v),
                                names.join(" y ")
                            )
                        } else {
                            format!(
                                " {} needs {}, which you do not hold.",
                                vacancy_id(*v),
                                names.join(" and ")
                            )
                        });
                    }
                }
                if *more_missing > 0 {
                    text.push_str(&if spanish {
                        format!(" Otros {more_missing} requieren licencias que usted no tiene.")
                    } else {
                        format!(" {more_missing} more need licences you do not hold.")
                    });
                }
                text
            }
        }
    }
}

/// What the best arrangement giving `worker` the job `vacancy` (now held by
/// `holder`) would cost, found on the engine's prices (all reduced costs
/// are at least 0, a free job's price is 0, a held one's at most 0). The
/// arrangement differs from the engine's by one alternating chain: the
/// holder moves to another job, whose holder moves on, until a free job
/// is reached or the one `worker` leaves; and if it ends at a free job,
/// the job `worker` leaves may be refilled by a chain of its own.
impl Explainer<'_> {
    fn cost(&self, w: u32, v: u32) -> Option<i128> {
        let kind = self.eligibility.kind(w as usize, v)?;
        Some(self.costs.of(kind, self.positions[w as usize]))
    }

    /// Worker `w`'s reduced cost of holding their own job `v`, which the
    /// prices make zero; subtracting it starts a search at `w`.
    fn own(&self, w: u32, v: u32) -> Option<i128> {
        Some(self.cost(w, v)? - self.placement.prices[v as usize])
    }

    fn kept_by(&self, worker: u32, vacancy: u32, holder: u32, refill: i128) -> KeptBy {
        let prices = &self.placement.prices;
        let left = self.placement.vacancy_of[worker as usize];
        let (Some(to_new), Some(from_old)) = (self.cost(worker, vacancy), left.and_then(|old| self.cost(worker, old)))
        else {
            return KeptBy::SomeoneUnplaced;
        };
        let Some(chain) = self.cheapest_chain(holder, vacancy, left, refill) else {
            return KeptBy::SomeoneUnplaced;
        };
        let change = to_new - from_old + chain - prices[vacancy as usize];
        match self.costs.split(change) {
            (n, _, _) if n > 0 => KeptBy::FewerComparable,
            (0, r, _) if r > 0 => KeptBy::MoreRetraining,
            (0, 0, t) if t > 0 => KeptBy::WorseForThoseAhead,
            _ => KeptBy::EquallyGood,
        }
    }

    /// Dijkstra over reduced costs from `holder`, who loses `taken`; the
    /// job `freed` counts as free. Returns the least of distance + price
    /// over the jobs reached that end a chain — a free one, plus what
    /// refilling `freed` saves (`refill`, at most 0), or `freed` itself —
    /// which is the chain's cost less the price of `taken`; none if no
    /// chain ends.
    fn cheapest_chain(&self, holder: u32, taken: u32, freed: Option<u32>, refill: i128) -> Option<i128> {
        let placement = self.placement;
        let prices = &placement.prices;
        let mut distance: FxHashMap<u32, i128> = FxHashMap::default();
        let mut settled = FxHashSet::default();
        let mut heap = BinaryHeap::new();
        let mut best: Option<i128> = None;
        // The freed job's price is at most 0: until it is settled, a later
        // pop may still end cheaper there than its distance says.
        let freed_price = freed.map_or(0, |f| prices[f as usize].min(0));
        let relax =
            |w: u32, base: i128, distance: &mut FxHashMap<u32, i128>, heap: &mut BinaryHeap<Reverse<(i128, u32)>>| {
                for (v, kind) in self.eligibility.of_worker(w as usize) {
                    if v == taken {
                        continue;
                    }
                    let through = base + self.costs.of(kind, self.positions[w as usize]) - prices[v as usize];
                    if distance.get(&v).is_none_or(|d| through < *d) {
                        distance.insert(v, through);
                        heap.push(Reverse((through, v)));
                    }
                }
            };
        relax(holder, -self.own(holder, taken)?, &mut distance, &mut heap);
        while let Some(Reverse((d, v))) = heap.pop() {
            let freed_open = freed.is_some_and(|f| !settled.contains(&f));
            let bound = d + if freed_open { freed_price.min(refill) } else { refill };
            if best.is_some_and(|b| bound >= b) {
                break;
            }
            if distance.get(&v).is_some_and(|shortest| d > *shortest) || !settled.insert(v) {
                continue;
            }
            let end = match placement.holder_of[v as usize] {
                Some(next) if Some(v) != freed => {
                    relax(next, d - self.own(next, v)?, &mut distance, &mut heap);
                    continue;
                }
                Some(_) => d + prices[v as usize],
                None => d + prices[v as usize] + refill,
            };
            best = Some(best.map_or(end, |b| b.min(end)));
        }
        best
    }

    /// What refilling the job `worker` leaves (`left`) would save, at most
    /// 0: someone moves into it, someone else into theirs, and so on until
    /// a job is left empty. A Dijkstra backwards over the applicants; only
    /// a job priced below 0 is worth refilling, and by no more than that.
    fn refill(&self, worker: u32, left: u32) -> i128 {
        let prices = &self.placement.prices;
        let worth = -prices[left as usize];
        // Relative to leaving `left` empty (`worth`): a chain ending with
        // job u emptied costs its reduced costs, less u's price.
        let mut best = worth;
        let mut distance: FxHashMap<u32, i128> = FxHashMap::from_iter([(left, 0)]);
        let mut heap = BinaryHeap::from([Reverse((0_i128, left))]);
        while let Some(Reverse((d, into))) = heap.pop() {
            if d >= best {
                break;
            }
            if distance.get(&into).is_some_and(|shortest| d > *shortest) {
                continue;
            }
            for (mover, kind) in self.applicants.of_vacancy(into) {
                let Some(from) = self.placement.vacancy_of[mover as usize] else {
                    continue; // an unplaced worker moving in would change who is placed
                };
                if mover == worker || from == into {
                    continue;
                }
                let Some(own) = self.own(mover, from) else { continue };
                let through = d + self.costs.of(kind, self.positions[mover as usize]) - prices[into as usize] - own;
                best = best.min(through - prices[from as usize]);
                if distance.get(&from).is_none_or(|shortest| through < *shortest) {
                    distance.insert(from, through);
                    heap.push(Reverse((through, from)));
                }
            }
        }
        best - worth
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eis::placement::place;
    use crate::eis::priority;
    use crate::eis::testing::{best_by_brute_force, pool, pool_with_licence, small_pool};
    use proptest::prelude::*;

    #[test]
    fn a_junior_worker_keeps_a_job_when_moving_them_would_leave_them_unplaced() {
        let pool = pool(
            &[("LVN", 1990, "day"), ("RN", 2000, "day")],
            &[("LVN", "day", &["RN"]), ("CNA", "day", &["LVN"])],
        );
        let eligibility = Eligibility::of(&pool);
        let order = priority::by_seniority(&pool);
        let positions = priority::positions(&order);
        let placement = place(&eligibility, &order, pool.vacancies.len());
        let Explanation::Placed { kind, better, .. } =
            Explainer::new(&pool, &eligibility, &placement, &positions).explain(0)
        else {
            panic!("W0 is placed");
        };
        assert_eq!(kind, Kind::Retraining);
        assert_eq!(
            better,
            [BetterJob {
                vacancy: 0,
                kind: Kind::Comparable,
                holder: 1,
                holder_ahead: false,
                kept_by: KeptBy::SomeoneUnplaced,
            }]
        );
    }

    #[test]
    fn a_better_job_counts_someone_refilling_the_job_left() {
        // Three CNAs alike but for licences; one comparable job (V0), one
        // qualified needing ACLS (V3), two RN jobs by retraining. Giving W0
        // V0 sends its holder to retrain and W2 into V3: as good as before.
        let pool = pool_with_licence(
            &[
                ("CNA", 1980, "night", true),
                ("CNA", 1980, "night", false),
                ("CNA", 1980, "night", true),
            ],
            &[
                ("CNA", "night", &[], false),
                ("RN", "day", &["CNA"], true),
                ("RN", "day", &["CNA"], false),
                ("CNA", "day", &[], true),
            ],
        );
        let eligibility = Eligibility::of(&pool);
        let order = priority::by_seniority(&pool);
        let positions = priority::positions(&order);
        let placement = place(&eligibility, &order, pool.vacancies.len());
        let Explanation::Placed { kind, better, .. } =
            Explainer::new(&pool, &eligibility, &placement, &positions).explain(0)
        else {
            panic!("W0 is placed");
        };
        assert_eq!(kind, Kind::Qualified);
        assert_eq!(
            better,
            [BetterJob {
                vacancy: 0,
                kind: Kind::Comparable,
                holder: 1,
                holder_ahead: false,
                kept_by: KeptBy::EquallyGood,
            }]
        );
    }

    #[test]
    fn an_unplaced_worker_hears_who_holds_each_job_they_could_take() {
        let pool = pool(&[("RN", 2000, "day"), ("RN", 1990, "day")], &[("RN", "night", &[])]);
        let eligibility = Eligibility::of(&pool);
        let order = priority::by_seniority(&pool);
        let positions = priority::positions(&order);
        let placement = place(&eligibility, &order, pool.vacancies.len());
        let Explanation::Unplaced { held, more_held, .. } =
            Explainer::new(&pool, &eligibility, &placement, &positions).explain(0)
        else {
            panic!("W0 is not placed");
        };
        assert_eq!(more_held, 0);
        assert_eq!(
            held,
            [HeldJob {
                vacancy: 0,
                kind: Kind::Qualified,
                holder: 1,
                holder_ahead: true
            }]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Each better job's reason is the first criterion that the best
        /// arrangement giving the worker that job does worse on.
        #[test]
        fn every_reason_agrees_with_brute_force(pool in small_pool()) {
            let eligibility = Eligibility::of(&pool);
            let order = priority::by_seniority(&pool);
            let positions = priority::positions(&order);
            let placement = place(&eligibility, &order, pool.vacancies.len());
            let vacancies = pool.vacancies.len();
            let optimum = best_by_brute_force(&eligibility, &positions, vacancies, None).unwrap();
            let explainer = Explainer::new(&pool, &eligibility, &placement, &positions);
            for w in 0..pool.workers.len() {
                match explainer.explain(w as u32) {
                    Explanation::Placed { better, .. } => {
                        for job in better {
                            let forced = best_by_brute_force(&eligibility, &positions, vacancies, Some((w, job.vacancy))).unwrap();
                            let expected = if (forced.placed, &forced.placed_positions) != (optimum.placed, &optimum.placed_positions) {
                                KeptBy::SomeoneUnplaced
                            } else if forced.comparable < optimum.comparable {
                                KeptBy::FewerComparable
                            } else if forced.retraining > optimum.retraining {
                                KeptBy::MoreRetraining
                            } else if forced.priority_weighted_steps > optimum.priority_weighted_steps {
                                KeptBy::WorseForThoseAhead
                            } else {
                                KeptBy::EquallyGood
                            };
                            prop_assert_eq!(job.kept_by, expected, "worker {} job {}", w, job.vacancy);
                        }
                    }
                    Explanation::Unplaced { held, .. } => {
                        // The greedy basis: everyone holding a job this worker could take comes first.
                        prop_assert!(held.iter().all(|h| h.holder_ahead));
                        prop_assert_eq!(held.len(), eligibility.of_worker(w).count().min(NAMED));
                    }
                }
            }
        }
    }
}
