//! The redeployment board: displacements and their alternatives, the pool
//! with days of protection left, placement proposals with their reasons and
//! each side's acceptance, retraining, by region and local, and how long
//! placement took. EIS representatives run placement and accept here.

use crate::auth::session::SignedIn;
use crate::eis::actions::{self, AlternativeInput, DeclineInput, DisplacementInput};
use crate::http::i18n::{tr, tr_with};
use crate::http::{back_to, charts::bar_chart, render, AppError, Fields, Layout, Notice, PageResult, Pager};
use crate::http::{PagePath as Path, PageQuery as Query};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, RawForm, State};
use lmp_core::eis::rules::{Alternative, Reason};
use lmp_core::paging::{search_term, Page};
use lmp_core::policy::Action;
use lmp_store::eis::pool::PoolWorker;
use lmp_store::eis::runs::{Board, Proposal, ProposalFilter};
use lmp_store::eis::{Displacement, Representative};
use serde::{Deserialize, Serialize};

/// Which proposals the board lists, and where in them: travels in the
/// address, and through accept and decline so the page comes back as it was.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ProposalsShown {
    /// `open` (awaiting acceptance, the default), `unplaced`, `placed`,
    /// `declined`, `superseded` or `all`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show: Option<String>,
    /// Words of the worker's name, or the employee number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    /// Kept as text: a number inside a flattened query does not parse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
}

/// The board's choices of what to show, as (value, the catalogue's key for its words).
const SHOW_CHOICES: [(&str, &str); 6] = [
    ("open", "eis-show-open"),
    ("unplaced", "eis-show-unplaced"),
    ("placed", "eis-show-placed"),
    ("declined", "eis-show-declined"),
    ("superseded", "eis-show-superseded"),
    ("all", "eis-show-all"),
];

/// Proposals listed a page at a time: 2,500 on one page is no board.
const PROPOSALS_PER_PAGE: u32 = 50;

impl ProposalsShown {
    fn show(&self) -> &'static str {
        let asked = self.show.as_deref().unwrap_or("open");
        SHOW_CHOICES
            .iter()
            .find(|(v, _)| *v == asked)
            .map_or("open", |(v, _)| v)
    }

    fn offset(&self) -> Option<u64> {
        self.offset.as_deref().and_then(|o| o.parse().ok())
    }

    fn filter(&self) -> ProposalFilter {
        let status = match self.show() {
            "all" => None,
            "open" => Some("proposed".to_string()),
            other => Some(other.to_string()),
        };
        ProposalFilter {
            worker: search_term(self.worker.as_deref()),
            local: search_term(self.local.as_deref()),
            facility: search_term(self.facility.as_deref()),
            status,
        }
    }

    /// The board's address for this list: only its own fields, so a form's
    /// `back` can never send the browser elsewhere.
    fn href(&self, anchor: &str) -> String {
        let query = serde_urlencoded::to_string(self).unwrap_or_default();
        if query.is_empty() {
            format!("/eis#{anchor}")
        } else {
            format!("/eis?{query}#{anchor}")
        }
    }

    /// The list a form came from, read from its `back` field.
    fn from_form(f: &Fields) -> ProposalsShown {
        serde_urlencoded::from_str(f.one("back")).unwrap_or_default()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    #[serde(flatten)]
    pub shown: ProposalsShown,
    #[serde(flatten)]
    pub notice: Notice,
}

#[derive(Template)]
#[template(path = "eis.html")]
struct BoardPage {
    layout: Layout,
    notice: Notice,
    board: Board,
    chart: String,
    displacements: Vec<Displacement>,
    proposals: Vec<Proposal>,
    proposals_pager: Pager,
    shown: ProposalsShown,
    /// `shown` as the accept and decline forms carry it back.
    back: String,
    show: &'static str,
    show_choices: [(&'static str, &'static str); 6],
    locals: Vec<String>,
    facilities: Vec<String>,
    pool: Vec<PoolWorker>,
    representatives: Vec<Representative>,
    can_manage: bool,
    /// The side this sign-in speaks for in EIS, if a representative.
    my_side: Option<String>,
    reasons: Vec<(&'static str, &'static str)>,
    alternatives: Vec<(&'static str, &'static str)>,
    /// What pay may do when protection ends, by today's rule.
    after_protection: Vec<&'static str>,
    today: String,
}

