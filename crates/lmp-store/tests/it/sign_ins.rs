//! Sign-ins as the administrator keeps them: roles granted, sign-ins
//! deactivated and brought back, audited; a leaver's ended by the HR sync.

use crate::structure::{scalar, seeded, PEOPLE};
use jiff::civil::date;
use lmp_core::paging::Page;
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_core::sign_in::SignInChange;
use lmp_store::import::PeopleSync;
use lmp_store::sign_ins::SignInFilter;
use lmp_store::testing::TestDb;
use lmp_store::StoreError;

fn admin_permit(user_id: i64, pid: i64) -> Permit {
    let actor = Actor {
        user_id,
        username: "root-admin".into(),
        partnership_id: pid,
        role: UserRole::PartnershipAdmin,
    };
    authorize(&actor, Action::ManageSignIns, pid).expect("an administrator")
}

#[tokio::test]
async fn an_administrator_grants_deactivates_and_brings_back_sign_ins() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let today = date(2026, 6, 1);
        let admin = store
            .create_user(pid, "root-admin", "x", UserRole::PartnershipAdmin, None)
            .await
            .expect("admin");
        let e1 = store.person_id_by_employee_no(pid, "E1").await.expect("q");
        let ana = store
            .create_user(pid, "ana", "x", UserRole::Member, e1)
            .await
            .expect("ana");
        let permit = admin_permit(admin.id, pid);

        let granted = store
            .change_sign_in(
                &permit,
                ana.id,
                SignInChange::Grant(UserRole::LaborRepresentative),
                today,
            )
            .await
            .expect("grant");
        assert_eq!(
            (granted.role.as_str(), granted.role_source.as_str()),
            ("labor_representative", "granted")
        );
        assert_eq!(granted.employee_no.as_deref(), Some("E1"));

        // Deactivated: the session ends and the password no longer opens it.
        store
            .create_session("h-ana", ana.id, "c", i64::MAX / 2)
            .await
            .expect("session");
        let gone = store
            .change_sign_in(&permit, ana.id, SignInChange::Deactivate, today)
            .await
            .expect("deactivate");
        assert_eq!(
            gone.deactivated_on.as_deref(),
            Some("2026-06-01"),
            "{}",
            store.backend()
        );
        assert!(store.session_user("h-ana", 0).await.expect("q").is_none());
        assert!(store.user_credentials("ana").await.expect("q").is_none());
        let listed = store
            .sign_ins_page(pid, &SignInFilter::default(), Page::first())
            .await
            .expect("list");
        assert_eq!(listed.total, 1, "deactivated ones are left out unless asked for");
        let all = SignInFilter {
            search: Some("ruiz".into()),
            include_deactivated: true,
        };
        assert_eq!(
            store.sign_ins_page(pid, &all, Page::first()).await.expect("list").total,
            1
        );
        let back = store
            .change_sign_in(&permit, ana.id, SignInChange::Reactivate, today)
            .await
            .expect("reactivate");
        assert!(back.deactivated_on.is_none());
        assert!(store.user_credentials("ana").await.expect("q").is_some());

        // Never one's own, never the last administrator.
        let own = store
            .change_sign_in(&permit, admin.id, SignInChange::Deactivate, today)
            .await;
        assert!(
            matches!(&own, Err(StoreError::Rule(m)) if m.contains("your own")),
            "{own:?}"
        );
        let audited = scalar(
            store,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('user.grant', 'user.deactivate', 'user.reactivate')",
        )
        .await;
        assert_eq!(audited, 3);
        let refused = store
            .change_sign_in(
                &Permit::operator(pid, Action::Import),
                ana.id,
                SignInChange::Deactivate,
                today,
            )
            .await;
        assert!(matches!(refused, Err(StoreError::Denied(_))), "{refused:?}");
    }
}

#[tokio::test]
async fn a_leaver_signs_in_no_more() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let e1 = store.person_id_by_employee_no(pid, "E1").await.expect("q");
        let ana = store
            .create_user(pid, "ana", "x", UserRole::LaborRepresentative, e1)
            .await
            .expect("ana");
        store
            .create_session("h-ana", ana.id, "c", i64::MAX / 2)
            .await
            .expect("session");
        let without_e1: String = PEOPLE
            .lines()
            .filter(|line| !line.starts_with("E1,"))
            .map(|l| format!("{l}\n"))
            .collect();
        let sync = PeopleSync {
            today: date(2026, 6, 1),
            dry_run: false,
        };
        let report = store
            .sync_people(
                &Permit::operator(pid, Action::Import),
                "nightly.csv",
                without_e1.as_bytes(),
                &sync,
            )
            .await
            .expect("sync");
        assert_eq!(
            (report.left, report.sign_ins_deactivated),
            (1, 1),
            "{}",
            store.backend()
        );
        assert!(store.session_user("h-ana", 0).await.expect("q").is_none());
        assert!(store.user_credentials("ana").await.expect("q").is_none());
        let shown = store.sign_in(pid, ana.id).await.expect("q").expect("kept, not deleted");
        assert_eq!(shown.deactivated_on.as_deref(), Some("2026-06-01"));
    }
}
