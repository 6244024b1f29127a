//! The Partnership Trust in the store, on SQLite and PostgreSQL: a payroll
//! file taken in whole or not at all, once, corrected only on request, and
//! a ledger that always agrees with the payroll behind it.

use crate::DEMO;
use lmp_core::money::Cents;
use lmp_core::policy::{Action, Permit};
use lmp_core::trust::contribution::fixed_share_of_period;
use lmp_core::trust::rules::{EmployerFormula, TrustRules};
use lmp_demo::payroll::biweekly_periods;
use lmp_store::testing::TestDb;
use lmp_store::trust::{HoursOutcome, TotalsBy};
use lmp_store::{on_pool, Store, StoreError};
use std::io::Read;

/// The small demo: (the partnership under test, whose trust has no books
/// yet, and the other one, whose trust the demo keeps).
async fn demo(store: &Store) -> (i64, i64) {
    let id = |slug: &'static str| async move { store.partnership_by_slug(slug).await.expect("q").expect(slug).id };
    (id("riverbend").await, id("cascadia").await)
}

/// The demo's payroll for the periods ending in 2025 up to `through`.
async fn payroll(store: &Store, pid: i64, through: Option<jiff::civil::Date>) -> String {
    let mut text = String::new();
    lmp_demo::payroll::demo_payroll(store, pid, 2025, through)
        .await
        .expect("payroll")
        .read_to_string(&mut text)
        .expect("read");
    text
}

async fn import(store: &Store, pid: i64, name: &str, text: &str, replace: bool) -> Result<HoursOutcome, StoreError> {
    let bytes = std::io::Cursor::new(text.as_bytes().to_vec());
    store
        .import_hours(&Permit::operator(pid, Action::ManageTrust), name, bytes, replace)
        .await
}

async fn count(store: &Store, sql: &str) -> i64 {
    on_pool!(store, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .expect(sql))
}

/// Rows in every table an import writes, for the partnership under test.
async fn written(store: &Store, pid: i64) -> [i64; 6] {
    let mut out = [0; 6];
    for (i, table) in [
        "trust_imports",
        "trust_periods",
        "trust_hours",
        "trust_lines",
        "trust_entries",
        "trust_postings",
    ]
    .iter()
    .enumerate()
    {
        out[i] = count(
            store,
            &format!("SELECT COUNT(*) FROM {table} WHERE partnership_id = {pid}"),
        )
        .await;
    }
    out
}

fn imported(outcome: HoursOutcome) -> lmp_store::trust::HoursImported {
    match outcome {
        HoursOutcome::Imported(done) => done,
        other => panic!("expected an import, got {other:?}"),
    }
}