/// Days to placement in buckets of a month.
fn placement_chart(days: &[i64]) -> String {
    if days.is_empty() {
        return String::new();
    }
    let over = tr("eis-over-365");
    let labels = ["0–30", "31–60", "61–90", "91–180", "181–365", over.as_str()];
    let bucket = |d: i64| match d {
        0..=30 => 0,
        31..=60 => 1,
        61..=90 => 2,
        91..=180 => 3,
        181..=365 => 4,
        _ => 5,
    };
    let mut counts = [0_i64; 6];
    for d in days {
        counts[bucket(*d)] += 1;
    }
    let bars: Vec<(String, i64)> = labels.iter().zip(counts).map(|(l, c)| (l.to_string(), c)).collect();
    bar_chart(&tr("eis-chart-days"), &bars, plotters::style::RGBColor(60, 140, 80))
}

impl BoardPage {
    /// A displacement's reason, in the reader's words.
    fn reason_label(&self, code: &str) -> &'static str {
        code.parse::<Reason>().map_or("", |r| r.label_in(self.layout.language))
    }

    /// An alternative to layoffs, in the reader's words.
    fn alternative_label(&self, code: &str) -> &'static str {
        code.parse::<Alternative>()
            .map_or("", |a| a.label_in(self.layout.language))
    }
}

pub async fn show(State(state): State<AppState>, who: SignedIn, Query(q): Query<BoardQuery>) -> PageResult {
    crate::http::permit(&who, Action::ReadEis)?;
    let pid = who.actor.partnership_id;
    let board = state.store.eis_board(pid).await?;
    let shown = q.shown;
    let paged = state
        .store
        .eis_proposals_page(
            pid,
            &shown.filter(),
            Page::new(Some(PROPOSALS_PER_PAGE), shown.offset()),
        )
        .await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let params = [
        ("show", shown.show().to_string()),
        ("worker", text(&shown.worker)),
        ("local", text(&shown.local)),
        ("facility", text(&shown.facility)),
    ];
    let proposals_pager = Pager::new(&paged, "/eis", &params).at("proposals");
    let locals = board
        .by_local
        .iter()
        .map(|r| r.name.clone())
        .filter(|n| !n.starts_with('('))
        .collect();
    let mut pool = state.store.eis_pool(pid, false).await?;
    pool.sort_by_key(|w| w.protection_days_left);
    pool.truncate(200);
    let person = crate::http::person_of(&state, &who.actor).await?;
    let my_side = match person {
        Some(person) => state.store.eis_representative_side(pid, person).await?,
        None => None,
    };
    let language = crate::http::i18n::current();
    let page = BoardPage {
        layout: Layout::new(&state, &who, tr("eis-title")).await?,
        notice: q.notice,
        chart: placement_chart(&board.days_to_placement),
        board,
        displacements: state.store.eis_displacements(pid).await?,
        proposals: paged.items,
        proposals_pager,
        back: serde_urlencoded::to_string(&shown).unwrap_or_default(),
        show: shown.show(),
        show_choices: SHOW_CHOICES,
        shown,
        locals,
        facilities: state.store.eis_proposal_facilities(pid).await?,
        pool,
        representatives: state.store.eis_representatives(pid).await?,
        can_manage: actions::manage(&state, &who.actor).await.is_ok(),
        my_side: my_side.map(|s| s.as_str().to_string()),
        reasons: Reason::ALL.iter().map(|r| (r.as_str(), r.label_in(language))).collect(),
        alternatives: Alternative::ALL
            .iter()
            .map(|a| (a.as_str(), a.label_in(language)))
            .collect(),
        after_protection: state
            .store
            .eis_rules(pid)
            .await?
            .in_force(lmp_store::today())
            .after_protection
            .iter()
            .map(|o| o.label_in(language))
            .collect(),
        today: lmp_store::today().to_string(),
    };
    render(&page)
}

pub async fn record_displacement(State(state): State<AppState>, who: SignedIn, RawForm(body): RawForm) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let input = DisplacementInput {
        unit: f.one("unit").to_string(),
        reason: f.one("reason").to_string(),
        description: f.one("description").to_string(),
        announced_on: f.one("announced_on").to_string(),
        effective_on: f.one("effective_on").to_string(),
    };
    let outcome = actions::record_displacement(&state, &who.actor, input).await;
    back_to(
        "/eis#displacements",
        outcome,
        &tr("done-displacement-recorded-record-what-was"),
    )
}

pub async fn record_alternative(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let input = AlternativeInput {
        alternative: f.one("alternative").to_string(),
        finding: f.one("finding").to_string(),
    };
    let outcome = actions::record_alternative(&state, &who.actor, id, input).await;
    back_to("/eis#displacements", outcome, &tr("done-finding-recorded"))
}

