//! The people directory and what each person holds.

use crate::audit::{AuditAppend, Change};
use crate::model::{Person, Seat, StandingRole};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use lmp_core::org::UnitKind;
use lmp_core::paging::{Page, Paged};
use lmp_core::person::{check_standing_role, PersonKind, StandingRole as CoreStandingRole};
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::search::{prefix_upper_bound, search_words};

/// Which people a list shows.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub search: Option<String>,
    pub kind: Option<String>,
    pub local_id: Option<i64>,
    /// People in this unit or anywhere below it (a facility's departments).
    pub within_unit: Option<i64>,
}

const PERSON_COLUMNS: &str = "p.id, p.employee_no, p.name, p.kind, p.job_title, p.local_id, l.name AS local_name, \
     p.unit_id, u.name AS unit_name, p.left_on";
const PERSON_NAMES_JOIN: &str = "LEFT JOIN units l ON l.id = p.local_id LEFT JOIN units u ON u.id = p.unit_id";

/// `$1` partnership, `$2` kind, `$3` local, `$4` unit. A unit matches
/// itself, its children and its grandchildren: the trees are region >
/// facility > department.
/// `column` names a unit at or under the unit in parameter `$n` (itself, a
/// child, or a grandchild: a facility's departments), or `$n` is 0. One rule
/// for "within" wherever people or stewards are listed by place.
fn within_unit_sql(column: &str, n: usize) -> String {
    format!(
        "(${n} = 0 OR {column} IN (SELECT w.id FROM units w WHERE w.partnership_id = $1 AND (w.id = ${n} OR w.parent_id = ${n} \
         OR w.parent_id IN (SELECT v.id FROM units v WHERE v.partnership_id = $1 AND v.parent_id = ${n}))))"
    )
}

fn people_filter() -> String {
    format!(
        "p.partnership_id = $1 AND ($2 = '' OR p.kind = $2) AND ($3 = 0 OR p.local_id = $3) AND {}",
        within_unit_sql("p.unit_id", 4)
    )
}

/// The people who match every search word, as a join: a person matches a
/// word when one of their words starts with it (`word >= from AND word < to`).
/// Each word takes two parameters from `$5` on; returns the join and the next
/// free parameter number. Written as a join on the match set, so both
/// databases start from the word index rather than from every person.
fn word_match_join(words: usize) -> (String, usize) {
    if words == 0 {
        return (String::new(), 5);
    }
    let lookups: Vec<String> = (0..words)
        .map(|i| {
            format!(
                "SELECT pw.person_id FROM person_words pw WHERE pw.partnership_id = $1 AND pw.word >= ${} AND pw.word < ${}",
                5 + 2 * i,
                6 + 2 * i
            )
        })
        .collect();
    // INTERSECT already yields each person once; one lookup needs DISTINCT
    // (two words of one name may share a prefix).
    let matches = if words == 1 {
        lookups[0].replacen("SELECT pw.person_id", "SELECT DISTINCT pw.person_id", 1)
    } else {
        lookups.join(" INTERSECT ")
    };
    (format!("JOIN ({matches}) m ON m.person_id = p.id"), 5 + 2 * words)
}

pub(crate) const SEAT_SELECT: &str =
    "SELECT s.id, s.body_id, b.name AS body_name, b.level AS body_level, s.person_id, \
     p.name AS person_name, p.kind AS person_kind, s.role, s.side, s.started_on FROM seats s \
     JOIN bodies b ON b.id = s.body_id JOIN people p ON p.id = s.person_id";

const STANDING_SELECT: &str =
    "SELECT r.id, r.person_id, p.name AS person_name, r.role, r.unit_id, u.name AS unit_name, \
     r.partner_id, partner.name AS partner_name FROM standing_roles r JOIN people p ON p.id = r.person_id \
     LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN people partner ON partner.id = r.partner_id";

