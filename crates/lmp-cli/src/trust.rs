//! `lmp trust …`: payroll hours in, the year by local out, the funding
//! rules, a sample pay year, and a check of the books.

use crate::commands::{display_name, file_progress, partnership_id};
use crate::{ReportFormat, TrustAction};
use anyhow::{bail, Context, Result};
use lmp_core::policy::{Action, Permit};
use lmp_core::trust::rules::TrustRules;
use lmp_store::trust::HoursOutcome;
use lmp_store::{Store, StoreError};
use std::io::Write;
use std::time::Instant;

pub async fn run(store: &Store, action: TrustAction) -> Result<()> {
    match action {
        TrustAction::ImportHours {
            file,
            replace,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let handle = std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?;
            let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
            let bar = file_progress(size);
            let label = display_name(&file);
            let started = Instant::now();
            let outcome = store
                .import_hours(
                    &Permit::operator(pid, Action::ManageTrust),
                    &label,
                    bar.wrap_read(handle),
                    replace,
                )
                .await;
            bar.finish_and_clear();
            let seconds = started.elapsed().as_secs_f64();
            match outcome {
                Ok(HoursOutcome::Imported(done)) => println!(
                    "Imported {label}: {} lines, {} worker-periods in {} pay periods ({} replaced); {} hours counted, \
                     ${} from workers, ${} from the employer ({seconds:.1} s, {:.0} lines/s).",
                    done.lines,
                    done.worker_periods,
                    done.periods,
                    done.replaced,
                    done.counted.to_plain(),
                    done.worker.to_plain(),
                    done.employer.to_plain(),
                    done.lines as f64 / seconds.max(1e-9)
                ),
                Ok(HoursOutcome::Unchanged {
                    import_id,
                    file_name,
                    imported_at,
                }) => println!(
                    "{label} was taken in before (import {import_id}, {file_name}, {imported_at}): nothing changed."
                ),
                Err(e @ StoreError::Import { .. }) => {
                    bail!("{e}\nNothing was imported: fix that line and run the import again.")
                }
                Err(e) => return Err(e.into()),
            }
        }
        TrustAction::Report {
            year,
            format,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let rows = store.trust_year_by_local(pid, year).await?;
            let mut out = std::io::stdout().lock();
            match format {
                ReportFormat::Csv => {
                    writeln!(out, "local,hours,worker_cents,employer_cents")?;
                    for row in &rows {
                        writeln!(
                            out,
                            "{},{},{},{}",
                            row.key,
                            row.hours.to_plain(),
                            row.worker.get(),
                            row.employer.get()
                        )?;
                    }
                }
                ReportFormat::Table => {
                    writeln!(
                        out,
                        "{:<14} {:>16} {:>16} {:>16}",
                        "local", "hours", "from workers", "from employer"
                    )?;
                    for row in &rows {
                        writeln!(
                            out,
                            "{:<14} {:>16} {:>16} {:>16}",
                            row.key,
                            row.hours.to_plain(),
                            row.worker.to_plain(),
                            row.employer.to_plain()
                        )?;
                    }
                    if rows.is_empty() {
                        writeln!(out, "No pay periods ending in {year} have been taken in.")?;
                    }
                }
            }
        }
        TrustAction::Rules { partnership, set } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            if let Some(file) = set {
                let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
                let rules = TrustRules::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                store
                    .set_trust_rules(&Permit::operator(pid, Action::ConfigureRules), &rules)
                    .await?;
                eprintln!("New funding rules agreed; they govern pay periods taken in from now on.");
            }
            println!("{}", serde_json::to_string_pretty(&store.trust_rules(pid).await?)?);
        }
        TrustAction::SampleHours {
            year,
            output,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let mut payroll = lmp_demo::payroll::demo_payroll(store, pid, year, None).await?;
            let file = std::fs::File::create(&output).with_context(|| format!("creating {}", output.display()))?;
            let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
            let bytes = std::io::copy(&mut payroll, &mut writer)?;
            writer.flush()?;
            eprintln!("Wrote {} ({:.1} MB).", output.display(), bytes as f64 / 1e6);
        }
        TrustAction::Trustee {
            employee_no,
            side,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let side: lmp_core::Side = side
                .parse()
                .map_err(|e| anyhow::anyhow!("{e:?}: labor or management"))?;
            let added = store
                .add_trustee(&Permit::operator(pid, Action::ManageTrust), &employee_no, side)
                .await?;
            eprintln!("{} is now a {} trustee.", added.name, added.side);
            for t in store.trustees(pid).await? {
                println!("{}\t{}", t.side, t.name);
            }
        }
        TrustAction::Check { partnership } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let problems = store.trust_ledger_problems(pid).await?;
            if !problems.is_empty() {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                bail!("the trust's books disagree in {} places", problems.len());
            }
            println!("The trust's books balance: every entry sums to zero and agrees with the payroll behind it.");
        }
    }
    Ok(())
}
