//! Sign-ins, their sessions and their API tokens. The store keeps only
//! hashes of session and API tokens; the web layer makes and hashes them.

use crate::audit::{AuditAppend, Change};
use crate::model::{ApiToken, User};
use crate::{in_tx, now_text, on_pool, Result, Store, StoreError};
use lmp_core::policy::{Action, Denied, Permit, UserRole};

const USER_COLUMNS: &str = "u.id, u.partnership_id, u.username, u.role, u.person_id";

impl Store {
    /// Add a sign-in. `password_hash` is a PHC string (argon2).
    pub async fn create_user(
        &self,
        partnership_id: i64,
        username: &str,
        password_hash: &str,
        role: UserRole,
        person_id: Option<i64>,
    ) -> Result<User> {
        let id: i64 = in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (partnership_id, username, password_hash, role, person_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(partnership_id)
            .bind(username)
            .bind(password_hash)
            .bind(role.as_str())
            .bind(person_id)
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
            let change =
                Change::new("user.create", "user", username).after(&serde_json::json!({ "role": role.as_str() }));
            tx.append_audit(partnership_id, "operator", vec![change]).await?;
            id
        });
        self.user(id).await?.ok_or(StoreError::NotFound("user"))
    }

    /// Give a sign-in the address its notices are mailed to (or none).
    /// An operator's command, audited.
    pub async fn set_user_email(&self, username: &str, email: Option<&str>) -> Result<()> {
        if let Some(email) = email {
            lmp_core::notice::check_email(email).map_err(StoreError::Rule)?;
        }
        let user = self.user_by_name(username).await?.ok_or(StoreError::NotFound("user"))?;
        in_tx!(self, |tx| {
            sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
                .bind(email)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            let change = Change::new("user.email", "user", username).after(&serde_json::json!({ "email": email }));
            tx.append_audit(user.partnership_id, "operator", vec![change]).await?;
        });
        Ok(())
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(username)
            .fetch_optional(pool)
            .await?))
    }

    /// The user and their stored password hash, for signing in; none for
    /// a deactivated sign-in.
    pub async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let Some(user) = self.user_by_name(username).await? else {
            return Ok(None);
        };
        let hash: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT password_hash FROM users WHERE id = $1 AND deactivated_on IS NULL"
        )
        .bind(user.id)
        .fetch_optional(pool)
        .await?);
        Ok(hash.map(|hash| (user, hash)))
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: i64,
    ) -> Result<()> {
        in_tx!(self, |tx| {
            // Each sign-in is a chance to sweep sessions that have run out.
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(jiff::Timestamp::now().as_second())
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash)
                .bind(user_id)
                .bind(csrf_token)
                .bind(now_text())
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The user behind a live session, and the session's CSRF token.
    pub async fn session_user(&self, token_hash: &str, now: i64) -> Result<Option<(User, String)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deactivated_on IS NULL"
        );
        let row: Option<(i64, i64, String, String, Option<i64>, String)> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|(id, partnership_id, username, role, person_id, csrf)| {
            (
                User {
                    id,
                    partnership_id,
                    username,
                    role,
                    person_id,
                },
                csrf,
            )
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        in_tx!(self, |tx| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Record a new API token for the permit's own user.
    pub async fn create_api_token(&self, permit: &Permit, name: &str, token_hash: &str) -> Result<ApiToken> {
        require_token_permit(permit)?;
        let actor = permit.actor();
        let (partnership_id, user_id, username) = (actor.partnership_id, actor.user_id, actor.username.clone());
        let id: i64 = in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (partnership_id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(partnership_id)
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("token.create", "user", &username)
                .after(&serde_json::json!({ "token_id": id, "name": name }));
            tx.append_audit(partnership_id, &username, vec![change]).await?;
            id
        });
        self.api_tokens_of(user_id)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StoreError::NotFound("token"))
    }

    pub async fn api_tokens_of(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let sql = "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .fetch_all(pool)
            .await?))
    }

    /// Revoke one of the permit's own user's tokens.
    pub async fn revoke_api_token(&self, permit: &Permit, token_id: i64) -> Result<()> {
        require_token_permit(permit)?;
        let actor = permit.actor();
        let (partnership_id, user_id, username) = (actor.partnership_id, actor.user_id, actor.username.clone());
        in_tx!(self, |tx| {
            let revoked = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
            )
            .bind(now_text())
            .bind(token_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if revoked == 0 {
                return Err(StoreError::NotFound("token"));
            }
            let change =
                Change::new("token.revoke", "user", &username).after(&serde_json::json!({ "token_id": token_id }));
            tx.append_audit(partnership_id, &username, vec![change]).await?;
        });
        Ok(())
    }

    /// The user a live (not revoked) API token belongs to.
    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deactivated_on IS NULL"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(token_hash)
            .fetch_optional(pool)
            .await?))
    }
}

fn require_token_permit(permit: &Permit) -> Result<()> {
    match permit.action() {
        Action::ManageOwnTokens => Ok(()),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}
