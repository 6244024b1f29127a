//! Reading a payroll file row by row, in constant memory: each row checked
//! against the partnership's people, locals and facilities and the trust
//! rules; a worker's rows for one pay period (one per hour type) summed into
//! one worker-period with its contributions; the sums per period, local and
//! facility kept for the ledger. Pure: the store feeds it fields and writes
//! what it gives back.

use crate::import::FieldError;
use crate::money::Cents;
use crate::refusal::Refusal;
use crate::refuse;
use crate::trust::contribution::{allocate, fixed_share_of_period, WorkerContribution};
use crate::trust::hours::{parse_iso_date, Hundredths, PayPeriod};
use crate::trust::rules::{EmployerFormula, TrustRule, TrustRules};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Who and what a payroll file may name, by their codes' bytes. Looked up
/// three times a row, millions of rows: a fast non-cryptographic hash (the
/// keys come from the partnership's own records, not from strangers).
#[derive(Debug, Default)]
pub struct Directory {
    workers: FxHashMap<Box<[u8]>, Worker>,
    locals: FxHashMap<Box<[u8]>, i64>,
    local_codes: FxHashMap<i64, String>,
    facilities: FxHashMap<Box<[u8]>, i64>,
}

#[derive(Debug, Clone, Copy)]
struct Worker {
    person_id: i64,
    local_id: i64,
    /// Dense, for the bit sets of who was seen in each period.
    index: u32,
}

impl Directory {
    /// A union member, by employee number, with their local.
    pub fn add_worker(&mut self, employee_no: &str, person_id: i64, local_id: i64) {
        let index = self.workers.len() as u32;
        self.workers.insert(
            employee_no.as_bytes().into(),
            Worker {
                person_id,
                local_id,
                index,
            },
        );
    }

    pub fn add_local(&mut self, code: &str, id: i64) {
        self.locals.insert(code.as_bytes().into(), id);
        self.local_codes.insert(id, code.to_string());
    }

    pub fn add_facility(&mut self, code: &str, id: i64) {
        self.facilities.insert(code.as_bytes().into(), id);
    }

    fn local_code(&self, id: i64) -> &str {
        self.local_codes.get(&id).map_or("?", String::as_str)
    }
}

/// A pay period already taken in from an earlier file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownPeriod {
    pub id: i64,
    pub period: PayPeriod,
}

/// A pay period as this file has it, numbered in order of first appearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePeriod {
    pub period: PayPeriod,
    /// The earlier period this one replaces (only with `--replace`).
    pub replaces: Option<i64>,
    /// The line it first appears on.
    pub line: u64,
}

/// One worker's hours and contributions for one pay period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerPeriod {
    /// Index into the file's periods.
    pub period: usize,
    pub person_id: i64,
    pub local_id: i64,
    pub facility_id: i64,
    pub counted: Hundredths,
    pub other: Hundredths,
    pub contribution: WorkerContribution,
}

/// The sums for one pay period, local and facility.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineTotals {
    pub workers: i64,
    pub counted: Hundredths,
    pub other: Hundredths,
    pub worker: Cents,
    pub employer: Cents,
}

/// Why a row stops the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowError {
    /// Something in the row is wrong.
    Invalid(FieldError),
    /// The row's pay period was taken in before. If the file is the one
    /// taken then, importing it again changes nothing; otherwise it needs
    /// `--replace`. The store tells which once it has read every byte.
    AlreadyImported(FieldError),
}

/// A pay period whose rows have all been read: its sums per local and
/// facility (in that order), with the employer's share set where it is a
/// fixed yearly amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedPeriod {
    /// Index into the file's periods.
    pub period: usize,
    pub lines: Vec<((i64, i64), LineTotals)>,
}