#[tokio::test]
async fn a_pay_year_is_taken_in_once_and_every_total_agrees_with_the_ledger() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, _) = demo(store).await;
        let text = payroll(store, pid, None).await;
        let done = imported(import(store, pid, "pay-2025.csv", &text, false).await.expect("import"));
        assert_eq!(done.lines as usize, text.lines().count() - 1);
        assert_eq!(done.periods, biweekly_periods(2025, None).len());
        assert!(done.worker.get() > 0);
        assert_eq!(done.worker, done.employer, "the employer matches 9¢ an hour by default");
        assert_eq!(
            store.trust_ledger_problems(pid).await.expect("check"),
            Vec::<String>::new()
        );
        let year = store.trust_year_by_local(pid, 2025).await.expect("report");
        assert!(year.len() > 1);
        assert_eq!(Cents(year.iter().map(|l| l.worker.get()).sum()), done.worker);
        assert_eq!(Cents(year.iter().map(|l| l.employer.get()).sum()), done.employer);
        assert_eq!(year.iter().map(|l| l.hours.get()).sum::<i64>(), done.counted.get());
        for by in ["local", "facility", "region", "period"] {
            let totals = store
                .trust_totals(pid, 2025, by.parse().expect("by"))
                .await
                .expect("totals");
            assert!(!totals.is_empty(), "{by}");
            assert_eq!(Cents(totals.iter().map(|t| t.worker.get()).sum()), done.worker, "{by}");
            assert_eq!(
                Cents(totals.iter().map(|t| t.employer.get()).sum()),
                done.employer,
                "{by}"
            );
            assert_eq!(
                totals.iter().map(|t| t.hours.get()).sum::<i64>(),
                done.counted.get(),
                "{by}"
            );
        }
        let by_local = store.trust_totals(pid, 2025, TotalsBy::Local).await.expect("totals");
        assert_eq!(
            by_local.iter().map(|t| (t.key.clone(), t.worker)).collect::<Vec<_>>(),
            year.iter().map(|l| (l.key.clone(), l.worker)).collect::<Vec<_>>(),
            "the lines by local are the ledger by local"
        );
        let hours_by_hand = count(
            store,
            &format!("SELECT CAST(SUM(counted_hundredths) AS BIGINT) FROM trust_hours WHERE partnership_id = {pid}"),
        )
        .await;
        assert_eq!(hours_by_hand, done.counted.get());
        let receivable = count(
            store,
            &format!("SELECT CAST(SUM(amount_cents) AS BIGINT) FROM trust_postings WHERE account = 'receivable' AND partnership_id = {pid}"),
        )
        .await;
        assert_eq!(receivable, done.worker.get() + done.employer.get());

        let before = written(store, pid).await;
        let again = import(store, pid, "a-copy-of-pay-2025.csv", &text, false)
            .await
            .expect("again");
        assert!(matches!(again, HoursOutcome::Unchanged { import_id, .. } if import_id == done.import_id));
        let again = import(store, pid, "pay-2025.csv", &text, true)
            .await
            .expect("again, replacing");
        assert!(
            matches!(again, HoursOutcome::Unchanged { .. }),
            "the same file replacing itself changes nothing"
        );
        assert_eq!(written(store, pid).await, before);
        assert_eq!(store.trust_year_by_local(pid, 2025).await.expect("report"), year);
        assert!(store.verify_audit().await.is_ok());
        assert!(store.trust_year_by_local(pid, 2024).await.expect("report").is_empty());
    }
}

