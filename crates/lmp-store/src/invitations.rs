//! Invitations by email, for those the employer's single sign-on does not
//! reach: the administrator names the person and an address; the email
//! (through the outbox, so a failed send is retried) carries a link good
//! once, for a week; the person chooses a user name and a password. Only
//! the link's hash is kept.

use crate::audit::{AuditAppend, Change};
use lmp_core::refuse;
// Times as the outbox keeps them, so `mail_due` finds the mail at once.
use crate::decisions::stamp;
use crate::model::User;
use crate::sign_ins::record_role;
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::{Span, Timestamp};
use lmp_core::person::PersonKind;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::sign_in::{check_new_password, check_username, invitation_mail, INVITATION_DAYS};
use serde::Serialize;
use sqlx::FromRow;

/// An invitation as the administrator sees it once sent.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Invitation {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub email: String,
    pub created_at: String,
    pub expires_at: String,
    pub accepted_at: Option<String>,
}

/// An invitation as its link opens it: whom it is for.
#[derive(Debug, Clone, FromRow)]
pub struct OpenInvitation {
    pub id: i64,
    pub partnership_name: String,
    pub person_name: String,
    pub employee_no: String,
}

const INVITATION_SELECT: &str = "SELECT i.id, i.person_id, p.name AS person_name, i.email, i.created_at, \
     i.expires_at, i.accepted_at FROM invitations i JOIN people p ON p.id = i.person_id";

/// Inside transaction `$tx`: whether person `$person_id` has a sign-in
/// that is not deactivated, when an invitation would make a second.
macro_rules! has_working_sign_in {
    ($tx:expr, $pid:expr, $person_id:expr) => {{
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE partnership_id = $1 AND person_id = $2 AND deactivated_on IS NULL",
        )
        .bind($pid)
        .bind($person_id)
        .fetch_one(&mut *$tx)
        .await?;
        count > 0
    }};
}