impl ClosedPeriod {
    /// Sums per local: what the ledger posts.
    pub fn by_local(&self) -> BTreeMap<i64, LineTotals> {
        let mut out: BTreeMap<i64, LineTotals> = BTreeMap::new();
        for ((local, _), line) in &self.lines {
            out.entry(*local).or_default().add(line);
        }
        out
    }
}

impl LineTotals {
    pub fn add(&mut self, other: &LineTotals) {
        self.workers += other.workers;
        self.counted += other.counted;
        self.other += other.other;
        self.worker = self.worker + other.worker;
        self.employer = self.employer + other.employer;
    }
}

/// What reading rows gives back, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Emitted {
    WorkerPeriod(WorkerPeriod),
    PeriodClosed(ClosedPeriod),
}

/// The payroll reader's state between rows. Rows come grouped: a pay
/// period's rows together (as payroll exports them, a period at a time) and
/// within it a worker's rows together. So only the open period's sums are
/// held, and memory stays flat however many rows or periods the file has.
pub struct Payroll<'a> {
    directory: &'a Directory,
    rules: &'a TrustRules,
    known: Vec<KnownPeriod>,
    replace: bool,
    periods: Vec<FilePeriod>,
    open: Option<OpenPeriod<'a>>,
    /// The last row's period text, since rows come in runs.
    last_period: Option<(Vec<u8>, Vec<u8>)>,
    group: Option<Group>,
}

/// The period being read.
struct OpenPeriod<'a> {
    index: usize,
    rule: &'a TrustRule,
    /// A bit per worker: seen, so a worker's rows cannot be split across the
    /// period and counted twice.
    seen: Vec<u64>,
    lines: FxHashMap<(i64, i64), LineTotals>,
}

/// The worker-period being summed.
struct Group {
    worker: Worker,
    facility_id: i64,
    counted: Hundredths,
    other: Hundredths,
    types_seen: u64,
    first_line: u64,
}

/// The field order [`Payroll::push`] takes: that of [`HOURS_COLUMNS`](crate::trust::hours::HOURS_COLUMNS).
pub type HoursFields<'f> = [&'f [u8]; 7];