#[tokio::test]
async fn a_corrected_period_replaces_the_earlier_only_when_asked_and_leaves_an_adjustment() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, _) = demo(store).await;
        let first_period = biweekly_periods(2025, None)[0];
        let text = payroll(store, pid, Some(first_period.end)).await;
        imported(import(store, pid, "period-1.csv", &text, false).await.expect("import"));
        let year = store.trust_year_by_local(pid, 2025).await.expect("report");
        let total = |year: &[lmp_store::trust::Totals]| year.iter().map(|l| l.worker.get()).sum::<i64>();

        // Payroll finds eight regular hours too many on the first line.
        let line = text.lines().nth(1).expect("a row");
        assert!(line.ends_with(",regular,80.00"), "{line}");
        let corrected = text.replacen(line, &line.replace(",regular,80.00", ",regular,72.00"), 1);
        let error = import(store, pid, "period-1-corrected.csv", &corrected, false)
            .await
            .expect_err("needs --replace");
        assert_eq!(
            error.to_string(),
            format!(
                "period-1-corrected.csv:2:4: the pay period {} to {} was taken in before: to correct it with this file, import it with --replace",
                first_period.start, first_period.end
            )
        );
        let done = imported(
            import(store, pid, "period-1-corrected.csv", &corrected, true)
                .await
                .expect("replace"),
        );
        assert_eq!(done.replaced, 1);
        let after = store.trust_year_by_local(pid, 2025).await.expect("report");
        assert_eq!(total(&after), total(&year) - 72, "8 hours × 9¢ fewer");
        assert_eq!(
            count(
                store,
                &format!("SELECT COUNT(*) FROM trust_entries WHERE kind = 'adjustment' AND partnership_id = {pid}")
            )
            .await,
            1,
            "one local changed, one adjustment; the original entries stand"
        );
        assert_eq!(
            count(store, &format!("SELECT CAST(-SUM(p.amount_cents) AS BIGINT) FROM trust_postings p JOIN trust_entries e ON e.id = p.entry_id WHERE e.kind = 'adjustment' AND p.account = 'worker_contributions' AND e.partnership_id = {pid}")).await,
            -72
        );
        assert_eq!(
            count(
                store,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'trust.period.replace' AND partnership_id = {pid}"
                )
            )
            .await,
            1
        );
        assert_eq!(
            store.trust_ledger_problems(pid).await.expect("check"),
            Vec::<String>::new()
        );
        // The corrected file again changes nothing; the first file, replacing, restores it.
        assert!(matches!(
            import(store, pid, "again.csv", &corrected, true).await.expect("again"),
            HoursOutcome::Unchanged { .. }
        ));
        imported(import(store, pid, "period-1.csv", &text, true).await.expect("restore"));
        assert_eq!(store.trust_year_by_local(pid, 2025).await.expect("report"), year);
        assert_eq!(
            store.trust_ledger_problems(pid).await.expect("check"),
            Vec::<String>::new()
        );
        assert!(store.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn a_bad_file_is_named_by_line_and_column_and_writes_nothing() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, other) = demo(store).await;
        let periods = biweekly_periods(2025, None);
        let text = payroll(store, pid, Some(periods[1].end)).await;
        let lines: Vec<&str> = text.lines().collect();
        let row = |n: usize| lines[n].split(',').map(str::to_string).collect::<Vec<_>>();
        let with_row = |n: usize, changed: Vec<String>| {
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            out[n] = changed.join(",");
            out.join("\n") + "\n"
        };
        let set = |n: usize, column: usize, value: &str| {
            let mut r = row(n);
            r[column] = value.to_string();
            with_row(n, r)
        };
        let mid = lines.len() / 2;
        let cut = &text[..text.len() - lines[lines.len() - 1].len() / 2 - 1];
        let duplicated = {
            let mut out: Vec<&str> = lines.clone();
            out.insert(5, lines[5]);
            out.join("\n") + "\n"
        };
        let cases: Vec<(&str, String, String)> = vec![
            (
                "wrong header",
                text.replacen("hour_type", "type", 1),
                "x.csv:1:6: unknown column \"type\"".to_string(),
            ),
            ("empty", String::new(), "x.csv:1:1: the file is empty".to_string()),
            ("truncated", cut.to_string(), format!("x.csv:{}:", lines.len())),
            ("duplicated row", duplicated, "x.csv:7:6: a second row of".to_string()),
            (
                "unknown worker",
                set(3, 0, "ZZ0000001"),
                "x.csv:4:1: unknown worker \"ZZ0000001\"".to_string(),
            ),
            (
                "wrong local",
                set(3, 1, &row(3)[1].replace("L", "L9")),
                "x.csv:4:2: unknown local".to_string(),
            ),
            (
                "negative hours",
                set(mid, 6, "-8.00"),
                format!("x.csv:{}:7: negative hours", mid + 1),
            ),
            (
                "impossible hours",
                set(mid, 6, "400"),
                format!("x.csv:{}:7: impossible hours", mid + 1),
            ),
            ("three decimals", set(mid, 6, "8.125"), format!("x.csv:{}:7:", mid + 1)),
            (
                "overlapping period",
                set(mid, 3, &periods[0].end.to_string()),
                format!("x.csv:{}:4: the pay period", mid + 1),
            ),
        ];
        for (what, bad, expected) in &cases {
            let error = import(store, pid, "x.csv", bad, false).await.expect_err(what);
            assert!(matches!(error, StoreError::Import { .. }), "{what}: {error}");
            assert!(error.to_string().starts_with(expected.as_str()), "{what}: {error}");
            assert_eq!(written(store, pid).await, [0; 6], "{what}: nothing written");
        }
        // A worker another local claims: the worker's own local is named.
        let locals: Vec<String> = lines[1..]
            .iter()
            .map(|l| l.split(',').nth(1).unwrap_or("").to_string())
            .collect();
        let elsewhere = locals.iter().find(|l| **l != row(3)[1]).expect("another local");
        let error = import(store, pid, "x.csv", &set(3, 1, elsewhere), false)
            .await
            .expect_err("wrong local");
        assert!(
            error.to_string().contains(&format!(
                "x.csv:4:2: wrong local: worker {} belongs to {}",
                row(3)[0],
                row(3)[1]
            )),
            "{error}"
        );
        // The other partnership knows none of these workers.
        let error = import(store, other, "x.csv", &text, false).await.expect_err("the wall");
        assert!(error.to_string().starts_with("x.csv:2:1: unknown worker"), "{error}");
        assert_eq!(written(store, pid).await, [0; 6]);
        imported(
            import(store, pid, "x.csv", &text, false)
                .await
                .expect("the good file still goes in"),
        );
    }
}

