//! A body's meetings: called with an agenda that links its decisions, an
//! `.ics` invitation, then who came (by side) and the minutes.

use crate::auth::session::SignedIn;
use crate::governance::actions::{self, AgendaInput, CallMeetingInput, MinutesInput};
use crate::http::i18n::tr;
use crate::http::{back_to, permit, render, AppError, Fields, Layout, Notice, PageError, PageResult};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::{RawForm, State};
use axum::http::header;
use axum::response::IntoResponse;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::body_meetings::{AgendaItem, Attendee, CalledMeeting};

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    layout: Layout,
    notice: Notice,
    meeting: CalledMeeting,
    agenda: Vec<AgendaItem>,
    attendees: Vec<Attendee>,
    labor: usize,
    management: usize,
    /// (person, name, side, came) for the minutes form.
    roll: Vec<(i64, String, String, bool)>,
    can_record: bool,
    has_met: bool,
}

/// Call a meeting from the body page: agenda lines typed one per line, and
/// the body's open decisions ticked.
pub async fn call(
    State(state): State<AppState>,
    who: SignedIn,
    Path(body_id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let mut agenda: Vec<AgendaInput> = Vec::new();
        for id in f.ids("decision")? {
            let title = state
                .store
                .decision(who.actor.partnership_id, id)
                .await?
                .map(|d| d.title)
                .unwrap_or_default();
            agenda.push(AgendaInput {
                title,
                decision_id: Some(id),
            });
        }
        agenda.extend(
            f.one("agenda")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| AgendaInput {
                    title: l.to_string(),
                    decision_id: None,
                }),
        );
        let duration = f.number("duration_minutes", "field-duration-minutes")? as i64;
        let input = CallMeetingInput {
            title: f.one("title").to_string(),
            date: f.one("date").to_string(),
            start: f.one("start").to_string(),
            duration_minutes: duration,
            location: f.one("location").to_string(),
            agenda,
        };
        actions::call_meeting(&state, &who.actor, body_id, input).await
    }
    .await;
    match outcome {
        Ok(id) => back_to(
            &format!("/meetings/{id}"),
            Ok::<_, AppError>(()),
            &tr("done-meeting-called"),
        ),
        Err(e) => back_to::<()>(&format!("/bodies/{body_id}#meetings"), Err(e), ""),
    }
}

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let meeting = state
        .store
        .called_meeting(pid, id)
        .await?
        .ok_or(PageError(AppError::NotFound("meeting")))?;
    let agenda = state.store.agenda_of(pid, id).await?;
    let attendees = state.store.attendance_of(pid, id).await?;
    let can_record = crate::http::take_part_permit(&state, &who.actor, meeting.body_id)
        .await
        .is_ok();
    let mut roll: Vec<(i64, String, String, bool)> = Vec::new();
    if can_record {
        let mut seats = state.store.body_leaders(pid, meeting.body_id).await?;
        seats.extend(
            state
                .store
                .body_members(pid, meeting.body_id, None, Page::new(Some(500), None))
                .await?
                .items,
        );
        for s in seats {
            if !roll.iter().any(|(p, ..)| *p == s.person_id) {
                let came = attendees.iter().any(|a| a.person_id == s.person_id);
                roll.push((s.person_id, s.person_name, s.side, came));
            }
        }
    }
    let count = |side: &str| attendees.iter().filter(|a| a.side == side).count();
    let layout = Layout::new(&state, &who, meeting.title.clone())
        .await?
        .crumb(format!("/bodies/{}", meeting.body_id), meeting.body_name.clone())
        .crumb(format!("/meetings/{id}"), meeting.title.clone());
    render(&MeetingPage {
        layout,
        notice,
        labor: count("labor"),
        management: count("management"),
        has_met: meeting.held_on.as_str() <= lmp_store::today().to_string().as_str(),
        meeting,
        agenda,
        attendees,
        roll,
        can_record,
    })
}

pub async fn minutes(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let input = MinutesInput {
            attendees: f.ids("came")?,
            minutes: f.one("minutes").to_string(),
        };
        actions::record_minutes(&state, &who.actor, id, input).await
    }
    .await;
    back_to(
        &format!("/meetings/{id}"),
        outcome,
        &tr("done-attendance-and-minutes-recorded"),
    )
}

/// The meeting as a calendar file.
pub async fn ics(State(state): State<AppState>, who: SignedIn, Path(id): Path<i64>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let text = crate::governance::actions::invitation(&state, who.actor.partnership_id, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"meeting-{id}.ics\""),
            ),
        ],
        text,
    )
        .into_response())
}
