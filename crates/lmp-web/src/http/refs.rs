//! How a request names things: a person (by id or employee number), a
//! side, a day; each refused with a message that says what was wrong.

use super::errors::{AppError, AppResult};
use crate::state::AppState;
use jiff::civil::Date;
use lmp_core::side::UnknownSide;
use lmp_core::Side;

/// Someone named in a request: by id (the API) or by employee number (a form).
pub enum PersonRef<'a> {
    Id(i64),
    EmployeeNo(&'a str),
}

impl PersonRef<'_> {
    pub async fn resolve(&self, state: &AppState, partnership_id: i64) -> AppResult<i64> {
        match self {
            PersonRef::Id(id) => Ok(*id),
            PersonRef::EmployeeNo(no) => {
                let no = no.trim();
                state
                    .store
                    .person_id_by_employee_no(partnership_id, no)
                    .await?
                    .ok_or_else(|| {
                        AppError::Rule(crate::http::i18n::refusal(
                            "error-no-employee",
                            &[("number", no.to_string())],
                        ))
                    })
            }
        }
    }
}

pub fn parse_side(side: &str) -> AppResult<Side> {
    side.parse().map_err(|e: UnknownSide| AppError::BadRequest(e.into()))
}

pub fn parse_day(what: &str, text: &str) -> AppResult<Date> {
    text.trim().parse().map_err(|_| {
        AppError::BadRequest(crate::http::i18n::refusal(
            "refused-not-a-date",
            &[("field", what.to_string()), ("text", text.to_string())],
        ))
    })
}