pub async fn confirm(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    Fields::parse(&who, &body)?;
    let outcome = actions::confirm_alternatives(&state, &who.actor, id).await;
    let done = match &outcome {
        Ok(d) if d.pool_open => tr("done-confirmed-both"),
        _ => tr("done-confirmed-your-side"),
    };
    back_to("/eis#displacements", outcome, &done)
}

fn taken_words(outcome: &Result<lmp_store::eis::pool::Taken, AppError>, what: &str) -> String {
    match outcome {
        Ok(t) => tr_with(
            &format!("done-{what}-added"),
            &[("added", t.added.to_string()), ("unchanged", t.unchanged.to_string())],
        ),
        Err(_) => String::new(),
    }
}

pub async fn add_workers(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    form: Multipart,
) -> PageResult {
    let outcome = match crate::http::uploaded(&who, form).await {
        Ok((name, bytes)) => actions::add_workers(&state, &who.actor, id, &name, &bytes).await,
        Err(e) => Err(e),
    };
    let done = taken_words(&outcome, "workers");
    back_to("/eis#displacements", outcome, &done)
}

pub async fn import_vacancies(State(state): State<AppState>, who: SignedIn, form: Multipart) -> PageResult {
    let outcome = match crate::http::uploaded(&who, form).await {
        Ok((name, bytes)) => actions::import_vacancies(&state, &who.actor, &name, &bytes).await,
        Err(e) => Err(e),
    };
    let done = taken_words(&outcome, "vacancies");
    back_to("/eis#vacancies", outcome, &done)
}

/// One vacancy posted by hand, checked as a file row would be.
pub async fn post_vacancy(State(state): State<AppState>, who: SignedIn, RawForm(body): RawForm) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let list = |name: &str| -> Vec<String> {
        f.one(name)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let optional = |name: &str| Some(f.one(name).trim().to_string()).filter(|s| !s.is_empty());
    let input = actions::VacancyInput {
        vacancy_id: f.one("vacancy_id").trim().to_string(),
        job_class: f.one("job_class").trim().to_string(),
        required_licences: list("required_licences"),
        fte: f.one("fte").trim().to_string(),
        shift: f.one("shift").trim().to_string(),
        pay_band: f.one("pay_band").trim().to_string(),
        region: f.one("region").trim().to_string(),
        retrain_from: list("retrain_from"),
        pay_min: optional("pay_min"),
        pay_max: optional("pay_max"),
        facility: f.one("facility").trim().to_string(),
    };
    let outcome = actions::post_vacancies(&state, &who.actor, vec![input]).await;
    let done = taken_words(&outcome, "vacancies");
    back_to("/eis#vacancies", outcome, &done)
}

pub async fn run(State(state): State<AppState>, who: SignedIn, RawForm(body): RawForm) -> PageResult {
    Fields::parse(&who, &body)?;
    let outcome = actions::run_placement(&state, &who.actor).await;
    let done = match &outcome {
        Ok(r) => tr_with(
            "done-placement-run",
            &[
                ("placed", r.placed.to_string()),
                ("workers", r.workers.to_string()),
                ("comparable", r.comparable.to_string()),
                ("retraining", r.retraining.to_string()),
                ("millis", r.millis.to_string()),
            ],
        ),
        Err(_) => String::new(),
    };
    back_to("/eis#proposals", outcome, &done)
}

pub async fn accept(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let outcome = actions::accept(&state, &who.actor, id).await;
    let done = match &outcome {
        Ok(p) if p.status == "placed" => tr_with(
            "done-placed",
            &[("name", p.name.clone()), ("job", p.vacancy.clone().unwrap_or_default())],
        ),
        Ok(p) => tr_with("done-accepted-for-your-side", &[("name", p.name.clone())]),
        Err(_) => String::new(),
    };
    back_to(&ProposalsShown::from_form(&f).href("proposals"), outcome, &done)
}

pub async fn decline(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let f = Fields::parse(&who, &body)?;
    let input = DeclineInput {
        reason: f.one("reason").to_string(),
    };
    let outcome = actions::decline(&state, &who.actor, id, input).await;
    let done = match &outcome {
        Ok(p) if p.kind.as_deref() == Some("comparable") => {
            tr_with("done-declined-comparable", &[("name", p.name.clone())])
        }
        Ok(p) => tr_with("done-declined", &[("name", p.name.clone())]),
        Err(_) => String::new(),
    };
    back_to(&ProposalsShown::from_form(&f).href("proposals"), outcome, &done)
}
