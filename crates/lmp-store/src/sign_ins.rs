//! Sign-ins as the partnership's administrator keeps them: who can sign in,
//! with what role and where it comes from, and who no longer can. A
//! sign-in is deactivated, never deleted: its audit trail keeps its name.

use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::paging::{contains_pattern, Page, Paged};
use lmp_core::policy::{Action, Denied, Permit, UserRole};
use lmp_core::sign_in::{check_sign_in_change, SignInChange, SignInFacts};
use serde::Serialize;
use sqlx::FromRow;

/// A sign-in as the administrator's list shows it.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct SignIn {
    pub id: i64,
    pub username: String,
    pub role: String,
    /// granted (by an administrator or the operator) or record (the
    /// person's standing roles and seats, read at each sign-in).
    pub role_source: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub employee_no: Option<String>,
    pub email: Option<String>,
    /// Made by single sign-on through the employer's identity provider.
    pub single_sign_on: bool,
    pub created_at: String,
    pub deactivated_on: Option<String>,
}

/// Which sign-ins to list.
#[derive(Debug, Clone, Default)]
pub struct SignInFilter {
    /// Matches user names, people's names and employee numbers.
    pub search: Option<String>,
    /// Deactivated ones too.
    pub include_deactivated: bool,
}

const SIGN_IN_SELECT: &str = "SELECT u.id, u.username, u.role, u.role_source, u.person_id, p.name AS person_name, \
     p.employee_no, u.email, CASE WHEN u.sso_subject IS NULL THEN FALSE ELSE TRUE END AS single_sign_on, \
     u.created_at, u.deactivated_on FROM users u LEFT JOIN people p ON p.id = u.person_id";
/// `$1` partnership, `$2` a LIKE pattern or '', `$3` 1 to include deactivated.
const SIGN_IN_FILTER: &str = "u.partnership_id = $1 \
     AND ($2 = '' OR LOWER(u.username) LIKE $2 ESCAPE '\\' OR LOWER(p.name) LIKE $2 ESCAPE '\\' OR LOWER(p.employee_no) LIKE $2 ESCAPE '\\') \
     AND ($3 = 1 OR u.deactivated_on IS NULL)";

