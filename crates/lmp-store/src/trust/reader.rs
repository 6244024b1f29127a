//! The payroll file read on a thread of its own, so parsing one batch
//! overlaps writing the last: bytes hashed as they pass (the file's SHA-256
//! is its identity), rows checked and summed by `lmp_core::trust::payroll`,
//! worker-periods sent to the writer in batches. Memory stays flat whatever
//! the file's length.

use crate::import::import_error;
use crate::StoreError;
use lmp_core::import::Columns;
use lmp_core::refuse;
use lmp_core::trust::hours::HOURS_COLUMNS;
use lmp_core::trust::payroll::{
    ClosedPeriod, Directory, Emitted, FilePeriod, KnownPeriod, Payroll, RowError, WorkerPeriod,
};
use lmp_core::trust::rules::TrustRules;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Worker-periods a message: big enough to keep the writer's statements
/// full, small enough that a few in flight cost little memory.
const BATCH: usize = 16_384;

/// What the reader tells the writer, in file order.
pub(crate) enum Read_ {
    /// A pay period first seen on this line.
    Period(FilePeriod),
    Rows(Vec<WorkerPeriod>),
    /// Every row of a pay period read: its sums per local and facility.
    Closed(ClosedPeriod),
    /// Every byte read and every row good.
    Done(Finished),
    /// A bad row, or the file could not be read.
    Failed(StoreError),
    /// A period taken in before, without `--replace`: an error, unless the
    /// whole file is one taken in before (then nothing changes).
    AlreadyImported {
        error: StoreError,
        sha256: String,
    },
}

pub(crate) struct Finished {
    pub periods: Vec<FilePeriod>,
    pub sha256: String,
    pub lines: u64,
    pub worker_periods: u64,
}

/// What the reader needs, moved onto its thread.
pub(crate) struct ReadJob<R> {
    pub file: String,
    pub reader: R,
    pub directory: Arc<Directory>,
    pub rules: Arc<TrustRules>,
    pub known: Vec<KnownPeriod>,
    pub replace: bool,
}

/// Start reading; messages arrive on the returned channel.
pub(crate) fn spawn<R: Read + Send + 'static>(job: ReadJob<R>) -> mpsc::Receiver<Read_> {
    let (sender, receiver) = mpsc::channel(4);
    std::thread::spawn(move || {
        let last = read(job, &sender);
        let _ = sender.blocking_send(last);
    });
    receiver
}

/// Hashes every byte the reader takes: the SHA-256 names the file.
pub(crate) struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R: Read> Hashing<R> {
    pub(crate) fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Read what is left (unparsed) and name the whole file.
    pub(crate) fn finish(mut self) -> std::io::Result<String> {
        std::io::copy(&mut self.inner, &mut HashSink(&mut self.hasher))?;
        Ok(hex::encode(self.hasher.finalize()))
    }
}

struct HashSink<'h>(&'h mut Sha256);

