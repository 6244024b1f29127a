//! Partnership bodies and their seats, and the one way seats change.

use crate::audit::AuditAppend;
use crate::model::{Body, Seat};
use crate::people::SEAT_SELECT as SEAT_SELECT_SQL;
use crate::{in_tx, on_pool, Result, Store, StoreError};
use lmp_core::body::{BodyRole, Seat as CoreSeat};
use lmp_core::paging::{contains_pattern, Page, Paged};
use lmp_core::policy::{Action, Denied, Permit, SeatsHeld};
use lmp_core::refuse;
use lmp_core::Side;
use serde::Serialize;

/// Which bodies a list shows.
#[derive(Debug, Clone, Default)]
pub struct BodyFilter {
    pub level: Option<String>,
    pub search: Option<String>,
    /// Bodies attached to this unit or anywhere below it.
    pub within_unit: Option<i64>,
    /// Only bodies missing a labor or a management co-lead.
    pub missing_co_lead: bool,
    /// Closed bodies too (their history stays); open ones only by default.
    pub include_closed: bool,
}

const BODY_SELECT: &str = "SELECT b.id, b.code, b.level, b.name, b.unit_id, u.name AS unit_name, b.parent_id, \
     b.decision_mode, b.time_limit_days, b.closed_on, \
     (SELECT COUNT(*) FROM seats s WHERE s.body_id = b.id AND s.role = 'co_lead' AND s.side = 'labor') AS labor_co_leads, \
     (SELECT COUNT(*) FROM seats s WHERE s.body_id = b.id AND s.role = 'co_lead' AND s.side = 'management') AS management_co_leads, \
     (SELECT COUNT(DISTINCT s.person_id) FROM seats s WHERE s.body_id = b.id) AS people \
     FROM bodies b LEFT JOIN units u ON u.id = b.unit_id";

/// `$1` partnership, `$2` level, `$3` search pattern, `$4` unit, `$5` missing
/// flag, `$6` closed ones too. "Missing" restates lmp_core::body::missing_co_leads for the
/// database: no labor co-lead, or no management co-lead.
const BODY_FILTER: &str = "b.partnership_id = $1 AND ($2 = '' OR b.level = $2) \
     AND ($3 = '' OR LOWER(b.name) LIKE $3 ESCAPE '\\' OR LOWER(b.code) LIKE $3 ESCAPE '\\') \
     AND ($4 = 0 OR b.unit_id IN (SELECT w.id FROM units w WHERE w.partnership_id = $1 AND (w.id = $4 OR w.parent_id = $4 \
          OR w.parent_id IN (SELECT v.id FROM units v WHERE v.partnership_id = $1 AND v.parent_id = $4)))) \
     AND ($5 = 0 OR NOT EXISTS (SELECT 1 FROM seats s WHERE s.body_id = b.id AND s.role = 'co_lead' AND s.side = 'labor') \
          OR NOT EXISTS (SELECT 1 FROM seats s WHERE s.body_id = b.id AND s.role = 'co_lead' AND s.side = 'management')) \
     AND ($6 = 1 OR b.closed_on IS NULL)";

/// A seat as the audit trail records it.
#[derive(Debug, Serialize)]
pub(crate) struct SeatRecord<'a> {
    pub person: &'a str,
    pub employee_no: &'a str,
    pub role: &'a str,
    pub side: &'a str,
}

