//! The placement engine: for the whole pool at once, the placements that are
//! optimal under the agreement's objective, in this order —
//!
//! 1. as many workers placed as can be;
//! 2. among those, the best set of placed workers by priority: a
//!    higher-priority worker is never left out so that a lower-priority one
//!    can be placed;
//! 3. with that set fixed, the most comparable placements, then the fewest
//!    needing retraining;
//! 4. remaining ties favour higher-priority workers getting the better kind
//!    of job: the sum over placed workers of the kind's step (0 comparable,
//!    1 qualified, 2 retraining) times the worker's priority weight (pool
//!    size minus priority position) is smallest.
//!
//! How: workers are taken in priority order and each is added by a shortest
//! augmenting path (Dijkstra over reduced costs, with vacancy prices as
//! potentials). Whether a worker can be added does not depend on costs, so
//! (1) and (2) come out as the greedy basis of the transversal matroid —
//! optimal by the matroid property, not merely greedy — and successive
//! shortest paths keep the assignment of the workers added so far at least
//! cost, which gives (3) and (4). Costs are one integer per job with the
//! criteria in separate digit ranges, so comparing costs compares the
//! criteria in order. A search that finds no free vacancy marks every
//! vacancy it reached as closed for good: those vacancies' holders can only
//! reach each other, so no later path can pass through them.

use super::fit::{Eligibility, Kind};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

const NONE: u32 = u32::MAX;

/// The cost of giving a worker a job of a kind: the criteria of the
/// objective in separate digit ranges (most significant first: not
/// comparable, retraining, the priority-weighted kind step).
#[derive(Debug, Clone, Copy)]
pub struct Costs {
    pool_size: i128,
    not_comparable: i128,
    retraining: i128,
}

impl Costs {
    /// Scales wide enough that no sum of lower criteria along any path
    /// (at most every worker and vacancy once) reaches the next one.
    pub fn for_pool(pool_size: usize) -> Costs {
        let n = pool_size as i128 + 1;
        let retraining = 8 * n * n;
        Costs {
            pool_size: pool_size as i128,
            retraining,
            not_comparable: retraining * 8 * n,
        }
    }

    /// A cost (or a change of cost) split into its criteria: (not
    /// comparable, retraining, priority-weighted steps).
    pub fn split(&self, cost: i128) -> (i128, i128, i128) {
        let nearest = |value: i128, scale: i128| (2 * value + scale).div_euclid(2 * scale);
        let not_comparable = nearest(cost, self.not_comparable);
        let rest = cost - not_comparable * self.not_comparable;
        let retraining = nearest(rest, self.retraining);
        (not_comparable, retraining, rest - retraining * self.retraining)
    }

    /// The weight that makes the kind step count more for a higher-priority worker.
    pub fn priority_weight(&self, position: u32) -> i128 {
        self.pool_size - i128::from(position)
    }

    pub fn of(&self, kind: Kind, position: u32) -> i128 {
        let tie = i128::from(kind.step()) * self.priority_weight(position);
        match kind {
            Kind::Comparable => tie,
            Kind::Qualified => self.not_comparable + tie,
            Kind::Retraining => self.not_comparable + self.retraining + tie,
        }
    }
}

/// The engine's answer: for each worker, the vacancy proposed (if any) and
/// its kind; and the vacancies' prices, which let an explanation ask what
/// another placement would cost.
#[derive(Debug, Clone)]
pub struct Placement {
    pub vacancy_of: Vec<Option<u32>>,
    pub kind_of: Vec<Option<Kind>>,
    pub holder_of: Vec<Option<u32>>,
    pub(crate) prices: Vec<i128>,
}

/// The objective's figures for a placement, compared criterion by criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub placed: usize,
    /// Priority positions of the placed workers, ascending: the best set by
    /// priority is the lexicographically smallest of equal length.
    pub placed_positions: Vec<u32>,
    pub comparable: usize,
    pub qualified: usize,
    pub retraining: usize,
    /// Criterion 4: Σ kind step × priority weight over placed workers.
    pub priority_weighted_steps: i64,
}

