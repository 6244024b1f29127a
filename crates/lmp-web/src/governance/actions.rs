//! Seats, two-key changes and body meetings, written once for the pages and
//! the API: parse what was sent, ask the policy, act, and drop cached counts
//! when seats changed.

use crate::http::i18n::refusal;
use crate::http::{parse_side, seats_in_body, AppError, AppResult, PersonRef};
use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use lmp_core::body::{BodyLevel, BodyRole};
use lmp_core::decision::DecisionMode;
use lmp_core::policy::{authorize, Action, Actor, Permit};
use lmp_core::two_key::JointChange;
use lmp_core::Side;
use lmp_store::body_meetings::CallMeeting;
use lmp_store::health::Which;
use lmp_store::joint_changes::ChangeTarget;
use lmp_store::model::{Body, Seat};
use lmp_store::structure::import::StructureReport;
use lmp_store::structure::{BodyChange, NewBody};
use serde::Deserialize;
use utoipa::ToSchema;

/// A change that needs one labor and one management approver.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JointChangeInput {
    /// decision_rules, add_co_lead, remove_co_lead, redact or define_measure.
    pub change: String,
    /// The body, for rules and co-leads.
    pub body_id: Option<i64>,
    /// The decision, for a redaction.
    pub decision_id: Option<i64>,
    /// decision_rules: consensus or recommend.
    pub mode: Option<String>,
    /// decision_rules: days a decision may stay before it rises; null for the partnership's limit.
    pub time_limit_days: Option<i64>,
    /// add_co_lead: who, and for which side.
    pub person_id: Option<i64>,
    pub side: Option<String>,
    /// remove_co_lead: the co-lead's seat.
    pub seat_id: Option<i64>,
    /// define_measure: the outcome measure to put in force — code, name,
    /// domain (quality, service, cost, workplace), definition, unit and
    /// direction (up or down: which is better).
    #[schema(value_type = Option<Object>)]
    pub measure: Option<lmp_core::evidence::measure::MeasureDefinition>,
    /// Why: the approvers read it.
    pub reason: String,
}

fn need<T>(value: Option<T>, what: &str) -> AppResult<T> {
    value.ok_or_else(|| AppError::BadRequest(refusal("refused-change-needs", &[("what", what.to_string())])))
}

/// Ask for a two-key change; the asker's own side's key turns at once.
pub async fn request_change(state: &AppState, actor: &Actor, input: JointChangeInput) -> AppResult<i64> {
    let permit = authorize(actor, Action::RequestJointChange, actor.partnership_id)?;
    let pid = actor.partnership_id;
    let (target, change) = match input.change.as_str() {
        "decision_rules" => (
            ChangeTarget::Body(need(input.body_id, "body_id")?),
            JointChange::DecisionRules {
                mode: need(input.mode.as_deref(), "mode")?
                    .parse::<DecisionMode>()
                    .map_err(AppError::BadRequest)?,
                time_limit_days: input.time_limit_days,
            },
        ),
        "add_co_lead" => (
            ChangeTarget::Body(need(input.body_id, "body_id")?),
            JointChange::AddCoLead {
                person_id: need(input.person_id, "person_id")?,
                side: need(input.side.as_deref(), "side")?
                    .parse::<Side>()
                    .map_err(|e| AppError::BadRequest(e.into()))?,
            },
        ),
        "remove_co_lead" => {
            let body = need(input.body_id, "body_id")?;
            let seat_id = need(input.seat_id, "seat_id")?;
            let seat = state
                .store
                .seat(pid, seat_id)
                .await?
                .filter(|s| s.body_id == body)
                .ok_or(AppError::NotFound("seat"))?;
            let side = seat.side.parse::<Side>().map_err(|e| AppError::BadRequest(e.into()))?;
            (
                ChangeTarget::Body(body),
                JointChange::RemoveCoLead {
                    seat_id,
                    person_id: seat.person_id,
                    side,
                },
            )
        }
        "redact" => (
            ChangeTarget::Decision(need(input.decision_id, "decision_id")?),
            JointChange::Redact,
        ),
        "define_measure" => (
            ChangeTarget::Partnership,
            JointChange::DefineMeasure {
                measure: need(input.measure, "measure")?,
            },
        ),
        other => {
            return Err(AppError::BadRequest(lmp_core::Refusal::unknown_word(
                "change",
                other,
                &[
                    "decision_rules",
                    "add_co_lead",
                    "remove_co_lead",
                    "redact",
                    "define_measure",
                ],
            )))
        }
    };
    Ok(state
        .store
        .request_joint_change(&permit, target, &change, &input.reason)
        .await?)
}

