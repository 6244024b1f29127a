//! `lmp evidence …`: the outcome measures in force and what each shows.

use crate::commands::partnership_id;
use crate::EvidenceAction;
use anyhow::{anyhow, Context, Result};
use lmp_core::evidence::fit::Fit;
use lmp_core::evidence::report::{
    evidence, group_label, models_file, panel_csv, panel_file, Evidence, Fitted, ModelsExport,
};
use lmp_store::evidence::{EvidenceData, OutcomeMeasure};
use lmp_store::Store;

pub async fn run(store: &Store, action: EvidenceAction) -> Result<()> {
    match action {
        EvidenceAction::Measures { partnership } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let measures = store.outcome_measures(pid).await?;
            if measures.is_empty() {
                println!("No outcome measure is in force: ask for one on the Changes page; one labor and one management approver accept it.");
            }
            for m in measures {
                println!(
                    "{:<20} {:<28} {:<10} {:<22} {:>6} teams {:>9} values  {}",
                    m.code, m.name, m.domain, m.unit, m.teams, m.values, m.definition
                );
            }
        }
        EvidenceAction::Show {
            measure,
            json,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let (measure, data) = measure_data(store, pid, &measure).await?;
            let found = evidence(&data.panel, &data.participation, &data.engagement);
            if json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                print_evidence(&measure, &found);
            }
        }
        EvidenceAction::Export {
            measure,
            out_dir,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let (measure, data) = measure_data(store, pid, &measure).await?;
            let found = evidence(&data.panel, &data.participation, &data.engagement);
            let mut csv = String::new();
            panel_csv(&data.panel, &mut csv);
            let panel_path = out_dir.join(panel_file(&measure.code));
            std::fs::write(&panel_path, csv).with_context(|| format!("writing {}", panel_path.display()))?;
            let panel_name = panel_path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let models = ModelsExport::new(&measure, &panel_name, &found);
            let models_path = out_dir.join(models_file(&measure.code));
            std::fs::write(&models_path, serde_json::to_string_pretty(&models)?)
                .with_context(|| format!("writing {}", models_path.display()))?;
            println!(
                "Wrote {} ({} values of {} teams) and {}.",
                panel_path.display(),
                found.values,
                found.teams,
                models_path.display()
            );
        }
    }
    Ok(())
}

async fn measure_data(store: &Store, pid: i64, code: &str) -> Result<(OutcomeMeasure, EvidenceData)> {
    let measure = store.outcome_measure(pid, code).await?.ok_or_else(|| {
        anyhow!("no outcome measure {code:?} is in force (lmp evidence measures lists those that are)")
    })?;
    let data = store.evidence_data(pid, measure.id).await?;
    Ok((measure, data))
}

fn print_evidence(measure: &OutcomeMeasure, found: &Evidence) {
    println!(
        "{} ({}, {}): {}",
        measure.name, measure.unit, measure.direction, measure.definition
    );
    println!(
        "{} values of {} teams, {} to {}; {} teams moved up a level.",
        found.values,
        found.teams,
        found.first_month.as_deref().unwrap_or("—"),
        found.last_month.as_deref().unwrap_or("—"),
        found.teams_moved_up
    );
    println!("\nMean by level and year (each team once; 95% interval):");
    for g in &found.by_level {
        let interval = match (g.mean.low, g.mean.high) {
            (Some(low), Some(high)) => format!("{low:.3} to {high:.3}"),
            _ => "one team: no interval".to_string(),
        };
        println!(
            "  {} {:<28} {:>9.3}  {}  ({} teams)",
            g.year,
            group_label(&g.group, lmp_core::language::Language::English),
            g.mean.mean,
            interval,
            g.mean.count
        );
    }
    for (title, fitted, show) in [
        (
            "Levels against level 1, with controls",
            &found.levels_with_controls,
            "level ",
        ),
        (
            "Event study: quarters from the move up, against the quarter before",
            &found.event_study,
            "q_",
        ),
        (
            "Difference-in-differences: after the move up",
            &found.difference_in_differences,
            "after",
        ),
    ] {
        println!("\n{title}:");
        match fitted {
            Fitted::Fit(fit) => print_fit(fit, show),
            Fitted::TooFew {
                observations,
                parameters,
                groups,
            } => println!("  too few to fit: {observations} values, {parameters} parameters, {groups} teams"),
        }
    }
}

fn print_fit(fit: &Fit, show: &str) {
    for c in fit.coefficients.iter().filter(|c| c.name.starts_with(show)) {
        println!(
            "  {:<10} {:>9.4}  ({:.4} to {:.4}; p = {:.3})",
            c.name, c.estimate, c.low, c.high, c.p_value
        );
    }
    println!(
        "  {} values, {} teams, {} parameters; errors clustered by team",
        fit.observations, fit.groups, fit.parameters
    );
}
