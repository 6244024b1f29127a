//! Partnerships and the units of both structures.

use crate::audit::{AuditAppend, Change};
use crate::model::{Local, Partnership, Unit};
use crate::{in_tx, now_text, on_pool, require, Result, Store, StoreError};
use lmp_core::paging::{contains_pattern, Page, Paged};
use lmp_core::policy::{Action, Permit};

/// Which units a list shows.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub kind: Option<String>,
    pub parent_id: Option<i64>,
    pub search: Option<String>,
}

const UNIT_COLUMNS: &str = "u.id, u.code, u.kind, u.name, u.parent_id, parent.name AS parent_name";

impl Store {
    pub async fn create_partnership(
        &self,
        slug: &str,
        name: &str,
        employer: &str,
        coalition: &str,
    ) -> Result<Partnership> {
        let sql = "INSERT INTO partnerships (slug, name, employer, coalition, created_at) VALUES ($1, $2, $3, $4, $5) \
                   RETURNING id, slug, name, employer, coalition, time_zone";
        let partnership = in_tx!(self, |tx| sqlx::query_as(sql)
            .bind(slug)
            .bind(name)
            .bind(employer)
            .bind(coalition)
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?);
        Ok(partnership)
    }

    /// Name the partnership's time zone, checked against the zone database.
    pub async fn set_partnership_time_zone(&self, permit: &Permit, name: &str) -> Result<Partnership> {
        let pid = require(permit, |a| matches!(a, Action::ConfigureRules))?;
        let name = name.trim();
        lmp_core::time::zone(name).map_err(StoreError::Rule)?;
        let actor = permit.actor().username.clone();
        let partnership = in_tx!(self, |tx| {
            let before: String = sqlx::query_scalar("SELECT time_zone FROM partnerships WHERE id = $1")
                .bind(pid)
                .fetch_one(&mut *tx)
                .await?;
            let partnership: Partnership = sqlx::query_as(
                "UPDATE partnerships SET time_zone = $1 WHERE id = $2 \
                 RETURNING id, slug, name, employer, coalition, time_zone",
            )
            .bind(name)
            .bind(pid)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("partnership.time_zone", "partnership", pid)
                .before(&serde_json::json!({ "time_zone": before }))
                .after(&serde_json::json!({ "time_zone": name }));
            tx.append_audit(pid, &actor, vec![change]).await?;
            partnership
        });
        Ok(partnership)
    }