/// Turn the caller's side's key. Returns whether the change was made.
pub async fn approve_change(state: &AppState, actor: &Actor, id: i64) -> AppResult<bool> {
    let side = actor.role.side_it_speaks_for().ok_or(AppError::Forbidden)?;
    let permit = authorize(actor, Action::ApproveJointChange { side }, actor.partnership_id)?;
    let applied = state.store.approve_joint_change(&permit, id).await?;
    if applied {
        state.seats_changed(actor.partnership_id);
    }
    Ok(applied)
}

/// Withdraw a waiting change: its requester, or either side saying no.
pub async fn withdraw_change(state: &AppState, actor: &Actor, id: i64, reason: &str) -> AppResult<()> {
    let action = match actor.role.side_it_speaks_for() {
        Some(side) => Action::ApproveJointChange { side },
        None => Action::RequestJointChange,
    };
    let permit = authorize(actor, action, actor.partnership_id)?;
    Ok(state.store.withdraw_joint_change(&permit, id, reason).await?)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaInput {
    pub title: String,
    /// A decision before the body that this item takes up.
    pub decision_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallMeetingInput {
    pub title: String,
    /// YYYY-MM-DD
    pub date: String,
    /// HH:MM, the meeting place's time.
    pub start: String,
    pub duration_minutes: i64,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub agenda: Vec<AgendaInput>,
}

/// Call a meeting of a body the caller sits on; its members are told.
pub async fn call_meeting(state: &AppState, actor: &Actor, body_id: i64, input: CallMeetingInput) -> AppResult<i64> {
    let (permit, _) = crate::http::take_part_permit(state, actor, body_id).await?;
    let date = crate::http::parse_day("date", &input.date)?;
    let start = jiff::civil::Time::strptime("%H:%M", input.start.trim())
        .map_err(|_| AppError::BadRequest(refusal("refused-not-a-time", &[("text", input.start.clone())])))?;
    let meeting = CallMeeting {
        title: input.title,
        date,
        start,
        duration_minutes: input.duration_minutes,
        location: input.location,
        agenda: input.agenda.into_iter().map(|a| (a.title, a.decision_id)).collect(),
    };
    Ok(state.store.call_meeting(&permit, body_id, &meeting).await?)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesInput {
    /// Everyone who came (person ids); each counts for their side.
    pub attendees: Vec<i64>,
    #[serde(default)]
    pub minutes: String,
}

/// Record who came and the minutes, once the meeting has met.
pub async fn record_minutes(state: &AppState, actor: &Actor, meeting_id: i64, input: MinutesInput) -> AppResult<()> {
    let meeting = state
        .store
        .called_meeting(actor.partnership_id, meeting_id)
        .await?
        .ok_or(AppError::NotFound("meeting"))?;
    let (permit, _) = crate::http::take_part_permit(state, actor, meeting.body_id).await?;
    Ok(state
        .store
        .record_minutes(
            &permit,
            meeting_id,
            &input.attendees,
            &input.minutes,
            lmp_store::today(),
        )
        .await?)
}

fn side_permit(actor: &Actor, side: Side) -> AppResult<Permit> {
    Ok(authorize(actor, Action::ChangeSeat { side }, actor.partnership_id)?)
}

/// May the caller give or take this seat: by their role's side, or, for a
/// member's seat, as the body's co-lead for that side?
async fn seat_permit(state: &AppState, actor: &Actor, body_id: i64, role: BodyRole, side: Side) -> AppResult<Permit> {
    match side_permit(actor, side) {
        Err(AppError::Forbidden) if role == BodyRole::Member => {
            let seats = seats_in_body(state, actor, body_id).await?.seats;
            let action = Action::ChangeTeamMember { seats, side };
            Ok(authorize(actor, action, actor.partnership_id)?)
        }
        other => other,
    }
}

pub async fn add_seat(
    state: &AppState,
    actor: &Actor,
    body_id: i64,
    person: PersonRef<'_>,
    role: &str,
    side: &str,
) -> AppResult<Seat> {
    let role: BodyRole = role.parse().map_err(AppError::BadRequest)?;
    let side = parse_side(side)?;
    if role == BodyRole::CoLead {
        return Err(AppError::Rule(refusal("refused-co-leads-two-keys", &[])));
    }
    let permit = seat_permit(state, actor, body_id, role, side).await?;
    let person_id = person.resolve(state, actor.partnership_id).await?;
    let seat = state.store.add_seat(&permit, body_id, person_id, role, side).await?;
    state.seats_changed(actor.partnership_id);
    Ok(seat)
}

/// Take seat `seat_id` of body `body_id` away; the policy is asked about the
/// seat's own side.
pub async fn remove_seat(state: &AppState, actor: &Actor, body_id: i64, seat_id: i64) -> AppResult<()> {
    let seat = state
        .store
        .seat(actor.partnership_id, seat_id)
        .await?
        .filter(|s| s.body_id == body_id)
        .ok_or(AppError::NotFound("seat"))?;
    let role: BodyRole = seat.role.parse().map_err(AppError::BadRequest)?;
    if role == BodyRole::CoLead {
        return Err(AppError::Rule(refusal("refused-co-leads-two-keys", &[])));
    }
    let permit = seat_permit(state, actor, body_id, role, parse_side(&seat.side)?).await?;
    state.store.remove_seat(&permit, seat_id).await?;
    state.seats_changed(actor.partnership_id);
    Ok(())
}

/// What the Health page and API are asked for.
#[derive(Debug, Default, Deserialize)]
pub struct HealthQuery {
    pub level: Option<String>,
    /// One body's signs alone.
    pub body: Option<i64>,
    /// The period the body table covers, in months back from today.
    pub months: Option<i64>,
}

impl HealthQuery {
    /// The bodies asked for (none: every body) and the period.
    pub fn parse(&self) -> Result<(Which, Timestamp, Timestamp, i64), AppError> {
        let level = match self.level.as_deref() {
            None | Some("") => None,
            Some(l) => Some(l.parse::<BodyLevel>().map_err(AppError::BadRequest)?),
        };
        let months = self.months.unwrap_or(12);
        if !(1..=60).contains(&months) {
            return Err(AppError::BadRequest(refusal(
                "refused-months",
                &[("months", months.to_string())],
            )));
        }
        let to = Timestamp::now();
        let from = to
            .checked_sub(SignedDuration::from_hours(24 * 30 * months + 24 * (months / 2)))
            .unwrap_or(to);
        Ok((Which { level, body: self.body }, from, to, months))
    }
}

/// The `.ics` text of a meeting, for the page and the API alike.
pub async fn invitation(state: &AppState, partnership_id: i64, id: i64) -> AppResult<String> {
    let meeting = state
        .store
        .called_meeting(partnership_id, id)
        .await?
        .ok_or(AppError::NotFound("meeting"))?;
    let agenda = state.store.agenda_of(partnership_id, id).await?;
    let date = meeting
        .held_on
        .parse()
        .map_err(|_| AppError::Rule(refusal("refused-meeting-date", &[("date", meeting.held_on.clone())])))?;
    let start = meeting
        .starts_at
        .as_deref()
        .and_then(|t| jiff::civil::Time::strptime("%H:%M", t).ok())
        .unwrap_or(jiff::civil::Time::midnight());
    let mut description = format!("{}\nAgenda:", meeting.body_name);
    for item in &agenda {
        description.push_str(&format!("\n{}. {}", item.position, item.title));
    }
    let summary = format!("{}: {}", meeting.body_name, meeting.title);
    Ok(lmp_core::meeting::Invitation {
        uid: format!("meeting-{partnership_id}-{id}@lmp"),
        date,
        start,
        duration_minutes: meeting.duration_minutes.unwrap_or(60),
        summary: &summary,
        location: &meeting.location,
        description: &description,
        stamp: jiff::Timestamp::now(),
    }
    .to_ics())
}

/// A body to create, as the API and the page send it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BodyInput {
    /// Unique in the partnership, e.g. `UBT-0042`.
    pub code: String,
    /// national, regional, facility, department or team.
    pub level: String,
    pub name: String,
    /// The region, facility or department it belongs to.
    pub unit_id: Option<i64>,
    /// The body it reports to: at a level above.
    pub parent_id: Option<i64>,
    /// consensus (the default) or recommend.
    pub decides: Option<String>,
}

/// Create a body (partnership admins only); its co-leads come by two keys.
pub async fn create_body(state: &AppState, actor: &Actor, input: BodyInput) -> AppResult<Body> {
    let permit = authorize(actor, Action::ManageBodies, actor.partnership_id)?;
    let new = NewBody {
        code: input.code,
        level: input.level.parse::<BodyLevel>().map_err(AppError::BadRequest)?,
        name: input.name,
        unit_id: input.unit_id,
        parent_id: input.parent_id,
        decides: match input.decides.as_deref() {
            None | Some("") => DecisionMode::Consensus,
            Some(mode) => mode.parse().map_err(AppError::BadRequest)?,
        },
    };
    let body = state.store.create_body(&permit, &new).await?;
    state.seats_changed(actor.partnership_id);
    Ok(body)
}

/// Rename a body or move it under another parent.
pub async fn change_body(state: &AppState, actor: &Actor, id: i64, change: BodyChange) -> AppResult<Body> {
    let permit = authorize(actor, Action::ManageBodies, actor.partnership_id)?;
    let body = state.store.change_body(&permit, id, &change).await?;
    state.seats_changed(actor.partnership_id);
    Ok(body)
}

/// Close a body: its seats end, its history stays.
pub async fn close_body(state: &AppState, actor: &Actor, id: i64) -> AppResult<Body> {
    let permit = authorize(actor, Action::ManageBodies, actor.partnership_id)?;
    let body = state.store.close_body(&permit, id).await?;
    state.seats_changed(actor.partnership_id);
    Ok(body)
}

/// The largest bodies or seats file taken over the web: every seat of a
/// partnership several times the demo's size.
pub const LARGEST_STRUCTURE_FILE_BYTES: usize = 256 << 20;

/// The structure files a partnership keeps in a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructureFile {
    Bodies,
    Seats,
}

/// Take in a bodies or seats file as it streams in, spooled to disk: all of
/// it or none, the same file twice changing nothing.
pub async fn import_structure<E: std::fmt::Display>(
    state: &AppState,
    actor: &Actor,
    what: StructureFile,
    file_name: &str,
    body: impl futures::Stream<Item = Result<axum::body::Bytes, E>>,
) -> AppResult<StructureReport> {
    let permit = authorize(actor, Action::Import, actor.partnership_id)?;
    let label = match what {
        StructureFile::Bodies => "bodies",
        StructureFile::Seats => "seats",
    };
    let name = crate::http::upload::file_name(file_name, label)?;
    let spooled = crate::http::upload::Spooled::take(body).await?;
    let reader = spooled.reader()?;
    let report = match what {
        StructureFile::Bodies => state.store.import_bodies(&permit, name, reader).await?,
        StructureFile::Seats => {
            state
                .store
                .import_seats(&permit, name, reader, lmp_store::today())
                .await?
        }
    };
    state.seats_changed(actor.partnership_id);
    Ok(report)
}
