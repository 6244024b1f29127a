//! Savings claims: append-only, corrected only by new claims, verified only
//! by the signatures of both co-leads or both sponsors.

use super::{ensure_team_row, require_sign_permit, require_team_permit};
use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::body::Seat as CoreSeat;
use lmp_core::policy::Permit;
use lmp_core::refuse;
use lmp_core::savings::{check_signature, signing_seat, verification, NewClaim, SavingsRules, Signature, Verification};
use lmp_core::Cents;
use serde::Serialize;
use sqlx::FromRow;

/// A claim as a team's page and the API show it.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Claim {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub project_id: i64,
    pub project_title: String,
    pub team_id: i64,
    pub category: String,
    pub amount_cents: i64,
    pub period_start: String,
    pub period_end: String,
    pub method: String,
    pub corrects_id: Option<i64>,
    /// The claim that replaced this one, if any: then this one no longer counts.
    pub corrected_by_id: Option<i64>,
    pub entered_by: String,
    pub entered_at: String,
    pub verified_at: Option<String>,
    /// Who signed, as "Name (labor co-lead)", `;`-separated.
    pub signed_by: String,
}

impl Claim {
    pub fn amount(&self) -> Cents {
        Cents(self.amount_cents)
    }

    pub fn counts(&self) -> bool {
        self.corrected_by_id.is_none()
    }

    pub fn category_label(&self, language: lmp_core::language::Language) -> &'static str {
        self.category
            .parse::<lmp_core::savings::SavingsCategory>()
            .map_or("Unknown", |c| c.label_in(language))
    }
}

/// Self-reported and verified totals, always side by side.
#[derive(Debug, Clone, Copy, Default, Serialize, FromRow)]
pub struct SavingsTotals {
    pub self_reported_cents: i64,
    pub verified_cents: i64,
    pub claims: i64,
    pub verified_claims: i64,
}

const CLAIM_SELECT: &str = "SELECT c.id, c.ref AS reference, c.project_id, p.title AS project_title, c.body_id AS team_id, \
     c.category, c.amount_cents, c.period_start, c.period_end, c.method, c.corrects_id, \
     (SELECT n.id FROM savings_claims n WHERE n.corrects_id = c.id) AS corrected_by_id, \
     c.entered_by, c.entered_at, c.verified_at, \
     COALESCE((SELECT STRING_AGG(pp.name || ' (' || s.side || ' ' || REPLACE(s.role, '_', '-') || ')', '; ' ORDER BY s.signed_at) \
        FROM savings_signatures s JOIN people pp ON pp.id = s.person_id WHERE s.claim_id = c.id), '') AS signed_by \
     FROM savings_claims c JOIN projects p ON p.id = c.project_id";

/// Claims nobody has corrected: the ones that count.
pub(crate) const CURRENT_CLAIM: &str = "NOT EXISTS (SELECT 1 FROM savings_claims n WHERE n.corrects_id = c.id)";

#[derive(Serialize)]
struct ClaimRecord<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    project: &'a str,
    category: &'a str,
    amount_cents: i64,
    period_start: String,
    period_end: String,
    method: &'a str,
    corrects: Option<&'a str>,
}

