//! The units file and the readings file, checked with no database. A
//! readings file is read in blocks cut at line ends; blocks are checked on
//! every core at once and joined in file order, so the first bad row in
//! the file is the one reported and memory stays a few blocks whatever the
//! file's size.

use crate::import::{csv_records, import_error, placed};
use crate::Result;
use lmp_core::refuse;
use lmp_core::staffing::check::{Checker, Piece, ScheduledPlan, Totals, UnitDef};
use lmp_core::staffing::hourly::{ReadingColumns, UNIT_COLUMNS};
use lmp_core::staffing::layered::Layered;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

/// How many bytes of readings go to one core at a time.
const BLOCK: usize = 8 << 20;

/// Read the units file; a unit listed twice is an error at the second row.
pub fn read_units(file: &str, reader: impl Read) -> Result<Vec<UnitDef>> {
    let (columns, records) = csv_records(file, reader, &UNIT_COLUMNS)?;
    let mut units: Vec<UnitDef> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for record in records {
        let (line, record) = record?;
        let fields: Vec<&str> = record.iter().collect();
        let unit = UnitDef::parse(&columns, &fields).map_err(|e| placed(file, line, e))?;
        if !seen.insert(unit.code.clone()) {
            return Err(import_error(
                file,
                line,
                columns.column("unit"),
                super::unit_listed_twice(&unit.code),
            ));
        }
        units.push(unit);
    }
    Ok(units)
}

/// The acuity classes any unit type of these rules names.
fn acuity_classes(rules: &[&Layered]) -> Vec<String> {
    let mut classes: Vec<String> = rules
        .iter()
        .flat_map(|layered| layered.sets().iter())
        .flat_map(|s| s.versions.iter())
        .flat_map(|v| v.units.iter())
        .flat_map(|u| u.acuity.iter().map(|c| c.class.clone()))
        .collect();
    classes.sort();
    classes.dedup();
    classes
}

/// What readings are held to besides the ratio, and what else is kept.
#[derive(Debug, Default)]
pub struct Holding {
    /// Approved plans by the unit's place in the units list, in version order.
    pub plans: Vec<(usize, Vec<ScheduledPlan>)>,
    /// Keep each unit-day's census hour by hour.
    pub keep_census: bool,
}

/// Check a readings file against the units' rules (`rules[i]` governs
/// `units[i]`) and plans. `progress` hears the bytes read so far. The
/// checker comes back with the totals: it names a flagged hour's plan gaps.
pub fn check_readings(
    rules: &[&Layered],
    units_file: &str,
    units: &[UnitDef],
    file: &str,
    reader: impl Read,
    holding: Holding,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Checker, Totals)> {
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let mut header = String::new();
    reader
        .read_line(&mut header)
        .map_err(|e| import_error(file, 1, 1, refuse!("cannot read: {e}", "no se puede leer: {e}")))?;
    if header.trim().is_empty() {
        return Err(import_error(
            file,
            1,
            1,
            refuse!(
                "the file is empty: it needs a header row",
                "el archivo está vacío: necesita una fila de encabezado"
            ),
        ));
    }
    let classes = acuity_classes(rules);
    let class_names: Vec<&str> = classes.iter().map(String::as_str).collect();
    let columns = ReadingColumns::from_header(&header, &class_names).map_err(|e| placed(file, 1, e))?;
    let mut checker =
        Checker::new(units, rules, columns).map_err(|(i, e)| import_error(units_file, i as u64 + 2, 5, e.into()))?;
    if holding.keep_census {
        checker = checker.keep_census();
    }
    for (unit, plans) in &holding.plans {
        checker.hold_to_plans(*unit, plans);
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let failed = AtomicBool::new(false);
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<u8>, u64)>(threads);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) =
        mpsc::channel::<(usize, std::result::Result<Piece, lmp_core::staffing::check::RowError>)>();
    std::thread::scope(|scope| -> Result<Totals> {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let (work_rx, checker) = (&work_rx, &checker);
            scope.spawn(move || loop {
                let job = work_rx.lock().map(|rx| rx.recv());
                let Ok(Ok((index, bytes, first_line))) = job else { break };
                if done_tx.send((index, checker.check_piece(&bytes, first_line))).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let failed = &failed;
        let joiner = scope.spawn(move || -> Result<Totals> {
            let mut totals = Totals::default();
            let mut waiting = BTreeMap::new();
            let mut next = 0;
            for (index, piece) in done_rx {
                waiting.insert(index, piece);
                while let Some(piece) = waiting.remove(&next) {
                    next += 1;
                    let joined = piece.and_then(|p| totals.add(p));
                    if let Err(e) = joined {
                        failed.store(true, Ordering::Relaxed);
                        return Err(import_error(file, e.line, e.column.max(1), e.reason));
                    }
                }
            }
            Ok(totals.finish())
        });
        let read = read_blocks(&mut reader, file, |index, block, first_line, read| {
            progress(read);
            !failed.load(Ordering::Relaxed) && work_tx.send((index, block, first_line)).is_ok()
        });
        drop(work_tx);
        let totals = joiner.join().map_err(|_| {
            import_error(
                file,
                0,
                1,
                refuse!(
                    "the check stopped unexpectedly",
                    "la comprobación se detuvo inesperadamente"
                ),
            )
        })?;
        read?;
        totals
    })
    .map(|totals| (checker, totals))
}

/// Cut the rest of the file into blocks ending at a line's end; `send`
/// gets each with the number of its first line and returns false to stop.
fn read_blocks(
    reader: &mut impl Read,
    file: &str,
    mut send: impl FnMut(usize, Vec<u8>, u64, u64) -> bool,
) -> Result<()> {
    let mut carry: Vec<u8> = Vec::new();
    let mut line = 2_u64;
    let mut read_so_far = 0_u64;
    let mut index = 0;
    loop {
        let mut block = std::mem::take(&mut carry);
        let start = block.len();
        block.resize(start + BLOCK, 0);
        let mut filled = start;
        while filled < block.len() {
            let n = reader
                .read(&mut block[filled..])
                .map_err(|e| import_error(file, line, 1, refuse!("cannot read: {e}", "no se puede leer: {e}")))?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        read_so_far += (filled - start) as u64;
        let at_end = filled < block.len();
        block.truncate(filled);
        if !at_end {
            // Keep the unfinished last line for the next block.
            match block.iter().rposition(|b| *b == b'\n') {
                Some(end) => carry = block.split_off(end + 1),
                None => {
                    carry = block;
                    continue;
                }
            }
        }
        if block.is_empty() {
            return Ok(());
        }
        let lines = block.iter().filter(|b| **b == b'\n').count() as u64;
        if !send(index, block, line, read_so_far) {
            return Ok(());
        }
        index += 1;
        line += lines;
        if at_end {
            return Ok(());
        }
    }
}
