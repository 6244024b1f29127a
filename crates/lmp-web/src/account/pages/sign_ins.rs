//! The administrator's page of sign-ins: search, grant a role, deactivate
//! or bring back; invite by email those without single sign-on.

use crate::account::actions;
use crate::auth::session::SignedIn;
use crate::http::i18n::{current, tr, tr_with};
use crate::http::{back_to, permit, render, Layout, PageResult, Pager};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::Form;
use lmp_core::paging::{search_term, Page};
use lmp_core::policy::{Action, UserRole};
use lmp_store::invitations::Invitation;
use lmp_store::sign_ins::{SignIn, SignInFilter};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct SignInsQuery {
    search: Option<String>,
    /// "1" to list deactivated sign-ins too.
    deactivated: Option<String>,
    offset: Option<u64>,
    #[serde(flatten)]
    notice: crate::http::Notice,
}

#[derive(Template)]
#[template(path = "sign_ins.html")]
struct SignInsPage {
    layout: Layout,
    search: String,
    deactivated: bool,
    sign_ins: Vec<SignIn>,
    roles: Vec<(&'static str, &'static str)>,
    pager: Pager,
    me: i64,
    invitations: Vec<InvitationRow>,
    notice: crate::http::Notice,
}

impl SignInsPage {
    fn role_label(&self, word: &str) -> String {
        role_in_words(word)
    }
}

/// A sign-in's role word (`labor_representative`) in the reader's words.
fn role_in_words(word: &str) -> String {
    word.parse::<UserRole>()
        .map_or_else(|_| word.to_string(), |r| r.label_in(current()).to_string())
}

/// A waiting invitation as the page lists it.
struct InvitationRow {
    person_id: i64,
    person_name: String,
    email: String,
    sent: String,
    until: String,
    expired: bool,
}

impl InvitationRow {
    fn of(i: Invitation, now: &str, layout: &Layout) -> InvitationRow {
        InvitationRow {
            expired: i.expires_at.as_str() <= now,
            sent: layout.time(&i.created_at),
            until: layout.time(&i.expires_at),
            person_id: i.person_id,
            person_name: i.person_name,
            email: i.email,
        }
    }
}

pub async fn list(State(state): State<AppState>, who: SignedIn, Query(q): Query<SignInsQuery>) -> PageResult {
    permit(&who, Action::ManageSignIns)?;
    let deactivated = q.deactivated.as_deref() == Some("1");
    let filter = SignInFilter {
        search: search_term(q.search.as_deref()),
        include_deactivated: deactivated,
    };
    let paged = state
        .store
        .sign_ins_page(who.actor.partnership_id, &filter, Page::new(None, q.offset))
        .await?;
    let layout = Layout::new(&state, &who, tr("nav-sign-ins"))
        .await?
        .crumb("/sign-ins", tr("nav-sign-ins"));
    let now = lmp_store::decisions::now_precise();
    let invitations = state
        .store
        .invitations_waiting(who.actor.partnership_id, crate::account::api::INVITATIONS_SHOWN)
        .await?
        .into_iter()
        .map(|i| InvitationRow::of(i, &now, &layout))
        .collect();
    let search = filter.search.clone().unwrap_or_default();
    let pager = Pager::new(
        &paged,
        "/sign-ins",
        &[
            ("search", search.clone()),
            ("deactivated", if deactivated { "1".into() } else { String::new() }),
        ],
    );
    render(&SignInsPage {
        layout,
        search,
        deactivated,
        sign_ins: paged.items,
        roles: UserRole::ALL
            .iter()
            .map(|r| (r.as_str(), r.label_in(current())))
            .collect(),
        pager,
        me: who.user.id,
        invitations,
        notice: q.notice,
    })
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    csrf: String,
    change: String,
    role: Option<String>,
}

pub async fn change(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let outcome = match actions::parse_change(&form.change, form.role.as_deref()) {
        Ok(change) => actions::change_sign_in(&state, &who.actor, id, change).await,
        Err(e) => Err(e),
    };
    let done = match &outcome {
        Ok(s) => match (&s.deactivated_on, form.change.as_str()) {
            (Some(on), _) => tr_with(
                "done-sign-in-deactivated",
                &[("name", s.username.clone()), ("day", on.to_string())],
            ),
            (None, "reactivate") => tr_with("done-sign-in-back", &[("name", s.username.clone())]),
            _ => tr_with(
                "done-sign-in-role",
                &[("name", s.username.clone()), ("role", role_in_words(&s.role))],
            ),
        },
        Err(_) => String::new(),
    };
    // Back to the changed sign-in, found again by its name.
    let name = outcome.as_ref().map(|s| s.username.clone()).unwrap_or_default();
    let query = serde_urlencoded::to_string([("search", name)]).unwrap_or_default();
    back_to(&format!("/sign-ins?{query}#user-{id}"), outcome, &done)
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    csrf: String,
    employee_no: String,
    email: String,
}

pub async fn invite(State(state): State<AppState>, who: SignedIn, Form(form): Form<InviteForm>) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let outcome = actions::invite(&state, &who.actor, &form.employee_no, &form.email).await;
    let zone = state.store.partnership_zone(who.actor.partnership_id).await?;
    let done = match &outcome {
        Ok(i) => tr_with(
            "done-invitation-sent",
            &[
                ("name", i.person_name.clone()),
                ("email", i.email.clone()),
                (
                    "until",
                    lmp_core::time::stored_in_words(&i.expires_at, &zone, current()),
                ),
            ],
        ),
        Err(_) => String::new(),
    };
    back_to("/sign-ins#invite", outcome, &done)
}
