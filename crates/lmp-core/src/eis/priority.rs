//! Who comes first. By default the agreement's order is seniority: the
//! earlier seniority date first, ties by worker id so the order is total.
//! A partnership may also agree that some groups of displaced workers go
//! ahead of others (say, a closure's before a restructuring's); those
//! precedences must not go round in a circle.

use super::pool::Pool;
use rustc_hash::FxHashMap;

/// Workers' positions in priority order, highest first: `order[0]` is the
/// index of the worker who comes first.
pub fn by_seniority(pool: &Pool) -> Vec<u32> {
    by_group_then_seniority(pool, |_| 0)
}

/// As [`by_seniority`], with each worker's group rank (lower first) before seniority.
pub fn by_group_then_seniority(pool: &Pool, group_rank: impl Fn(usize) -> u32) -> Vec<u32> {
    let mut order: Vec<u32> = (0..pool.workers.len() as u32).collect();
    let key = |w: u32| {
        let worker = &pool.workers[w as usize];
        (group_rank(w as usize), worker.seniority_date)
    };
    order.sort_by(|a, b| {
        key(*a)
            .cmp(&key(*b))
            .then_with(|| pool.workers[*a as usize].id.cmp(&pool.workers[*b as usize].id))
    });
    order
}

/// Turn "group A goes ahead of group B" pairs into ranks (0 first); groups
/// named nowhere rank after all named ones. A circle is refused, named.
pub fn group_ranks(ahead_of: &[(String, String)]) -> Result<FxHashMap<String, u32>, crate::Refusal> {
    let mut groups: Vec<&str> = ahead_of.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]).collect();
    groups.sort_unstable();
    groups.dedup();
    let at = |g: &str| groups.binary_search(&g).unwrap_or_default();
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    let mut waiting = vec![0_usize; groups.len()];
    for (a, b) in ahead_of {
        if a == b {
            return Err(crate::refuse!(
                "the priority rules put {a} ahead of itself",
                "las reglas de prioridad ponen {a} por delante de sí mismo"
            ));
        }
        after[at(a)].push(at(b));
        waiting[at(b)] += 1;
    }
    // Kahn's order, smallest name first among equals so ranks are stable.
    let mut ready: std::collections::BTreeSet<usize> = (0..groups.len()).filter(|g| waiting[*g] == 0).collect();
    let mut ranks = FxHashMap::default();
    let mut level = 0;
    while !ready.is_empty() {
        let this_level: Vec<usize> = std::mem::take(&mut ready).into_iter().collect();
        for g in this_level {
            ranks.insert(groups[g].to_string(), level);
            for &next in &after[g] {
                waiting[next] -= 1;
                if waiting[next] == 0 {
                    ready.insert(next);
                }
            }
        }
        level += 1;
    }
    if ranks.len() < groups.len() {
        let circle: Vec<&str> = find_circle(&after, &waiting).iter().map(|g| groups[*g]).collect();
        let (circle, circulo) = (circle.join(" ahead of "), circle.join(" por delante de "));
        return Err(crate::refuse!(
            "the priority rules go round in a circle ({circle}): no order satisfies them",
            "las reglas de prioridad forman un círculo ({circulo}): ningún orden las cumple"
        ));
    }
    Ok(ranks)
}

/// A circle among the groups Kahn's order could not place: follow any
/// unplaced successor until a group repeats.
fn find_circle(after: &[Vec<usize>], waiting: &[usize]) -> Vec<usize> {
    let Some(start) = (0..after.len()).find(|g| waiting[*g] > 0) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut seen = FxHashMap::default();
    seen.insert(start, 0);
    let mut here = start;
    loop {
        let Some(&next) = after[here].iter().find(|n| waiting[**n] > 0) else {
            return path;
        };
        if let Some(&from) = seen.get(&next) {
            let mut circle = path[from..].to_vec();
            circle.push(next);
            return circle;
        }
        seen.insert(next, path.len());
        path.push(next);
        here = next;
    }
}

/// Each worker's position in `order` (0 first).
pub fn positions(order: &[u32]) -> Vec<u32> {
    let mut positions = vec![0; order.len()];
    for (at, w) in order.iter().enumerate() {
        positions[*w as usize] = at as u32;
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eis::pool::{Fte, WorkerRow};

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn earlier_seniority_first_then_worker_id() {
        let mut pool = Pool::default();
        for (id, year) in [("W3", 2001), ("W1", 2005), ("W2", 2001)] {
            pool.add_worker(WorkerRow {
                worker_id: id.into(),
                job_class: "RN".into(),
                licences: vec![],
                fte: Fte::parse("1").unwrap(),
                shift: "day".into(),
                pay_band: "B".into(),
                region: "r".into(),
                seniority_date: jiff::civil::date(year, 1, 1),
            })
            .unwrap();
        }
        let order = by_seniority(&pool);
        let ids: Vec<_> = order.iter().map(|w| pool.workers[*w as usize].id.as_str()).collect();
        assert_eq!(ids, ["W2", "W3", "W1"]);
        assert_eq!(positions(&order), [1, 2, 0]);
    }

    #[test]
    fn precedences_become_ranks() {
        let ranks = group_ranks(&[pair("closure", "restructuring"), pair("restructuring", "technology")]).unwrap();
        assert_eq!(ranks["closure"], 0);
        assert_eq!(ranks["restructuring"], 1);
        assert_eq!(ranks["technology"], 2);
    }

    #[test]
    fn a_circle_is_refused_and_named() {
        let error = group_ranks(&[
            pair("closure", "restructuring"),
            pair("restructuring", "technology"),
            pair("technology", "closure"),
        ])
        .unwrap_err();
        assert!(error.contains("circle"), "{error}");
        assert!(
            error.contains("closure ahead of restructuring ahead of technology ahead of closure"),
            "{error}"
        );
        assert!(group_ranks(&[pair("a", "a")]).unwrap_err().contains("itself"));
    }
}
