//! Training, written once for the pages and the API: parse what was sent,
//! ask the policy, act, and drop the figures kept for the partnership when
//! a completion moved a team's level.

use crate::http::{parse_day, AppError, AppResult};
use crate::state::AppState;
use lmp_core::body::BodyRole;
use lmp_core::policy::{authorize, Action, Actor};
use lmp_core::training::{Attendance, Class};
use lmp_store::import::ImportReport;
use lmp_store::training::{AttendanceReport, ClassSession, NewSession};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The largest training file taken over the web: every completion of a
/// partnership many times the demo's size.
pub const LARGEST_TRAINING_FILE_BYTES: usize = 64 << 20;

/// A class in the catalog: what it is for, where Path to Performance asks
/// for it, how many have completed it and how many team leaders still need it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogClass {
    /// The word files use: co_lead_workshop, effective_stakeholding, …
    pub class: String,
    pub name: String,
    pub about: String,
    pub asked_for: Vec<AskedFor>,
    /// People who have completed it.
    pub completed: i64,
    /// Leaders of open teams it is asked of who have not completed it.
    pub to_train: i64,
}

/// Where the partnership's Path to Performance asks for a class.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AskedFor {
    pub level: u8,
    /// co_lead or sponsor.
    pub role: String,
}

pub fn parse_class(text: &str) -> AppResult<Class> {
    Class::parse_loose(text).map_err(AppError::BadRequest)
}

fn parse_attendance(text: &str) -> AppResult<Attendance> {
    text.trim().parse().map_err(AppError::BadRequest)
}

/// The catalog, with the partnership's own rules and figures.
/// The classes, named and described in `language`.
pub async fn catalog(
    state: &AppState,
    actor: &Actor,
    language: lmp_core::language::Language,
) -> AppResult<Vec<CatalogClass>> {
    authorize(actor, Action::ReadStructure, actor.partnership_id)?;
    let pid = actor.partnership_id;
    let rules = state.store.team_rules(pid).await?.path;
    let counts = state.store.class_counts(pid).await?;
    let mut classes = Vec::with_capacity(Class::ALL.len());
    for class in Class::ALL.iter().copied() {
        let asked_for: Vec<AskedFor> = rules
            .asking_for(class)
            .into_iter()
            .map(|(level, role)| AskedFor {
                level,
                role: role.as_str().to_string(),
            })
            .collect();
        let mut roles: Vec<BodyRole> = rules.asking_for(class).into_iter().map(|(_, role)| role).collect();
        roles.sort_unstable();
        roles.dedup();
        let mut to_train = 0;
        for role in roles {
            to_train += state.store.count_leaders_to_train(pid, class, role).await?;
        }
        classes.push(CatalogClass {
            class: class.as_str().to_string(),
            name: class.label_in(language).to_string(),
            about: class.about(language).to_string(),
            asked_for,
            completed: counts
                .iter()
                .find(|c| c.class == class.as_str())
                .map_or(0, |c| c.people),
            to_train,
        });
    }
    Ok(classes)
}

/// A session to schedule, as a form or the API sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// The class's word or name.
    pub class: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    #[serde(default)]
    pub place: String,
}

pub async fn create_session(state: &AppState, actor: &Actor, input: SessionInput) -> AppResult<ClassSession> {
    let permit = authorize(actor, Action::RecordTraining, actor.partnership_id)?;
    let new = NewSession {
        class: parse_class(&input.class)?,
        held_on: parse_day("held_on", &input.held_on)?,
        place: input.place,
    };
    Ok(state.store.create_class_session(&permit, &new).await?)
}

/// One person's place on a session's list.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceMark {
    pub employee_no: String,
    /// enrolled, attended or absent.
    pub status: String,
}

/// Mark a session's list, all of it or none.
pub async fn mark_attendance(
    state: &AppState,
    actor: &Actor,
    session_id: i64,
    marks: &[AttendanceMark],
) -> AppResult<AttendanceReport> {
    let permit = authorize(actor, Action::RecordTraining, actor.partnership_id)?;
    if marks.is_empty() {
        return Err(AppError::BadRequest(crate::http::i18n::refusal(
            "refused-mark-someone",
            &[],
        )));
    }
    let marks = marks
        .iter()
        .map(|m| Ok((m.employee_no.trim().to_string(), parse_attendance(&m.status)?)))
        .collect::<AppResult<Vec<_>>>()?;
    let report = state
        .store
        .mark_attendance(&permit, session_id, &marks, lmp_store::today())
        .await?;
    if report.teams_rated > 0 {
        state.seats_changed(actor.partnership_id);
    }
    Ok(report)
}

/// Take in a training file as it streams in, spooled to disk: all of it or
/// none, the same file twice changing nothing; the teams re-rated after.
pub async fn import_classes<E: std::fmt::Display>(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    body: impl futures::Stream<Item = Result<axum::body::Bytes, E>>,
) -> AppResult<ImportReport> {
    let permit = authorize(actor, Action::RecordTraining, actor.partnership_id)?;
    let name = crate::http::upload::file_name(file_name, "training")?;
    let spooled = crate::http::upload::Spooled::take(body).await?;
    let reader = spooled.reader()?;
    let report = state
        .store
        .import_class_completions(&permit, name, reader, lmp_store::today())
        .await?;
    state.seats_changed(actor.partnership_id);
    Ok(report)
}
