//! The EIS files: workers (`W.csv`) and vacancies (`V.csv`) in, placements
//! (`P.csv`) out and back in for checking. They need no database: the
//! standalone solver and the imports read them the same way.

use crate::import::{csv_records, import_error, placed};
use crate::Result;
use lmp_core::eis::fit::{fit, Barrier, Kind};
use lmp_core::eis::placement::Placement;
use lmp_core::eis::pool::{
    parse_vacancy_row, parse_worker_row, Pool, VacancyRow, WorkerRow, PLACEMENT_COLUMNS, VACANCY_COLUMNS,
    WORKER_COLUMNS,
};
use lmp_core::refuse;
use lmp_core::Refusal;
use std::io::{Read, Write};

/// Read the workers file into `pool`; a worker listed twice is an error at
/// the second row.
pub fn read_workers(pool: &mut Pool, file: &str, reader: impl Read) -> Result<usize> {
    let (columns, records) = csv_records(file, reader, &WORKER_COLUMNS)?;
    let mut count = 0;
    for record in records {
        let (line, record) = record?;
        let fields: Vec<&str> = record.iter().collect();
        let row = parse_worker_row(&columns, &fields).map_err(|e| placed(file, line, e))?;
        pool.add_worker(row)
            .map_err(|reason| import_error(file, line, columns.column("worker_id"), reason))?;
        count += 1;
    }
    Ok(count)
}

/// Read the vacancies file into `pool`; a vacancy listed twice is an error
/// at the second row.
pub fn read_vacancies(pool: &mut Pool, file: &str, reader: impl Read) -> Result<usize> {
    let (columns, records) = csv_records(file, reader, &VACANCY_COLUMNS)?;
    let mut count = 0;
    for record in records {
        let (line, record) = record?;
        let fields: Vec<&str> = record.iter().collect();
        let row = parse_vacancy_row(&columns, &fields).map_err(|e| placed(file, line, e))?;
        pool.add_vacancy(row)
            .map_err(|reason| import_error(file, line, columns.column("vacancy_id"), reason))?;
        count += 1;
    }
    Ok(count)
}