impl Store {
    /// Record a claim for a project (or a correction of an earlier claim).
    pub async fn add_savings_claim(
        &self,
        permit: &Permit,
        project_id: i64,
        claim: NewClaim,
        rules: &SavingsRules,
        today: Date,
    ) -> Result<Claim> {
        rules.check(&claim, today).map_err(StoreError::Rule)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id = in_tx!(self, |tx| {
            let found: Option<(i64, String)> =
                sqlx::query_as("SELECT body_id, code FROM projects WHERE partnership_id = $1 AND id = $2")
                    .bind(partnership_id)
                    .bind(project_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (team_id, project_code) = found.ok_or(StoreError::NotFound("project"))?;
            require_team_permit(permit, team_id)?;
            ensure_team_row!(tx, partnership_id, team_id);
            let mut corrects_ref = None;
            if let Some(earlier) = claim.corrects {
                let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
                    "SELECT c.project_id, c.ref, (SELECT n.id FROM savings_claims n WHERE n.corrects_id = c.id) \
                     FROM savings_claims c WHERE c.partnership_id = $1 AND c.id = $2",
                )
                .bind(partnership_id)
                .bind(earlier)
                .fetch_optional(&mut *tx)
                .await?;
                let (earlier_project, earlier_ref, corrected) = row.ok_or(StoreError::NotFound("claim"))?;
                if earlier_project != project_id {
                    return Err(StoreError::Rule(refuse!(
                        "a correction belongs to the same project as the claim it corrects",
                        "una corrección pertenece al mismo proyecto que la reclamación que corrige"
                    )));
                }
                if corrected.is_some() {
                    return Err(StoreError::Rule(refuse!(
                        "that claim was already corrected; correct the latest correction instead",
                        "esa reclamación ya se corrigió; corrija la última corrección"
                    )));
                }
                corrects_ref = Some(earlier_ref);
            }
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM savings_claims WHERE project_id = $1")
                .bind(project_id)
                .fetch_one(&mut *tx)
                .await?;
            let reference = format!("{project_code}-S{}", n + 1);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO savings_claims (partnership_id, ref, project_id, body_id, category, amount_cents, \
                 period_start, period_end, method, corrects_id, entered_by, entered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(partnership_id)
            .bind(&reference)
            .bind(project_id)
            .bind(team_id)
            .bind(claim.category.as_str())
            .bind(claim.amount.get())
            .bind(claim.period_start.to_string())
            .bind(claim.period_end.to_string())
            .bind(claim.method.trim())
            .bind(claim.corrects)
            .bind(&actor)
            .bind(crate::now_text())
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new(
                if claim.corrects.is_some() {
                    "savings.correct"
                } else {
                    "savings.claim"
                },
                "savings",
                &reference,
            )
            .after(&ClaimRecord {
                reference: &reference,
                project: &project_code,
                category: claim.category.as_str(),
                amount_cents: claim.amount.get(),
                period_start: claim.period_start.to_string(),
                period_end: claim.period_end.to_string(),
                method: claim.method.trim(),
                corrects: corrects_ref.as_deref(),
            });
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            id
        });
        self.claim(partnership_id, id)
            .await?
            .ok_or(StoreError::NotFound("claim"))
    }

    pub async fn claim(&self, partnership_id: i64, id: i64) -> Result<Option<Claim>> {
        let sql = format!("{CLAIM_SELECT} WHERE c.partnership_id = $1 AND c.id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// A team's claims, newest period first; corrected ones stay listed.
    pub async fn claims_of_team(&self, partnership_id: i64, team_id: i64) -> Result<Vec<Claim>> {
        let sql = format!(
            "{CLAIM_SELECT} WHERE c.partnership_id = $1 AND c.body_id = $2 ORDER BY c.period_start DESC, c.id DESC"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(team_id)
            .fetch_all(pool)
            .await?))
    }

    /// The signatures on a team's claims, by claim.
    pub async fn claim_signatures_of_team(&self, partnership_id: i64, team_id: i64) -> Result<Vec<(i64, Signature)>> {
        let rows: Vec<(i64, i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT s.claim_id, s.person_id, s.role, s.side FROM savings_signatures s \
             JOIN savings_claims c ON c.id = s.claim_id WHERE c.partnership_id = $1 AND c.body_id = $2"
        )
        .bind(partnership_id)
        .bind(team_id)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .iter()
            .filter_map(|(claim, person, role, side)| Some((*claim, signature(*person, role, side)?)))
            .collect())
    }

    /// Self-reported and verified totals of a team's claims that count.
    pub async fn savings_of_team(&self, partnership_id: i64, team_id: i64) -> Result<SavingsTotals> {
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(c.amount_cents), 0) AS BIGINT) AS self_reported_cents, \
             CAST(COALESCE(SUM(CASE WHEN c.verified_at IS NOT NULL THEN c.amount_cents ELSE 0 END), 0) AS BIGINT) AS verified_cents, \
             COUNT(*) AS claims, COUNT(c.verified_at) AS verified_claims \
             FROM savings_claims c WHERE c.partnership_id = $1 AND c.body_id = $2 AND {CURRENT_CLAIM}"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(team_id)
            .fetch_one(pool)
            .await?))
    }

    /// Sign a claim in person, from the seat `person_id` holds on its team.
    /// The second signature of a pair verifies it.
    pub async fn sign_claim(&self, permit: &Permit, claim_id: i64, person_id: i64) -> Result<Verification> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let outcome = in_tx!(self, |tx| {
            let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
                "SELECT c.body_id, c.ref, (SELECT n.id FROM savings_claims n WHERE n.corrects_id = c.id) \
                 FROM savings_claims c WHERE c.partnership_id = $1 AND c.id = $2",
            )
            .bind(partnership_id)
            .bind(claim_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (team_id, reference, corrected_by) = row.ok_or(StoreError::NotFound("claim"))?;
            require_sign_permit(permit, team_id)?;
            let seats: Vec<(i64, String, String)> =
                sqlx::query_as("SELECT person_id, role, side FROM seats WHERE body_id = $1 AND person_id = $2")
                    .bind(team_id)
                    .bind(person_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let seats: Vec<CoreSeat> = seats
                .iter()
                .filter_map(|(person, role, side)| crate::bodies::core_seat(*person, role, side))
                .collect();
            let existing: Vec<(i64, String, String)> =
                sqlx::query_as("SELECT person_id, role, side FROM savings_signatures WHERE claim_id = $1")
                    .bind(claim_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let existing: Vec<Signature> = existing
                .iter()
                .filter_map(|(person, role, side)| signature(*person, role, side))
                .collect();
            let signer = check_signature(signing_seat(person_id, &seats), &existing, corrected_by.is_some())
                .map_err(|e| StoreError::Rule(e.into()))?;
            sqlx::query(
                "INSERT INTO savings_signatures (claim_id, person_id, partnership_id, role, side, signed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(claim_id)
            .bind(person_id)
            .bind(partnership_id)
            .bind(signer.role.as_str())
            .bind(signer.side.as_str())
            .bind(crate::now_text())
            .execute(&mut *tx)
            .await?;
            let mut all = existing;
            all.push(signer);
            let outcome = verification(&all);
            let mut changes = vec![Change::new("savings.sign", "savings", &reference).after(&signer)];
            if outcome == Verification::Verified {
                let updated =
                    sqlx::query("UPDATE savings_claims SET verified_at = $1 WHERE id = $2 AND verified_at IS NULL")
                        .bind(crate::now_text())
                        .bind(claim_id)
                        .execute(&mut *tx)
                        .await?;
                if updated.rows_affected() > 0 {
                    changes.push(Change::new("savings.verified", "savings", &reference));
                }
            }
            tx.append_audit(partnership_id, &actor, changes).await?;
            outcome
        });
        Ok(outcome)
    }
}

/// A signature as the rules in lmp-core see it, from its stored words.
fn signature(person_id: i64, role: &str, side: &str) -> Option<Signature> {
    let seat = crate::bodies::core_seat(person_id, role, side)?;
    Some(Signature {
        person_id,
        role: seat.role,
        side: seat.side,
    })
}