#[tokio::test]
async fn a_fixed_yearly_employer_amount_is_shared_to_the_cent() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, _) = demo(store).await;
        let mut rules = TrustRules::default();
        let yearly = Cents(200_000_000_001);
        rules.rules[0].employer = EmployerFormula::FixedAnnual { cents_per_year: yearly };
        store
            .set_trust_rules(&Permit::operator(pid, Action::ConfigureRules), &rules)
            .await
            .expect("rules");
        let text = payroll(store, pid, None).await;
        let done = imported(import(store, pid, "pay-2025.csv", &text, false).await.expect("import"));
        let expected: i64 = biweekly_periods(2025, None)
            .iter()
            .map(|p| fixed_share_of_period(yearly, p).get())
            .sum();
        assert_eq!(done.employer.get(), expected);
        assert_eq!(
            count(
                store,
                &format!(
                    "SELECT COUNT(*) FROM trust_hours WHERE employer_cents IS NOT NULL AND partnership_id = {pid}"
                )
            )
            .await,
            0,
            "the employer's share is set per line, not per worker"
        );
        assert_eq!(
            store.trust_ledger_problems(pid).await.expect("check"),
            Vec::<String>::new()
        );
        assert!(store
            .set_trust_rules(&Permit::operator(pid, Action::Import), &rules)
            .await
            .is_err());
    }
}