fn require_sign_ins(permit: &Permit) -> Result<i64> {
    match permit.action() {
        Action::ManageSignIns => Ok(permit.actor().partnership_id),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

impl Store {
    pub async fn sign_ins_page(&self, partnership_id: i64, filter: &SignInFilter, page: Page) -> Result<Paged<SignIn>> {
        let pattern = filter.search.as_deref().map(contains_pattern).unwrap_or_default();
        let deactivated = i64::from(filter.include_deactivated);
        let count_sql =
            format!("SELECT COUNT(*) FROM users u LEFT JOIN people p ON p.id = u.person_id WHERE {SIGN_IN_FILTER}");
        let list_sql = format!("{SIGN_IN_SELECT} WHERE {SIGN_IN_FILTER} ORDER BY u.username LIMIT $4 OFFSET $5");
        let (total, items): (i64, Vec<SignIn>) = on_pool!(self, |pool| {
            let total = sqlx::query_scalar(&count_sql)
                .bind(partnership_id)
                .bind(&pattern)
                .bind(deactivated)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(&list_sql)
                .bind(partnership_id)
                .bind(&pattern)
                .bind(deactivated)
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(Paged::new(items, total, page))
    }

    pub async fn sign_in(&self, partnership_id: i64, id: i64) -> Result<Option<SignIn>> {
        let sql = format!("{SIGN_IN_SELECT} WHERE u.partnership_id = $1 AND u.id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// Grant a sign-in a role, deactivate it (its sessions end at once) or
    /// bring it back, audited, as lmp-core's rules allow: never one's own,
    /// never the last active administrator.
    pub async fn change_sign_in(
        &self,
        permit: &Permit,
        user_id: i64,
        change: SignInChange,
        today: Date,
    ) -> Result<SignIn> {
        let pid = require_sign_ins(permit)?;
        let actor = permit.actor();
        let actor_name = actor.username.clone();
        let is_self = actor.user_id == user_id;
        in_tx!(self, |tx| {
            let stored: Option<(String, String, Option<String>)> = sqlx::query_as(
                "SELECT username, role, deactivated_on FROM users WHERE partnership_id = $1 AND id = $2",
            )
            .bind(pid)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (username, role, deactivated_on) = stored.ok_or(StoreError::NotFound("sign-in"))?;
            let role: UserRole = role.parse().map_err(StoreError::Rule)?;
            let active_admins: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE partnership_id = $1 AND role = 'partnership_admin' AND deactivated_on IS NULL",
            )
            .bind(pid)
            .fetch_one(&mut *tx)
            .await?;
            let facts = SignInFacts {
                is_self,
                role,
                active: deactivated_on.is_none(),
                active_admins: u64::try_from(active_admins).unwrap_or(0),
            };
            check_sign_in_change(facts, change).map_err(|e| StoreError::Rule(e.into()))?;
            let before = serde_json::json!({"role": role.as_str(), "deactivated_on": deactivated_on});
            let (action, after) = match change {
                SignInChange::Grant(new) => {
                    sqlx::query("UPDATE users SET role = $1, role_source = 'granted' WHERE id = $2")
                        .bind(new.as_str())
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                    ("user.grant", serde_json::json!({"role": new.as_str()}))
                }
                SignInChange::Deactivate => {
                    deactivate_sign_ins!(tx, &[user_id], &today.to_string());
                    (
                        "user.deactivate",
                        serde_json::json!({"deactivated_on": today.to_string()}),
                    )
                }
                SignInChange::Reactivate => {
                    sqlx::query("UPDATE users SET deactivated_on = NULL WHERE id = $1")
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                    ("user.reactivate", serde_json::json!({"deactivated_on": null}))
                }
            };
            let change = Change::new(action, "user", &username).before(&before).after(&after);
            tx.append_audit(pid, &actor_name, vec![change]).await?;
        });
        self.sign_in(pid, user_id).await?.ok_or(StoreError::NotFound("sign-in"))
    }
}

/// Inside the writer's transaction `$tx`: deactivate the sign-ins `$ids`
/// (a slice of user ids) on `$day` and end their sessions at once (their
/// API tokens stop answering too); the number deactivated.
macro_rules! deactivate_sign_ins {
    ($tx:expr, $ids:expr, $day:expr) => {{
        let (ids, day): (&[i64], &str) = ($ids, $day);
        let mut changed: u64 = 0;
        for chunk in ids.chunks(500) {
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            let list = list.join(",");
            changed += sqlx::query(&format!(
                "UPDATE users SET deactivated_on = $1 WHERE id IN ({list}) AND deactivated_on IS NULL"
            ))
            .bind(day)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            sqlx::query(&format!("DELETE FROM sessions WHERE user_id IN ({list})"))
                .execute(&mut *$tx)
                .await?;
        }
        changed
    }};
}
pub(crate) use deactivate_sign_ins;

/// Inside the writer's transaction `$tx`: the role the record of person
/// `$person_id` (of kind `$kind`) gives a sign-in no one granted one
/// (lmp-core's `role_from_record`): their standing roles, and whether they
/// co-lead or sponsor a body above the teams for their own side.
macro_rules! record_role {
    ($tx:expr, $pid:expr, $person_id:expr, $kind:expr) => {{
        let (pid, person_id, kind): (i64, i64, lmp_core::person::PersonKind) = ($pid, $person_id, $kind);
        let standing: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM standing_roles WHERE partnership_id = $1 AND person_id = $2")
                .bind(pid)
                .bind(person_id)
                .fetch_one(&mut *$tx)
                .await?;
        let councils: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM seats s JOIN bodies b ON b.id = s.body_id \
             WHERE s.partnership_id = $1 AND s.person_id = $2 AND b.level <> 'team' \
             AND b.closed_on IS NULL AND s.role IN ('co_lead', 'sponsor') AND s.side = $3",
        )
        .bind(pid)
        .bind(person_id)
        .bind(kind.home_side().as_str())
        .fetch_one(&mut *$tx)
        .await?;
        lmp_core::sign_in::role_from_record(lmp_core::sign_in::RecordFacts {
            side: kind.home_side(),
            standing_role: standing > 0,
            leads_a_council: councils > 0,
        })
    }};
}
pub(crate) use record_role;

/// What single sign-on found for an identity provider's answer.
#[derive(Debug, Clone)]
pub enum SsoSignIn {
    /// Sign in as this user.
    Ready(crate::model::User),
    /// No one with that employee number works here.
    UnknownPerson,
    /// The person left, or their sign-in was deactivated.
    Deactivated,
}

/// A stored sign-in as single sign-on reads it: id, user name, role
/// source, deactivated on, the provider's subject.
type StoredSignIn = (i64, String, String, Option<String>, Option<String>);

/// A password no password hashes to: a sign-in made by single sign-on has
/// none until an invitation gives it one.
pub const NO_PASSWORD: &str = "!single-sign-on";

impl Store {
    /// The sign-in of the person the identity provider vouched for
    /// (`subject`, with `employee_no` from the configured claim), made the
    /// first time they come. Its role, unless an administrator granted one,
    /// is what the person's record gives (lmp-core's `role_from_record`),
    /// read anew at each sign-in.
    pub async fn sso_sign_in(&self, partnership_id: i64, subject: &str, employee_no: &str) -> Result<SsoSignIn> {
        use lmp_core::person::PersonKind;
        let id: Option<i64> = in_tx!(self, |tx| {
            let person: Option<(i64, String, Option<String>)> =
                sqlx::query_as("SELECT id, kind, left_on FROM people WHERE partnership_id = $1 AND employee_no = $2")
                    .bind(partnership_id)
                    .bind(employee_no.trim())
                    .fetch_optional(&mut *tx)
                    .await?;
            match person {
                None => None,
                Some((_, _, Some(_))) => Some(0),
                Some((person_id, kind, None)) => {
                    let kind: PersonKind = kind.parse().map_err(StoreError::Rule)?;
                    let from_record = record_role!(tx, partnership_id, person_id, kind);
                    let existing: Option<StoredSignIn> = sqlx::query_as(
                        "SELECT id, username, role_source, deactivated_on, sso_subject FROM users \
                         WHERE partnership_id = $1 AND (sso_subject = $2 OR (sso_subject IS NULL AND person_id = $3)) \
                         ORDER BY CASE WHEN sso_subject = $2 THEN 0 ELSE 1 END LIMIT 1",
                    )
                    .bind(partnership_id)
                    .bind(subject)
                    .bind(person_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    match existing {
                        Some((_, _, _, Some(_), _)) => Some(0),
                        Some((id, username, role_source, None, sso_subject)) => {
                            if sso_subject.is_none() {
                                sqlx::query("UPDATE users SET sso_subject = $1 WHERE id = $2")
                                    .bind(subject)
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await?;
                                let change = Change::new("user.single_sign_on", "user", &username)
                                    .after(&serde_json::json!({"subject": subject}));
                                tx.append_audit(partnership_id, &username, vec![change]).await?;
                            }
                            if role_source == "record" {
                                sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                                    .bind(from_record.as_str())
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await?;
                            }
                            Some(id)
                        }
                        None => {
                            // The employee number names the sign-in; another
                            // partnership may have the same number.
                            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
                                .bind(employee_no)
                                .fetch_one(&mut *tx)
                                .await?;
                            let username = if taken == 0 {
                                employee_no.to_string()
                            } else {
                                format!("{employee_no}-{partnership_id}")
                            };
                            let id: i64 = sqlx::query_scalar(
                                "INSERT INTO users (partnership_id, username, password_hash, role, person_id, created_at, \
                                 sso_subject, role_source) VALUES ($1, $2, $3, $4, $5, $6, $7, 'record') RETURNING id",
                            )
                            .bind(partnership_id)
                            .bind(&username)
                            .bind(NO_PASSWORD)
                            .bind(from_record.as_str())
                            .bind(person_id)
                            .bind(crate::now_text())
                            .bind(subject)
                            .fetch_one(&mut *tx)
                            .await?;
                            let change = Change::new("user.create", "user", &username).after(&serde_json::json!({
                                "role": from_record.as_str(), "role_source": "record", "single_sign_on": true,
                            }));
                            tx.append_audit(partnership_id, &username, vec![change]).await?;
                            Some(id)
                        }
                    }
                }
            }
        });
        Ok(match id {
            None => SsoSignIn::UnknownPerson,
            Some(0) => SsoSignIn::Deactivated,
            Some(id) => match self.user(id).await? {
                Some(user) => SsoSignIn::Ready(user),
                None => SsoSignIn::UnknownPerson,
            },
        })
    }
}
