//! The `lmp` command as an operator uses it, on a fresh SQLite database.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

struct Workdir(PathBuf);

/// The small demo as `lmp demo` loads it, made once per test run: each test
/// that starts from the demo gets a copy of its database.
fn demo_database() -> &'static Path {
    static DEMO: OnceLock<PathBuf> = OnceLock::new();
    DEMO.get_or_init(|| {
        remove_dead_runs_demos();
        let dir = std::env::temp_dir().join(format!("lmp-cli-demo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("demo dir");
        let template = Workdir(dir);
        let demo = template.lmp(&["demo", "--scale", "small"]);
        assert!(demo.status.success(), "{}", text(&demo.stderr));
        let path = template.0.join("lmp.db");
        // Kept for the whole run (a later run removes it): not dropped.
        std::mem::forget(template);
        path
    })
}

/// Demo databases left by earlier runs whose process has ended.
fn remove_dead_runs_demos() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("lmp-cli-demo-") else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Workdir {
    fn new(name: &str) -> Workdir {
        let dir = std::env::temp_dir().join(format!("lmp-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("workdir");
        Workdir(dir)
    }

    /// A workdir whose database is a copy of the small demo.
    fn with_demo(name: &str) -> Workdir {
        let dir = Workdir::new(name);
        let source = demo_database();
        for suffix in ["", "-wal"] {
            let from = PathBuf::from(format!("{}{suffix}", source.display()));
            if from.exists() {
                std::fs::copy(&from, format!("{}{suffix}", dir.0.join("lmp.db").display())).expect("copy the demo");
            }
        }
        dir
    }

    fn database(&self) -> String {
        format!("sqlite://{}", self.0.join("lmp.db").display())
    }

    fn lmp(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_lmp"))
            .args(args)
            .env("DATABASE_URL", self.database())
            .current_dir(&self.0)
            .output()
            .expect("run lmp")
    }

    fn write(&self, name: &str, content: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, content).expect("write");
        path.display().to_string()
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn demo_token_import_export_and_audit() {
    let dir = Workdir::new("flow");
    let demo = dir.lmp(&["demo", "--scale", "small"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    assert!(text(&demo.stdout).contains("Loaded demo partnership \"cascadia\""));
    let again = dir.lmp(&["demo", "--scale", "small"]);
    assert!(
        text(&again.stdout).contains("already loaded"),
        "restarting reuses the demo"
    );

    let token = dir.lmp(&["token", "create", "--user", "admin"]);
    assert!(token.status.success());
    let stdout = text(&token.stdout);
    let last = stdout.lines().last().unwrap_or("");
    assert!(
        last.starts_with("lmp_") && last.len() > 60,
        "the token is the last line: {stdout}"
    );
    let nobody = dir.lmp(&["token", "create", "--user", "nobody"]);
    assert!(!nobody.status.success());

    let org = dir.write(
        "org.csv",
        "code,kind,name,parent_code\nR-X,region,Extra Region,\nH-X,hospital,Extra Hospital,R-X\n",
    );
    let imported = dir.lmp(&["import", "org", &org, "--partnership", "cascadia"]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(text(&imported.stdout).contains("2 new"));
    let twice = dir.lmp(&["import", "org", &org, "--partnership", "cascadia"]);
    assert!(
        text(&twice.stdout).contains("0 new, 0 changed, 2 unchanged"),
        "{}",
        text(&twice.stdout)
    );
    let unnamed = dir.lmp(&["import", "org", &org]);
    assert!(
        text(&unnamed.stderr).contains("--partnership (cascadia, riverbend)"),
        "{}",
        text(&unnamed.stderr)
    );

    let bad = dir.write(
        "people.csv",
        "employee_no,name,kind,local_code,unit_code,job_title\nN1,New One,manager,,H-X,Manager\nN2,New Two,union_member,,H-X,RN\n",
    );
    let failed = dir.lmp(&["import", "people", &bad, "--partnership", "cascadia"]);
    assert!(!failed.status.success());
    let stderr = text(&failed.stderr);
    assert!(
        stderr.contains(&format!("{bad}:3:4: a union member must belong to a local")),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was imported"));

    let exported = dir.lmp(&["export", "people", "--partnership", "cascadia"]);
    assert!(exported.status.success());
    let csv = text(&exported.stdout);
    assert!(csv.starts_with("employee_no,name,kind,local_code,unit_code,job_title\n"));
    assert!(!csv.contains("N1,"), "the failed import wrote nothing");
    let path = dir.write("export.csv", &csv);
    let round = dir.lmp(&["import", "people", &path, "--partnership", "cascadia"]);
    assert!(
        text(&round.stdout).contains("0 new, 0 changed"),
        "{}",
        text(&round.stdout)
    );

    let verified = dir.lmp(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(text(&verified.stdout).contains("Audit log intact"));
}

#[test]
fn audit_verify_names_the_altered_entry() {
    let dir = Workdir::with_demo("tamper");
    let db = dir.0.join("lmp.db");
    tamper(&db, 42);
    let verified = dir.lmp(&["audit", "verify"]);
    assert!(!verified.status.success(), "an altered log must not verify");
    let stderr = text(&verified.stderr);
    assert!(stderr.contains("entry 42 was altered"), "{stderr}");
}

/// Change one audit row behind the application's back.
fn tamper(db: &Path, seq: i64) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let url = format!("sqlite://{}", db.display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("open");
        sqlx::query("UPDATE audit_log SET after_json = '{\"name\":\"forged\"}' WHERE seq = $1 AND partnership_id = 1")
            .bind(seq)
            .execute(&pool)
            .await
            .expect("tamper");
        pool.close().await;
    });
}

#[test]
fn a_new_partnership_from_nothing() {
    let dir = Workdir::new("fresh");
    let none = dir.lmp(&["import", "org", "org.csv"]);
    assert!(
        text(&none.stderr).contains("lmp partnership create"),
        "{}",
        text(&none.stderr)
    );
    let created = dir.lmp(&[
        "partnership",
        "create",
        "acme",
        "--name",
        "Acme Partnership",
        "--employer",
        "Acme Health",
        "--coalition",
        "Acme Unions",
    ]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    let twice = dir.lmp(&[
        "partnership",
        "create",
        "acme",
        "--name",
        "x",
        "--employer",
        "y",
        "--coalition",
        "z",
    ]);
    assert!(!twice.status.success());
    let bad = dir.lmp(&[
        "partnership",
        "create",
        "a b",
        "--name",
        "x",
        "--employer",
        "y",
        "--coalition",
        "z",
    ]);
    assert!(!bad.status.success());
    let org = dir.write("org.csv", "code,kind,name,parent_code\nR-1,region,North,\n");
    let imported = dir.lmp(&["import", "org", &org]);
    assert!(
        imported.status.success(),
        "the only partnership needs no --partnership: {}",
        text(&imported.stderr)
    );
    let added = Command::new(env!("CARGO_BIN_EXE_lmp"))
        .args(["user", "add", "ana", "--role", "labor_representative"])
        .env("DATABASE_URL", dir.database())
        .env("LMP_PASSWORD", "a long enough password")
        .output()
        .expect("run");
    assert!(added.status.success(), "{}", text(&added.stderr));
    for (args, says) in [
        (&["user", "role", "ana", "manager"][..], "ana is manager"),
        (&["user", "deactivate", "ana"][..], "ana deactivated on"),
        (&["user", "reactivate", "ana"][..], "ana is manager and can sign in"),
    ] {
        let done = dir.lmp(args);
        assert!(text(&done.stdout).contains(says), "{args:?}: {}", text(&done.stderr));
    }
    let again = dir.lmp(&["user", "reactivate", "ana"]);
    assert!(
        text(&again.stderr).contains("already active"),
        "{}",
        text(&again.stderr)
    );
    let listed = dir.lmp(&["partnership", "list"]);
    assert!(text(&listed.stdout).starts_with("acme\tAcme Partnership"));

    // Bodies and seats from files alone; the missing side is flagged.
    let org = dir.write(
        "org.csv",
        "code,kind,name,parent_code\nR-1,region,North,\nH-1,hospital,North Hospital,R-1\nD-1,department,Surgery,H-1\n\
         I-1,international,Intl,\nL-1,local,Local 1,I-1\n",
    );
    assert!(dir.lmp(&["import", "org", &org]).status.success());
    let people = dir.write(
        "people.csv",
        "employee_no,name,kind,local_code,unit_code,job_title\nE1,Ana,union_member,L-1,D-1,RN\nE2,Ben,manager,,D-1,Manager\n",
    );
    assert!(dir.lmp(&["import", "people", &people]).status.success());
    let bodies = dir.write(
        "bodies.csv",
        "code,level,name,unit_code,parent_code,decides\nFC-1,facility,North Council,H-1,,\nUBT-1,team,Surgery UBT,D-1,FC-1,\n",
    );
    let imported = dir.lmp(&["import", "bodies", &bodies]);
    assert!(text(&imported.stdout).contains("2 new"), "{}", text(&imported.stderr));
    let seats = dir.write(
        "seats.csv",
        "body_code,employee_no,role,side,from,to\nUBT-1,E1,co-lead,labor,2025-01-01,\n",
    );
    let seated = dir.lmp(&["import", "seats", &seats]);
    let out = text(&seated.stdout);
    assert!(
        out.contains("1 new") && out.contains("UBT-1: no management co-lead"),
        "{out}"
    );
    let wrong = dir.write(
        "wrong.csv",
        "body_code,employee_no,role,side,from,to\nUBT-1,E2,co-lead,labor,,\n",
    );
    let refused = dir.lmp(&["import", "seats", &wrong]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("wrong.csv:2:4: a manager cannot act for the labor side"));
    let invited = dir.lmp(&[
        "user",
        "invite",
        "E2",
        "ben@example.org",
        "--print-link",
        "https://lmp.example.org/",
    ]);
    let out = text(&invited.stdout);
    assert!(
        out.contains("An invitation to Ben is queued for ben@example.org")
            && out
                .lines()
                .last()
                .is_some_and(|l| l.starts_with("https://lmp.example.org/invitations/")),
        "{out}{}",
        text(&invited.stderr)
    );
    let stranger = dir.lmp(&["user", "invite", "E9", "who@example.org"]);
    assert!(
        text(&stranger.stderr).contains("no one has employee number \"E9\""),
        "{}",
        text(&stranger.stderr)
    );
    for (args, says) in [
        (
            &[
                "body",
                "create",
                "UBT-2",
                "--level",
                "team",
                "--name",
                "Recovery UBT",
                "--unit",
                "D-1",
                "--parent",
                "FC-1",
            ][..],
            "Created Recovery UBT",
        ),
        (
            &["body", "rename", "UBT-2", "Recovery Room UBT"][..],
            "now named Recovery Room UBT",
        ),
        (&["body", "move", "UBT-2", "--top"][..], "stands alone"),
        (&["body", "close", "UBT-2"][..], "closed on"),
    ] {
        let done = dir.lmp(args);
        assert!(text(&done.stdout).contains(says), "{args:?}: {}", text(&done.stderr));
    }
    let busy = dir.lmp(&["body", "close", "FC-1"]);
    assert!(
        text(&busy.stderr).contains("hang under this one"),
        "{}",
        text(&busy.stderr)
    );

    // The nightly file without Ana: a dry run first, then the sync.
    let nightly = dir.write(
        "nightly.csv",
        "employee_no,name,kind,local_code,unit_code,job_title\nE2,Ben,manager,,H-1,Manager\n",
    );
    let dry = dir.lmp(&["import", "people", &nightly, "--complete", "--dry-run"]);
    let out = text(&dry.stdout);
    assert!(
        out.contains("1 would leave") && out.contains("1 would move") && out.contains("UBT-1 (no labor co-lead)"),
        "{out}{}",
        text(&dry.stderr)
    );
    assert!(out.contains("Dry run: nothing was written."));
    let synced = dir.lmp(&["import", "people", &nightly, "--complete"]);
    let out = text(&synced.stdout);
    assert!(out.contains("1 left") && out.contains("1 seats"), "{out}");
    let again = dir.lmp(&["import", "people", &nightly, "--complete"]);
    assert!(text(&again.stdout).contains("0 left"));
    let alone = dir.lmp(&["import", "people", &nightly, "--dry-run"]);
    assert!(!alone.status.success(), "--dry-run needs --complete");
}

#[test]
fn team_work_imports_and_the_partnership_agrees_its_own_rules() {
    let dir = Workdir::with_demo("teams");
    let rules = dir.lmp(&["teams", "rules", "--partnership", "cascadia"]);
    assert!(rules.status.success(), "{}", text(&rules.stderr));
    let mut agreed: serde_json::Value = serde_json::from_slice(&rules.stdout).expect("rules are JSON");
    assert_eq!(agreed["savings"]["largest_claim"], 500_000_000);

    // A partnership lowers the largest plausible claim to $1,000.
    agreed["savings"]["largest_claim"] = 100_000.into();
    let file = dir.write("rules.json", &agreed.to_string());
    let set = dir.lmp(&["teams", "rules", "--partnership", "cascadia", "--set", &file]);
    assert!(set.status.success(), "{}", text(&set.stderr));
    assert!(text(&set.stderr).contains("re-rated"));
    let bad = dir.write("bad.json", r#"{"path": {"rules": []}}"#);
    let refused = dir.lmp(&["teams", "rules", "--partnership", "cascadia", "--set", &bad]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("at least one criterion"));

    let team_code = "UBT-CA-H001-D01-1";
    let projects = dir.write(
        "projects.csv",
        &format!(
            "code,team_code,title,status,compass,aim,how_we_know,change_idea,started_on,target_date,measure,unit,baseline,target,balancing\n\
             Q-1,{team_code},Quiet nights,testing,best_service,Let patients sleep,Complaints a week,Lights down at 22:00,2026-06-01,2027-03-31,Noise complaints,per week,12,4,\n"
        ),
    );
    let imported = dir.lmp(&["import", "projects", &projects, "--partnership", "cascadia"]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let savings = dir.write(
        "savings.csv",
        "ref,project_code,category,amount,period_start,period_end,method,corrects_ref\n\
         Q-1-S1,Q-1,cost_avoidance,2500.00,2026-06-01,2026-10-31,Fewer sleep-aid doses at $6.20 each,\n",
    );
    let over = dir.lmp(&["import", "savings", &savings, "--partnership", "cascadia"]);
    assert!(!over.status.success(), "the partnership's own limit holds");
    assert!(
        text(&over.stderr)
            .contains("savings.csv:2:4: $2,500.00 is more than the largest single claim allowed ($1,000.00)"),
        "{}",
        text(&over.stderr)
    );
    let rate = dir.lmp(&["teams", "rate", "--partnership", "cascadia"]);
    assert!(text(&rate.stdout).contains("Rated 18 teams"), "{}", text(&rate.stdout));
    assert!(dir.lmp(&["audit", "verify"]).status.success());
}

#[test]
fn decision_time_limits_the_sweep_and_where_notices_go() {
    let dir = Workdir::with_demo("decisions");
    let shown = dir.lmp(&["decisions", "rules", "--partnership", "cascadia"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let limits: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    assert_eq!(limits["team_days"], 30);
    let tighter = dir.write(
        "limits.json",
        r#"{"team_days": 14, "department_days": 21, "facility_days": 30, "regional_days": 45, "national_days": 60}"#,
    );
    let set = dir.lmp(&["decisions", "rules", "--partnership", "cascadia", "--set", &tighter]);
    assert!(set.status.success(), "{}", text(&set.stderr));
    assert!(text(&set.stdout).contains("\"team_days\": 14"));
    let silly = dir.write(
        "silly.json",
        r#"{"team_days": 0, "department_days": 21, "facility_days": 30, "regional_days": 45, "national_days": 60}"#,
    );
    let refused = dir.lmp(&["decisions", "rules", "--partnership", "cascadia", "--set", &silly]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("1 to 365 days"),
        "{}",
        text(&refused.stderr)
    );

    let swept = dir.lmp(&["decisions", "sweep"]);
    assert!(swept.status.success(), "{}", text(&swept.stderr));
    assert!(text(&swept.stdout).contains("rose a level"));

    let email = dir.lmp(&["user", "email", "manager", "manager@example.org"]);
    assert!(email.status.success(), "{}", text(&email.stderr));
    let bad = dir.lmp(&["user", "email", "manager", "not an address"]);
    assert!(!bad.status.success());
    let linked = Command::new(env!("CARGO_BIN_EXE_lmp"))
        .args([
            "user",
            "add",
            "rivera",
            "--role",
            "labor_representative",
            "--partnership",
            "cascadia",
            "--person",
            "no-such-number",
        ])
        .env("DATABASE_URL", dir.database())
        .env("LMP_PASSWORD", "a long enough password")
        .output()
        .expect("run");
    assert!(!linked.status.success());
    assert!(text(&linked.stderr).contains("no one has employee number"));
    let verified = dir.lmp(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
}

#[test]
fn a_pay_year_in_once_and_a_killed_import_leaves_nothing_behind() {
    let dir = Workdir::with_demo("trust");
    let sample = dir.lmp(&[
        "trust",
        "sample-hours",
        "--year",
        "2025",
        "--partnership",
        "riverbend",
        "-o",
        "pay.csv",
    ]);
    assert!(sample.status.success(), "{}", text(&sample.stderr));
    let pay = std::fs::read(dir.0.join("pay.csv")).expect("the sample");
    let report = |dir: &Workdir| {
        let out = dir.lmp(&[
            "trust",
            "report",
            "--year",
            "2025",
            "--format",
            "csv",
            "--partnership",
            "riverbend",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    assert_eq!(report(&dir), "local,hours,worker_cents,employer_cents\n", "nothing yet");

    // Kill the import with half the file read: nothing of it may remain.
    let fifo = dir.0.join("payroll.pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let mut import = Command::new(env!("CARGO_BIN_EXE_lmp"))
        .args(["trust", "import-hours", "payroll.pipe", "--partnership", "riverbend"])
        .env("DATABASE_URL", dir.database())
        .current_dir(&dir.0)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the import");
    {
        use std::io::Write;
        let mut pipe = std::fs::OpenOptions::new()
            .write(true)
            .open(&fifo)
            .expect("open the pipe");
        pipe.write_all(&pay[..pay.len() / 2]).expect("half the file");
        pipe.flush().expect("flush");
        std::thread::sleep(std::time::Duration::from_millis(500));
        import.kill().expect("kill -9");
        import.wait().expect("reap");
    }
    assert_eq!(
        report(&dir),
        "local,hours,worker_cents,employer_cents\n",
        "nothing half-written"
    );
    let checked = dir.lmp(&["trust", "check", "--partnership", "riverbend"]);
    assert!(checked.status.success(), "{}", text(&checked.stderr));

    // Run again: the whole file goes in, exactly as into a database never interrupted.
    let imported = dir.lmp(&["trust", "import-hours", "pay.csv", "--partnership", "riverbend"]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(
        text(&imported.stdout).contains("26 pay periods (0 replaced)"),
        "{}",
        text(&imported.stdout)
    );
    let clean = Workdir::with_demo("trust-clean");
    clean.write("pay.csv", &text(&pay));
    assert!(clean
        .lmp(&["trust", "import-hours", "pay.csv", "--partnership", "riverbend"])
        .status
        .success());
    let year = report(&dir);
    assert_eq!(year, report(&clean));
    assert!(year.lines().count() > 2, "{year}");

    let again = dir.lmp(&["trust", "import-hours", "pay.csv", "--partnership", "riverbend"]);
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("nothing changed"),
        "{}",
        text(&again.stdout)
    );
    // A cut-short correction of every period, with --replace: refused whole.
    let cut = dir.write("cut.csv", &text(&pay[..pay.len() - 20]));
    let refused = dir.lmp(&["trust", "import-hours", &cut, "--replace", "--partnership", "riverbend"]);
    assert!(!refused.status.success());
    let why = text(&refused.stderr);
    assert!(
        why.contains("cut short (a truncated file?)") && why.contains("Nothing was imported"),
        "{why}"
    );
    assert_eq!(report(&dir), year);
    for check in [
        &["trust", "check", "--partnership", "riverbend"][..],
        &["audit", "verify"],
    ] {
        let out = dir.lmp(check);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
}

#[test]
fn the_standalone_solver_places_explains_and_refuses_bad_files_whole() {
    let dir = Workdir::new("eis");
    let out = dir.lmp(&[
        "eis",
        "sample",
        "--workers",
        "300",
        "--vacancies",
        "900",
        "--out-dir",
        ".",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = dir.lmp(&[
        "eis",
        "match",
        "--workers",
        "W.csv",
        "--vacancies",
        "V.csv",
        "--out",
        "P.csv",
        "--explain",
        "why.csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("of 300 workers placed"),
        "{}",
        text(&out.stderr)
    );
    let placements = std::fs::read_to_string(dir.0.join("P.csv")).expect("P.csv");
    assert!(placements.starts_with("worker_id,vacancy_id,comparable,retraining\n"));
    let why = std::fs::read_to_string(dir.0.join("why.csv")).expect("why.csv");
    assert_eq!(why.lines().count(), 301, "every worker explained");
    assert!(why.contains("Placed in REQ-"));
    let out = dir.lmp(&[
        "eis",
        "check",
        "--workers",
        "W.csv",
        "--vacancies",
        "V.csv",
        "--placements",
        "P.csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Optimal"), "{}", text(&out.stdout));

    // Placements that leave the first placed worker out are not optimal.
    let fewer: String = placements
        .lines()
        .take(1)
        .chain(placements.lines().skip(2))
        .map(|l| format!("{l}\n"))
        .collect();
    dir.write("fewer.csv", &fewer);
    let out = dir.lmp(&[
        "eis",
        "check",
        "--workers",
        "W.csv",
        "--vacancies",
        "V.csv",
        "--placements",
        "fewer.csv",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("fewer placed"), "{}", text(&out.stderr));

    // Bad input: each a clear error naming file, line and column.
    let workers = std::fs::read_to_string(dir.0.join("W.csv")).expect("W.csv");
    let second = workers.lines().nth(1).expect("a worker");
    dir.write("twice.csv", &format!("{workers}{second}\n"));
    let out = dir.lmp(&[
        "eis",
        "match",
        "--workers",
        "twice.csv",
        "--vacancies",
        "V.csv",
        "--out",
        "none.csv",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("twice.csv:302:1:"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("listed twice"), "{}", text(&out.stderr));
    assert!(!dir.0.join("none.csv").exists(), "nothing written");
    let vacancies = std::fs::read_to_string(dir.0.join("V.csv")).expect("V.csv");
    let first_vacancy = vacancies.lines().nth(1).expect("a vacancy");
    dir.write("filled-twice.csv", &format!("{vacancies}{first_vacancy}\n"));
    let out = dir.lmp(&[
        "eis",
        "match",
        "--workers",
        "W.csv",
        "--vacancies",
        "filled-twice.csv",
        "--out",
        "none.csv",
    ]);
    assert!(
        text(&out.stderr).contains("filled-twice.csv:902:1:"),
        "{}",
        text(&out.stderr)
    );
    let (worker, vacancy) = {
        let row: Vec<&str> = placements.lines().nth(1).expect("a placement").split(',').collect();
        (row[0].to_string(), row[1].to_string())
    };
    let other_class = vacancies
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|v| {
            let w: Vec<&str> = workers
                .lines()
                .find(|l| l.starts_with(&worker))
                .expect("worker")
                .split(',')
                .collect();
            v[1] != w[1] && !v[7].split(';').any(|c| c == w[1])
        })
        .map(|v| v[0].to_string())
        .expect("a vacancy of another class");
    let wrong = placements.replacen(&vacancy, &other_class, 1);
    dir.write("wrong.csv", &wrong);
    let out = dir.lmp(&[
        "eis",
        "check",
        "--workers",
        "W.csv",
        "--vacancies",
        "V.csv",
        "--placements",
        "wrong.csv",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("wrong.csv:2:2:"), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("is not qualified for"),
        "{}",
        text(&out.stderr)
    );
}

/// SciPy's `linear_sum_assignment` and OR-Tools' min-cost flow reach the
/// engine's optimum on small restructurings (`bench/eis_peers.py`, which
/// reads the files on its own). Runs where python3 has scipy and ortools;
/// CI sets LMP_REQUIRE_PEERS=1 so it cannot quietly skip there.
#[test]
fn the_engine_reaches_the_same_optimum_as_scipy_and_ortools() {
    let has_peers = Command::new("python3")
        .args(["-c", "import scipy, ortools"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_peers {
        assert!(
            std::env::var("LMP_REQUIRE_PEERS").is_err(),
            "LMP_REQUIRE_PEERS is set but python3 lacks scipy or ortools"
        );
        eprintln!("skipped: python3 has no scipy and ortools (pip install scipy ortools)");
        return;
    }
    let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/eis_peers.py");
    let dir = Workdir::new("eis-peers");
    for (seed, workers) in [("1", "40"), ("2", "120"), ("3", "400")] {
        let vacancies = (workers.parse::<usize>().expect("n") * 3).to_string();
        let out = dir.lmp(&[
            "eis",
            "sample",
            "--workers",
            workers,
            "--vacancies",
            &vacancies,
            "--seed",
            seed,
            "--out-dir",
            ".",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = dir.lmp(&[
            "eis",
            "match",
            "--workers",
            "W.csv",
            "--vacancies",
            "V.csv",
            "--out",
            "P.csv",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let score = |file: &str| {
            let out = Command::new("python3")
                .arg(&peers)
                .args(["score", "W.csv", "V.csv", file])
                .current_dir(&dir.0)
                .output()
                .expect("python3");
            assert!(out.status.success(), "{}", text(&out.stderr));
            text(&out.stdout)
                .split_once(": ")
                .map(|(_, s)| s.trim().to_string())
                .expect("score")
        };
        let engine = score("P.csv");
        for peer in ["scipy", "ortools"] {
            let file = format!("P-{peer}.csv");
            let out = Command::new("python3")
                .arg(&peers)
                .args([peer, "W.csv", "V.csv", &file])
                .current_dir(&dir.0)
                .output()
                .expect("python3");
            assert!(out.status.success(), "{peer}: {}", text(&out.stderr));
            assert_eq!(score(&file), engine, "{peer}, {workers} workers");
            let out = dir.lmp(&[
                "eis",
                "check",
                "--workers",
                "W.csv",
                "--vacancies",
                "V.csv",
                "--placements",
                &file,
            ]);
            assert!(out.status.success(), "{peer}: {}", text(&out.stderr));
        }
    }
}

/// `lmp staffing required`'s last line for a case.
fn nurses_required(dir: &Workdir, args: &[&str]) -> String {
    let mut all = vec!["staffing", "required", "--on", "2026-11-24"];
    if !args.contains(&"--rules") {
        all.extend(["--rules", "ca-title22"]);
    }
    all.extend_from_slice(args);
    let out = dir.lmp(&all);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout).lines().last().unwrap_or_default().to_string()
}

/// `lmp staffing rules | head -1`: the report stops when its reader does,
/// with no panic on the closed pipe.
#[cfg(unix)]
#[test]
fn a_report_piped_into_a_reader_that_stops_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let dir = Workdir::new("pipe");
    // The reading end is closed before the command starts, so its first
    // line already finds no reader.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_lmp"))
        .args(["staffing", "rules", "--rules", "ca-title22"])
        .env("DATABASE_URL", dir.database())
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run lmp");
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
}

#[test]
fn the_minimum_nurses_for_one_case_is_on_the_last_line() {
    let dir = Workdir::new("staffing");
    // (unit type, patients, nurses): one over a full load needs another nurse.
    let cases = [
        ("critical-care", "5", "3"),
        ("nicu", "4", "2"),
        ("post-anesthesia", "3", "2"),
        ("labor-delivery", "2", "1"),
        ("step-down", "7", "3"),
        ("telemetry", "9", "3"),
        ("pediatrics", "8", "2"),
        ("antepartum", "5", "2"),
        ("postpartum-couplets", "12", "3"),
        ("emergency", "8", "2"),
        ("specialty", "13", "4"),
        ("continuing-care-nursery", "4", "1"),
        ("med-surg", "26", "6"),
        ("psychiatric", "13", "3"),
        ("postpartum-mothers", "18", "3"),
        ("well-baby-nursery", "17", "3"),
        ("med-surg", "0", "0"),
    ];
    for (unit_type, patients, nurses) in cases {
        assert_eq!(
            nurses_required(&dir, &["--unit-type", unit_type, "--patients", patients]),
            nurses,
            "{unit_type} with {patients}"
        );
    }
    let room = nurses_required(&dir, &["--unit-type", "operating-room", "--occupied-rooms", "3"]);
    assert_eq!(room, "3");
    let ed = [
        "--unit-type",
        "emergency",
        "--patients",
        "8",
        "--critical",
        "2",
        "--trauma",
        "1",
    ];
    assert_eq!(nurses_required(&dir, &ed), "4");
    // The table as it stood: medical/surgical was 1:6 in 2004.
    let out = dir.lmp(&[
        "staffing",
        "required",
        "--unit-type",
        "med-surg",
        "--patients",
        "12",
        "--on",
        "2004-06-01",
    ]);
    assert_eq!(text(&out.stdout).lines().last(), Some("2"));

    for (args, says) in [
        (
            vec!["--unit-type", "burns", "--patients", "3"],
            "no rule in ca-title22 for unit type \"burns\"",
        ),
        (
            vec!["--unit-type", "operating-room", "--patients", "3"],
            "give --occupied-rooms",
        ),
        (
            vec!["--unit-type", "med-surg", "--patients", "3", "--critical", "1"],
            "no acuity class \"critical\"",
        ),
        (
            vec!["--unit-type", "emergency", "--patients", "2", "--critical", "3"],
            "only 2 patients",
        ),
        (vec!["--unit-type", "med-surg"], "give --patients"),
        (
            vec!["--rules", "tx-ratios", "--unit-type", "med-surg", "--patients", "3"],
            "no rule set named",
        ),
    ] {
        let mut all = vec!["staffing", "required"];
        all.extend(args);
        let out = dir.lmp(&all);
        assert!(!out.status.success(), "{all:?}");
        assert!(text(&out.stderr).contains(says), "{all:?}: {}", text(&out.stderr));
    }

    let out = dir.lmp(&["staffing", "rules", "--rules", "ca-title22"]);
    let listed = text(&out.stdout);
    for row in [
        "med-surg                  1:5",
        "operating-room            1/room",
        "well-baby-nursery         1:8",
    ] {
        assert!(listed.contains(row), "{listed}");
    }

    // A negotiated set layered on the law: stricter on med-surg, refused if looser.
    let agreement = |per: u32| {
        format!(
            r#"{{"code": "local-agreement", "title": "Negotiated", "stricter_than": "ca-title22",
            "versions": [{{"effective_from": "2024-01-01", "units": [
              {{"unit_type": "med-surg", "label": "Medical/surgical", "patients_per_nurse": {per}}}]}}]}}"#
        )
    };
    let stricter = dir.write("agreement.json", &agreement(4));
    assert_eq!(
        nurses_required(
            &dir,
            &["--rules", &stricter, "--unit-type", "med-surg", "--patients", "10"]
        ),
        "3"
    );
    assert_eq!(
        nurses_required(&dir, &["--rules", &stricter, "--unit-type", "nicu", "--patients", "3"]),
        "2"
    );
    let looser = dir.write("looser.json", &agreement(6));
    let out = dir.lmp(&[
        "staffing",
        "required",
        "--rules",
        &looser,
        "--unit-type",
        "med-surg",
        "--patients",
        "10",
    ]);
    assert!(
        text(&out.stderr).contains("may only be stricter"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn units_and_readings_are_taken_in_once_and_compliance_is_listed() {
    let dir = Workdir::with_demo("staffing-db");
    let out = dir.lmp(&["staffing", "compliance", "--by", "region", "--partnership", "cascadia"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).lines().count() >= 2, "{}", text(&out.stdout));

    // A hospital of the demo, from its units.
    let hospital = dir.lmp(&[
        "staffing",
        "compliance",
        "--by",
        "facility",
        "--partnership",
        "cascadia",
    ]);
    let listed = text(&hospital.stdout);
    let facility = listed
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().next())
        .expect("a facility");
    let region = text(
        &dir.lmp(&["staffing", "compliance", "--by", "region", "--partnership", "cascadia"])
            .stdout,
    )
    .lines()
    .nth(1)
    .and_then(|l| l.split_whitespace().next().map(str::to_string))
    .expect("a region");
    let units = dir.write(
        "units.csv",
        &format!("unit,name,facility,region,unit_type,beds,licensed_roles\nCLI-ICU,CLI ICU,{facility},{region},critical-care,8,rn\n"),
    );
    let out = dir.lmp(&["staffing", "units", &units, "--partnership", "cascadia"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 units added"), "{}", text(&out.stdout));

    let mut day = String::from("unit,at,patients,rn\n");
    for hour in 0..24 {
        day.push_str(&format!(
            "CLI-ICU,2031-05-01T{hour:02}:00,7,{}\n",
            if hour == 3 { 3 } else { 4 }
        ));
    }
    let readings = dir.write("icu.csv", &day);
    let out = dir.lmp(&["staffing", "import-readings", &readings, "--partnership", "cascadia"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("24 unit-hours") && text(&out.stdout).contains("1 hours below"),
        "{}",
        text(&out.stdout)
    );
    let again = dir.lmp(&["staffing", "import-readings", &readings, "--partnership", "cascadia"]);
    assert!(
        text(&again.stdout).contains("nothing changed"),
        "{}",
        text(&again.stdout)
    );
    let bad = dir.write(
        "bad.csv",
        "unit,at,patients,rn\nCLI-ICU,2031-05-02T00:00,7,4\nCLI-ICU,2031-05-02T01:00,7,-4\n",
    );
    let out = dir.lmp(&["staffing", "import-readings", &bad, "--partnership", "cascadia"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("bad.csv:3:4"), "{}", text(&out.stderr));
    let out = dir.lmp(&[
        "staffing",
        "compliance",
        "--by",
        "month",
        "--from",
        "2031-01-01",
        "--partnership",
        "cascadia",
    ]);
    assert!(text(&out.stdout).contains("2031-05"), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stdout).lines().count(),
        2,
        "the bad file left nothing: {}",
        text(&out.stdout)
    );
}

/// The README's first-partnership check, as a new user runs it: from an
/// empty database (SQLite, and PostgreSQL where configured), files only,
/// a trained team at level 1 adopting a decision by consensus.
#[test]
fn the_first_partnership_check_passes_from_an_empty_database() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let databases = runtime.block_on(lmp_store::testing::TestDb::each());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/first-partnership/check");
    for db in &databases {
        let run = Command::new("bash")
            .arg(&script)
            .arg(env!("CARGO_BIN_EXE_lmp"))
            .env("LMP_CHECK_DATABASE_URL", db.url())
            .output()
            .expect("run the check");
        let out = text(&run.stdout);
        assert!(
            run.status.success() && out.contains("First partnership check passed."),
            "{}: {out}\n{}",
            db.store.backend(),
            text(&run.stderr)
        );
        assert!(out.contains("The team is at level 1"), "{out}");
    }
    drop(databases);
}

#[test]
fn training_sessions_from_the_command_line() {
    let dir = Workdir::with_demo("training");
    let scheduled = dir.lmp(&[
        "training",
        "schedule",
        "ibps",
        "--on",
        "2026-01-15",
        "--place",
        "Room 2",
        "--partnership",
        "cascadia",
    ]);
    let out = text(&scheduled.stdout);
    assert!(
        out.contains("Interest-Based Problem Solving on 2026-01-15"),
        "{out}{}",
        text(&scheduled.stderr)
    );
    let session = out
        .split_whitespace()
        .nth(2)
        .and_then(|id| id.trim_end_matches(':').parse::<i64>().ok())
        .expect("the session's id");
    let sessions = dir.lmp(&["training", "sessions", "--partnership", "cascadia"]);
    assert!(text(&sessions.stdout).contains("Room 2"));
    let people = dir.lmp(&["export", "people", "--partnership", "cascadia"]);
    let someone = text(&people.stdout)
        .lines()
        .nth(1)
        .and_then(|line| line.split(',').next().map(str::to_string))
        .expect("a person");
    let id = session.to_string();
    let marked = dir.lmp(&["training", "mark", &id, &someone, "--partnership", "cascadia"]);
    assert!(
        text(&marked.stdout).contains("1 completed the class"),
        "{}{}",
        text(&marked.stdout),
        text(&marked.stderr)
    );
    let unknown = dir.lmp(&["training", "mark", &id, "NO-ONE", "--partnership", "cascadia"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("NO-ONE"), "{}", text(&unknown.stderr));
    let file = dir.write(
        "classes.csv",
        &format!("employee_no,class,completed_on\n{someone},corrective_action,2025-05-01\n"),
    );
    let imported = dir.lmp(&["import", "classes", &file, "--partnership", "cascadia"]);
    assert!(text(&imported.stdout).contains("1 new"), "{}", text(&imported.stderr));
    let bad = dir.write("bad.csv", "employee_no,class,completed_on\nNO-ONE,ibps,2025-05-01\n");
    let refused = dir.lmp(&["import", "classes", &bad, "--partnership", "cascadia"]);
    assert!(
        text(&refused.stderr).contains("bad.csv:2:1:") && text(&refused.stderr).contains("Nothing was imported"),
        "{}",
        text(&refused.stderr)
    );
    let catalog = dir.lmp(&["training", "classes", "--partnership", "cascadia"]);
    assert!(
        text(&catalog.stdout).contains("co-leads at level 1"),
        "{}",
        text(&catalog.stdout)
    );
}

/// statsmodels (with patsy and pandas) for the evidence check; CI sets
/// LMP_REQUIRE_PEERS=1 so it cannot quietly skip there.
fn has_statsmodels() -> bool {
    let has = Command::new("python3")
        .args(["-c", "import statsmodels, patsy, pandas"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        assert!(
            std::env::var("LMP_REQUIRE_PEERS").is_err(),
            "LMP_REQUIRE_PEERS is set but python3 lacks statsmodels"
        );
        eprintln!("skipped: python3 has no statsmodels (pip install statsmodels)");
    }
    has
}

#[test]
fn the_evidence_models_equal_statsmodels_to_six_significant_digits() {
    if !has_statsmodels() {
        return;
    }
    let dir = Workdir::with_demo("evidence-statsmodels");
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/evidence_statsmodels.py");
    for measure in ["injuries", "patient_experience"] {
        let out = dir.lmp(&["evidence", "export", measure, "--partnership", "cascadia"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let models = format!("{measure}-models.json");
        let checked = Command::new("python3")
            .arg(&checker)
            .arg(&models)
            .current_dir(&dir.0)
            .output()
            .expect("python3");
        let said = text(&checked.stdout);
        assert!(checked.status.success(), "{said}{}", text(&checked.stderr));
        assert!(said.contains(", 0 disagree"), "{said}");
        for model in ["levels_with_controls", "event_study", "difference_in_differences"] {
            assert!(said.contains(&format!("{model}: ")), "{model} was checked: {said}");
        }
    }
}

#[test]
fn the_demos_planted_effect_is_found_within_its_interval() {
    let dir = Workdir::with_demo("evidence-planted");
    let out = dir.lmp(&["evidence", "show", "injuries", "--json", "--partnership", "cascadia"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let coefficients = found["levels_with_controls"]["fit"]["coefficients"]
        .as_array()
        .expect("the levels model was fitted");
    let level_4 = coefficients
        .iter()
        .find(|c| c["name"] == "level 4")
        .expect("level 4 against level 1");
    let (low, high) = (
        level_4["low"].as_f64().expect("low"),
        level_4["high"].as_f64().expect("high"),
    );
    let planted = lmp_demo::outcomes::PLANTED_INJURY_EFFECT;
    assert!(low < planted && planted < high, "{planted} within {low} to {high}");
    assert!(high < 0.0, "fewer claims at level 4: {level_4}");
    // A measure with nothing planted shows no such effect.
    let out = dir.lmp(&["evidence", "show", "turnover", "--json", "--partnership", "cascadia"]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let level_4 = found["levels_with_controls"]["fit"]["coefficients"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "level 4").cloned())
        .expect("level 4");
    let (low, high) = (
        level_4["low"].as_f64().expect("low"),
        level_4["high"].as_f64().expect("high"),
    );
    assert!(
        low < 0.0 && 0.0 < high,
        "turnover: no effect planted, none found: {level_4}"
    );
}

#[test]
fn outcomes_are_taken_in_once_and_a_bad_row_takes_in_nothing() {
    let dir = Workdir::with_demo("outcomes");
    let teams = dir.lmp(&["evidence", "export", "injuries", "--partnership", "cascadia"]);
    assert!(teams.status.success(), "{}", text(&teams.stderr));
    let panel = std::fs::read_to_string(dir.0.join("injuries-panel.csv")).expect("panel");
    let team = panel
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').next())
        .expect("a team")
        .to_string();
    let file = dir.write(
        "outcomes.csv",
        &format!("team_code,measure,month,value\n{team},injuries,2019-01,2.5\n{team},injuries,2019-02,1.75\n"),
    );
    let first = dir.lmp(&["import", "outcomes", &file, "--partnership", "cascadia"]);
    assert!(
        text(&first.stdout).contains("2 rows — 2 new"),
        "{}{}",
        text(&first.stdout),
        text(&first.stderr)
    );
    let again = dir.lmp(&["import", "outcomes", &file, "--partnership", "cascadia"]);
    assert!(
        text(&again.stdout).contains("0 new, 0 changed, 2 unchanged"),
        "{}",
        text(&again.stdout)
    );
    // Another value for a month that has one, after a good new row: refused
    // at its place, and the good row is not taken in either.
    let other = dir.write(
        "other.csv",
        &format!("team_code,measure,month,value\n{team},injuries,2019-03,1\n{team},injuries,2019-01,9\n"),
    );
    let refused = dir.lmp(&["import", "outcomes", &other, "--partnership", "cascadia"]);
    let said = text(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        said.contains("other.csv:3:4:") && said.contains("already has 2.5"),
        "{said}"
    );
    assert!(said.contains("Nothing was imported"), "{said}");
    let unknown = dir.write(
        "unknown.csv",
        &format!("team_code,measure,month,value\n{team},falls,2019-01,1\n"),
    );
    let refused = dir.lmp(&["import", "outcomes", &unknown, "--partnership", "cascadia"]);
    assert!(text(&refused.stderr).contains("unknown.csv:2:2:") && text(&refused.stderr).contains("not in force"));
    let retry = dir.write(
        "retry.csv",
        &format!("team_code,measure,month,value\n{team},injuries,2019-03,1\n"),
    );
    let taken = dir.lmp(&["import", "outcomes", &retry, "--partnership", "cascadia"]);
    assert!(
        text(&taken.stdout).contains("1 rows — 1 new"),
        "the refused file left nothing: {}",
        text(&taken.stdout)
    );
    let verify = dir.lmp(&["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stderr));
}
