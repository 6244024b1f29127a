//! Two-key changes: what waits for whose key, and the buttons to turn one's
//! own side's key or to say no.

use crate::auth::session::SignedIn;
use crate::governance::actions::{self, JointChangeInput};
use crate::http::i18n::refusal;
use crate::http::i18n::tr;
use crate::http::{back_to, permit, render, AppError, Fields, Layout, Notice, PageResult};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::{RawForm, State};
use lmp_core::evidence::measure::MeasureDefinition;
use lmp_core::policy::Action;
use lmp_store::joint_changes::JointChangeRow;

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    layout: Layout,
    notice: Notice,
    changes: Vec<JointChangeRow>,
    /// The side whose key this sign-in turns, if any.
    my_side: Option<&'static str>,
}

pub async fn list(State(state): State<AppState>, who: SignedIn, Query(notice): Query<Notice>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let changes = state.store.joint_changes(who.actor.partnership_id, None, 200).await?;
    let layout = Layout::new(&state, &who, tr("decision-two-key"))
        .await?
        .crumb("/changes", tr("decision-two-key"));
    render(&ChangesPage {
        layout,
        notice,
        changes,
        my_side: who.actor.role.side_it_speaks_for().map(|s| s.as_str()),
    })
}

/// Ask for a change from a body's or a decision's page; back there after.
pub async fn request(State(state): State<AppState>, who: SignedIn, RawForm(body): RawForm) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let back = match (f.optional_id("decision_id"), f.optional_id("body_id")) {
        (Ok(Some(d)), _) => format!("/decisions/{d}"),
        (_, Ok(Some(b))) => format!("/bodies/{b}"),
        _ => "/changes".to_string(),
    };
    let outcome = async {
        let days = match f.one("time_limit_days").trim() {
            "" => None,
            d => Some(
                d.parse::<i64>()
                    .map_err(|_| AppError::BadRequest(refusal("refused-not-days", &[("text", d.to_string())])))?,
            ),
        };
        let person_id = match f.one("employee_no").trim() {
            "" => f.optional_id("person_id")?,
            no => Some(
                state
                    .store
                    .person_id_by_employee_no(who.actor.partnership_id, no)
                    .await?
                    .ok_or_else(|| AppError::Rule(refusal("error-no-employee", &[("number", no.to_string())])))?,
            ),
        };
        let input = JointChangeInput {
            change: f.one("change").to_string(),
            body_id: f.optional_id("body_id")?,
            decision_id: f.optional_id("decision_id")?,
            mode: Some(f.one("mode").to_string()).filter(|m| !m.is_empty()),
            time_limit_days: days,
            person_id,
            side: Some(f.one("side").to_string()).filter(|s| !s.is_empty()),
            seat_id: f.optional_id("seat_id")?,
            measure: measure_of(&f)?,
            reason: f.one("reason").to_string(),
        };
        actions::request_change(&state, &who.actor, input).await
    }
    .await;
    back_to(&back, outcome, &tr("done-change-asked-for-it-is"))
}

/// The outcome measure a form defines, if it defines one.
fn measure_of(f: &Fields) -> Result<Option<MeasureDefinition>, AppError> {
    if f.one("change") != "define_measure" {
        return Ok(None);
    }
    Ok(Some(MeasureDefinition {
        code: f.one("measure_code").trim().to_string(),
        name: f.one("measure_name").trim().to_string(),
        domain: f.one("domain").parse().map_err(AppError::BadRequest)?,
        definition: f.one("definition").trim().to_string(),
        unit: f.one("unit").trim().to_string(),
        direction: f.one("direction").parse().map_err(AppError::BadRequest)?,
    }))
}

pub async fn approve(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    Fields::parse(&who, &body)?;
    let outcome = actions::approve_change(&state, &who.actor, id).await;
    let done = match outcome {
        Ok(true) => tr("done-both-keys"),
        _ => tr("done-your-key"),
    };
    back_to("/changes", outcome, &done)
}

pub async fn withdraw(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = actions::withdraw_change(&state, &who.actor, id, f.one("reason")).await;
    back_to("/changes", outcome, &tr("done-change-withdrawn"))
}
