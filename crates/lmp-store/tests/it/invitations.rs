//! Invitations by email: the mail queued with its link, the sign-in chosen
//! once, an expired or used link refused, and only the link's hash kept.

use crate::decisions::tamper;
use crate::structure::seeded;
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_store::testing::TestDb;
use lmp_store::StoreError;

fn admin(pid: i64) -> Actor {
    Actor {
        user_id: 0,
        username: "root-admin".into(),
        partnership_id: pid,
        role: UserRole::PartnershipAdmin,
    }
}

#[tokio::test]
async fn an_invitation_makes_one_sign_in_with_the_role_the_record_gives() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let permit = authorize(&admin(pid), Action::ManageSignIns, pid).expect("an administrator");
        let reading = Permit::operator(pid, Action::ReadStructure);
        let refused = store
            .invite(&reading, "E1", "ana@example.org", "h0", "/invitations/t0")
            .await;
        assert!(matches!(refused, Err(StoreError::Denied(_))), "{refused:?}");
        for (who, email, why) in [
            ("E9", "x@example.org", "no one has employee number"),
            ("E1", "not an address", "email"),
        ] {
            let err = store
                .invite(&permit, who, email, "h0", "/invitations/t0")
                .await
                .expect_err("refused");
            assert!(err.to_string().contains(why), "{err}");
        }

        let sent = store
            .invite(&permit, "E1", "ana@example.org", "hash-1", "/invitations/token-1")
            .await
            .expect("invited");
        assert_eq!(sent.person_name, "Ana Ruiz");
        let mail = store.mail_due(10).await.expect("outbox");
        assert_eq!(mail.len(), 1, "{mail:?}");
        assert_eq!(mail[0].to_address, "ana@example.org");
        assert_eq!(mail[0].link, "/invitations/token-1");
        assert!(
            mail[0].body.starts_with("Ana Ruiz, you are invited"),
            "{}",
            mail[0].body
        );
        assert!(store.open_invitation("hash-1").await.expect("q").is_some());
        assert!(
            store.open_invitation("token-1").await.expect("q").is_none(),
            "the hash, not the token"
        );

        let err = store
            .accept_invitation("hash-1", "ana ruiz", "long enough", "argon")
            .await
            .expect_err("a space");
        assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
        let user = store
            .accept_invitation("hash-1", "ana.ruiz", "long enough", "argon")
            .await
            .expect("accepted");
        assert_eq!(user.role, "member", "a union member with no standing role");
        assert_eq!(
            user.person_id,
            store.person_id_by_employee_no(pid, "E1").await.expect("q")
        );
        let twice = store
            .accept_invitation("hash-1", "ana.two", "long enough", "argon")
            .await;
        assert!(matches!(twice, Err(StoreError::NotFound(_))), "{twice:?}");
        let again = store
            .invite(&permit, "E1", "ana@example.org", "hash-2", "/invitations/t2")
            .await;
        assert!(again
            .expect_err("has one")
            .to_string()
            .contains("already has a sign-in"));

        // A week on, the link no longer opens.
        store
            .invite(&permit, "E2", "bo@example.org", "hash-3", "/invitations/t3")
            .await
            .expect("invited");
        tamper(
            store,
            "UPDATE invitations SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE token_hash = $1",
            "hash-3".into(),
        )
        .await;
        assert!(store.open_invitation("hash-3").await.expect("q").is_none());
        let late = store.accept_invitation("hash-3", "bo.li", "long enough", "argon").await;
        assert!(matches!(late, Err(StoreError::NotFound(_))), "{late:?}");
        let waiting = store.invitations_waiting(pid, 10).await.expect("list");
        assert_eq!(waiting.len(), 1, "Ana's was taken up: {waiting:?}");
        assert_eq!(waiting[0].person_name, "Bo Li");
        store.verify_audit().await.expect("chain");
    }
}