/// Write workers as a workers file (`W.csv`).
pub fn write_workers(rows: impl IntoIterator<Item = WorkerRow>, writer: impl Write) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(WORKER_COLUMNS)?;
    for row in rows {
        out.write_record([
            row.worker_id,
            row.job_class,
            row.licences.join(";"),
            row.fte.to_string(),
            row.shift,
            row.pay_band,
            row.region,
            row.seniority_date.to_string(),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// Write vacancies as a vacancies file (`V.csv`).
pub fn write_vacancies(rows: impl IntoIterator<Item = VacancyRow>, writer: impl Write) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(VACANCY_COLUMNS)?;
    for row in rows {
        out.write_record([
            row.vacancy_id,
            row.job_class,
            row.required_licences.join(";"),
            row.fte.to_string(),
            row.shift,
            row.pay_band,
            row.region,
            row.retrain_from.join(";"),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// Write one line per placed worker: `worker_id,vacancy_id,comparable,retraining`.
pub fn write_placements(pool: &Pool, placement: &Placement, writer: impl Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(PLACEMENT_COLUMNS)?;
    for (w, (vacancy, kind)) in placement.vacancy_of.iter().zip(&placement.kind_of).enumerate() {
        if let (Some(v), Some(kind)) = (vacancy, kind) {
            out.write_record([
                pool.workers[w].id.as_str(),
                pool.vacancies[*v as usize].id.as_str(),
                if *kind == Kind::Comparable { "true" } else { "false" },
                if *kind == Kind::Retraining { "true" } else { "false" },
            ])?;
        }
    }
    out.flush()
}

/// Read a placements file back against its pool: every worker and vacancy
/// known, each placed or filled once, every job one the worker may take
/// (and its `comparable`/`retraining` columns true to the fit). Returns each
/// worker's kind of job.
pub fn read_placements(pool: &Pool, file: &str, reader: impl Read) -> Result<Vec<Option<Kind>>> {
    let (columns, records) = csv_records(file, reader, &PLACEMENT_COLUMNS)?;
    let mut kinds = vec![None; pool.workers.len()];
    let mut filled_by: Vec<Option<u64>> = vec![None; pool.vacancies.len()];
    let column = |name| columns.column(name);
    for record in records {
        let (line, record) = record?;
        let fail = |name, reason: Refusal| import_error(file, line, column(name), reason);
        let fields: Vec<&str> = record.iter().map(str::trim).collect();
        if fields.len() != columns.width() {
            let (has, width) = (fields.len(), columns.width());
            return Err(fail(
                "worker_id",
                refuse!(
                    "the row has {has} fields, not {width}",
                    "la fila tiene {has} campos, no {width}"
                ),
            ));
        }
        let value = |name| fields[column(name) - 1];
        let worker_id = value("worker_id");
        let vacancy_id = value("vacancy_id");
        let w = pool.worker_by_id(worker_id).ok_or_else(|| {
            fail(
                "worker_id",
                refuse!(
                    "no worker {worker_id:?} in the pool",
                    "no hay ningún trabajador {worker_id:?} en la bolsa"
                ),
            )
        })?;
        let v = pool.vacancy_by_id(vacancy_id).ok_or_else(|| {
            fail(
                "vacancy_id",
                refuse!(
                    "no vacancy {vacancy_id:?} is open",
                    "no hay ninguna vacante {vacancy_id:?} abierta"
                ),
            )
        })?;
        if kinds[w as usize].is_some() {
            return Err(fail(
                "worker_id",
                refuse!(
                    "worker {worker_id} is placed twice",
                    "el trabajador {worker_id} está colocado dos veces"
                ),
            ));
        }
        if let Some(first) = filled_by[v as usize] {
            return Err(fail(
                "vacancy_id",
                refuse!(
                    "vacancy {vacancy_id} is filled twice (first on line {first})",
                    "la vacante {vacancy_id} está cubierta dos veces (la primera en la línea {first})"
                ),
            ));
        }
        let kind = fit(&pool.workers[w as usize], &pool.vacancies[v as usize]).map_err(|barrier| {
            let why = match barrier {
                Barrier::OtherJobClass => refuse!(
                    "another job class, and not one retraining reaches from theirs",
                    "otra clase de puesto, a la que la recapacitación no llega desde la suya"
                ),
                Barrier::MissingLicences(missing) => {
                    let missing = missing
                        .iter()
                        .map(|l| pool.names.word(*l))
                        .collect::<Vec<_>>()
                        .join(", ");
                    refuse!(
                        "it needs {missing} they do not hold",
                        "necesita {missing}, que no tiene"
                    )
                }
            };
            fail(
                "vacancy_id",
                why.after(
                    &format!("worker {worker_id} is not qualified for vacancy {vacancy_id}"),
                    &format!("el trabajador {worker_id} no reúne los requisitos de la vacante {vacancy_id}"),
                ),
            )
        })?;
        for (name, claimed, actual) in [
            ("comparable", value("comparable"), kind == Kind::Comparable),
            ("retraining", value("retraining"), kind == Kind::Retraining),
        ] {
            let claimed = match claimed {
                "true" => true,
                "false" => false,
                other => {
                    return Err(fail(
                        name,
                        refuse!(
                            "{other:?} is neither true nor false",
                            "{other:?} no es ni true ni false"
                        ),
                    ))
                }
            };
            if claimed != actual {
                let job = kind.word();
                return Err(fail(
                    name,
                    refuse!(
                        "{name} is {claimed} but the job is {job} for this worker",
                        "{name} es {claimed} pero el puesto es {job} para este trabajador"
                    ),
                ));
            }
        }
        kinds[w as usize] = Some(kind);
        filled_by[v as usize] = Some(line);
    }
    Ok(kinds)
}