impl Score {
    pub fn of(kinds: &[Option<Kind>], positions: &[u32]) -> Score {
        let pool_size = kinds.len() as i64;
        let mut score = Score {
            placed: 0,
            placed_positions: Vec::new(),
            comparable: 0,
            qualified: 0,
            retraining: 0,
            priority_weighted_steps: 0,
        };
        for (w, kind) in kinds.iter().enumerate() {
            let Some(kind) = kind else { continue };
            score.placed += 1;
            score.placed_positions.push(positions[w]);
            match kind {
                Kind::Comparable => score.comparable += 1,
                Kind::Qualified => score.qualified += 1,
                Kind::Retraining => score.retraining += 1,
            }
            score.priority_weighted_steps += kind.step() * (pool_size - i64::from(positions[w]));
        }
        score.placed_positions.sort_unstable();
        score
    }

    /// Is `self` better than `other` under the objective, criterion by criterion?
    pub fn cmp_objective(&self, other: &Score) -> std::cmp::Ordering {
        other
            .placed
            .cmp(&self.placed)
            .then_with(|| self.placed_positions.cmp(&other.placed_positions))
            .then_with(|| other.comparable.cmp(&self.comparable))
            .then_with(|| self.retraining.cmp(&other.retraining))
            .then_with(|| self.priority_weighted_steps.cmp(&other.priority_weighted_steps))
    }
}

/// Place the pool: `order` lists workers highest priority first.
pub fn place(eligibility: &Eligibility, order: &[u32], vacancies: usize) -> Placement {
    let mut engine = Engine::new(eligibility, order, vacancies);
    for &worker in order {
        engine.add(worker);
    }
    engine.finish()
}

/// The state of successive shortest paths. Vacancies are the columns;
/// `price` holds their potentials (never above 0; 0 while free).
struct Engine<'a> {
    eligibility: &'a Eligibility,
    /// Each worker's cost of a job of each kind (index: `Kind as usize`);
    /// an edge's cost is its worker's entry for its kind, so no per-edge
    /// cost is stored.
    cost_by_kind: Vec<[i128; 3]>,
    holder: Vec<u32>,
    /// The edge index of each worker's current job.
    job_edge: Vec<u32>,
    price: Vec<i128>,
    closed: Vec<bool>,
    // One search's scratch, reset by stamping rather than clearing.
    stamp: u32,
    reached: Vec<u32>,
    settled: Vec<u32>,
    distance: Vec<i128>,
    via_worker: Vec<u32>,
    via_edge: Vec<u32>,
    settled_list: Vec<u32>,
    heap: BinaryHeap<Reverse<(i128, u32)>>,
}

