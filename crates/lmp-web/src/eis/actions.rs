//! Employment and Income Security's changes, written once for the pages and
//! the API. Running EIS (displacements, the pool, vacancies, placement) is
//! for the administrator or an EIS representative of either side; speaking
//! for a side (confirming the alternatives, accepting a proposal) only for
//! that side's representative, in person.

use crate::http::{parse_day, person_of, AppError, AppResult};
use crate::state::AppState;
use lmp_core::eis::rules::{Alternative, Reason};
use lmp_core::policy::{authorize, Action, Actor, Permit};
use lmp_store::eis::pool::{Taken, VacancyPost};
use lmp_store::eis::runs::Proposal;
use lmp_store::eis::{Displacement, NewDisplacement};
use lmp_store::Store;
use serde::Deserialize;
use utoipa::ToSchema;

/// The largest workers or vacancies file taken over the web.
pub const LARGEST_EIS_FILE_BYTES: usize = 64 << 20;

/// The caller's person and the side they are an EIS representative for.
async fn representative(state: &AppState, actor: &Actor) -> AppResult<(Option<i64>, Option<lmp_core::Side>)> {
    let person = person_of(state, actor).await?;
    let side = match person {
        Some(person) => {
            state
                .store
                .eis_representative_side(actor.partnership_id, person)
                .await?
        }
        None => None,
    };
    Ok((person, side))
}

/// May the caller run EIS?
pub async fn manage(state: &AppState, actor: &Actor) -> AppResult<Permit> {
    let (_, representing) = representative(state, actor).await?;
    Ok(authorize(
        actor,
        Action::ManageEis { representing },
        actor.partnership_id,
    )?)
}

/// The caller speaking for their side, as its representative, in person.
async fn speak(state: &AppState, actor: &Actor) -> AppResult<(Permit, i64)> {
    let (person, representing) = representative(state, actor).await?;
    let permit = authorize(actor, Action::SpeakForEis { representing }, actor.partnership_id)?;
    Ok((permit, person.ok_or(AppError::Forbidden)?))
}

/// A displacement to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisplacementInput {
    /// The unit's code (a department or facility).
    pub unit: String,
    /// unit_closure, restructuring, technology or consolidation.
    pub reason: String,
    pub description: String,
    /// YYYY-MM-DD.
    pub announced_on: String,
    /// YYYY-MM-DD; at least the notice period after announced_on.
    pub effective_on: String,
}

pub async fn record_displacement(state: &AppState, actor: &Actor, input: DisplacementInput) -> AppResult<i64> {
    let permit = manage(state, actor).await?;
    let new = NewDisplacement {
        unit_code: input.unit.trim().to_string(),
        reason: input.reason.parse::<Reason>().map_err(AppError::BadRequest)?,
        description: input.description,
        announced_on: parse_day("announced_on", &input.announced_on)?,
        effective_on: parse_day("effective_on", &input.effective_on)?,
    };
    Ok(state.store.record_displacement(&permit, &new).await?)
}

/// What was found when an alternative was looked at.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlternativeInput {
    /// attrition, retraining, voluntary_severance or early_retirement.
    pub alternative: String,
    pub finding: String,
}

pub async fn record_alternative(
    state: &AppState,
    actor: &Actor,
    event_id: i64,
    input: AlternativeInput,
) -> AppResult<Displacement> {
    let (permit, person) = speak(state, actor).await?;
    let alternative = input.alternative.parse::<Alternative>().map_err(AppError::BadRequest)?;
    Ok(state
        .store
        .record_alternative(&permit, event_id, alternative, &input.finding, person)
        .await?)
}

pub async fn confirm_alternatives(state: &AppState, actor: &Actor, event_id: i64) -> AppResult<Displacement> {
    let (permit, person) = speak(state, actor).await?;
    Ok(state.store.confirm_alternatives(&permit, event_id, person).await?)
}

/// Take a displacement's workers into the pool from a workers file.
pub async fn add_workers(
    state: &AppState,
    actor: &Actor,
    event_id: i64,
    file_name: &str,
    csv: &[u8],
) -> AppResult<Taken> {
    let permit = manage(state, actor).await?;
    Ok(state.store.add_to_pool(&permit, event_id, file_name, csv).await?)
}

/// Post vacancies from a vacancies file.
pub async fn import_vacancies(state: &AppState, actor: &Actor, file_name: &str, csv: &[u8]) -> AppResult<Taken> {
    let permit = manage(state, actor).await?;
    let posts = Store::read_vacancy_posts(file_name, csv)?;
    Ok(state.store.post_vacancies(&permit, file_name, &posts).await?)
}

/// A vacancy posted by hand or by the API.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyInput {
    pub vacancy_id: String,
    pub job_class: String,
    /// Licences and certifications the post requires.
    #[serde(default)]
    pub required_licences: Vec<String>,
    /// Like "1.0" or "0.8".
    pub fte: String,
    pub shift: String,
    pub pay_band: String,
    pub region: String,
    /// Job classes that can be retrained into this one within the allowed period.
    #[serde(default)]
    pub retrain_from: Vec<String>,
    /// Dollars an hour, like "58.00".
    pub pay_min: Option<String>,
    pub pay_max: Option<String>,
    #[serde(default)]
    pub facility: String,
}

/// Post vacancies given one by one, all or none: each is checked as a file row would be.
pub async fn post_vacancies(state: &AppState, actor: &Actor, input: Vec<VacancyInput>) -> AppResult<Taken> {
    let permit = manage(state, actor).await?;
    let mut text = String::from(
        "vacancy_id,job_class,required_licences,fte,shift,pay_band,region,retrain_from,pay_min,pay_max,facility\n",
    );
    {
        let mut out = csv::Writer::from_writer(Vec::new());
        for v in &input {
            out.write_record([
                v.vacancy_id.as_str(),
                &v.job_class,
                &v.required_licences.join(";"),
                &v.fte,
                &v.shift,
                &v.pay_band,
                &v.region,
                &v.retrain_from.join(";"),
                v.pay_min.as_deref().unwrap_or(""),
                v.pay_max.as_deref().unwrap_or(""),
                &v.facility,
            ])
            .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        let bytes = out.into_inner().map_err(|e| AppError::Internal(e.to_string()))?;
        text.push_str(&String::from_utf8_lossy(&bytes));
    }
    // Read as the file would be, so errors name `vacancies:LINE:COLUMN`
    // with the first vacancy on line 2, as in a vacancies file.
    let posts: Vec<(u64, VacancyPost)> = Store::read_vacancy_posts("vacancies", text.as_bytes())?;
    Ok(state.store.post_vacancies(&permit, "vacancies", &posts).await?)
}

pub async fn run_placement(state: &AppState, actor: &Actor) -> AppResult<lmp_store::eis::runs::Run> {
    let permit = manage(state, actor).await?;
    Ok(state.store.run_placement(&permit).await?)
}

pub async fn accept(state: &AppState, actor: &Actor, proposal_id: i64) -> AppResult<Proposal> {
    let (permit, person) = speak(state, actor).await?;
    Ok(state.store.accept_proposal(&permit, proposal_id, person).await?)
}

/// Why the worker declines.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineInput {
    pub reason: String,
}

pub async fn decline(state: &AppState, actor: &Actor, proposal_id: i64, input: DeclineInput) -> AppResult<Proposal> {
    let permit = manage(state, actor).await?;
    Ok(state
        .store
        .decline_proposal(&permit, proposal_id, &input.reason)
        .await?)
}