impl Store {
    /// People matching `filter`. A search matches people having, for each
    /// word typed, a word of their name (or their employee number) that
    /// starts with it; a search with no letters or digits matches no one.
    pub async fn people_page(&self, partnership_id: i64, filter: &PeopleFilter, page: Page) -> Result<Paged<Person>> {
        let words = filter.search.as_deref().map(search_words).unwrap_or_default();
        if filter.search.is_some() && words.is_empty() {
            return Ok(Paged::new(Vec::new(), 0, page));
        }
        let ranges: Vec<(String, String)> = words.iter().map(|w| (w.clone(), prefix_upper_bound(w))).collect();
        let kind = filter.kind.clone().unwrap_or_default();
        let local = filter.local_id.unwrap_or(0);
        let unit = filter.within_unit.unwrap_or(0);
        let (matches, next) = word_match_join(ranges.len());
        let filter_sql = people_filter();
        let count_sql = format!("SELECT COUNT(*) FROM people p {matches} WHERE {filter_sql}");
        let list_sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people p {matches} {PERSON_NAMES_JOIN} WHERE {filter_sql} \
             ORDER BY p.name, p.id LIMIT ${next} OFFSET ${}",
            next + 1
        );
        let (total, items): (i64, Vec<Person>) = on_pool!(self, |pool| {
            // See Store::keeps_list_statements.
            let mut count = sqlx::query_scalar(&count_sql)
                .persistent(self.keeps_list_statements())
                .bind(partnership_id)
                .bind(&kind)
                .bind(local)
                .bind(unit);
            let mut list = sqlx::query_as(&list_sql)
                .persistent(self.keeps_list_statements())
                .bind(partnership_id)
                .bind(&kind)
                .bind(local)
                .bind(unit);
            for (from, to) in &ranges {
                count = count.bind(from).bind(to);
                list = list.bind(from).bind(to);
            }
            let total = count.fetch_one(pool).await?;
            let items = list
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(Paged::new(items, total, page))
    }

    pub async fn person(&self, partnership_id: i64, id: i64) -> Result<Option<Person>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people p {PERSON_NAMES_JOIN} WHERE p.partnership_id = $1 AND p.id = $2"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// Every seat a person holds, in any body.
    pub async fn seats_of_person(&self, partnership_id: i64, person_id: i64) -> Result<Vec<Seat>> {
        let sql =
            format!("{SEAT_SELECT} WHERE s.partnership_id = $1 AND s.person_id = $2 ORDER BY b.level, b.name, s.role");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(person_id)
            .fetch_all(pool)
            .await?))
    }

    /// Stewards and Labor Partners roles held by, or paired with, a person.
    pub async fn standing_roles_of_person(&self, partnership_id: i64, person_id: i64) -> Result<Vec<StandingRole>> {
        let sql = format!(
            "{STANDING_SELECT} WHERE r.partnership_id = $1 AND (r.person_id = $2 OR r.partner_id = $2) ORDER BY r.role, p.name"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(person_id)
            .fetch_all(pool)
            .await?))
    }

    /// The stewards of a local, with where each serves; with `within_unit`,
    /// only those serving at that unit or under it (a steward's facility).
    pub async fn stewards_of_local(
        &self,
        partnership_id: i64,
        local_id: i64,
        within_unit: Option<i64>,
        page: Page,
    ) -> Result<Paged<StandingRole>> {
        let filter = format!(
            "r.partnership_id = $1 AND r.role = 'steward' AND p.local_id = $2 AND {}",
            within_unit_sql("r.unit_id", 3)
        );
        let count_sql =
            format!("SELECT COUNT(*) FROM standing_roles r JOIN people p ON p.id = r.person_id WHERE {filter}");
        let list_sql = format!("{STANDING_SELECT} WHERE {filter} ORDER BY u.name, p.name LIMIT $4 OFFSET $5");
        let unit = within_unit.unwrap_or(0);
        let (total, items): (i64, Vec<StandingRole>) = on_pool!(self, |pool| {
            let total = sqlx::query_scalar(&count_sql)
                .bind(partnership_id)
                .bind(local_id)
                .bind(unit)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(&list_sql)
                .bind(partnership_id)
                .bind(local_id)
                .bind(unit)
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(Paged::new(items, total, page))
    }

    /// The id of the person with this employee number, if anyone has it.
    pub async fn person_id_by_employee_no(&self, partnership_id: i64, employee_no: &str) -> Result<Option<i64>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM people WHERE partnership_id = $1 AND employee_no = $2"
        )
        .bind(partnership_id)
        .bind(employee_no)
        .fetch_optional(pool)
        .await?))
    }
}

/// A standing role as the audit trail records it.
#[derive(Debug, serde::Serialize)]
struct StandingRecord<'a> {
    role: &'a str,
    unit_code: Option<&'a str>,
    partner_employee_no: Option<&'a str>,
}