impl Store {
    /// Invite the person with `employee_no` to sign in, mailing `link` (the
    /// page's address, its token in it) to `email`; `token_hash` is what is
    /// kept. Refused for someone who left or already has a working sign-in.
    pub async fn invite(
        &self,
        permit: &Permit,
        employee_no: &str,
        email: &str,
        token_hash: &str,
        link: &str,
    ) -> Result<Invitation> {
        let pid = match permit.action() {
            Action::ManageSignIns => permit.actor().partnership_id,
            _ => return Err(StoreError::Denied(Denied::Forbidden)),
        };
        let actor = permit.actor().username.clone();
        let email = email.trim();
        lmp_core::notice::check_email(email).map_err(StoreError::Rule)?;
        let now = Timestamp::now();
        let expires = now
            .checked_add(Span::new().hours(INVITATION_DAYS * 24))
            .map_err(|e| StoreError::Rule(lmp_core::Refusal::as_written(e.to_string())))?;
        let id: i64 = in_tx!(self, |tx| {
            let person: Option<(i64, String, Option<String>)> =
                sqlx::query_as("SELECT id, name, left_on FROM people WHERE partnership_id = $1 AND employee_no = $2")
                    .bind(pid)
                    .bind(employee_no.trim())
                    .fetch_optional(&mut *tx)
                    .await?;
            let (person_id, person_name, left_on) = person.ok_or_else(|| {
                let employee_no = employee_no.trim();
                StoreError::Rule(refuse!(
                    "no one has employee number {employee_no:?} here",
                    "nadie tiene aquí el número de empleado {employee_no:?}"
                ))
            })?;
            if let Some(left_on) = left_on {
                return Err(StoreError::Rule(refuse!(
                    "{person_name} left on {left_on}: invite those who work here",
                    "{person_name} se fue el {left_on}: invite a quienes trabajan aquí"
                )));
            }
            if has_working_sign_in!(tx, pid, person_id) {
                return Err(StoreError::Rule(refuse!(
                    "{person_name} already has a sign-in",
                    "{person_name} ya tiene un acceso"
                )));
            }
            let partnership: String = sqlx::query_scalar("SELECT name FROM partnerships WHERE id = $1")
                .bind(pid)
                .fetch_one(&mut *tx)
                .await?;
            // A new invitation stands in for any earlier one still waiting.
            sqlx::query(
                "UPDATE invitations SET expires_at = $1 \
                 WHERE partnership_id = $2 AND person_id = $3 AND accepted_at IS NULL AND expires_at > $1",
            )
            .bind(stamp(now))
            .bind(pid)
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO invitations (partnership_id, person_id, email, token_hash, created_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(pid)
            .bind(person_id)
            .bind(email)
            .bind(token_hash)
            .bind(&actor)
            .bind(stamp(now))
            .bind(stamp(expires))
            .fetch_one(&mut *tx)
            .await?;
            // The outbox sends a notice's words with its link; the notice is
            // born read, as it is for the mail alone.
            let (subject, body) = invitation_mail(&partnership, &person_name);
            let notice_id: i64 = sqlx::query_scalar(
                "INSERT INTO notices (partnership_id, person_id, kind, text, link, created_at, read_at) \
                 VALUES ($1, $2, 'invitation', $3, $4, $5, $5) RETURNING id",
            )
            .bind(pid)
            .bind(person_id)
            .bind(&body)
            .bind(link)
            .bind(stamp(now))
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO mail_outbox (partnership_id, notice_id, to_address, subject, body, created_at, next_attempt_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(pid)
            .bind(notice_id)
            .bind(email)
            .bind(&subject)
            .bind(&body)
            .bind(stamp(now))
            .execute(&mut *tx)
            .await?;
            let change = Change::new("user.invite", "person", employee_no.trim())
                .after(&serde_json::json!({"email": email, "expires_at": stamp(expires)}));
            tx.append_audit(pid, &actor, vec![change]).await?;
            id
        });
        let sql = format!("{INVITATION_SELECT} WHERE i.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_one(pool)
            .await?))
    }

    /// Each person's latest invitation while not taken up, newest first,
    /// those expired too: the administrator sends another for them.
    pub async fn invitations_waiting(&self, partnership_id: i64, limit: i64) -> Result<Vec<Invitation>> {
        let sql = format!("{INVITATION_SELECT} WHERE i.partnership_id = $1 AND i.accepted_at IS NULL \
             AND i.id = (SELECT MAX(l.id) FROM invitations l WHERE l.person_id = i.person_id) ORDER BY i.id DESC LIMIT $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// The invitation a link names, while it is good: not used, not expired.
    pub async fn open_invitation(&self, token_hash: &str) -> Result<Option<OpenInvitation>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT i.id, pa.name AS partnership_name, p.name AS person_name, p.employee_no \
             FROM invitations i JOIN people p ON p.id = i.person_id JOIN partnerships pa ON pa.id = i.partnership_id \
             WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2 AND p.left_on IS NULL"
        )
        .bind(token_hash)
        .bind(stamp(Timestamp::now()))
        .fetch_optional(pool)
        .await?))
    }

    /// Take up an invitation: a sign-in for its person, with the user name
    /// and password they chose (`password_hash` of `password`, checked
    /// here), the invitation's address for their notices, and the role
    /// their record gives. The link works once.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        username: &str,
        password: &str,
        password_hash: &str,
    ) -> Result<User> {
        let username = username.trim();
        check_username(username).map_err(StoreError::Rule)?;
        check_new_password(password).map_err(StoreError::Rule)?;
        let now = stamp(Timestamp::now());
        let id: i64 = in_tx!(self, |tx| {
            let invitation: Option<(i64, i64, i64, String, String)> = sqlx::query_as(
                "SELECT i.id, i.partnership_id, i.person_id, i.email, p.kind FROM invitations i \
                 JOIN people p ON p.id = i.person_id \
                 WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2 AND p.left_on IS NULL",
            )
            .bind(token_hash)
            .bind(&now)
            .fetch_optional(&mut *tx)
            .await?;
            let (invitation_id, pid, person_id, email, kind) = invitation.ok_or(StoreError::NotFound("invitation"))?;
            // Taken first, so two tabs posting the same link make one sign-in.
            let claimed = sqlx::query("UPDATE invitations SET accepted_at = $1 WHERE id = $2 AND accepted_at IS NULL")
                .bind(&now)
                .bind(invitation_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if claimed == 0 {
                return Err(StoreError::NotFound("invitation"));
            }
            if has_working_sign_in!(tx, pid, person_id) {
                return Err(StoreError::Rule(refuse!(
                    "you already have a sign-in here: sign in with it",
                    "ya tiene un acceso aquí: entre con él"
                )));
            }
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
                .bind(username)
                .fetch_one(&mut *tx)
                .await?;
            if taken > 0 {
                return Err(StoreError::Rule(refuse!(
                    "the user name {username:?} is taken: choose another",
                    "el nombre de usuario {username:?} ya está en uso: elija otro"
                )));
            }
            let kind: PersonKind = kind.parse().map_err(StoreError::Rule)?;
            let role = record_role!(tx, pid, person_id, kind);
            let user_id: i64 = sqlx::query_scalar(
                "INSERT INTO users (partnership_id, username, password_hash, role, person_id, created_at, email, role_source) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'record') RETURNING id",
            )
            .bind(pid)
            .bind(username)
            .bind(password_hash)
            .bind(role.as_str())
            .bind(person_id)
            .bind(&now)
            .bind(&email)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE invitations SET user_id = $1 WHERE id = $2")
                .bind(user_id)
                .bind(invitation_id)
                .execute(&mut *tx)
                .await?;
            let change = Change::new("user.create", "user", username).after(&serde_json::json!({
                "role": role.as_str(), "role_source": "record", "invitation": invitation_id,
            }));
            tx.append_audit(pid, username, vec![change]).await?;
            user_id
        });
        self.user(id).await?.ok_or(StoreError::NotFound("user"))
    }
}
