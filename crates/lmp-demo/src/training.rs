//! The demo's training: a Facilitation Skills session held last month
//! (co-leads who came, one who did not) and a Co-Lead Workshop in two weeks
//! with co-leads not yet trained on its list. Neither moves a team's level:
//! Path to Performance does not ask for facilitation, and enrolling is not
//! completing.

use jiff::civil::Date;
use jiff::Span;
use lmp_core::body::BodyRole;
use lmp_core::paging::Page;
use lmp_core::policy::{authorize, Action, Actor, UserRole};
use lmp_core::training::{Attendance, Class};
use lmp_store::training::NewSession;
use lmp_store::{Result, Store, StoreError};

pub(crate) async fn load_demo_training(store: &Store, pid: i64, today: Date) -> Result<()> {
    // The partnership's administrator keeps the training record.
    let admin = Actor {
        user_id: 0,
        username: "admin".into(),
        partnership_id: pid,
        role: UserRole::PartnershipAdmin,
    };
    let permit = authorize(&admin, Action::RecordTraining, pid).map_err(StoreError::Denied)?;
    let day = |days: i64| today.saturating_add(Span::new().days(days));
    let held = store
        .create_class_session(
            &permit,
            &NewSession {
                class: Class::FacilitationSkills,
                held_on: day(-30),
                place: "Partnership training center, room 2".into(),
            },
        )
        .await?;
    let came = store
        .leaders_to_train(
            pid,
            Class::FacilitationSkills,
            BodyRole::CoLead,
            Page::new(Some(6), None),
        )
        .await?;
    let marks: Vec<(String, Attendance)> = came
        .items
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let status = if i == 5 {
                Attendance::Absent
            } else {
                Attendance::Attended
            };
            (l.employee_no.clone(), status)
        })
        .collect();
    if !marks.is_empty() {
        store.mark_attendance(&permit, held.id, &marks, today).await?;
    }
    let coming = store
        .create_class_session(
            &permit,
            &NewSession {
                class: Class::CoLeadWorkshop,
                held_on: day(14),
                place: "Partnership training center, room 1".into(),
            },
        )
        .await?;
    let waiting = store
        .leaders_to_train(pid, Class::CoLeadWorkshop, BodyRole::CoLead, Page::new(Some(8), None))
        .await?;
    let marks: Vec<(String, Attendance)> = waiting
        .items
        .iter()
        .map(|l| (l.employee_no.clone(), Attendance::Enrolled))
        .collect();
    if !marks.is_empty() {
        store.mark_attendance(&permit, coming.id, &marks, today).await?;
    }
    Ok(())
}