/// Check inside the open transaction that a person may take a seat, by the
/// rules of lmp-core; returns the body's code and the person's name and
/// employee number for the audit trail.
#[macro_export]
macro_rules! seat_allowed {
    ($tx:expr, $partnership_id:expr, $body_id:expr, $person_id:expr, $role:expr, $side:expr) => {{
        let (partnership_id, body_id, person_id, role, side): (
            i64,
            i64,
            i64,
            lmp_core::body::BodyRole,
            lmp_core::Side,
        ) = ($partnership_id, $body_id, $person_id, $role, $side);
        let body: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT code, closed_on FROM bodies WHERE partnership_id = $1 AND id = $2")
                .bind(partnership_id)
                .bind(body_id)
                .fetch_optional(&mut *$tx)
                .await?;
        let (body_code, closed_on) = body.ok_or($crate::StoreError::NotFound("body"))?;
        if let Some(closed_on) = closed_on {
            return Err($crate::StoreError::Rule(refuse!(
                "{body_code} closed on {closed_on}: a closed body takes no new seats",
                "{body_code} cerró el {closed_on}: un órgano cerrado no admite puestos nuevos"
            )));
        }
        let person: Option<(String, String, String)> =
            sqlx::query_as("SELECT name, employee_no, kind FROM people WHERE partnership_id = $1 AND id = $2")
                .bind(partnership_id)
                .bind(person_id)
                .fetch_optional(&mut *$tx)
                .await?;
        let (name, employee_no, kind) = person.ok_or($crate::StoreError::NotFound("person"))?;
        let kind: lmp_core::person::PersonKind = kind.parse().map_err($crate::StoreError::Rule)?;
        let held: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT person_id, role, side FROM seats WHERE body_id = $1 AND person_id = $2")
                .bind(body_id)
                .bind(person_id)
                .fetch_all(&mut *$tx)
                .await?;
        let held: Vec<lmp_core::body::Seat> = held
            .iter()
            .filter_map(|(p, r, s)| $crate::bodies::core_seat(*p, r, s))
            .collect();
        let wanted = lmp_core::body::Seat { person_id, role, side };
        lmp_core::body::check_new_seat(&held, wanted, kind).map_err(|e| $crate::StoreError::Rule(e.into()))?;
        (body_code, name, employee_no)
    }};
}