impl<'a> Payroll<'a> {
    pub fn new(directory: &'a Directory, rules: &'a TrustRules, known: Vec<KnownPeriod>, replace: bool) -> Payroll<'a> {
        Payroll {
            directory,
            rules,
            known,
            replace,
            periods: Vec::new(),
            open: None,
            last_period: None,
            group: None,
        }
    }

    /// The file's pay periods so far, in order.
    pub fn periods(&self) -> &[FilePeriod] {
        &self.periods
    }

    /// Take one row (its fields in [`HOURS_COLUMNS`](crate::trust::hours::HOURS_COLUMNS)
    /// order; `columns` gives each one's 1-based place in the file). What
    /// this row finishes — a worker-period, a whole pay period — goes to `emit`.
    pub fn push(
        &mut self,
        line: u64,
        fields: &HoursFields,
        columns: &[usize; 7],
        emit: &mut impl FnMut(Emitted),
    ) -> Result<(), RowError> {
        let invalid = |i: usize, reason: Refusal| RowError::Invalid(FieldError::new(columns[i], reason));
        let [worker_id, local, facility, start, end, hour_type, hours] = *fields;
        // The ids as the file wrote them, read only when a row is refused:
        // this runs once per row of a year's payroll.
        let shown_worker = || String::from_utf8_lossy(worker_id);
        let shown_local = || String::from_utf8_lossy(local);
        let worker = *self.directory.workers.get(worker_id).ok_or_else(|| {
            let worker_shown = shown_worker();
            invalid(
                0,
                refuse!(
                    "unknown worker {worker_shown:?}: not a union member of this partnership",
                    "trabajador {worker_shown:?} desconocido: no es afiliado sindical de esta alianza"
                ),
            )
        })?;
        let local_id = *self.directory.locals.get(local).ok_or_else(|| {
            let local_shown = shown_local();
            invalid(
                1,
                refuse!("unknown local {local_shown:?}", "local {local_shown:?} desconocido"),
            )
        })?;
        if local_id != worker.local_id {
            let belongs = self.directory.local_code(worker.local_id);
            let (worker_shown, local_shown) = (shown_worker(), shown_local());
            return Err(invalid(
                1,
                refuse!(
                    "wrong local: worker {worker_shown} belongs to {belongs}, not {local_shown}",
                    "local equivocado: el trabajador {worker_shown} pertenece a {belongs}, no a {local_shown}"
                ),
            ));
        }
        let facility_id = *self.directory.facilities.get(facility).ok_or_else(|| {
            let facility_shown = String::from_utf8_lossy(facility);
            invalid(
                2,
                refuse!(
                    "unknown facility {facility_shown:?}: not a hospital or medical office",
                    "centro {facility_shown:?} desconocido: no es un hospital ni un consultorio médico"
                ),
            )
        })?;
        self.enter_period(line, start, end, columns, emit)?;
        let Some(open) = self.open.as_mut() else {
            return Ok(());
        };
        let rule = open.rule;
        let type_index = rule
            .hour_type(std::str::from_utf8(hour_type).unwrap_or(""))
            .ok_or_else(|| {
                let (shown, expected) = (String::from_utf8_lossy(hour_type), rule.hour_type_codes());
                invalid(
                    5,
                    refuse!(
                        "unknown hour type {shown:?}: expected {expected}",
                        "tipo de hora {shown:?} desconocido: se espera {expected}"
                    ),
                )
            })?;
        let hours = Hundredths::parse(hours).map_err(|reason| invalid(6, reason))?;
        let period = self.periods[open.index].period;

        if self.group.as_ref().map(|g| g.worker.index) != Some(worker.index) {
            Self::finish_group(&mut self.group, open, emit);
            let (word, bit) = (worker.index as usize / 64, 1_u64 << (worker.index % 64));
            if open.seen[word] & bit != 0 {
                let (start, end) = (period.start, period.end);
                let worker_shown = shown_worker();
                return Err(invalid(
                    0,
                    refuse!(
                        "worker {worker_shown}'s hours for the period {start} to {end} appear earlier in the file, apart from this row: keep a worker's rows for a period together",
                        "las horas del trabajador {worker_shown} para el período {start} a {end} aparecen antes en el archivo, separadas de esta fila: mantenga juntas las filas de un trabajador para un período"
                    ),
                ));
            }
            open.seen[word] |= bit;
            self.group = Some(Group {
                worker,
                facility_id,
                counted: Hundredths(0),
                other: Hundredths(0),
                types_seen: 0,
                first_line: line,
            });
        }
        let Some(group) = self.group.as_mut() else {
            return Ok(());
        };
        if group.facility_id != facility_id {
            let (first_line, worker_shown) = (group.first_line, shown_worker());
            return Err(invalid(
                2,
                refuse!(
                    "worker {worker_shown}'s rows for this period name two facilities (line {first_line} names another): one facility per worker and period",
                    "las filas del trabajador {worker_shown} para este período nombran dos centros (la línea {first_line} nombra otro): un centro por trabajador y período"
                ),
            ));
        }
        let type_bit = 1_u64 << type_index;
        if group.types_seen & type_bit != 0 {
            let (code, worker_shown) = (&rule.hour_types[type_index].code, shown_worker());
            return Err(invalid(
                5,
                refuse!(
                    "a second row of {code} hours for worker {worker_shown} in this period: a duplicated row?",
                    "una segunda fila de horas {code} para el trabajador {worker_shown} en este período: ¿una fila duplicada?"
                ),
            ));
        }
        group.types_seen |= type_bit;
        if rule.hour_types[type_index].counted {
            group.counted += hours;
        } else {
            group.other += hours;
        }
        let total = group.counted + group.other;
        if total > period.most_hours() {
            let (total, days, worker_shown) = (total.to_plain(), period.days(), shown_worker());
            return Err(invalid(
                6,
                refuse!(
                    "impossible hours: {total} in a {days}-day pay period for worker {worker_shown} (at most 24 a day)",
                    "horas imposibles: {total} en un período de pago de {days} días para el trabajador {worker_shown} (como máximo 24 al día)"
                ),
            ));
        }
        Ok(())
    }

    /// Make the row's pay period the open one: the same as the last row's,
    /// or a new one (closing the last), checked against the periods known
    /// before and those earlier in the file.
    fn enter_period(
        &mut self,
        line: u64,
        start: &[u8],
        end: &[u8],
        columns: &[usize; 7],
        emit: &mut impl FnMut(Emitted),
    ) -> Result<(), RowError> {
        if let Some((s, e)) = &self.last_period {
            if s == start && e == end {
                return Ok(());
            }
        }
        let invalid = |i: usize, reason: Refusal| RowError::Invalid(FieldError::new(columns[i], reason));
        let start_date = parse_iso_date(start).map_err(|r| invalid(3, r))?;
        let end_date = parse_iso_date(end).map_err(|r| invalid(4, r))?;
        let period = PayPeriod::new(start_date, end_date).map_err(|r| invalid(4, r))?;
        if let Some(open) = &self.open {
            if self.periods[open.index].period == period {
                self.last_period = Some((start.to_vec(), end.to_vec()));
                return Ok(());
            }
        }
        let (first_day, last_day) = (period.start, period.end);
        if let Some(earlier) = self.periods.iter().find(|p| p.period.overlaps(&period)) {
            let line = earlier.line;
            let (other_start, other_end) = (earlier.period.start, earlier.period.end);
            let reason = if earlier.period == period {
                refuse!(
                    "the pay period {first_day} to {last_day} began on line {line} and other periods came between: keep each period's rows together",
                    "el período de pago {first_day} a {last_day} empezó en la línea {line} y otros períodos vinieron en medio: mantenga juntas las filas de cada período"
                )
            } else {
                refuse!(
                    "the pay period {first_day} to {last_day} overlaps the period {other_start} to {other_end} on line {line}",
                    "el período de pago {first_day} a {last_day} se superpone al período {other_start} a {other_end} de la línea {line}"
                )
            };
            return Err(invalid(3, reason));
        }
        let mut replaces = None;
        if let Some(known) = self.known.iter().find(|k| k.period.overlaps(&period)) {
            if known.period != period {
                let (other_start, other_end) = (known.period.start, known.period.end);
                return Err(invalid(
                    3,
                    refuse!(
                        "the pay period {first_day} to {last_day} overlaps the period {other_start} to {other_end} taken in before",
                        "el período de pago {first_day} a {last_day} se superpone al período {other_start} a {other_end} importado antes"
                    ),
                ));
            }
            if !self.replace {
                return Err(RowError::AlreadyImported(FieldError::new(
                    columns[3],
                    refuse!(
                        "the pay period {first_day} to {last_day} was taken in before: to correct it with this file, import it with --replace",
                        "el período de pago {first_day} a {last_day} ya se importó: para corregirlo con este archivo, impórtelo con --replace"
                    ),
                )));
            }
            replaces = Some(known.id);
        }
        let rule = self.rules.for_period(&period).map_err(|r| invalid(4, r))?;
        self.close_period(emit);
        self.periods.push(FilePeriod { period, replaces, line });
        self.open = Some(OpenPeriod {
            index: self.periods.len() - 1,
            rule,
            seen: vec![0; self.directory.workers.len() / 64 + 1],
            lines: FxHashMap::default(),
        });
        self.last_period = Some((start.to_vec(), end.to_vec()));
        Ok(())
    }

    fn finish_group(group: &mut Option<Group>, open: &mut OpenPeriod, emit: &mut impl FnMut(Emitted)) {
        let Some(group) = group.take() else {
            return;
        };
        let contribution = WorkerContribution::compute(open.rule, group.counted);
        open.lines
            .entry((group.worker.local_id, group.facility_id))
            .or_default()
            .add(&LineTotals {
                workers: 1,
                counted: group.counted,
                other: group.other,
                worker: contribution.worker,
                employer: contribution.employer.unwrap_or_default(),
            });
        emit(Emitted::WorkerPeriod(WorkerPeriod {
            period: open.index,
            person_id: group.worker.person_id,
            local_id: group.worker.local_id,
            facility_id: group.facility_id,
            counted: group.counted,
            other: group.other,
            contribution,
        }));
    }

    /// The open period's last worker, then its sums, with the employer's
    /// share spread over them where it is a fixed yearly amount.
    fn close_period(&mut self, emit: &mut impl FnMut(Emitted)) {
        let Some(mut open) = self.open.take() else {
            return;
        };
        Self::finish_group(&mut self.group, &mut open, emit);
        let mut lines: Vec<((i64, i64), LineTotals)> = open.lines.into_iter().collect();
        lines.sort_unstable_by_key(|(key, _)| *key);
        if let EmployerFormula::FixedAnnual { cents_per_year } = open.rule.employer {
            let share = fixed_share_of_period(cents_per_year, &self.periods[open.index].period);
            let weights: Vec<i64> = lines.iter().map(|(_, l)| l.counted.get()).collect();
            for ((_, line), cents) in lines.iter_mut().zip(allocate(share, &weights)) {
                line.employer = cents;
            }
        }
        emit(Emitted::PeriodClosed(ClosedPeriod {
            period: open.index,
            lines,
        }));
    }

    /// The end of the file: the last worker-period and period are emitted;
    /// the file's periods come back.
    pub fn finish(mut self, emit: &mut impl FnMut(Emitted)) -> Vec<FilePeriod> {
        self.close_period(emit);
        self.periods
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const COLUMNS: [usize; 7] = [1, 2, 3, 4, 5, 6, 7];

    fn directory() -> Directory {
        let mut d = Directory::default();
        d.add_local("L1", 10);
        d.add_local("L2", 20);
        d.add_facility("H1", 100);
        d.add_facility("H2", 200);
        d.add_worker("W1", 1, 10);
        d.add_worker("W2", 2, 10);
        d.add_worker("W3", 3, 20);
        d
    }

    fn row<'r>(
        worker: &'r str,
        local: &'r str,
        facility: &'r str,
        start: &'r str,
        end: &'r str,
        kind: &'r str,
        hours: &'r str,
    ) -> HoursFields<'r> {
        [
            worker.as_bytes(),
            local.as_bytes(),
            facility.as_bytes(),
            start.as_bytes(),
            end.as_bytes(),
            kind.as_bytes(),
            hours.as_bytes(),
        ]
    }

    fn read(payroll: &mut Payroll, rows: &[HoursFields]) -> Result<Vec<Emitted>, (u64, RowError)> {
        let mut out = Vec::new();
        for (i, fields) in rows.iter().enumerate() {
            let line = i as u64 + 2;
            payroll
                .push(line, fields, &COLUMNS, &mut |e| out.push(e))
                .map_err(|e| (line, e))?;
        }
        Ok(out)
    }

    fn worker_periods(emitted: &[Emitted]) -> Vec<WorkerPeriod> {
        emitted
            .iter()
            .filter_map(|e| match e {
                Emitted::WorkerPeriod(wp) => Some(*wp),
                Emitted::PeriodClosed(_) => None,
            })
            .collect()
    }

    fn closed(emitted: &[Emitted]) -> Vec<ClosedPeriod> {
        emitted
            .iter()
            .filter_map(|e| match e {
                Emitted::PeriodClosed(c) => Some(c.clone()),
                Emitted::WorkerPeriod(_) => None,
            })
            .collect()
    }

    fn reason(error: (u64, RowError)) -> (u64, usize, String) {
        match error.1 {
            RowError::Invalid(e) | RowError::AlreadyImported(e) => (error.0, e.column, e.reason.to_string()),
        }
    }

    #[test]
    fn a_workers_rows_for_a_period_become_one_worker_period() {
        let (directory, rules) = (directory(), TrustRules::default());
        let mut payroll = Payroll::new(&directory, &rules, vec![], false);
        let p = ("2026-01-04", "2026-01-17");
        let rows = [
            row("W1", "L1", "H1", p.0, p.1, "regular", "72"),
            row("W1", "L1", "H1", p.0, p.1, "overtime", "8.5"),
            row("W1", "L1", "H1", p.0, p.1, "paid_leave", "8"),
            row("W2", "L1", "H2", p.0, p.1, "regular", "40.25"),
            row("W3", "L2", "H1", p.0, p.1, "regular", "80"),
        ];
        let mut emitted = read(&mut payroll, &rows).expect("valid");
        assert!(closed(&emitted).is_empty(), "the period is still open");
        let periods = payroll.finish(&mut |e| emitted.push(e));
        let rows_out = worker_periods(&emitted);
        assert_eq!(rows_out.len(), 3);
        assert_eq!(rows_out[0].counted, Hundredths(8050));
        assert_eq!(rows_out[0].other, Hundredths(800));
        assert_eq!(
            rows_out[0].contribution.worker,
            Cents(725),
            "80.5 h × 9¢ = 724.5¢, half up"
        );
        assert_eq!(rows_out[1].contribution.worker, Cents(362), "40.25 h × 9¢ = 362.25¢");
        assert_eq!(periods.len(), 1);
        let closed = closed(&emitted);
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].lines.len(), 3);
        let by_local = closed[0].by_local();
        assert_eq!(by_local[&10].worker, Cents(725 + 362));
        assert_eq!(by_local[&10].workers, 2);
        assert_eq!(by_local[&20].employer, Cents(720));
    }

    #[test]
    fn every_bad_row_is_named_by_its_column() {
        let (directory, rules) = (directory(), TrustRules::default());
        let p = ("2026-01-04", "2026-01-17");
        let cases: Vec<(Vec<HoursFields>, usize, &str)> = vec![
            (
                vec![row("W9", "L1", "H1", p.0, p.1, "regular", "1")],
                1,
                "unknown worker",
            ),
            (
                vec![row("W1", "L9", "H1", p.0, p.1, "regular", "1")],
                2,
                "unknown local",
            ),
            (
                vec![row("W1", "L2", "H1", p.0, p.1, "regular", "1")],
                2,
                "wrong local: worker W1 belongs to L1, not L2",
            ),
            (
                vec![row("W1", "L1", "X", p.0, p.1, "regular", "1")],
                3,
                "unknown facility",
            ),
            (
                vec![row("W1", "L1", "H1", "2026-13-01", p.1, "regular", "1")],
                4,
                "calendar",
            ),
            (
                vec![row("W1", "L1", "H1", p.1, p.0, "regular", "1")],
                5,
                "before it starts",
            ),
            (
                vec![row("W1", "L1", "H1", p.0, p.1, "bonus", "1")],
                6,
                "unknown hour type \"bonus\": expected regular",
            ),
            (vec![row("W1", "L1", "H1", p.0, p.1, "regular", "-4")], 7, "negative"),
            (
                vec![row("W1", "L1", "H1", p.0, p.1, "regular", "337")],
                7,
                "impossible hours: 337.00 in a 14-day",
            ),
            (
                vec![
                    row("W1", "L1", "H1", p.0, p.1, "regular", "200"),
                    row("W1", "L1", "H1", p.0, p.1, "overtime", "137"),
                ],
                7,
                "impossible",
            ),
            (
                vec![
                    row("W1", "L1", "H1", p.0, p.1, "regular", "8"),
                    row("W1", "L1", "H1", p.0, p.1, "regular", "8"),
                ],
                6,
                "duplicated row",
            ),
            (
                vec![
                    row("W1", "L1", "H1", p.0, p.1, "regular", "8"),
                    row("W2", "L1", "H1", p.0, p.1, "regular", "8"),
                    row("W1", "L1", "H1", p.0, p.1, "overtime", "8"),
                ],
                1,
                "appear earlier in the file",
            ),
            (
                vec![
                    row("W1", "L1", "H1", p.0, p.1, "regular", "8"),
                    row("W1", "L1", "H2", p.0, p.1, "overtime", "8"),
                ],
                3,
                "two facilities",
            ),
            (
                vec![
                    row("W1", "L1", "H1", p.0, p.1, "regular", "8"),
                    row("W2", "L1", "H1", "2026-01-10", "2026-01-23", "regular", "8"),
                ],
                4,
                "overlaps the period 2026-01-04 to 2026-01-17 on line 2",
            ),
        ];
        for (rows, column, words) in cases {
            let mut payroll = Payroll::new(&directory, &rules, vec![], false);
            let (line, got_column, got) = reason(read(&mut payroll, &rows).expect_err(words));
            assert_eq!(line, rows.len() as u64 + 1, "{words}");
            assert_eq!(got_column, column, "{got}");
            assert!(got.contains(words), "{got:?} should say {words:?}");
        }
    }

    #[test]
    fn a_period_taken_in_before_needs_replace_and_an_overlap_is_refused() {
        let (directory, rules) = (directory(), TrustRules::default());
        let known = vec![KnownPeriod {
            id: 7,
            period: PayPeriod::new(date(2026, 1, 4), date(2026, 1, 17)).expect("period"),
        }];
        let same = [row("W1", "L1", "H1", "2026-01-04", "2026-01-17", "regular", "8")];
        let mut payroll = Payroll::new(&directory, &rules, known.clone(), false);
        assert!(matches!(
            read(&mut payroll, &same),
            Err((2, RowError::AlreadyImported(_)))
        ));
        let mut payroll = Payroll::new(&directory, &rules, known.clone(), true);
        read(&mut payroll, &same).expect("a replacement");
        assert_eq!(payroll.finish(&mut |_| {})[0].replaces, Some(7));
        let shifted = [row("W1", "L1", "H1", "2026-01-11", "2026-01-24", "regular", "8")];
        let mut payroll = Payroll::new(&directory, &rules, known, true);
        let (_, _, why) = reason(read(&mut payroll, &shifted).expect_err("overlap"));
        assert!(why.contains("taken in before"), "{why}");
    }

    #[test]
    fn a_fixed_yearly_amount_is_shared_over_the_periods_lines_by_hours() {
        let directory = directory();
        let mut rules = TrustRules::default();
        rules.rules[0].employer = EmployerFormula::FixedAnnual {
            cents_per_year: Cents(365_000),
        };
        let mut payroll = Payroll::new(&directory, &rules, vec![], false);
        let p = ("2026-01-04", "2026-01-17");
        let rows = [
            row("W1", "L1", "H1", p.0, p.1, "regular", "10"),
            row("W2", "L1", "H1", p.0, p.1, "regular", "10"),
            row("W3", "L2", "H2", p.0, p.1, "regular", "10"),
        ];
        let mut out = read(&mut payroll, &rows).expect("valid");
        payroll.finish(&mut |e| out.push(e));
        assert!(worker_periods(&out).iter().all(|wp| wp.contribution.employer.is_none()));
        let employer: Vec<i64> = closed(&out)[0].lines.iter().map(|(_, l)| l.employer.get()).collect();
        assert_eq!(
            employer,
            vec![9_333, 4_667],
            "14 days of 1,000¢ a day: two thirds and one third, the odd cent to the larger remainder"
        );
    }
}