#[tokio::test]
async fn remittances_reconcile_spending_draws_on_cash_and_a_budget_needs_both_sides_trustees() {
    use lmp_core::policy::{authorize, Actor, UserRole};
    use lmp_core::trust::budget::BudgetLine;
    use lmp_core::trust::ledger::SpendingCategory;
    use lmp_core::Side;
    use lmp_store::trust::ledger::{Remittance, Spending};
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, _) = demo(store).await;
        let trust = Permit::operator(pid, Action::ManageTrust);
        let first = biweekly_periods(2025, None)[0];
        let text = payroll(store, pid, Some(first.end)).await;
        imported(import(store, pid, "period-1.csv", &text, false).await.expect("import"));
        let owed = store.trust_reconciliation(pid, 2025).await.expect("reconcile");
        assert!(owed.len() >= 2 && owed.iter().all(|r| r.status == "unpaid"));
        let remit = |row: &lmp_store::trust::ledger::ReconciliationRow, amount: i64| Remittance {
            period_start: first.start,
            local: row.local.clone(),
            amount: Cents(amount),
            received_on: first.end,
            reference: format!("EFT-{}", row.local),
        };
        let paid = vec![
            remit(&owed[0], owed[0].owed.get()),
            remit(&owed[1], owed[1].owed.get() - 100),
        ];
        assert_eq!(store.record_remittances(&trust, &paid).await.expect("remit"), 2);
        assert_eq!(
            store.record_remittances(&trust, &paid).await.expect("again"),
            0,
            "the same remittances once"
        );
        let mut unknown = paid[0].clone();
        unknown.local = "NO-SUCH".into();
        assert!(store
            .record_remittances(&trust, &[paid[0].clone(), unknown])
            .await
            .is_err());
        let now = store.trust_reconciliation(pid, 2025).await.expect("reconcile");
        assert_eq!(now[0].status, "matched");
        assert_eq!((now[1].status, now[1].difference), ("short", Cents(-100)));

        let spent = Spending {
            category: SpendingCategory::Training,
            amount: Cents(500_000),
            spent_on: first.end,
            memo: "IBPS classes".into(),
        };
        store.record_spending(&trust, &spent).await.expect("spend");
        let admin_reader = Permit::operator(pid, Action::ReadTrust);
        assert!(
            store.record_spending(&admin_reader, &spent).await.is_err(),
            "reading is not running"
        );
        let year = store.trust_year(pid, 2025).await.expect("year");
        assert_eq!(year.remitted, Cents(paid.iter().map(|r| r.amount.get()).sum()));
        assert_eq!(year.cash, Cents(year.remitted.get() - 500_000));
        assert_eq!(
            year.receivable,
            Cents(year.worker.get() + year.employer.get() - year.remitted.get())
        );
        assert_eq!(year.flagged, now.len() - 1);
        let statement = store
            .trust_local_statement(pid, &now[1].local, 2025)
            .await
            .expect("statement");
        assert_eq!(statement.len(), 1);
        assert_eq!(statement[0].remitted, now[1].remitted);
        assert_eq!(
            Cents(statement[0].worker.get() + statement[0].employer.get()),
            now[1].owed
        );
        assert!(matches!(
            store.trust_local_statement(pid, "NO-SUCH", 2025).await,
            Err(StoreError::NotFound(_))
        ));

        // Trustees: one from each side, and a budget both must approve.
        let numbers: Vec<(String, String)> = on_pool!(store, |pool| sqlx::query_as(
            "SELECT employee_no, kind FROM people WHERE partnership_id = $1 ORDER BY id"
        )
        .bind(pid)
        .fetch_all(pool)
        .await
        .expect("people"));
        let of_kind = |kind: &str| {
            numbers
                .iter()
                .find(|(_, k)| k == kind)
                .map(|(n, _)| n.clone())
                .expect(kind)
        };
        let labor = store
            .add_trustee(&trust, &of_kind("union_member"), Side::Labor)
            .await
            .expect("labor trustee");
        let management = store
            .add_trustee(&trust, &of_kind("manager"), Side::Management)
            .await
            .expect("management trustee");
        assert!(
            store
                .add_trustee(&trust, &of_kind("manager"), Side::Labor)
                .await
                .is_err(),
            "a manager is not labor's"
        );
        let lines = [BudgetLine {
            category: SpendingCategory::Training,
            amount_cents: Cents(2_000_000),
        }];
        let id = store.propose_budget(&trust, 2025, &lines).await.expect("propose");
        let approver = |side: Side, is_trustee: bool| {
            let role = if side == Side::Labor {
                UserRole::LaborRepresentative
            } else {
                UserRole::Manager
            };
            let actor = Actor {
                user_id: 9,
                username: "trustee".into(),
                partnership_id: pid,
                role,
            };
            authorize(
                &actor,
                Action::ApproveBudget {
                    trustee_of: is_trustee.then_some(side),
                },
                pid,
            )
        };
        assert!(approver(Side::Labor, false).is_err(), "only a trustee approves");
        let labor_key = approver(Side::Labor, true).expect("labor trustee");
        let once = store
            .approve_budget(&labor_key, id, labor.person_id)
            .await
            .expect("labor approves");
        assert!(!once.approved());
        assert_eq!(
            store
                .trust_year(pid, 2025)
                .await
                .expect("year")
                .budget
                .iter()
                .map(|b| b.budget_cents.get())
                .sum::<i64>(),
            0,
            "not in force with one side's approval"
        );
        assert!(
            store.approve_budget(&labor_key, id, labor.person_id).await.is_err(),
            "a key turns once"
        );
        let both = store
            .approve_budget(
                &approver(Side::Management, true).expect("management trustee"),
                id,
                management.person_id,
            )
            .await
            .expect("management approves");
        assert!(both.approved());
        let training = store
            .trust_year(pid, 2025)
            .await
            .expect("year")
            .budget
            .into_iter()
            .find(|b| b.category == SpendingCategory::Training)
            .expect("training");
        assert_eq!(
            (training.budget_cents, training.spent_cents),
            (Cents(2_000_000), Cents(500_000))
        );
        assert_eq!(training.percent_spent(), Some(25));
        assert_eq!(
            store.trust_ledger_problems(pid).await.expect("check"),
            Vec::<String>::new()
        );
        assert!(store.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn the_demo_trust_keeps_a_year_near_the_published_figure_in_balanced_books() {
    let db = TestDb::sqlite_from(&DEMO).await;
    let store = &db.store;
    let (_, cascadia) = demo(store).await;
    let today = lmp_store::today();
    let year = store.trust_year(cascadia, today.year() - 1).await.expect("year");
    assert!(year.worker.get() > 0 && year.worker == year.employer);
    assert!(year.flagged > 0, "a few remittances short or over");
    assert!(
        year.budget.iter().any(|b| b.budget_cents.get() > 0),
        "last year's budget approved"
    );
    let next = store
        .trust_budget(cascadia, today.year() + 1)
        .await
        .expect("budget")
        .expect("proposed");
    assert_eq!(
        next.keys.waiting_for().len(),
        2,
        "next year's budget waits for both sides"
    );
    assert_eq!(store.trustees(cascadia).await.expect("trustees").len(), 6);
    assert_eq!(
        store.trust_ledger_problems(cascadia).await.expect("check"),
        Vec::<String>::new()
    );
}
