use crate::{
    AuditAction, Cli, Command, DecisionsAction, ExportWhat, ImportWhat, LogFormat, PartnershipAction, Scale,
    TeamsAction, TokenAction, UserAction,
};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lmp_core::policy::{authorize, Action, Permit, UserRole};
use lmp_demo::DEMO_STAGES;
use lmp_store::Store;
use lmp_web::auth::password::hash_password;
use lmp_web::auth::token::{hash_secret, new_api_token};
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::time::Instant;

pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LMP_LOG")
        .unwrap_or_else(|_| "info,sqlx=error,tower_http=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

pub async fn run(cli: Cli) -> Result<()> {
    // The solver works on files alone: no database is opened for it.
    let cli = match cli.command {
        Command::Eis { action } if !action.needs_database() => return crate::eis::run(action),
        Command::Staffing { action } if !action.needs_database() => return crate::staffing::run(action),
        command => Cli { command, ..cli },
    };
    let store = Store::connect(&cli.database)
        .await
        .with_context(|| format!("opening the database {}", redact(&cli.database)))?;
    let result = dispatch(&store, cli.command).await;
    store.close().await;
    result
}

async fn dispatch(store: &Store, command: Command) -> Result<()> {
    match command {
        Command::Serve {
            demo,
            scale,
            listen,
            secure_cookies,
            smtp_url,
            mail_from,
            public_url,
            sso,
        } => {
            if demo {
                load_demo(store, scale).await?;
            }
            let public_url = public_url.unwrap_or_else(|| format!("http://{listen}"));
            let sso = sso_config(store, sso, &public_url).await?;
            let mail = smtp_url.map(|smtp_url| lmp_web::background::MailConfig {
                smtp_url,
                from: mail_from,
                public_url,
            });
            serve(store, listen, secure_cookies, mail, sso).await
        }
        Command::Migrate => {
            println!("The {} database is up to date.", store.backend());
            Ok(())
        }
        Command::Demo { scale } => load_demo(store, scale).await,
        Command::Import { what } => import(store, what).await,
        Command::Body { action } => crate::bodies::run(store, action).await,
        Command::Teams { action } => teams(store, action).await,
        Command::Training { action } => crate::training::run(store, action).await,
        Command::Evidence { action } => crate::evidence::run(store, action).await,
        Command::Trust { action } => crate::trust::run(store, action).await,
        Command::Eis {
            action:
                crate::EisAction::Representative {
                    employee_no,
                    side,
                    partnership,
                },
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let side: lmp_core::Side = side.parse().map_err(anyhow::Error::msg)?;
            store
                .add_eis_representative(&Permit::operator(pid, Action::ChangeSeat { side }), &employee_no)
                .await?;
            for r in store.eis_representatives(pid).await? {
                println!("{}\t{}", r.side, r.name);
            }
            Ok(())
        }
        Command::Eis { .. } => unreachable!("run() handles the solver before opening a database"),
        Command::Staffing { action } => crate::staffing::run_with_database(store, action).await,
        Command::Decisions {
            action: DecisionsAction::Sweep,
        } => {
            let (rose, flagged) = store.sweep_overdue(jiff::Timestamp::now()).await?;
            println!("{rose} decisions rose a level; {flagged} at the top passed their deadline and were flagged.");
            Ok(())
        }
        Command::Decisions {
            action: DecisionsAction::Rules { partnership, set },
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            if let Some(file) = set {
                let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
                let rules: lmp_core::escalation::EscalationRules =
                    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                store
                    .set_escalation_rules(&Permit::operator(pid, Action::ConfigureRules), &rules)
                    .await?;
                eprintln!("New time limits set; they apply to decisions as they arrive at a level.");
            }
            println!("{}", serde_json::to_string_pretty(&store.escalation_rules(pid).await?)?);
            Ok(())
        }
        Command::Decisions {
            action: DecisionsAction::Index { partnership },
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let started = Instant::now();
            let by_body = store.participation_all(pid).await?;
            let mut all = lmp_core::participation::ParticipationIndex::default();
            for index in by_body.values() {
                all.decisions += index.decisions;
                all.joint += index.joint;
            }
            println!(
                "{} bodies, {} adopted decisions, {}% made jointly ({:.3} s).",
                by_body.len(),
                all.decisions,
                all.percent().unwrap_or(0),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Export {
            what: ExportWhat::People { partnership, output },
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let written = match output {
                Some(path) => {
                    let file = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
                    let n = store.export_people(pid, std::io::BufWriter::new(file)).await?;
                    eprintln!("Wrote {n} people to {}.", path.display());
                    n
                }
                None => store.export_people(pid, std::io::stdout().lock()).await?,
            };
            tracing::debug!(written, "export done");
            Ok(())
        }
        Command::Partnership {
            action:
                PartnershipAction::Create {
                    slug,
                    name,
                    employer,
                    coalition,
                    time_zone,
                },
        } => {
            // Checked before anything is written.
            lmp_core::time::zone(&time_zone).map_err(|e| anyhow::anyhow!("--time-zone: {e}"))?;
            let slug =
                lmp_core::import::code(1, slug.trim(), "the short name").map_err(|e| anyhow::anyhow!(e.reason))?;
            let mut texts = Vec::new();
            for (value, what) in [
                (&name, "--name"),
                (&employer, "--employer"),
                (&coalition, "--coalition"),
            ] {
                texts.push(lmp_core::import::text(1, value.trim(), what, true).map_err(|e| anyhow::anyhow!(e.reason))?);
            }
            if store.partnership_by_slug(&slug).await?.is_some() {
                bail!("a partnership {slug:?} already exists");
            }
            let created = store.create_partnership(&slug, &texts[0], &texts[1], &texts[2]).await?;
            store
                .set_partnership_time_zone(&Permit::operator(created.id, Action::ConfigureRules), &time_zone)
                .await?;
            println!("Created partnership {slug:?}. Next: `lmp import org FILE --partnership {slug}`, then people, bodies and seats, then `lmp user add`.");
            Ok(())
        }
        Command::Partnership {
            action: PartnershipAction::TimeZone { slug, zone },
        } => {
            let Some(partnership) = store.partnership_by_slug(slug.trim()).await? else {
                bail!("no partnership {slug:?}; `lmp partnership list` shows them");
            };
            let permit = Permit::operator(partnership.id, Action::ConfigureRules);
            let changed = store.set_partnership_time_zone(&permit, &zone).await?;
            println!("{}'s pages now show times in {}.", changed.name, changed.time_zone);
            Ok(())
        }
        Command::Partnership {
            action: PartnershipAction::List,
        } => {
            for p in store.partnerships().await? {
                println!(
                    "{}\t{} ({} and {})\t{}",
                    p.slug, p.name, p.employer, p.coalition, p.time_zone
                );
            }
            Ok(())
        }
        Command::Token {
            action: TokenAction::Create { user, name },
        } => {
            let found = store
                .user_by_name(&user)
                .await?
                .with_context(|| format!("no user named {user:?}"))?;
            let actor = lmp_web::auth::actor_of(&found).context("that user has an unknown role")?;
            let permit = authorize(&actor, Action::ManageOwnTokens, actor.partnership_id)?;
            let token = new_api_token();
            store.create_api_token(&permit, &name, &hash_secret(&token)).await?;
            println!(
                "Created an API token for {user} ({}). It is shown once; send it as `Authorization: Bearer <token>`:",
                actor.role.label()
            );
            println!("{token}");
            Ok(())
        }
        Command::User {
            action:
                UserAction::Add {
                    username,
                    role,
                    partnership,
                    person,
                    email,
                },
        } => {
            let role: UserRole = role.parse().map_err(anyhow::Error::msg)?;
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let person_id = match person.as_deref() {
                Some(no) => Some(
                    store
                        .person_id_by_employee_no(pid, no.trim())
                        .await?
                        .with_context(|| format!("no one has employee number {no:?} in this partnership"))?,
                ),
                None => None,
            };
            if let Some(email) = email.as_deref() {
                lmp_core::notice::check_email(email).map_err(anyhow::Error::msg)?;
            }
            let password = read_password()?;
            let hash = hash_password(&password).map_err(anyhow::Error::msg)?;
            store.create_user(pid, &username, &hash, role, person_id).await?;
            if email.is_some() {
                store.set_user_email(&username, email.as_deref()).await?;
            }
            println!("Added {username} as {}.", role.label());
            Ok(())
        }
        Command::User {
            action: UserAction::Email { username, address },
        } => {
            store.set_user_email(&username, address.as_deref()).await?;
            match address {
                Some(address) => println!("{username}'s notices are mailed to {address}."),
                None => println!("{username}'s notices stay in the app."),
            }
            Ok(())
        }
        Command::User {
            action: action @ (UserAction::Role { .. } | UserAction::Deactivate { .. } | UserAction::Reactivate { .. }),
        } => change_sign_in(store, action).await,
        Command::User {
            action:
                UserAction::Invite {
                    employee_no,
                    email,
                    partnership,
                    print_link,
                },
        } => {
            use lmp_web::auth::token::{hash_secret, random_secret};
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let secret = random_secret();
            let link = format!("/invitations/{secret}");
            let permit = Permit::operator(pid, Action::ManageSignIns);
            let sent = store
                .invite(&permit, &employee_no, &email, &hash_secret(&secret), &link)
                .await?;
            println!(
                "An invitation to {} is queued for {}; its link works once, until {}.",
                sent.person_name,
                sent.email,
                lmp_core::time::stored_in_words(
                    &sent.expires_at,
                    &store.partnership_zone(pid).await?,
                    lmp_core::language::Language::English,
                )
            );
            if let Some(public_url) = print_link {
                println!("{}{link}", public_url.trim_end_matches('/'));
            }
            Ok(())
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let verified = store.verify_audit().await?;
            println!(
                "Audit log intact: {} entries in {} partnership{} verified.",
                verified.entries,
                verified.partnerships,
                if verified.partnerships == 1 { "" } else { "s" }
            );
            Ok(())
        }
    }
}

async fn serve(
    store: &Store,
    listen: std::net::SocketAddr,
    secure_cookies: bool,
    mail: Option<lmp_web::background::MailConfig>,
    sso: Option<lmp_web::auth::sso::SsoConfig>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen} (is something else using it? pass --listen ADDR)"))?;
    let mut state = lmp_web::AppState::new(store.clone(), secure_cookies).map_err(anyhow::Error::msg)?;
    if let Some(sso) = sso {
        println!(
            "Single sign-on through {} (claim {:?} is the employee number).",
            sso.issuer, sso.claim
        );
        state = state.with_sso(sso).map_err(anyhow::Error::msg)?;
    }
    let url = format!("http://{}", listener.local_addr()?);
    println!("lmp is serving {url} on {} (Ctrl-C stops it).", store.backend());
    let users = demo_users(store).await?;
    if !users.is_empty() {
        println!("Demo sign-ins (password `demo`): {}", users.join(", "));
    }
    println!("API: {url}/api/v1 (described at {url}/api/v1/openapi.json); health: {url}/healthz");
    match &mail {
        Some(mail) => println!(
            "Notices are mailed through {} from {}.",
            redact(&mail.smtp_url),
            mail.from
        ),
        None => println!("Notices stay in the app (pass --smtp-url to mail them too)."),
    }
    lmp_web::background::spawn(store.clone(), mail, Default::default()).map_err(anyhow::Error::msg)?;
    lmp_web::serve(listener, state, shutdown_signal()).await?;
    println!("Stopped.");
    Ok(())
}

/// The identity provider's settings, when an issuer is given.
async fn sso_config(
    store: &Store,
    sso: crate::SsoArgs,
    public_url: &str,
) -> Result<Option<lmp_web::auth::sso::SsoConfig>> {
    let Some(issuer) = sso.sso_issuer else {
        return Ok(None);
    };
    let client_id = sso
        .sso_client_id
        .context("--sso-issuer needs --sso-client-id (or LMP_SSO_CLIENT_ID)")?;
    let partnership_id = partnership_id(store, sso.sso_partnership.as_deref()).await?;
    Ok(Some(lmp_web::auth::sso::SsoConfig {
        issuer,
        client_id,
        client_secret: sso.sso_client_secret,
        claim: sso.sso_claim,
        partnership_id,
        redirect_url: format!("{}/sign-in/sso/callback", public_url.trim_end_matches('/')),
        label: sso.sso_label,
    }))
}

async fn demo_users(store: &Store) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for name in ["admin", "labor", "manager", "member", "analyst", "other-admin"] {
        if store.user_by_name(name).await?.is_some() {
            found.push(name.to_string());
        }
    }
    Ok(found)
}

/// `lmp user role|deactivate|reactivate`: the operator's hand on a sign-in,
/// by the same rules and audit as the administrator's page.
async fn change_sign_in(store: &Store, action: UserAction) -> Result<()> {
    use lmp_core::sign_in::SignInChange;
    let (username, change) = match action {
        UserAction::Role { username, role } => {
            let role = role.parse::<UserRole>().map_err(anyhow::Error::msg)?;
            (username, SignInChange::Grant(role))
        }
        UserAction::Deactivate { username } => (username, SignInChange::Deactivate),
        UserAction::Reactivate { username } => (username, SignInChange::Reactivate),
        _ => anyhow::bail!("not a change to a sign-in"),
    };
    let user = store
        .user_by_name(&username)
        .await?
        .with_context(|| format!("no sign-in named {username:?}"))?;
    let permit = Permit::operator(user.partnership_id, Action::ManageSignIns);
    let changed = store
        .change_sign_in(&permit, user.id, change, lmp_store::today())
        .await?;
    match changed.deactivated_on {
        Some(on) => println!("{username} deactivated on {on}: their sessions ended."),
        None => println!("{username} is {} and can sign in.", changed.role),
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

async fn load_demo(store: &Store, scale: Scale) -> Result<()> {
    let started = Instant::now();
    let bar = ProgressBar::new(DEMO_STAGES * 2);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let offset = std::sync::atomic::AtomicU64::new(0);
    let last = std::sync::atomic::AtomicU64::new(0);
    let progress = |message: &str, done: u64| {
        use std::sync::atomic::Ordering;
        // Stages restart at 0 for the second partnership.
        if done < last.load(Ordering::Relaxed) {
            offset.fetch_add(DEMO_STAGES, Ordering::Relaxed);
        }
        last.store(done, Ordering::Relaxed);
        bar.set_position(offset.load(Ordering::Relaxed) + done);
        bar.set_message(message.to_string());
    };
    let hash = hash_password("demo").map_err(anyhow::Error::msg)?;
    let scale = match scale {
        Scale::Full => lmp_demo::Scale::Full,
        Scale::Small => lmp_demo::Scale::Small,
    };
    let report = lmp_demo::load_demo(store, scale, &hash, &progress).await?;
    bar.finish_and_clear();
    for (slug, existed) in &report.partnerships {
        if *existed {
            println!("Demo partnership {slug:?} is already loaded; reusing it.");
        } else {
            println!("Loaded demo partnership {slug:?}.");
        }
    }
    if report.people > 0 {
        println!(
            "Demo: {} people, {} bodies, {} seats in {:.1} s.",
            report.people,
            report.bodies,
            report.seats,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

async fn import(store: &Store, what: ImportWhat) -> Result<()> {
    let (file, partnership) = match &what {
        ImportWhat::Org { file, partnership }
        | ImportWhat::People { file, partnership, .. }
        | ImportWhat::Projects { file, partnership }
        | ImportWhat::Measurements { file, partnership }
        | ImportWhat::Savings { file, partnership }
        | ImportWhat::Bodies { file, partnership }
        | ImportWhat::Seats { file, partnership }
        | ImportWhat::Classes { file, partnership }
        | ImportWhat::Outcomes { file, partnership } => (file.clone(), partnership.clone()),
    };
    let pid = partnership_id(store, partnership.as_deref()).await?;
    let permit = Permit::operator(pid, Action::Import);
    let handle = std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = file_progress(size);
    let reader = std::io::BufReader::with_capacity(1 << 16, bar.wrap_read(handle));
    let label = display_name(&file);
    let started = Instant::now();
    let today = lmp_store::today();
    let plain = |r: lmp_store::Result<lmp_store::import::ImportReport>| r.map(|counts| (counts, Vec::new()));
    let structure = |r: lmp_store::Result<lmp_store::structure::import::StructureReport>| {
        r.map(|report| (report.counts, report.missing_co_lead))
    };
    let report = match what {
        ImportWhat::Org { .. } => plain(store.import_org(&permit, &label, reader).await),
        ImportWhat::People {
            complete: true,
            dry_run,
            ..
        } => {
            let sync = lmp_store::import::PeopleSync { today, dry_run };
            let report = store.sync_people(&permit, &label, reader, &sync).await;
            bar.finish_and_clear();
            let report = report.map_err(nothing_imported)?;
            print_sync(&label, &report, started.elapsed().as_secs_f64());
            return Ok(());
        }
        ImportWhat::People { .. } => plain(store.import_people(&permit, &label, reader).await),
        ImportWhat::Projects { .. } => plain(store.import_projects(&permit, &label, reader, today).await),
        ImportWhat::Measurements { .. } => plain(store.import_measurements(&permit, &label, reader, today).await),
        ImportWhat::Savings { .. } => {
            let rules = store.team_rules(pid).await?;
            plain(
                store
                    .import_savings(&permit, &label, reader, &rules.savings, today)
                    .await,
            )
        }
        ImportWhat::Bodies { .. } => structure(store.import_bodies(&permit, &label, reader).await),
        ImportWhat::Seats { .. } => structure(store.import_seats(&permit, &label, reader, today).await),
        ImportWhat::Classes { .. } => plain(store.import_class_completions(&permit, &label, reader, today).await),
        ImportWhat::Outcomes { .. } => {
            let last_ended = lmp_core::evidence::measure::last_ended_month(today);
            plain(
                store
                    .import_outcomes(&permit, &label, reader, last_ended)
                    .await
                    .map(|r| lmp_store::import::ImportReport {
                        rows: r.rows,
                        inserted: r.added,
                        updated: 0,
                        unchanged: r.unchanged,
                    }),
            )
        }
    };
    bar.finish_and_clear();
    let report = report.map_err(nothing_imported)?;
    let (report, missing_co_lead) = report;
    println!(
        "Imported {}: {} rows — {} new, {} changed, {} unchanged ({:.1} s).",
        label,
        report.rows,
        report.inserted,
        report.updated,
        report.unchanged,
        started.elapsed().as_secs_f64()
    );
    print_missing_co_leads(&missing_co_lead);
    Ok(())
}

fn nothing_imported(e: lmp_store::StoreError) -> anyhow::Error {
    match e {
        lmp_store::StoreError::Import { .. } => {
            anyhow::anyhow!("{e}\nNothing was imported: fix that line and run the import again.")
        }
        e => e.into(),
    }
}

/// What a sync did, or on a dry run would do, and how long it took.
fn print_sync(label: &str, report: &lmp_store::import::SyncReport, seconds: f64) {
    const NAMED: usize = 10;
    for line in report.summary(label, NAMED, lmp_core::language::Language::English) {
        println!("{line}");
    }
    println!("In {seconds:.1} s.");
}

/// Accepted, but flagged: a body the file left without a co-lead of a side
/// cannot decide jointly until one is seated.
fn print_missing_co_leads(missing: &[lmp_store::structure::import::MissingCoLead]) {
    const SHOWN: usize = 10;
    if missing.is_empty() {
        return;
    }
    println!("{} bodies have no co-lead on a side:", missing.len());
    for body in missing.iter().take(SHOWN) {
        let sides: Vec<&str> = body.missing.iter().map(|s| s.as_str()).collect();
        println!("  {}: no {} co-lead", body.code, sides.join(" or "));
    }
    if missing.len() > SHOWN {
        println!("  … and {} more (the dashboard lists them all).", missing.len() - SHOWN);
    }
}

async fn teams(store: &Store, action: TeamsAction) -> Result<()> {
    let all = lmp_store::teams::rating::TeamScope::All;
    match action {
        TeamsAction::Rate { partnership } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let rules = store.team_rules(pid).await?;
            let started = Instant::now();
            let rated = store.rerate_teams(pid, all, &rules.path, lmp_store::today()).await?;
            println!("Rated {rated} teams ({:.2} s).", started.elapsed().as_secs_f64());
        }
        TeamsAction::Rules { partnership, set } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            if let Some(file) = set {
                let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
                let rules = lmp_core::team_rules::TeamRules::parse(&text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                store
                    .set_team_rules(&Permit::operator(pid, Action::ConfigureRules), &rules)
                    .await?;
                let rated = store.rerate_teams(pid, all, &rules.path, lmp_store::today()).await?;
                eprintln!("New rules agreed; {rated} teams re-rated by them.");
            }
            println!("{}", serde_json::to_string_pretty(&store.team_rules(pid).await?)?);
        }
    }
    Ok(())
}

/// The partnership a command acts on: named, or the only one there is.
pub(crate) async fn partnership_id(store: &Store, slug: Option<&str>) -> Result<i64> {
    let all = store.partnerships().await?;
    let slugs = || all.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>().join(", ");
    match slug {
        Some(slug) => all
            .iter()
            .find(|p| p.slug == slug)
            .map(|p| p.id)
            .with_context(|| format!("no partnership {slug:?}; there are: {}", slugs())),
        None if all.len() == 1 => Ok(all[0].id),
        None if all.is_empty() => {
            bail!("there is no partnership yet: create one with `lmp partnership create`, or load the demo with `lmp demo`")
        }
        None => bail!(
            "there are several partnerships; name one with --partnership ({})",
            slugs()
        ),
    }
}

/// A progress bar over a file's bytes, on a terminal only.
pub(crate) fn file_progress(size: u64) -> ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(size)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub(crate) fn display_name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn read_password() -> Result<String> {
    let password = match std::env::var("LMP_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .context("reading the password from standard input")?;
            input.lines().next().unwrap_or("").to_string()
        }
    };
    lmp_core::sign_in::check_new_password(&password).map_err(anyhow::Error::msg)?;
    Ok(password)
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
