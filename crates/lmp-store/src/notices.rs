//! Notices: what a person is told, in the application and by email. A
//! notice and its mail are written in the same transaction as the change
//! that caused them; mail then waits in the outbox for the sender, so a
//! mail server that is down never loses, or holds up, the change itself.

use crate::{in_tx, on_pool, Result, Store};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sqlx::FromRow;

/// Tell `$audience` of body `$body_id` about decision `$decision_id` (or
/// `None`) inside the open transaction, and queue mail for those with an
/// address. `$link` is the page it is about.
#[macro_export]
macro_rules! notify {
    ($tx:expr, $partnership_id:expr, $body_id:expr, $decision_id:expr, $kind:expr, $title:expr, $body_name:expr, $link:expr, $now:expr) => {{
        let kind: lmp_core::notice::NoticeKind = $kind;
        let audience = match kind.audience() {
            lmp_core::notice::Audience::WholeBody => "SELECT DISTINCT person_id FROM seats WHERE body_id = $6",
            lmp_core::notice::Audience::CoLeadsAndParticipants => {
                "SELECT person_id FROM seats WHERE body_id = $6 AND role = 'co_lead' \
                 UNION SELECT person_id FROM contributions WHERE decision_id = $2 \
                 UNION SELECT person_id FROM stances WHERE decision_id = $2"
            }
        };
        let decision_id: Option<i64> = $decision_id;
        let text = kind.text($title, $body_name, lmp_core::language::Language::English);
        let text_es = kind.text($title, $body_name, lmp_core::language::Language::Spanish);
        let link: String = $link;
        let now: &str = $now;
        sqlx::query(&format!(
            "INSERT INTO notices (partnership_id, person_id, decision_id, kind, text, text_es, link, created_at) \
             SELECT CAST($1 AS BIGINT), a.person_id, CAST($2 AS BIGINT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($8 AS TEXT), \
             CAST($5 AS TEXT), CAST($7 AS TEXT) FROM ({audience}) a"
        ))
        .bind($partnership_id)
        .bind(decision_id)
        .bind(kind.as_str())
        .bind(&text)
        .bind(&link)
        .bind($body_id)
        .bind(now)
        .bind(&text_es)
        .execute(&mut *$tx)
        .await?;
        sqlx::query(
            "INSERT INTO mail_outbox (partnership_id, notice_id, to_address, subject, body, created_at, next_attempt_at) \
             SELECT n.partnership_id, n.id, u.email, CAST($4 AS TEXT), n.text || CAST($6 AS TEXT) || n.text_es, n.created_at, n.created_at \
             FROM notices n JOIN users u ON u.partnership_id = n.partnership_id AND u.person_id = n.person_id \
             WHERE n.partnership_id = $1 AND n.link = $2 AND n.kind = $3 AND n.created_at = $5 \
             AND u.email IS NOT NULL AND u.email <> ''",
        )
        .bind($partnership_id)
        .bind(&link)
        .bind(kind.as_str())
        .bind(kind.subject($title))
        .bind(now)
        // The mail says it in both languages, English first.
        .bind("\n\n")
        .execute(&mut *$tx)
        .await?;
    }};
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Notice {
    pub id: i64,
    pub decision_id: Option<i64>,
    pub kind: String,
    pub text: String,
    /// The same notice in Spanish (empty for one written only in English).
    pub text_es: String,
    pub link: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// One email waiting to go.
#[derive(Debug, Clone, FromRow)]
pub struct Mail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub attempts: i64,
}

impl Store {
    /// A person's notices, newest first; unread ones first.
    pub async fn notices_of(&self, partnership_id: i64, person_id: i64, limit: i64) -> Result<Vec<Notice>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, decision_id, kind, text, text_es, link, created_at, read_at FROM notices \
             WHERE partnership_id = $1 AND person_id = $2 \
             ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT $3"
        )
        .bind(partnership_id)
        .bind(person_id)
        .bind(limit.clamp(1, 500))
        .fetch_all(pool)
        .await?))
    }

    pub async fn unread_notices(&self, partnership_id: i64, person_id: i64) -> Result<i64> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM notices WHERE partnership_id = $1 AND person_id = $2 AND read_at IS NULL"
        )
        .bind(partnership_id)
        .bind(person_id)
        .fetch_one(pool)
        .await?))
    }

    /// Mark a person's notices read: all, or the one named.
    pub async fn mark_notices_read(&self, partnership_id: i64, person_id: i64, notice: Option<i64>) -> Result<u64> {
        let now = crate::decisions::now_precise();
        let done = in_tx!(self, |tx| {
            sqlx::query(
                "UPDATE notices SET read_at = $1 WHERE partnership_id = $2 AND person_id = $3 \
                 AND read_at IS NULL AND ($4 = 0 OR id = $4)",
            )
            .bind(&now)
            .bind(partnership_id)
            .bind(person_id)
            .bind(notice.unwrap_or(0))
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        Ok(done)
    }

    /// Mail due to go now, oldest first.
    pub async fn mail_due(&self, limit: i64) -> Result<Vec<Mail>> {
        let now = crate::decisions::now_precise();
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT m.id, m.to_address, m.subject, m.body, n.link, m.attempts FROM mail_outbox m \
             JOIN notices n ON n.id = m.notice_id \
             WHERE m.sent_at IS NULL AND m.next_attempt_at <= $1 AND m.attempts < $2 \
             ORDER BY m.next_attempt_at, m.id LIMIT $3"
        )
        .bind(&now)
        .bind(MAX_MAIL_ATTEMPTS)
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    pub async fn mail_sent(&self, mail_id: i64) -> Result<()> {
        let now = crate::decisions::now_precise();
        in_tx!(self, |tx| {
            sqlx::query(
                "UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2",
            )
            .bind(&now)
            .bind(mail_id)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// A send failed: keep the mail and try again later, waiting longer
    /// each time (1, 2, 4 … minutes, at most an hour apart).
    pub async fn mail_failed(&self, mail_id: i64, attempts_before: i64, error: &str) -> Result<()> {
        let wait_minutes = 1_i64 << attempts_before.clamp(0, 6);
        let next = Timestamp::now()
            .saturating_add(SignedDuration::from_mins(wait_minutes.min(60)))
            .unwrap_or_else(|_| Timestamp::now());
        let next = crate::decisions::stamp(next);
        let error: String = error.chars().take(500).collect();
        in_tx!(self, |tx| {
            sqlx::query(
                "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3",
            )
            .bind(&next)
            .bind(&error)
            .bind(mail_id)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Mail waiting and mail given up on, for the operator.
    pub async fn mail_backlog(&self) -> Result<(i64, i64)> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN attempts < $1 THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN attempts >= $1 THEN 1 ELSE 0 END), 0) \
             FROM mail_outbox WHERE sent_at IS NULL"
        )
        .bind(MAX_MAIL_ATTEMPTS)
        .fetch_one(pool)
        .await?))
    }
}

/// After this many failed sends a mail is left for the operator to look at;
/// the notice in the application stands regardless.
pub const MAX_MAIL_ATTEMPTS: i64 = 10;
