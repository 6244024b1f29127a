//! The partnership's health: the warning signs (lmp_core::health) for each
//! body over a period, the bodies most in trouble, and each sign quarter by
//! quarter. A handful of set queries, then one pass in Rust.

use crate::decisions::participation::{side_levels, WhoseRecord};
use crate::{on_pool, Result, Store};
use jiff::{SignedDuration, Timestamp};
use lmp_core::body::BodyLevel;
use lmp_core::health::{median, quarter, vacancy_days, Signs};
use lmp_core::participation::ParticipationIndex;
use lmp_core::Side;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One body's signs over the period.
#[derive(Debug, Clone, Serialize)]
pub struct BodyHealth {
    pub body_id: i64,
    pub name: String,
    pub level: String,
    pub signs: Signs,
    pub concern: i64,
}

/// The signs of one quarter, over the bodies asked about.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuarterHealth {
    pub quarter: String,
    /// Co-lead vacancy days per body, by side.
    pub labor_vacancy_days_per_body: f64,
    pub management_vacancy_days_per_body: f64,
    pub meetings: i64,
    pub meetings_without_labor: i64,
    pub meetings_without_management: i64,
    pub decisions: i64,
    pub labor_late: i64,
    pub management_late: i64,
    pub blocked: i64,
    pub escalated: i64,
    pub median_days_to_consensus: Option<f64>,
    /// The Partnership Participation Index of decisions adopted that
    /// quarter, by level.
    pub index_by_level: BTreeMap<String, Option<u64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Health {
    pub from: String,
    pub to: String,
    pub level: Option<String>,
    /// The one body asked about, if one was.
    pub body: Option<i64>,
    /// Every body asked about, most concerning first.
    pub bodies: Vec<BodyHealth>,
    /// Summed over those bodies.
    pub overall: Signs,
    pub quarters: Vec<QuarterHealth>,
}

/// A co-lead seat held from, until (`None`: still held).
type Spell = (Timestamp, Option<Timestamp>);

/// Which bodies the signs are read for: every body, one level's, or one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Which {
    pub level: Option<BodyLevel>,
    pub body: Option<i64>,
}

type DecisionRow = (i64, i64, i64, String, Option<String>, Option<String>, String);