impl Store {
    pub async fn standing_role(&self, partnership_id: i64, id: i64) -> Result<Option<StandingRole>> {
        let sql = format!("{STANDING_SELECT} WHERE r.partnership_id = $1 AND r.id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// Make a union member a steward (at a unit) or a Labor Partner (paired
    /// with a named manager), if the partnership's rules allow it.
    pub async fn add_standing_role(
        &self,
        permit: &Permit,
        person_id: i64,
        role: CoreStandingRole,
        unit_id: Option<i64>,
        partner_id: Option<i64>,
    ) -> Result<StandingRole> {
        require_labor_role_permit(permit)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let id: i64 = in_tx!(self, |tx| {
            let kind_of = |kind: String| kind.parse::<PersonKind>().map_err(StoreError::Rule);
            let holder: Option<(String, String)> =
                sqlx::query_as("SELECT employee_no, kind FROM people WHERE partnership_id = $1 AND id = $2")
                    .bind(partnership_id)
                    .bind(person_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (employee_no, holder_kind) = holder.ok_or(StoreError::NotFound("person"))?;
            let partner: Option<(String, String)> = match partner_id {
                Some(id) => Some(
                    sqlx::query_as("SELECT employee_no, kind FROM people WHERE partnership_id = $1 AND id = $2")
                        .bind(partnership_id)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::NotFound("partner"))?,
                ),
                None => None,
            };
            let partner_kind = match &partner {
                Some((_, kind)) => Some(kind_of(kind.clone())?),
                None => None,
            };
            check_standing_role(role, kind_of(holder_kind)?, partner_kind).map_err(StoreError::Rule)?;
            let unit_code: Option<String> = match unit_id {
                Some(id) => {
                    let unit: (String, String) =
                        sqlx::query_as("SELECT code, kind FROM units WHERE partnership_id = $1 AND id = $2")
                            .bind(partnership_id)
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(StoreError::NotFound("unit"))?;
                    let kind: UnitKind = unit.1.parse().map_err(StoreError::Rule)?;
                    if !kind.is_employer_unit() {
                        let code = &unit.0;
                        return Err(StoreError::Rule(refuse!(
                            "{code} is a {kind}: a role serves at a region, facility or department",
                            "{code} es «{kind}»: un rol sirve en una región, un centro o un departamento"
                        )));
                    }
                    Some(unit.0)
                }
                None => None,
            };
            let held: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM standing_roles WHERE person_id = $1 AND role = $2 AND COALESCE(unit_id, 0) = $3",
            )
            .bind(person_id)
            .bind(role.as_str())
            .bind(unit_id.unwrap_or(0))
            .fetch_optional(&mut *tx)
            .await?;
            if held.is_some() {
                return Err(StoreError::Rule(refuse!(
                    "this person already holds that role there",
                    "esta persona ya tiene ese rol allí"
                )));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO standing_roles (partnership_id, person_id, role, unit_id, partner_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(partnership_id)
            .bind(person_id)
            .bind(role.as_str())
            .bind(unit_id)
            .bind(partner_id)
            .fetch_one(&mut *tx)
            .await?;
            let record = StandingRecord {
                role: role.as_str(),
                unit_code: unit_code.as_deref(),
                partner_employee_no: partner.as_ref().map(|p| p.0.as_str()),
            };
            let change = Change::new("role.add", "person", &employee_no).after(&record);
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
            id
        });
        self.standing_role(partnership_id, id)
            .await?
            .ok_or(StoreError::NotFound("role"))
    }

    /// Take a steward or Labor Partner role away, recording what it was.
    pub async fn remove_standing_role(&self, permit: &Permit, id: i64) -> Result<()> {
        require_labor_role_permit(permit)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let row: Option<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT p.employee_no, r.role, u.code, partner.employee_no FROM standing_roles r \
                 JOIN people p ON p.id = r.person_id LEFT JOIN units u ON u.id = r.unit_id \
                 LEFT JOIN people partner ON partner.id = r.partner_id WHERE r.partnership_id = $1 AND r.id = $2",
            )
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let (employee_no, role, unit_code, partner_no) = row.ok_or(StoreError::NotFound("role"))?;
            sqlx::query("DELETE FROM standing_roles WHERE partnership_id = $1 AND id = $2")
                .bind(partnership_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let record = StandingRecord {
                role: &role,
                unit_code: unit_code.as_deref(),
                partner_employee_no: partner_no.as_deref(),
            };
            let change = Change::new("role.remove", "person", &employee_no).before(&record);
            tx.append_audit(partnership_id, &actor, vec![change]).await?;
        });
        Ok(())
    }
}

/// Stewards and Labor Partners are labor-side roles: the permit must be for
/// changing labor-side roles.
fn require_labor_role_permit(permit: &Permit) -> Result<()> {
    match permit.action() {
        Action::ChangeSeat { side } if side == CoreStandingRole::SIDE => Ok(()),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}