    pub async fn partnership(&self, id: i64) -> Result<Option<Partnership>> {
        let sql = "SELECT id, slug, name, employer, coalition, time_zone FROM partnerships WHERE id = $1";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// The zone a partnership's times are shown in (UTC if it is unknown).
    pub async fn partnership_zone(&self, id: i64) -> Result<jiff::tz::TimeZone> {
        let partnership = self.partnership(id).await?;
        Ok(partnership.map_or(jiff::tz::TimeZone::UTC, |p| p.zone()))
    }

    pub async fn partnership_by_slug(&self, slug: &str) -> Result<Option<Partnership>> {
        let sql = "SELECT id, slug, name, employer, coalition, time_zone FROM partnerships WHERE slug = $1";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(slug)
            .fetch_optional(pool)
            .await?))
    }

    pub async fn partnerships(&self) -> Result<Vec<Partnership>> {
        let sql = "SELECT id, slug, name, employer, coalition, time_zone FROM partnerships ORDER BY id";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    pub async fn unit(&self, partnership_id: i64, id: i64) -> Result<Option<Unit>> {
        let sql = format!(
            "SELECT {UNIT_COLUMNS} FROM units u LEFT JOIN units parent ON parent.id = u.parent_id \
             WHERE u.partnership_id = $1 AND u.id = $2"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    pub async fn unit_id_by_code(&self, partnership_id: i64, code: &str) -> Result<Option<i64>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM units WHERE partnership_id = $1 AND code = $2"
        )
        .bind(partnership_id)
        .bind(code)
        .fetch_optional(pool)
        .await?))
    }

    /// The unit and its ancestors, root first: the breadcrumb.
    pub async fn unit_path(&self, partnership_id: i64, id: i64) -> Result<Vec<Unit>> {
        let mut path = Vec::new();
        let mut next = Some(id);
        // Trees here are at most three deep; the bound guards against a cycle.
        while let Some(id) = next.filter(|_| path.len() < 8) {
            match self.unit(partnership_id, id).await? {
                Some(unit) => {
                    next = unit.parent_id;
                    path.push(unit);
                }
                None => break,
            }
        }
        path.reverse();
        Ok(path)
    }

    pub async fn units_page(&self, partnership_id: i64, filter: &UnitFilter, page: Page) -> Result<Paged<Unit>> {
        let pattern = filter.search.as_deref().map(contains_pattern).unwrap_or_default();
        let kind = filter.kind.clone().unwrap_or_default();
        let parent = filter.parent_id.unwrap_or(0);
        let filter_sql = "u.partnership_id = $1 AND ($2 = '' OR u.kind = $2) AND ($3 = 0 OR u.parent_id = $3) \
                          AND ($4 = '' OR LOWER(u.name) LIKE $4 ESCAPE '\\' OR LOWER(u.code) LIKE $4 ESCAPE '\\')";
        let count_sql = format!("SELECT COUNT(*) FROM units u WHERE {filter_sql}");
        let list_sql = format!(
            "SELECT {UNIT_COLUMNS} FROM units u LEFT JOIN units parent ON parent.id = u.parent_id \
             WHERE {filter_sql} ORDER BY u.name, u.id LIMIT $5 OFFSET $6"
        );
        let (total, items): (i64, Vec<Unit>) = on_pool!(self, |pool| {
            let total = sqlx::query_scalar(&count_sql)
                .bind(partnership_id)
                .bind(&kind)
                .bind(parent)
                .bind(&pattern)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(&list_sql)
                .bind(partnership_id)
                .bind(&kind)
                .bind(parent)
                .bind(&pattern)
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(Paged::new(items, total, page))
    }

    pub async fn locals_page(&self, partnership_id: i64, search: Option<&str>, page: Page) -> Result<Paged<Local>> {
        let pattern = search.map(contains_pattern).unwrap_or_default();
        let filter_sql = "u.partnership_id = $1 AND u.kind = 'local' AND ($2 = '' OR LOWER(u.name) LIKE $2 ESCAPE '\\' OR LOWER(u.code) LIKE $2 ESCAPE '\\')";
        let count_sql = format!("SELECT COUNT(*) FROM units u WHERE {filter_sql}");
        let list_sql = format!("{LOCAL_SELECT} WHERE {filter_sql} ORDER BY members DESC, u.name LIMIT $3 OFFSET $4");
        let (total, items): (i64, Vec<Local>) = on_pool!(self, |pool| {
            let total = sqlx::query_scalar(&count_sql)
                .bind(partnership_id)
                .bind(&pattern)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(&list_sql)
                .bind(partnership_id)
                .bind(&pattern)
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(Paged::new(items, total, page))
    }

    pub async fn local(&self, partnership_id: i64, id: i64) -> Result<Option<Local>> {
        let sql = format!("{LOCAL_SELECT} WHERE u.partnership_id = $1 AND u.kind = 'local' AND u.id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }
}

const LOCAL_SELECT: &str =
    "SELECT u.id, u.code, u.name, u.parent_id AS international_id, parent.name AS international_name, \
     (SELECT COUNT(*) FROM people p WHERE p.partnership_id = u.partnership_id AND p.local_id = u.id) AS members, \
     (SELECT COUNT(DISTINCT s.person_id) FROM standing_roles s JOIN people p ON p.id = s.person_id \
        WHERE s.partnership_id = u.partnership_id AND s.role = 'steward' AND p.local_id = u.id) AS stewards \
     FROM units u LEFT JOIN units parent ON parent.id = u.parent_id";
