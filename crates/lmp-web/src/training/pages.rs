//! The training pages: the catalog with its sessions, one class's leaders
//! still to train, one session's list.

use crate::auth::session::SignedIn;
use crate::http::i18n::{current, tr, tr_with};
use crate::http::{back_to, permit, render, with_uploaded_file, AppError, Fields, Layout, PageResult, Pager};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use crate::training::actions::{self, AttendanceMark, CatalogClass, SessionInput};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::Form;
use lmp_core::body::BodyRole;
use lmp_core::paging::Page;
use lmp_core::policy::{authorize, Action};
use lmp_core::training::{class_label, Attendance, Class};
use lmp_store::training::{ClassAttendee, ClassSession, LeaderToTrain};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct TrainingQuery {
    offset: Option<u64>,
    #[serde(flatten)]
    notice: crate::http::Notice,
}

#[derive(Template)]
#[template(path = "training.html")]
struct TrainingPage {
    layout: Layout,
    catalog: Vec<CatalogClass>,
    sessions: Vec<ClassSession>,
    pager: Pager,
    classes: Vec<(&'static str, &'static str)>,
    today: String,
    /// May schedule sessions, mark lists and take in the training file.
    can_record: bool,
    notice: crate::http::Notice,
}

pub async fn show(State(state): State<AppState>, who: SignedIn, Query(q): Query<TrainingQuery>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let catalog = actions::catalog(&state, &who.actor, current()).await?;
    let paged = state
        .store
        .class_sessions(pid, None, Page::new(Some(20), q.offset))
        .await?;
    let pager = Pager::new(&paged, "/training", &[]);
    let layout = Layout::new(&state, &who, tr("nav-training"))
        .await?
        .crumb("/training", tr("nav-training"));
    render(&TrainingPage {
        layout,
        catalog,
        sessions: paged
            .items
            .into_iter()
            .map(|mut s| {
                s.class = class_label(&s.class, current());
                s
            })
            .collect(),
        pager,
        classes: Class::ALL.iter().map(|c| (c.as_str(), c.label_in(current()))).collect(),
        today: lmp_store::today().to_string(),
        can_record: authorize(&who.actor, Action::RecordTraining, pid).is_ok(),
        notice: q.notice,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ClassQuery {
    /// co_lead or sponsor: whose training to list.
    role: Option<String>,
    offset: Option<u64>,
}

#[derive(Template)]
#[template(path = "training_class.html")]
struct ClassPage {
    layout: Layout,
    class: CatalogClass,
    role: &'static str,
    /// The roles this class is asked of, to switch between.
    roles: Vec<(&'static str, String)>,
    leaders: Vec<LeaderToTrain>,
    pager: Pager,
}

/// "sponsors" or "co-leads", in the reader's words.
fn role_label(role: BodyRole) -> String {
    match role {
        BodyRole::Sponsor => tr("training-role-sponsor"),
        _ => tr("training-role-co_lead"),
    }
}

pub async fn class(
    State(state): State<AppState>,
    who: SignedIn,
    Path(word): Path<String>,
    Query(q): Query<ClassQuery>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let class = Class::parse_loose(&word).map_err(|_| AppError::NotFound("class"))?;
    let catalog = actions::catalog(&state, &who.actor, current()).await?;
    let entry = catalog
        .into_iter()
        .find(|c| c.class == class.as_str())
        .ok_or(AppError::NotFound("class"))?;
    let role = match q.role.as_deref() {
        Some("sponsor") => BodyRole::Sponsor,
        Some("co_lead") | None | Some("") => BodyRole::CoLead,
        Some(other) => {
            return Err(
                AppError::BadRequest(lmp_core::Refusal::unknown_word("role", other, &["co_lead", "sponsor"])).into(),
            )
        }
    };
    let paged = state
        .store
        .leaders_to_train(who.actor.partnership_id, class, role, Page::new(None, q.offset))
        .await?;
    let path = format!("/training/classes/{}", class.as_str());
    let pager = Pager::new(&paged, &path, &[("role", role.as_str().to_string())]);
    let layout = Layout::new(&state, &who, class.label_in(current()))
        .await?
        .crumb("/training", tr("nav-training"))
        .crumb(path, class.label_in(current()));
    render(&ClassPage {
        layout,
        class: entry,
        role: role.as_str(),
        roles: [BodyRole::CoLead, BodyRole::Sponsor]
            .iter()
            .map(|r| (r.as_str(), role_label(*r)))
            .collect(),
        leaders: paged.items,
        pager,
    })
}

#[derive(Template)]
#[template(path = "training_session.html")]
struct SessionPage {
    layout: Layout,
    session: ClassSession,
    class_word: String,
    attendance: Vec<ClassAttendee>,
    /// The day has come: attendance may be marked.
    held: bool,
    statuses: Vec<(&'static str, &'static str)>,
    can_record: bool,
    notice: crate::http::Notice,
}

impl SessionPage {
    /// Where a person stands on the list, in the reader's words.
    fn status_label(&self, word: &str) -> &'static str {
        word.parse::<Attendance>()
            .map_or("", |a| a.label_in(self.layout.lang()))
    }
}

pub async fn session(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(notice): Query<crate::http::Notice>,
) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let pid = who.actor.partnership_id;
    let mut session = state
        .store
        .class_session(pid, id)
        .await?
        .ok_or(AppError::NotFound("class session"))?;
    let attendance = state.store.session_attendance(pid, id).await?;
    let class_word = session.class.clone();
    session.class = class_label(&session.class, current());
    let held = session.held_on.as_str() <= lmp_store::today().to_string().as_str();
    let title = tr_with(
        "training-session-title",
        &[("class", session.class.clone()), ("day", session.held_on.clone())],
    );
    let layout = Layout::new(&state, &who, &title)
        .await?
        .crumb("/training", tr("nav-training"))
        .crumb(format!("/training/sessions/{id}"), title);
    render(&SessionPage {
        layout,
        session,
        class_word,
        attendance,
        held,
        statuses: Attendance::ALL
            .iter()
            .map(|a| (a.as_str(), a.label_in(current())))
            .collect(),
        can_record: authorize(&who.actor, Action::RecordTraining, pid).is_ok(),
        notice,
    })
}

#[derive(Debug, Deserialize)]
pub struct NewSessionForm {
    csrf: String,
    class: String,
    held_on: String,
    #[serde(default)]
    place: String,
}

pub async fn create_session(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<NewSessionForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let input = SessionInput {
        class: form.class,
        held_on: form.held_on,
        place: form.place,
    };
    match actions::create_session(&state, &who.actor, input).await {
        Ok(session) => back_to(
            &format!("/training/sessions/{}#list", session.id),
            Ok(()),
            &tr("done-scheduled-now-put-people-on"),
        ),
        Err(e) => back_to("/training#schedule", Err::<(), _>(e), ""),
    }
}

/// The list form: employee numbers (one a line, or separated by commas or
/// spaces) and where they all stand; or one row's button.
pub async fn mark(State(state): State<AppState>, who: SignedIn, Path(id): Path<i64>, body: Bytes) -> PageResult {
    let fields = Fields::parse(&who, &body)?;
    let status = fields.one("status").to_string();
    let marks: Vec<AttendanceMark> = fields
        .one("employee_no")
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|no| !no.is_empty())
        .map(|no| AttendanceMark {
            employee_no: no.to_string(),
            status: status.clone(),
        })
        .collect();
    let outcome = actions::mark_attendance(&state, &who.actor, id, &marks).await;
    let done = match &outcome {
        Ok(r) => {
            let marked = tr_with(
                "done-marked",
                &[("marked", r.marked.to_string()), ("completed", r.completed.to_string())],
            );
            if r.withdrawn > 0 {
                let back = tr_with("done-completions-back", &[("withdrawn", r.withdrawn.to_string())]);
                format!("{marked} {back}")
            } else {
                marked
            }
        }
        Err(_) => String::new(),
    };
    back_to(&format!("/training/sessions/{id}#list"), outcome, &done)
}

pub async fn import(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    let outcome = with_uploaded_file(&who, form, "training", "training.csv", async |upload, file| {
        actions::import_classes(&state, &who.actor, &upload.file_name, file).await
    })
    .await?;
    let done = match &outcome {
        Ok(r) => tr_with(
            "done-training-taken",
            &[
                ("rows", r.rows.to_string()),
                ("inserted", r.inserted.to_string()),
                ("updated", r.updated.to_string()),
                ("unchanged", r.unchanged.to_string()),
            ],
        ),
        Err(_) => String::new(),
    };
    back_to("/training#import", outcome, &done)
}