impl<'a> Engine<'a> {
    fn new(eligibility: &'a Eligibility, order: &[u32], vacancies: usize) -> Engine<'a> {
        let workers = eligibility.workers();
        let costs = Costs::for_pool(workers);
        let positions = super::priority::positions(order);
        let cost_by_kind = positions
            .iter()
            .map(|p| [Kind::Comparable, Kind::Qualified, Kind::Retraining].map(|kind| costs.of(kind, *p)))
            .collect();
        Engine {
            eligibility,
            cost_by_kind,
            holder: vec![NONE; vacancies],
            job_edge: vec![NONE; workers],
            price: vec![0; vacancies],
            closed: vec![false; vacancies],
            stamp: 0,
            reached: vec![0; vacancies],
            settled: vec![0; vacancies],
            distance: vec![0; vacancies],
            via_worker: vec![NONE; vacancies],
            via_edge: vec![NONE; vacancies],
            settled_list: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Worker `w`'s jobs: (edge index, vacancy, cost).
    fn edges(&self, w: u32) -> impl Iterator<Item = (u32, u32, i128)> + 'a {
        let first = self.eligibility.first_edge(w as usize) as u32;
        let by_kind = self.cost_by_kind[w as usize];
        self.eligibility
            .of_worker(w as usize)
            .enumerate()
            .map(move |(i, (v, kind))| (first + i as u32, v, by_kind[kind as usize]))
    }

    fn cost_of_edge(&self, w: u32, edge: u32) -> i128 {
        self.cost_by_kind[w as usize][self.eligibility.kind_at(edge as usize) as usize]
    }

    /// Offer worker `w`'s jobs from a search position `base` (the distance
    /// at which `w` is reached, less `w`'s own potential).
    fn relax(&mut self, w: u32, base: i128) {
        for (edge, v, cost) in self.edges(w) {
            let vi = v as usize;
            if self.closed[vi] || self.settled[vi] == self.stamp {
                continue;
            }
            let through = base + cost - self.price[vi];
            if self.reached[vi] != self.stamp || through < self.distance[vi] {
                self.reached[vi] = self.stamp;
                self.distance[vi] = through;
                self.via_worker[vi] = w;
                self.via_edge[vi] = edge;
                self.heap.push(Reverse((through, v)));
            }
        }
    }

    /// Add worker `start` by the shortest augmenting path, if there is one.
    fn add(&mut self, start: u32) {
        self.stamp += 1;
        self.heap.clear();
        self.settled_list.clear();
        self.relax(start, 0);
        let mut free = None;
        while let Some(Reverse((d, v))) = self.heap.pop() {
            let vi = v as usize;
            if self.settled[vi] == self.stamp || d > self.distance[vi] {
                continue;
            }
            self.settled[vi] = self.stamp;
            self.settled_list.push(v);
            let holder = self.holder[vi];
            if holder == NONE {
                free = Some((v, d));
                break;
            }
            // The holder's potential makes their current job's reduced cost 0.
            let own = self.cost_of_edge(holder, self.job_edge[holder as usize]) - self.price[vi];
            self.relax(holder, d - own);
        }
        let Some((free, shortest)) = free else {
            for &v in &self.settled_list {
                self.closed[v as usize] = true;
            }
            return;
        };
        for &v in &self.settled_list {
            let vi = v as usize;
            self.price[vi] += self.distance[vi] - shortest;
        }
        let mut v = free;
        loop {
            let vi = v as usize;
            let w = self.via_worker[vi];
            let previous = self.job_edge[w as usize];
            self.holder[vi] = w;
            self.job_edge[w as usize] = self.via_edge[vi];
            if w == start {
                break;
            }
            v = self.eligibility_vacancy(previous);
        }
    }

    fn eligibility_vacancy(&self, edge: u32) -> u32 {
        self.eligibility.vacancy_at(edge as usize)
    }

    /// Searches skip closed vacancies, so edges from elsewhere into them may
    /// have lost their dual feasibility. Nothing can leave a closed region,
    /// so lowering every closed price by one amount mends every such edge
    /// and leaves all others as they were; explanations rely on it.
    fn mend_closed_prices(&mut self) {
        let mut lowest = 0;
        for (w, job) in self.job_edge.iter().enumerate() {
            if *job == NONE {
                continue;
            }
            let own_vacancy = self.eligibility.vacancy_at(*job as usize) as usize;
            if self.closed[own_vacancy] {
                continue;
            }
            let own = self.cost_of_edge(w as u32, *job) - self.price[own_vacancy];
            for (_, v, cost) in self.edges(w as u32) {
                if self.closed[v as usize] {
                    lowest = lowest.min(cost - own - self.price[v as usize]);
                }
            }
        }
        for (price, closed) in self.price.iter_mut().zip(&self.closed) {
            if *closed {
                *price += lowest;
            }
        }
    }

    fn finish(mut self) -> Placement {
        self.mend_closed_prices();
        let workers = self.job_edge.len();
        let mut vacancy_of = vec![None; workers];
        let mut kind_of = vec![None; workers];
        for (w, edge) in self.job_edge.iter().enumerate() {
            if *edge != NONE {
                vacancy_of[w] = Some(self.eligibility.vacancy_at(*edge as usize));
                kind_of[w] = Some(self.eligibility.kind_at(*edge as usize));
            }
        }
        Placement {
            vacancy_of,
            kind_of,
            holder_of: self.holder.iter().map(|h| (*h != NONE).then_some(*h)).collect(),
            prices: self.price,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eis::pool::Pool;
    use crate::eis::priority;
    use crate::eis::testing::{best_by_brute_force, pool, small_pool};
    use proptest::prelude::*;

    fn solve(pool: &Pool) -> (Placement, Score) {
        let eligibility = Eligibility::of(pool);
        let order = priority::by_seniority(pool);
        let placement = place(&eligibility, &order, pool.vacancies.len());
        let score = Score::of(&placement.kind_of, &priority::positions(&order));
        (placement, score)
    }

    #[test]
    fn everyone_placed_when_possible_even_if_the_senior_worker_takes_a_lesser_job() {
        // W0 (senior) could take V0 (comparable) or V1 (retraining); W1
        // only V0. Both are placed, so W0 retrains.
        let pool = pool(
            &[("LVN", 1990, "day"), ("RN", 2000, "day")],
            &[("LVN", "day", &["RN"]), ("CNA", "day", &["LVN"])],
        );
        let (placement, score) = solve(&pool);
        assert_eq!(score.placed, 2);
        assert_eq!(placement.vacancy_of, [Some(1), Some(0)]);
        assert_eq!(placement.kind_of, [Some(Kind::Retraining), Some(Kind::Retraining)]);
    }

    #[test]
    fn the_senior_worker_is_placed_before_a_junior_one_for_the_only_job() {
        let pool = pool(&[("RN", 2000, "day"), ("RN", 1990, "day")], &[("RN", "night", &[])]);
        let (placement, _) = solve(&pool);
        assert_eq!(placement.vacancy_of, [None, Some(0)]);
    }

    #[test]
    fn the_most_comparable_placements_even_against_seniority() {
        // W0 (senior) is night shift: the day job is comparable only for W1.
        // Both can take either; most comparable = W0 night, W1 day.
        let pool = pool(
            &[("RN", 1990, "night"), ("RN", 2000, "day")],
            &[("RN", "day", &[]), ("RN", "night", &[])],
        );
        let (placement, score) = solve(&pool);
        assert_eq!(score.comparable, 2);
        assert_eq!(placement.vacancy_of, [Some(1), Some(0)]);
    }

    #[test]
    fn ties_go_to_the_senior_worker() {
        // One comparable job and one not; both workers alike but for seniority.
        let pool = pool(
            &[("RN", 2000, "day"), ("RN", 1990, "day")],
            &[("RN", "night", &[]), ("RN", "day", &[])],
        );
        let (placement, _) = solve(&pool);
        assert_eq!(placement.kind_of[1], Some(Kind::Comparable));
        assert_eq!(placement.kind_of[0], Some(Kind::Qualified));
    }

    #[test]
    fn nobody_placed_from_an_empty_pool_or_without_vacancies() {
        let (placement, score) = solve(&pool(&[("RN", 2000, "day")], &[]));
        assert_eq!(placement.vacancy_of, [None]);
        assert_eq!(score.placed, 0);
        let (placement, _) = solve(&pool(&[], &[("RN", "day", &[])]));
        assert!(placement.vacancy_of.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn the_engine_reaches_the_brute_force_optimum(pool in small_pool()) {
            let eligibility = Eligibility::of(&pool);
            let order = priority::by_seniority(&pool);
            let positions = priority::positions(&order);
            let placement = place(&eligibility, &order, pool.vacancies.len());
            // A placement: each vacancy once, each worker's job one they may take.
            let mut used = vec![false; pool.vacancies.len()];
            for (w, v) in placement.vacancy_of.iter().enumerate() {
                if let Some(v) = v {
                    prop_assert!(!used[*v as usize]);
                    used[*v as usize] = true;
                    prop_assert_eq!(eligibility.kind(w, *v), placement.kind_of[w]);
                }
            }
            let score = Score::of(&placement.kind_of, &positions);
            prop_assert_eq!(score, best_by_brute_force(&eligibility, &positions, pool.vacancies.len(), None).unwrap());
        }
    }
}