impl std::io::Write for HashSink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn read<R: Read>(job: ReadJob<R>, sender: &mpsc::Sender<Read_>) -> Read_ {
    let file = job.file.as_str();
    let hashing = Hashing::new(job.reader);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 18)
        .from_reader(hashing);
    let mut record = csv::ByteRecord::new();
    let io_error = |e: std::io::Error| {
        Read_::Failed(import_error(
            file,
            0,
            1,
            refuse!("cannot read: {e}", "no se puede leer: {e}"),
        ))
    };
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line());
        Read_::Failed(import_error(
            file,
            line,
            1,
            lmp_core::Refusal::as_written(e.to_string()),
        ))
    };
    match csv.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            return Read_::Failed(import_error(file, 1, 1, {
                let columns = HOURS_COLUMNS.join(",");
                refuse!(
                    "the file is empty: the first line must name the columns {columns}",
                    "el archivo está vacío: la primera línea debe nombrar las columnas {columns}"
                )
            }))
        }
        Err(e) => return csv_error(e),
    }
    let header: Vec<String> = record
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').to_string())
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let columns = match Columns::from_header(&HOURS_COLUMNS, &header) {
        Ok(columns) => columns,
        Err(e) => return Read_::Failed(import_error(file, 1, e.column, e.reason)),
    };
    let places: [usize; 7] = std::array::from_fn(|i| columns.column(HOURS_COLUMNS[i]));
    let width = columns.width();
    let mut payroll = Payroll::new(&job.directory, &job.rules, job.known, job.replace);
    let mut outbox = Outbox::default();
    let (mut lines, mut periods_sent) = (0_u64, 0_usize);
    let stopped = || {
        Read_::Failed(StoreError::Rule(refuse!(
            "the import was stopped",
            "la importación se detuvo"
        )))
    };
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return csv_error(e),
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != width {
            let reason = if record.len() < width {
                let count = record.len();
                refuse!(
                    "{count} of the {width} columns: the row is cut short (a truncated file?)",
                    "{count} de las {width} columnas: la fila está cortada (¿un archivo truncado?)"
                )
            } else {
                let count = record.len();
                refuse!(
                    "{count} fields where the header has {width}",
                    "{count} campos donde el encabezado tiene {width}"
                )
            };
            return Read_::Failed(import_error(file, line, record.len().min(width) + 1, reason));
        }
        let fields: [&[u8]; 7] = std::array::from_fn(|i| record.get(places[i] - 1).unwrap_or(b"").trim_ascii());
        lines += 1;
        let pushed = payroll.push(line, &fields, &places, &mut |emitted| outbox.take(emitted));
        match pushed {
            Ok(()) => {}
            Err(RowError::Invalid(e)) => return Read_::Failed(import_error(file, line, e.column, e.reason)),
            Err(RowError::AlreadyImported(e)) => {
                let error = import_error(file, line, e.column, e.reason);
                return match csv.into_inner().finish() {
                    Ok(sha256) => Read_::AlreadyImported { error, sha256 },
                    Err(e) => io_error(e),
                };
            }
        }
        // A new period goes to the writer before any of its rows can.
        let periods = payroll.periods();
        let opened = (periods.len() > periods_sent).then(|| periods[periods_sent]);
        if !outbox.send(sender, opened.is_some()) {
            return stopped();
        }
        if let Some(period) = opened {
            periods_sent += 1;
            if sender.blocking_send(Read_::Period(period)).is_err() {
                return stopped();
            }
        }
    }
    let periods = payroll.finish(&mut |emitted| outbox.take(emitted));
    if !outbox.send(sender, true) {
        return stopped();
    }
    match csv.into_inner().finish() {
        Ok(sha256) => Read_::Done(Finished {
            periods,
            sha256,
            lines,
            worker_periods: outbox.worker_periods,
        }),
        Err(e) => io_error(e),
    }
}

/// What the reader has made and not yet sent: worker-periods, and a pay
/// period closed by the last row.
#[derive(Default)]
struct Outbox {
    batch: Vec<WorkerPeriod>,
    closed: Option<ClosedPeriod>,
    worker_periods: u64,
}

impl Outbox {
    fn take(&mut self, emitted: Emitted) {
        match emitted {
            Emitted::WorkerPeriod(wp) => {
                self.worker_periods += 1;
                self.batch.push(wp);
            }
            Emitted::PeriodClosed(c) => self.closed = Some(c),
        }
    }

    /// Send the batch once full (or whatever it holds, when `all`), then a
    /// closed period's sums. False when the writer has stopped listening:
    /// its own error ends the import.
    fn send(&mut self, sender: &mpsc::Sender<Read_>, all: bool) -> bool {
        let due = self.batch.len() >= BATCH || (all && !self.batch.is_empty());
        if due {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            if sender.blocking_send(Read_::Rows(full)).is_err() {
                return false;
            }
        }
        match self.closed.take() {
            Some(c) => sender.blocking_send(Read_::Closed(c)).is_ok(),
            None => true,
        }
    }
}
