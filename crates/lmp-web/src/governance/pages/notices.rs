//! A person's notices: what needs their stance, deadlines passed, blocks,
//! escalations, adoptions, meetings called.

use crate::auth::session::SignedIn;
use crate::http::i18n::tr;
use crate::http::PageQuery as Query;
use crate::http::{back_to, permit, render, Fields, Layout, Notice, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{RawForm, State};
use lmp_core::policy::Action;

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    layout: Layout,
    notice: Notice,
    linked: bool,
    notices: Vec<lmp_store::notices::Notice>,
}

pub async fn list(State(state): State<AppState>, who: SignedIn, Query(notice): Query<Notice>) -> PageResult {
    permit(&who, Action::ReadStructure)?;
    let notices = match who.user.person_id {
        Some(person) => state.store.notices_of(who.actor.partnership_id, person, 200).await?,
        None => Vec::new(),
    };
    let layout = Layout::new(&state, &who, tr("nav-notices"))
        .await?
        .crumb("/notices", tr("nav-notices"));
    render(&NoticesPage {
        layout,
        notice,
        linked: who.user.person_id.is_some(),
        notices,
    })
}

/// Mark every notice read, or the one named.
pub async fn read(State(state): State<AppState>, who: SignedIn, RawForm(body): RawForm) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = async {
        let one = f.optional_id("id")?;
        match who.user.person_id {
            Some(person) => Ok(state
                .store
                .mark_notices_read(who.actor.partnership_id, person, one)
                .await?),
            None => Ok(0),
        }
    }
    .await;
    back_to("/notices", outcome, &tr("done-marked-read"))
}