/// Seat a person inside the open transaction, by the rules of lmp-core,
/// audited. The caller has checked who may.
#[macro_export]
macro_rules! insert_seat {
    ($tx:expr, $partnership_id:expr, $actor:expr, $body_id:expr, $person_id:expr, $role:expr, $side:expr) => {{
        let (partnership_id, actor, body_id, person_id, role, side): (i64, &str, i64, i64, lmp_core::body::BodyRole, lmp_core::Side) =
            ($partnership_id, $actor, $body_id, $person_id, $role, $side);
        let (body_code, name, employee_no) = $crate::seat_allowed!($tx, partnership_id, body_id, person_id, role, side);
        let seat_id: i64 = sqlx::query_scalar(
            "INSERT INTO seats (partnership_id, body_id, person_id, role, side, started_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(partnership_id)
        .bind(body_id)
        .bind(person_id)
        .bind(role.as_str())
        .bind(side.as_str())
        .bind($crate::today().to_string())
        .fetch_one(&mut *$tx)
        .await?;
        let record = $crate::bodies::SeatRecord {
            person: &name,
            employee_no: &employee_no,
            role: role.as_str(),
            side: side.as_str(),
        };
        let change = $crate::audit::Change::new("seat.add", "body", &body_code).after(&record);
        $tx.append_audit(partnership_id, actor, vec![change]).await?;
        seat_id
    }};
}

/// Take a seat away inside the open transaction, audited with who held it.
/// Returns the seat's body, role and side for the caller to check who may
/// (a refusal rolls the whole transaction back).
#[macro_export]
macro_rules! delete_seat {
    ($tx:expr, $partnership_id:expr, $actor:expr, $seat_id:expr) => {{
        let (partnership_id, actor, seat_id): (i64, &str, i64) = ($partnership_id, $actor, $seat_id);
            let seat: Option<(i64, String, String, String, String, String)> = sqlx::query_as(
                "SELECT b.id, b.code, p.name, p.employee_no, s.role, s.side FROM seats s JOIN bodies b ON b.id = s.body_id \
                 JOIN people p ON p.id = s.person_id WHERE s.partnership_id = $1 AND s.id = $2",
            )
            .bind(partnership_id)
            .bind(seat_id)
            .fetch_optional(&mut *$tx)
            .await?;
            let (body_id, body_code, name, employee_no, role, side) = seat.ok_or($crate::StoreError::NotFound("seat"))?;
            sqlx::query("DELETE FROM seats WHERE partnership_id = $1 AND id = $2")
                .bind(partnership_id)
                .bind(seat_id)
                .execute(&mut *$tx)
                .await?;
            let record = $crate::bodies::SeatRecord {
                person: &name,
                employee_no: &employee_no,
                role: &role,
                side: &side,
            };
            let change = $crate::audit::Change::new("seat.remove", "body", &body_code).before(&record);
            $tx.append_audit(partnership_id, actor, vec![change]).await?;
            (body_id, role, side)
    }};
}

impl Store {
    pub async fn bodies_page(&self, partnership_id: i64, filter: &BodyFilter, page: Page) -> Result<Paged<Body>> {
        let level = filter.level.clone().unwrap_or_default();
        let pattern = filter.search.as_deref().map(contains_pattern).unwrap_or_default();
        let unit = filter.within_unit.unwrap_or(0);
        let missing = i64::from(filter.missing_co_lead);
        let closed = i64::from(filter.include_closed);
        let count_sql = format!("SELECT COUNT(*) FROM bodies b WHERE {BODY_FILTER}");
        let list_sql = format!("{BODY_SELECT} WHERE {BODY_FILTER} ORDER BY b.name, b.id LIMIT $7 OFFSET $8");
        let (total, items): (i64, Vec<Body>) = on_pool!(self, |pool| {
            // See Store::keeps_list_statements.
            let total = sqlx::query_scalar(&count_sql)
                .persistent(self.keeps_list_statements())
                .bind(partnership_id)
                .bind(&level)
                .bind(&pattern)
                .bind(unit)
                .bind(missing)
                .bind(closed)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(&list_sql)
                .persistent(self.keeps_list_statements())
                .bind(partnership_id)
                .bind(&level)
                .bind(&pattern)
                .bind(unit)
                .bind(missing)
                .bind(closed)
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(Paged::new(
            items.into_iter().map(Body::with_flags).collect(),
            total,
            page,
        ))
    }

    pub async fn body(&self, partnership_id: i64, id: i64) -> Result<Option<Body>> {
        let sql = format!("{BODY_SELECT} WHERE b.partnership_id = $1 AND b.id = $2");
        let body: Option<Body> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(body.map(Body::with_flags))
    }

    /// A body's co-leads and sponsors: a handful, all shown.
    pub async fn body_leaders(&self, partnership_id: i64, body_id: i64) -> Result<Vec<Seat>> {
        let sql = format!(
            "{SEAT_SELECT_SQL} WHERE s.partnership_id = $1 AND s.body_id = $2 AND s.role <> 'member' ORDER BY s.role, s.side, p.name"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(body_id)
            .fetch_all(pool)
            .await?))
    }

    /// A page of a body's members. `search` narrows them (by name or
    /// employee number, anywhere in them: a body has tens of members, not
    /// thousands).
    pub async fn body_members(
        &self,
        partnership_id: i64,
        body_id: i64,
        search: Option<&str>,
        page: Page,
    ) -> Result<Paged<Seat>> {
        let pattern = search.map(contains_pattern).unwrap_or_default();
        let member_filter = "s.partnership_id = $1 AND s.body_id = $2 AND s.role = 'member' \
             AND ($3 = '' OR LOWER(p.name) LIKE $3 ESCAPE '\\' OR LOWER(p.employee_no) LIKE $3 ESCAPE '\\')";
        let count_sql =
            format!("SELECT COUNT(*) FROM seats s JOIN people p ON p.id = s.person_id WHERE {member_filter}");
        let members_sql = format!("{SEAT_SELECT_SQL} WHERE {member_filter} ORDER BY s.side, p.name LIMIT $4 OFFSET $5");
        let (total, items): (i64, Vec<Seat>) = on_pool!(self, |pool| {
            let total = sqlx::query_scalar(&count_sql)
                .bind(partnership_id)
                .bind(body_id)
                .bind(&pattern)
                .fetch_one(pool)
                .await?;
            let items = sqlx::query_as(&members_sql)
                .bind(partnership_id)
                .bind(body_id)
                .bind(&pattern)
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, items)
        });
        Ok(Paged::new(items, total, page))
    }

    /// Head-count of a body by side: (labor, management, physician).
    pub async fn body_balance(&self, partnership_id: i64, body_id: i64) -> Result<lmp_core::body::Balance> {
        let sql = "SELECT person_id, role, side FROM seats WHERE partnership_id = $1 AND body_id = $2";
        let rows: Vec<(i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(partnership_id)
            .bind(body_id)
            .fetch_all(pool)
            .await?);
        let seats: Vec<CoreSeat> = rows.iter().filter_map(|(p, r, s)| core_seat(*p, r, s)).collect();
        Ok(lmp_core::body::Balance::of(&seats))
    }

    pub async fn seat(&self, partnership_id: i64, seat_id: i64) -> Result<Option<Seat>> {
        let sql = format!("{SEAT_SELECT_SQL} WHERE s.partnership_id = $1 AND s.id = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(seat_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Give `person_id` a seat in `body_id`, if the partnership's rules allow
    /// it, and record it in the audit log in the same transaction.
    pub async fn add_seat(
        &self,
        permit: &Permit,
        body_id: i64,
        person_id: i64,
        role: BodyRole,
        side: Side,
    ) -> Result<Seat> {
        require_seat_permit(permit, side, role, body_id)?;
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let seat_id: i64 = in_tx!(self, |tx| {
            crate::insert_seat!(tx, partnership_id, &actor, body_id, person_id, role, side)
        });
        self.seat(partnership_id, seat_id)
            .await?
            .ok_or(StoreError::NotFound("seat"))
    }

    /// What `person_id`'s own seats in body `body_id` (a team or any other)
    /// are, as the policy reads them; none for no person.
    pub async fn seats_held(&self, partnership_id: i64, body_id: i64, person_id: Option<i64>) -> Result<SeatsHeld> {
        let Some(person_id) = person_id else {
            return Ok(SeatsHeld::none(body_id));
        };
        let rows: Vec<(i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT person_id, role, side FROM seats WHERE partnership_id = $1 AND body_id = $2 AND person_id = $3"
        )
        .bind(partnership_id)
        .bind(body_id)
        .bind(person_id)
        .fetch_all(pool)
        .await?);
        let seats: Vec<CoreSeat> = rows
            .iter()
            .filter_map(|(person_id, role, side)| core_seat(*person_id, role, side))
            .collect();
        Ok(SeatsHeld::in_body(body_id, person_id, &seats))
    }

    /// Take a seat away, recording who held it.
    pub async fn remove_seat(&self, permit: &Permit, seat_id: i64) -> Result<()> {
        let partnership_id = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        in_tx!(self, |tx| {
            let (body_id, role, side) = crate::delete_seat!(tx, partnership_id, &actor, seat_id);
            let seat_side: Side = side
                .parse()
                .map_err(|e: lmp_core::side::UnknownSide| StoreError::Rule(e.into()))?;
            let seat_role: BodyRole = role.parse().map_err(StoreError::Rule)?;
            require_seat_permit(permit, seat_side, seat_role, body_id)?;
        });
        Ok(())
    }
}

/// The permit must be for changing a seat on exactly this side.
fn require_seat_permit(permit: &Permit, side: Side, role: BodyRole, body_id: i64) -> Result<()> {
    if role == BodyRole::CoLead && !permit.is_operator() {
        return Err(StoreError::Rule(refuse!(
"a body's co-leads change only with two keys: ask for the change, and one labor and one management approver must agree",
"los colíderes de un órgano solo cambian con dos llaves: pida el cambio, y un aprobador sindical y uno de la gerencia deben estar de acuerdo"
)));
    }
    match permit.action() {
        Action::ChangeSeat { side: allowed } if allowed == side => Ok(()),
        Action::ChangeTeamMember { seats, side: allowed }
            if seats.body_id() == body_id && allowed == side && role == BodyRole::Member =>
        {
            Ok(())
        }
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

/// A seat as the rules in lmp-core see it, from its stored words.
pub(crate) fn core_seat(person_id: i64, role: &str, side: &str) -> Option<CoreSeat> {
    Some(CoreSeat {
        person_id,
        role: role.parse().ok()?,
        side: side.parse().ok()?,
    })
}
