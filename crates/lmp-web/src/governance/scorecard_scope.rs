//! Which scorecard a request asks for — national, a unit, a team — checked
//! against the caller's partnership, for the page, the downloads and the API.

use crate::http::i18n::refusal;
use crate::http::{AppError, AppResult};
use crate::state::AppState;
use lmp_store::scorecard::{Behind, Scope};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeParams {
    /// A region, facility or department; national when neither is given.
    pub unit: Option<i64>,
    /// One team.
    pub team: Option<i64>,
    /// For a drill-down: all, level:N, top_levels, compass:POINT, year:YYYY, undocumented, missing_leader.
    pub behind: Option<String>,
    pub offset: Option<u64>,
    pub limit: Option<u32>,
}

/// The scope and its name, as the page titles it.
pub struct Resolved {
    pub scope: Scope,
    pub name: String,
    /// The unit whose path makes the breadcrumb, if any.
    pub unit_id: Option<i64>,
}

pub async fn resolve(state: &AppState, partnership_id: i64, params: &ScopeParams) -> AppResult<Resolved> {
    match (params.unit, params.team) {
        (Some(_), Some(_)) => Err(AppError::BadRequest(refusal("refused-unit-or-team", &[]))),
        (Some(unit), None) => {
            let found = state
                .store
                .unit(partnership_id, unit)
                .await?
                .ok_or(AppError::NotFound("unit"))?;
            let kind: lmp_core::org::UnitKind = found
                .kind
                .parse()
                .map_err(|e: lmp_core::Refusal| AppError::Internal(e.to_string()))?;
            if !kind.is_employer_unit() {
                return Err(AppError::BadRequest(refusal(
                    "refused-union-unit-scorecard",
                    &[("unit", found.name)],
                )));
            }
            Ok(Resolved {
                scope: Scope::Unit(unit),
                name: found.name,
                unit_id: Some(unit),
            })
        }
        (None, Some(team)) => {
            let found = state
                .store
                .team(partnership_id, team)
                .await?
                .ok_or(AppError::NotFound("team"))?;
            Ok(Resolved {
                scope: Scope::Team(team),
                name: found.name,
                unit_id: found.unit_id,
            })
        }
        (None, None) => Ok(Resolved {
            scope: Scope::National,
            name: "National".into(),
            unit_id: None,
        }),
    }
}

/// `level:3` → the teams at level 3, and so on.
pub fn parse_behind(text: Option<&str>) -> AppResult<Behind> {
    let text = text.unwrap_or("all").trim();
    let (key, value) = text.split_once(':').unwrap_or((text, ""));
    Ok(match (key, value) {
        ("all" | "", _) => Behind::All,
        ("level", n) => Behind::Level(
            n.parse()
                .ok()
                .filter(|l| (0..=5).contains(l))
                .ok_or_else(|| AppError::BadRequest(refusal("refused-behind-level", &[("n", n.to_string())])))?,
        ),
        ("top_levels", _) => Behind::TopLevels,
        ("compass", point) => Behind::Compass(
            point
                .parse::<lmp_core::improvement::CompassPoint>()
                .map_err(AppError::BadRequest)?
                .as_str()
                .to_string(),
        ),
        ("year", year) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => {
            Behind::SavingsYear(year.into())
        }
        ("undocumented", _) => Behind::Undocumented,
        ("missing_leader", _) => Behind::MissingLeader,
        _ => {
            return Err(AppError::BadRequest(lmp_core::Refusal::unknown_word(
                "behind",
                text,
                &[
                    "all",
                    "level:N",
                    "top_levels",
                    "compass:POINT",
                    "year:YYYY",
                    "undocumented",
                    "missing_leader",
                ],
            )))
        }
    })
}

/// The query string that names a scope, for links.
pub fn scope_query(scope: Scope) -> String {
    match scope {
        Scope::National => String::new(),
        Scope::Unit(id) => format!("unit={id}"),
        Scope::Team(id) => format!("team={id}"),
    }
}