impl Store {
    /// The warning signs of every body (or one level's, or one body's) over `[from, to)`,
    /// and `quarters` quarters of history ending with `to`'s.
    pub async fn health(
        &self,
        partnership_id: i64,
        which: Which,
        from: Timestamp,
        to: Timestamp,
        quarters: usize,
    ) -> Result<Health> {
        let level_word = which.level.map(|l| l.as_str().to_string());
        // A body closed before the period has no signs in it; one closed
        // during it counts up to its closing day.
        let listed: Vec<(i64, String, String, Option<String>)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, level, closed_on FROM bodies WHERE partnership_id = $1 AND ($2 = '' OR level = $2) \
             AND ($3 = 0 OR id = $3) ORDER BY id"
        )
        .bind(partnership_id)
        .bind(level_word.as_deref().unwrap_or(""))
        .bind(which.body.unwrap_or(0))
        .fetch_all(pool)
        .await?);
        let closed_at: HashMap<i64, Timestamp> = listed
            .iter()
            .filter_map(|(id, _, _, closed)| Some((*id, start_of_day(closed.as_deref()?)?)))
            .collect();
        let bodies: Vec<(i64, String, String)> = listed
            .into_iter()
            .filter(|(id, ..)| closed_at.get(id).is_none_or(|closed| *closed > from))
            .map(|(id, name, level, _)| (id, name, level))
            .collect();
        let level_of: HashMap<i64, String> = on_pool!(self, |pool| sqlx::query_as::<_, (i64, String)>(
            "SELECT id, level FROM bodies WHERE partnership_id = $1"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?)
        .into_iter()
        .collect();
        let wanted: HashSet<i64> = bodies.iter().map(|b| b.0).collect();
        let spells: Vec<(i64, String, String, Option<String>)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT body_id, side, started_at, ended_at FROM co_lead_spells WHERE partnership_id = $1"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        let meetings: Vec<(i64, String, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT m.body_id, m.held_on, \
             (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.side = 'labor'), \
             (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.side = 'management') \
             FROM meetings m WHERE m.partnership_id = $1 AND m.held_on <= $2"
        )
        .bind(partnership_id)
        .bind(crate::today().to_string())
        .fetch_all(pool)
        .await?);
        let decisions: Vec<DecisionRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, origin_body_id, body_id, created_at, options_closed_at, adopted_at, stage \
             FROM decisions WHERE partnership_id = $1"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        let blocked: HashSet<i64> = on_pool!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT DISTINCT decision_id FROM stances WHERE partnership_id = $1 AND stance = 'block'"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?)
        .into_iter()
        .collect();
        let moves: Vec<(i64, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT from_body_id, at FROM decision_moves WHERE partnership_id = $1 AND reason <> 'recommended by consensus'"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?
        });
        let firsts = self.first_words(partnership_id, WhoseRecord::All).await?;

        let time = |text: &str| text.parse::<Timestamp>().ok();
        let day = start_of_day;
        // Spells per body and side; a body begins when its first co-lead sits.
        let mut spells_of: HashMap<(i64, String), Vec<Spell>> = HashMap::new();
        let mut began: HashMap<i64, Timestamp> = HashMap::new();
        for (body, side, start, end) in &spells {
            let Some(start) = time(start) else { continue };
            spells_of
                .entry((*body, side.clone()))
                .or_default()
                .push((start, end.as_deref().and_then(time)));
            let first = began.entry(*body).or_insert(start);
            *first = (*first).min(start);
        }
        let vacancy = |body: i64, side: Side, from: Timestamp, to: Timestamp| {
            let Some(start) = began.get(&body) else { return 0 };
            let spells = spells_of
                .get(&(body, side.as_str().to_string()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            // A closed body's seats end with it: no vacancy after.
            let to = closed_at.get(&body).map_or(to, |closed| to.min(*closed));
            vacancy_days(spells, from.max(*start), to)
        };

        // The period, body by body.
        let mut signs: HashMap<i64, Signs> = bodies.iter().map(|b| (b.0, Signs::default())).collect();
        let mut consensus_days: HashMap<i64, Vec<f64>> = HashMap::new();
        let in_period = |t: Option<Timestamp>| t.is_some_and(|t| t >= from && t < to);
        for (body, held_on, labor, management) in &meetings {
            if !in_period(day(held_on)) {
                continue;
            }
            if let Some(s) = signs.get_mut(body) {
                s.count_meeting(*labor, *management);
            }
        }
        for (id, origin, current, created, closed, adopted, _) in &decisions {
            if !in_period(time(created)) {
                continue;
            }
            if let Some(s) = signs.get_mut(origin) {
                let (labor, management) = side_levels(&firsts, *id, closed.as_deref(), adopted.as_deref());
                s.count_decision(labor, management, blocked.contains(id));
            }
            if let (Some(adopted), Some(created)) = (adopted.as_deref().and_then(time), time(created)) {
                consensus_days
                    .entry(*current)
                    .or_default()
                    .push(adopted.duration_since(created).as_secs_f64() / 86_400.0);
            }
        }
        for (from_body, at) in &moves {
            if in_period(time(at)) {
                if let Some(s) = signs.get_mut(from_body) {
                    s.escalated += 1;
                }
            }
        }
        let mut overall = Signs::default();
        let mut all_days = Vec::new();
        let mut rows: Vec<BodyHealth> = bodies
            .iter()
            .map(|(id, name, level)| {
                let mut s = signs.remove(id).unwrap_or_default();
                s.labor_vacancy_days = vacancy(*id, Side::Labor, from, to);
                s.management_vacancy_days = vacancy(*id, Side::Management, from, to);
                let mut days = consensus_days.remove(id).unwrap_or_default();
                all_days.extend(days.iter().copied());
                s.median_days_to_consensus = median(&mut days);
                overall.add(&s);
                BodyHealth {
                    body_id: *id,
                    name: name.clone(),
                    level: level.clone(),
                    concern: s.concern(),
                    signs: s,
                }
            })
            .collect();
        overall.median_days_to_consensus = median(&mut all_days);
        rows.sort_by(|a, b| b.concern.cmp(&a.concern).then(a.body_id.cmp(&b.body_id)));

        // Quarter by quarter, over the same bodies.
        let mut labels = Vec::with_capacity(quarters);
        let mut cursor = to.checked_sub(SignedDuration::from_secs(1)).unwrap_or(to);
        while labels.len() < quarters {
            let label = quarter(cursor);
            if labels.last() != Some(&label) {
                labels.push(label);
            }
            cursor = cursor
                .checked_sub(SignedDuration::from_hours(24 * 20))
                .unwrap_or(cursor);
        }
        labels.reverse();
        let bounds: Vec<(Timestamp, Timestamp)> = labels.iter().filter_map(|l| quarter_bounds(l)).collect();
        let mut quarter_signs: Vec<Signs> = vec![Signs::default(); bounds.len()];
        let slot = |t: Option<Timestamp>| t.and_then(|t| bounds.iter().position(|(a, b)| t >= *a && t < *b));
        for (body, held_on, labor, management) in &meetings {
            if let (true, Some(q)) = (wanted.contains(body), slot(day(held_on))) {
                quarter_signs[q].count_meeting(*labor, *management);
            }
        }
        let mut days_by_quarter: Vec<Vec<f64>> = vec![Vec::new(); bounds.len()];
        let mut index_by_quarter: Vec<BTreeMap<String, ParticipationIndex>> = vec![BTreeMap::new(); bounds.len()];
        for (id, origin, current, created, closed, adopted, _) in &decisions {
            let (labor, management) = side_levels(&firsts, *id, closed.as_deref(), adopted.as_deref());
            if let (true, Some(q)) = (wanted.contains(origin), slot(time(created))) {
                quarter_signs[q].count_decision(labor, management, blocked.contains(id));
            }
            let adopted_at = adopted.as_deref().and_then(time);
            if let (true, Some(q)) = (wanted.contains(current), slot(adopted_at)) {
                if let (Some(a), Some(c)) = (adopted_at, time(created)) {
                    days_by_quarter[q].push(a.duration_since(c).as_secs_f64() / 86_400.0);
                }
                if let Some(level) = level_of.get(current) {
                    index_by_quarter[q]
                        .entry(level.clone())
                        .or_default()
                        .add(labor, management);
                }
            }
        }
        for (from_body, at) in &moves {
            if let (true, Some(q)) = (wanted.contains(from_body), slot(time(at))) {
                quarter_signs[q].escalated += 1;
            }
        }
        let body_count = wanted.len().max(1) as f64;
        let tenths = |x: f64| (x * 10.0).round() / 10.0;
        let mut by_quarter = Vec::with_capacity(bounds.len());
        for (q, (start, end)) in bounds.iter().enumerate() {
            let (mut labor, mut management) = (0, 0);
            for body in &wanted {
                labor += vacancy(*body, Side::Labor, *start, *end);
                management += vacancy(*body, Side::Management, *start, *end);
            }
            let s = &quarter_signs[q];
            by_quarter.push(QuarterHealth {
                quarter: labels[q].clone(),
                labor_vacancy_days_per_body: tenths(labor as f64 / body_count),
                management_vacancy_days_per_body: tenths(management as f64 / body_count),
                meetings: s.meetings,
                meetings_without_labor: s.meetings_without_labor,
                meetings_without_management: s.meetings_without_management,
                decisions: s.decisions,
                labor_late: s.labor_late,
                management_late: s.management_late,
                blocked: s.blocked,
                escalated: s.escalated,
                median_days_to_consensus: median(&mut days_by_quarter[q]).map(tenths),
                index_by_level: index_by_quarter[q]
                    .iter()
                    .map(|(l, i)| (l.clone(), i.percent()))
                    .collect(),
            });
        }
        Ok(Health {
            from: crate::decisions::stamp(from),
            to: crate::decisions::stamp(to),
            level: level_word,
            body: which.body,
            bodies: rows,
            overall,
            quarters: by_quarter,
        })
    }
}

/// "2026 Q3" → its first instant and the next quarter's.
fn quarter_bounds(label: &str) -> Option<(Timestamp, Timestamp)> {
    let (year, q) = label.split_once(" Q")?;
    let (year, q): (i16, i8) = (year.parse().ok()?, q.parse().ok()?);
    let start = jiff::civil::date(year, (q - 1) * 3 + 1, 1);
    let end = start.checked_add(jiff::Span::new().months(3)).ok()?;
    let utc = |d: jiff::civil::Date| d.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp());
    Some((utc(start)?, utc(end)?))
}

/// A stored day as the moment it begins (UTC, as the record keeps days).
fn start_of_day(text: &str) -> Option<Timestamp> {
    text.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
}
