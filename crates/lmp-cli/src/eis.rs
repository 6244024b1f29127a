//! `lmp eis …` that needs no database: the standalone placement solver, a
//! sample restructuring, and a check of a placements file.

use crate::EisAction;
use anyhow::{Context, Result};
use lmp_core::eis::explain::{Explainer, Explanation};
use lmp_core::eis::fit::Eligibility;
use lmp_core::eis::placement::{place, Score};
use lmp_core::eis::pool::Pool;
use lmp_core::eis::priority;
use lmp_demo::restructuring::Restructuring;
use lmp_store::eis::files::{
    read_placements, read_vacancies, read_workers, write_placements, write_vacancies, write_workers,
};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::time::Instant;

impl EisAction {
    /// Only naming a representative opens the database; the solver works on files.
    pub fn needs_database(&self) -> bool {
        matches!(self, EisAction::Representative { .. })
    }
}

pub fn run(action: EisAction) -> Result<()> {
    match action {
        EisAction::Match {
            workers,
            vacancies,
            out,
            explain: explanations,
        } => solve(&workers, &vacancies, &out, explanations.as_deref()),
        EisAction::Sample {
            workers,
            vacancies,
            seed,
            out_dir,
        } => sample(workers, vacancies, seed, &out_dir),
        EisAction::Check {
            workers,
            vacancies,
            placements,
        } => check(&workers, &vacancies, &placements),
        EisAction::Representative { .. } => unreachable!("needs the database: commands::run handles it"),
    }
}

fn open(path: &Path) -> Result<std::io::BufReader<File>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(std::io::BufReader::new(file))
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::new(file))
}

/// Both files into one pool; the first bad row stops it, named.
fn read_pool(workers: &Path, vacancies: &Path) -> Result<Pool> {
    let mut pool = Pool::default();
    let label = |p: &Path| p.to_string_lossy().into_owned();
    read_workers(&mut pool, &label(workers), open(workers)?)?;
    read_vacancies(&mut pool, &label(vacancies), open(vacancies)?)?;
    Ok(pool)
}

fn summary(score: &Score, workers: usize) -> String {
    format!(
        "{} of {} workers placed ({} comparable, {} qualified but not comparable, {} with retraining); {} not placed",
        score.placed,
        workers,
        score.comparable,
        score.qualified,
        score.retraining,
        workers - score.placed
    )
}

fn solve(workers: &Path, vacancies: &Path, out: &Path, explanations: Option<&Path>) -> Result<()> {
    let started = Instant::now();
    let pool = read_pool(workers, vacancies)?;
    let read = started.elapsed();
    let eligibility = Eligibility::of(&pool);
    let order = priority::by_seniority(&pool);
    let placement = place(&eligibility, &order, pool.vacancies.len());
    let solved = started.elapsed();
    let positions = priority::positions(&order);
    // Written beside the target and renamed, so a placements file is whole or absent.
    let partial = out.with_extension("partial");
    write_placements(&pool, &placement, create(&partial)?).with_context(|| format!("writing {}", out.display()))?;
    std::fs::rename(&partial, out).with_context(|| format!("writing {}", out.display()))?;
    if let Some(path) = explanations {
        let mut file = csv::Writer::from_writer(create(path)?);
        file.write_record(["worker_id", "priority", "vacancy_id", "kind", "explanation"])?;
        let explainer = Explainer::new(&pool, &eligibility, &placement, &positions);
        for &w in &order {
            let explanation = explainer.explain(w);
            let (vacancy, kind) = match &explanation {
                Explanation::Placed { vacancy, kind, .. } => {
                    (pool.vacancies[*vacancy as usize].id.as_str(), kind.word())
                }
                Explanation::Unplaced { .. } => ("", "not placed"),
            };
            let position = (positions[w as usize] + 1).to_string();
            file.write_record([
                pool.workers[w as usize].id.as_str(),
                position.as_str(),
                vacancy,
                kind,
                explanation
                    .words(&pool, w, lmp_core::language::Language::English)
                    .as_str(),
            ])?;
        }
        file.flush()?;
    }
    let score = Score::of(&placement.kind_of, &positions);
    eprintln!(
        "{}. {} vacancies, {} possible placements weighed; read in {:.2} s, placed in {:.2} s, {:.2} s in all.",
        summary(&score, pool.workers.len()),
        pool.vacancies.len(),
        eligibility.edges(),
        read.as_secs_f64(),
        (solved - read).as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn sample(workers: usize, vacancies: usize, seed: u64, out_dir: &Path) -> Result<()> {
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let mut restructuring = Restructuring::new(seed, vacancies);
    let (w_path, v_path) = (out_dir.join("W.csv"), out_dir.join("V.csv"));
    write_workers((0..workers).map(|n| restructuring.worker(n)), create(&w_path)?)
        .with_context(|| format!("writing {}", w_path.display()))?;
    write_vacancies((0..vacancies).map(|n| restructuring.vacancy(n)), create(&v_path)?)
        .with_context(|| format!("writing {}", v_path.display()))?;
    eprintln!(
        "Wrote {workers} displaced workers to {} and {vacancies} vacancies to {}.",
        w_path.display(),
        v_path.display()
    );
    Ok(())
}

/// Check a placements file against the pool and say how it compares with
/// the engine's optimum, criterion by criterion.
fn check(workers: &Path, vacancies: &Path, placements: &Path) -> Result<()> {
    let pool = read_pool(workers, vacancies)?;
    let kinds = read_placements(&pool, &placements.to_string_lossy(), open(placements)?)?;
    let order = priority::by_seniority(&pool);
    let positions = priority::positions(&order);
    let theirs = Score::of(&kinds, &positions);
    let eligibility = Eligibility::of(&pool);
    let best = Score::of(&place(&eligibility, &order, pool.vacancies.len()).kind_of, &positions);
    println!("{}: {}.", placements.display(), summary(&theirs, pool.workers.len()));
    let verdict = match (
        theirs.placed.cmp(&best.placed),
        theirs.placed_positions == best.placed_positions,
    ) {
        (std::cmp::Ordering::Less, _) => format!("{} fewer placed than the optimum", best.placed - theirs.placed),
        (_, false) => "a worker is left out so that one lower in priority is placed".to_string(),
        _ if theirs.comparable < best.comparable => {
            format!(
                "{} fewer comparable placements than the optimum",
                best.comparable - theirs.comparable
            )
        }
        _ if theirs.retraining > best.retraining => {
            format!(
                "{} more retraining placements than the optimum",
                theirs.retraining - best.retraining
            )
        }
        _ if theirs.priority_weighted_steps > best.priority_weighted_steps => {
            "higher-priority workers could have had better kinds of job".to_string()
        }
        _ => String::new(),
    };
    if verdict.is_empty() {
        println!(
            "Optimal: it places the same workers as the engine, with as many comparable jobs ({}), as few needing retraining ({}), and priority favoured as much (weighted steps {}).",
            theirs.comparable, theirs.retraining, theirs.priority_weighted_steps
        );
        Ok(())
    } else {
        anyhow::bail!("not optimal: {verdict}")
    }
}
