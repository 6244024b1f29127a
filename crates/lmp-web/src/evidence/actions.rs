//! Evidence, written once for the pages and the API: the measures in
//! force, one measure's evidence (kept a while per measure and dropped the
//! moment outcomes come in here), its exact data and models for export,
//! and an outcomes file spooled to disk and taken in by the same import as
//! the command line.

use crate::http::upload::{file_name, Spooled};
use crate::http::{AppError, AppResult};
use crate::state::AppState;
use axum::body::Bytes;
use futures::Stream;
use lmp_core::evidence::measure::last_ended_month;
use lmp_core::evidence::report::{evidence, models_file, panel_csv, panel_file, Evidence, ModelsExport};
use lmp_core::policy::{authorize, Action, Actor};
use lmp_store::evidence::{OutcomeMeasure, OutcomesReport};
use std::sync::Arc;

/// The measures in force, by name.
pub async fn measures(state: &AppState, actor: &Actor) -> AppResult<Vec<OutcomeMeasure>> {
    authorize(actor, Action::ReadEvidence, actor.partnership_id)?;
    Ok(state.store.outcome_measures(actor.partnership_id).await?)
}

/// One measure in force, by code.
pub async fn measure(state: &AppState, actor: &Actor, code: &str) -> AppResult<OutcomeMeasure> {
    authorize(actor, Action::ReadEvidence, actor.partnership_id)?;
    state
        .store
        .outcome_measure(actor.partnership_id, code)
        .await?
        .ok_or(AppError::NotFound("outcome measure"))
}

/// What one measure shows: its means by level, participation and
/// engagement, and the three models. Fitting reads every value of the
/// measure, so the answer is kept per measure.
pub async fn measure_evidence(
    state: &AppState,
    actor: &Actor,
    code: &str,
) -> AppResult<(OutcomeMeasure, Arc<Evidence>)> {
    let measure = measure(state, actor, code).await?;
    let store = &state.store;
    let found = state
        .evidence
        .get(actor.partnership_id, measure.id, || async {
            let data = store.evidence_data(actor.partnership_id, measure.id).await?;
            off_the_runtime(move || evidence(&data.panel, &data.participation, &data.engagement)).await
        })
        .await?;
    Ok((measure, found))
}

/// Fitting runs off the runtime's threads: at full scale a measure is
/// hundreds of thousands of values, and other requests go on meanwhile.
async fn off_the_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> lmp_store::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| lmp_store::StoreError::Io(std::io::Error::other(format!("fitting the evidence models: {e}"))))
}

/// A measure's exact data and models, as files: the panel every model was
/// fitted to, and the formulas with what each found.
pub struct Export {
    pub measure: OutcomeMeasure,
    pub panel_name: String,
    pub panel_csv: String,
    pub models_name: String,
    pub models_json: String,
}

pub async fn export(state: &AppState, actor: &Actor, code: &str) -> AppResult<Export> {
    let measure = measure(state, actor, code).await?;
    let data = state.store.evidence_data(actor.partnership_id, measure.id).await?;
    let (found, csv) = off_the_runtime(move || {
        let mut csv = String::new();
        panel_csv(&data.panel, &mut csv);
        (evidence(&data.panel, &data.participation, &data.engagement), csv)
    })
    .await?;
    let panel_name = panel_file(&measure.code);
    let models = ModelsExport::new(&measure, &panel_name, &found);
    let models_json = serde_json::to_string_pretty(&models).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Export {
        models_name: models_file(&measure.code),
        measure,
        panel_name,
        panel_csv: csv,
        models_json,
    })
}

/// Take in an outcomes file as it streams in: all or nothing, a month's
/// value set once. The evidence kept for the partnership is dropped.
pub async fn import_outcomes<E: std::fmt::Display>(
    state: &AppState,
    actor: &Actor,
    name: &str,
    body: impl Stream<Item = Result<Bytes, E>>,
) -> AppResult<OutcomesReport> {
    let permit = authorize(actor, Action::Import, actor.partnership_id)?;
    let name = file_name(name, "outcomes")?;
    let spooled = Spooled::take(body).await?;
    let latest = last_ended_month(lmp_store::today());
    let report = state
        .store
        .import_outcomes(&permit, name, spooled.reader()?, latest)
        .await?;
    state.evidence.invalidate(actor.partnership_id);
    Ok(report)
}
