//! `lmp`: run and operate a labor-management partnership.
//!
//! Thin on purpose: each command parses its arguments, calls the store or the
//! web app, and prints what happened.

mod bodies;
mod commands;
mod eis;
mod evidence;
mod staffing;
mod training;
mod trust;

use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where data lives unless `--database` or `DATABASE_URL` says otherwise.
pub const DEFAULT_DATABASE: &str = "sqlite://lmp-data/lmp.db";

#[derive(Parser)]
#[command(
    name = "lmp",
    version,
    about = "Run a labor-management partnership: its bodies, teams, people and audit trail."
)]
pub struct Cli {
    /// sqlite://PATH (created if missing) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
    pub database: String,
    /// Log as text for people or JSON for machines.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Scale {
    /// The real scale: 134,000 members, ~3,600 teams.
    Full,
    /// A few hundred people.
    Small,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web app and the JSON API.
    Serve {
        /// Load the demo partnerships first (skipped if already loaded).
        #[arg(long)]
        demo: bool,
        #[arg(long, value_enum, default_value_t = Scale::Full)]
        scale: Scale,
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Mark the session cookie Secure (when served behind HTTPS).
        #[arg(long)]
        secure_cookies: bool,
        /// Send notices by email through this relay, e.g. smtp://mail.example.org:587
        /// (with user:password@ if it wants them). Without it notices stay in the app.
        #[arg(long, env = "LMP_SMTP_URL")]
        smtp_url: Option<String>,
        /// The sender on those emails.
        #[arg(long, default_value = "lmp <lmp@localhost>")]
        mail_from: String,
        /// The address people open lmp at, for links in emails (default: the listen address).
        #[arg(long)]
        public_url: Option<String>,
        #[command(flatten)]
        sso: SsoArgs,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo partnerships (skipped if already loaded).
    Demo {
        #[arg(long, value_enum, default_value_t = Scale::Full)]
        scale: Scale,
    },
    /// Import a CSV file from an HR system: all of it or none of it.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export in the import format.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Partnerships (one employer and one coalition each).
    Partnership {
        #[command(subcommand)]
        action: PartnershipAction,
    },
    /// Personal access tokens for the API.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Sign-ins.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Partnership bodies and teams: create, rename, move, close.
    Body {
        #[command(subcommand)]
        action: BodyAction,
    },
    /// Unit-based teams: re-rate them, show the Path to Performance rules.
    Teams {
        #[command(subcommand)]
        action: TeamsAction,
    },
    /// Training: the classes, sessions and who attended them.
    Training {
        #[command(subcommand)]
        action: TrainingAction,
    },
    /// Evidence: the outcome measures in force, each read by team level,
    /// participation and engagement, and the exact data and models to fit again.
    Evidence {
        #[command(subcommand)]
        action: EvidenceAction,
    },
    /// Joint decisions: the participation index, the deadline sweep, the time limits.
    Decisions {
        #[command(subcommand)]
        action: DecisionsAction,
    },
    /// The Partnership Trust: payroll hours in, contributions and the ledger out.
    Trust {
        #[command(subcommand)]
        action: TrustAction,
    },
    /// Employment and Income Security: place displaced workers by the agreement's priority rules.
    Eis {
        #[command(subcommand)]
        action: EisAction,
    },
    /// Joint staffing: ratio rules, what a unit needs, hour-by-hour compliance.
    Staffing {
        #[command(subcommand)]
        action: StaffingAction,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
}

/// Single sign-on through the employer's OpenID Connect identity provider.
#[derive(clap::Args, Debug, Clone)]
pub struct SsoArgs {
    /// The provider's issuer URL, e.g. https://login.example.org/realms/staff.
    #[arg(long, env = "LMP_SSO_ISSUER")]
    pub sso_issuer: Option<String>,
    /// This app's client id at the provider.
    #[arg(long, env = "LMP_SSO_CLIENT_ID", requires = "sso_issuer")]
    pub sso_client_id: Option<String>,
    /// Its client secret (better from the environment than the command line).
    #[arg(long, env = "LMP_SSO_CLIENT_SECRET", hide_env_values = true)]
    pub sso_client_secret: Option<String>,
    /// The ID token claim that carries the employee number.
    #[arg(long, env = "LMP_SSO_CLAIM", default_value = "employee_number")]
    pub sso_claim: String,
    /// The partnership the provider signs people into; may be left out when there is only one.
    #[arg(long, env = "LMP_SSO_PARTNERSHIP")]
    pub sso_partnership: Option<String>,
    /// The sign-in button's words.
    #[arg(long, default_value = "Sign in with your employer's account")]
    pub sso_label: String,
}

#[derive(Subcommand)]
pub enum ImportWhat {
    /// Units: code,kind,name,parent_code (regions, facilities, departments, internationals, locals).
    Org {
        file: PathBuf,
        /// The partnership's short name; may be left out when there is only one.
        #[arg(long)]
        partnership: Option<String>,
    },
    /// People: employee_no,name,kind,local_code,unit_code,job_title.
    People {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
        /// The file names everyone who works here (the nightly HR sync): whoever
        /// it leaves out has left — their seats and standing roles end, kept as
        /// history — and a changed unit is recorded as a transfer.
        #[arg(long)]
        complete: bool,
        /// With --complete: print what would change and write nothing.
        #[arg(long, requires = "complete")]
        dry_run: bool,
    },
    /// Improvement projects: code,team_code,title,status,compass,aim,how_we_know,change_idea,
    /// started_on,target_date,measure,unit,baseline,target,balancing[,adopted_from].
    Projects {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Measurements: project_code,measure,taken_on,value,unit (each measure oldest first).
    Measurements {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Savings claims: ref,project_code,category,amount,period_start,period_end,method,corrects_ref.
    Savings {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Bodies and teams: code,level,name,unit_code,parent_code,decides (consensus or recommend).
    /// A parent comes before its children in the file.
    Bodies {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Seats with their history: body_code,employee_no,role,side,from,to
    /// (role co-lead, sponsor or member; a row with `to` is a past seat).
    Seats {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Class completions: employee_no,class,completed_on[,source] (a class by its
    /// word, e.g. co_lead_workshop, or its name). The first completion counts;
    /// the teams are re-rated once it is in.
    Classes {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Outcomes: team_code,measure,month,value — a team's value of a measure in
    /// force in one month (YYYY-MM, ended). A month's value is set once: the
    /// same file twice adds nothing, another value for it is refused.
    Outcomes {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum EvidenceAction {
    /// The outcome measures in force (both sides accepted each on the Changes page).
    Measures {
        #[arg(long)]
        partnership: Option<String>,
    },
    /// One measure's evidence: means by level, the regression with controls,
    /// the event study and difference-in-differences of teams that moved up.
    Show {
        /// The measure's code, e.g. injuries.
        measure: String,
        /// All of it as JSON.
        #[arg(long)]
        json: bool,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Write MEASURE-panel.csv (the data exactly as the models read it) and
    /// MEASURE-models.json (each model's formula, as statsmodels reads it on
    /// the panel, and its fit).
    Export {
        measure: String,
        #[arg(long, default_value = ".")]
        out_dir: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum TrainingAction {
    /// The classes: where Path to Performance asks for each, how many have
    /// completed it, how many team leaders still need it.
    Classes {
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Sessions, latest first.
    Sessions {
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Schedule a session of a class.
    Schedule {
        /// The class, by its word or name.
        class: String,
        /// The day (YYYY-MM-DD).
        #[arg(long)]
        on: String,
        #[arg(long, default_value = "")]
        place: String,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Put people on a session's list, or mark them attended or absent.
    /// Attending, once the day has come, completes the class.
    Mark {
        session: i64,
        /// Employee numbers.
        #[arg(required = true)]
        employee_no: Vec<String>,
        /// enrolled, attended or absent.
        #[arg(long, default_value = "attended")]
        status: String,
        #[arg(long)]
        partnership: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum BodyAction {
    /// Create a body or a unit-based team; its co-leads come after (two keys or `import seats`).
    Create {
        /// The body's code, unique in the partnership.
        code: String,
        /// national, regional, facility, department or team.
        #[arg(long)]
        level: String,
        #[arg(long)]
        name: String,
        /// The unit (region, facility or department) it belongs to, by code.
        #[arg(long)]
        unit: Option<String>,
        /// The body it reports to, by code.
        #[arg(long)]
        parent: Option<String>,
        /// consensus (decides) or recommend (recommends to its parent).
        #[arg(long, default_value = "consensus")]
        decides: String,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Give a body a new name.
    Rename {
        code: String,
        name: String,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Put a body under another parent (or under none with --top).
    Move {
        code: String,
        /// The new parent's code.
        #[arg(long, conflicts_with = "top", required_unless_present = "top")]
        parent: Option<String>,
        /// Take it out from under any parent (only the strategy group stands alone).
        #[arg(long)]
        top: bool,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Close a body today: its seats end and are kept as history; nothing is deleted.
    Close {
        code: String,
        #[arg(long)]
        partnership: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum DecisionsAction {
    /// Recompute the Partnership Participation Index of every body from the record.
    Index {
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Raise every open decision past its deadline one level now (the
    /// server does this each minute by itself).
    Sweep,
    /// Print the days a decision may stay at each level as JSON; with --set,
    /// take new limits from a file in that form.
    Rules {
        #[arg(long)]
        partnership: Option<String>,
        #[arg(long)]
        set: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum TrustAction {
    /// Take in a payroll file: worker_id,local,facility,period_start,period_end,hour_type,hours
    /// (one pay period or a whole year). All of it or none; the same file twice changes nothing.
    ImportHours {
        file: PathBuf,
        /// Correct pay periods taken in before with this file's hours; the
        /// difference is posted as an adjustment.
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// A year by local, from the ledger: local,hours,worker_cents,employer_cents.
    Report {
        #[arg(long)]
        year: i16,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Print the funding rules (hour types counted, rates, the employer's
    /// formula, each from the day it takes effect) as JSON; with --set, agree new ones.
    Rules {
        #[arg(long)]
        partnership: Option<String>,
        #[arg(long)]
        set: Option<PathBuf>,
    },
    /// Write a pay year's payroll file for the partnership's union members,
    /// as a payroll system exports it (for trying the import, and benchmarks).
    SampleHours {
        #[arg(long)]
        year: i16,
        #[arg(long, short)]
        output: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Name a trustee for a side (up to three a side), by employee number;
    /// prints the trustees.
    Trustee {
        employee_no: String,
        /// labor or management.
        #[arg(long)]
        side: String,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Check the books: every entry balances, and the ledger agrees with the
    /// payroll lines and every worker's share. Exits non-zero if not.
    Check {
        #[arg(long)]
        partnership: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum EisAction {
    /// Place a pool of displaced workers in vacancies, optimally by the
    /// agreement's rules; needs no database.
    /// W.csv: worker_id,job_class,licences,fte,shift,pay_band,region,seniority_date;
    /// V.csv: vacancy_id,job_class,required_licences,fte,shift,pay_band,region,retrain_from;
    /// writes P.csv: worker_id,vacancy_id,comparable,retraining.
    Match {
        #[arg(long)]
        workers: PathBuf,
        #[arg(long)]
        vacancies: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Also write why each worker got what they got, in plain words.
        #[arg(long)]
        explain: Option<PathBuf>,
    },
    /// Write a sample restructuring (W.csv and V.csv) for trying the solver and benchmarks.
    Sample {
        #[arg(long, default_value_t = 1000)]
        workers: usize,
        #[arg(long, default_value_t = 3000)]
        vacancies: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = ".")]
        out_dir: PathBuf,
    },
    /// Name an EIS representative for a side, by employee number; prints the representatives.
    Representative {
        employee_no: String,
        /// labor or management.
        #[arg(long)]
        side: String,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Check a placements file: every placement allowed, and whether it is as
    /// good as the engine's, criterion by criterion. Exits non-zero if not.
    Check {
        #[arg(long)]
        workers: PathBuf,
        #[arg(long)]
        vacancies: PathBuf,
        #[arg(long)]
        placements: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum StaffingAction {
    /// The licensed nurses a unit needs for its patients under a rule set;
    /// the number is on the last line. Needs no database.
    Required {
        /// A built-in rule set (ca-title22) or a rule set's JSON file.
        #[arg(long, default_value = "ca-title22")]
        rules: String,
        /// The unit type in kebab-case: med-surg, emergency, operating-room, …
        #[arg(long)]
        unit_type: String,
        /// Patients in the unit (for the ED, all of them, critical and trauma included).
        #[arg(long)]
        patients: Option<u32>,
        /// Operating room: rooms with a patient in them.
        #[arg(long)]
        occupied_rooms: Option<u32>,
        /// Emergency: how many of the patients are critical-care patients.
        #[arg(long)]
        critical: Option<u32>,
        /// Emergency: how many of the patients are trauma patients.
        #[arg(long)]
        trauma: Option<u32>,
        /// The day whose rules apply (YYYY-MM-DD); today by default.
        #[arg(long)]
        on: Option<String>,
    },
    /// Check a year (or any stretch) of hour-by-hour readings against the
    /// ratio rules; prints the totals and writes each short hour. Needs no database.
    /// units.csv: unit,name,facility,region,unit_type,beds,licensed_roles;
    /// readings.csv: unit,at,patients[,critical,trauma][,occupied_rooms][,charge_off_care][,triage],ROLE…
    Check {
        #[arg(long, default_value = "ca-title22")]
        rules: String,
        #[arg(long)]
        units: PathBuf,
        #[arg(long)]
        readings: PathBuf,
        /// Write every hour below the ratio here (CSV).
        #[arg(long)]
        short_hours: Option<PathBuf>,
    },
    /// Write sample units and a year of their hourly readings (the demo's
    /// hospitals by default) for trying the check and benchmarks.
    Sample {
        #[arg(long, default_value_t = 39)]
        hospitals: usize,
        #[arg(long, default_value_t = 2025)]
        year: i32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = ".")]
        out_dir: PathBuf,
    },
    /// Describe nursing units from a units file (unit,name,facility,region,unit_type,beds,licensed_roles).
    Units {
        file: PathBuf,
        /// The rule set governing these units (ca-title22 by default, or one added with `rule-set`).
        #[arg(long)]
        rule_set: Option<String>,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Take in a readings file: every reading judged against the ratio and
    /// the approved plan in force, each unit's days, every short hour and
    /// every hour below the plan kept. All or nothing; the same file again
    /// changes nothing unless with --replace.
    ImportReadings {
        file: PathBuf,
        /// Put these readings in place of unit-days taken in before (and
        /// so hold them to plans approved since).
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Compliance taken in so far, with hours below the approved plans.
    Compliance {
        /// unit, facility, region, unit-type, week, month or quarter.
        #[arg(long, default_value = "facility")]
        by: String,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Add or replace one of the partnership's rule sets from its JSON file
    /// (layered on a law with "stricter_than": only stricter).
    RuleSet {
        file: PathBuf,
        #[arg(long)]
        partnership: Option<String>,
    },
    /// List a rule set's table as in force on a day (or print it as JSON).
    Rules {
        #[arg(long, default_value = "ca-title22")]
        rules: String,
        #[arg(long)]
        on: Option<String>,
        /// Print the whole rule set, every version, as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
}

#[derive(Subcommand)]
pub enum TeamsAction {
    /// Compute every team's Path to Performance level now, and keep it as this month's.
    Rate {
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Print the partnership's rules for its teams (Path to Performance
    /// criteria, savings limits) as JSON; with --set, agree new ones from a
    /// file in that form.
    Rules {
        #[arg(long)]
        partnership: Option<String>,
        #[arg(long)]
        set: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum ExportWhat {
    /// Everyone, in the people import format.
    People {
        #[arg(long)]
        partnership: Option<String>,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum PartnershipAction {
    /// Add a partnership; its short name is how commands name it.
    Create {
        /// Short name: letters, digits, '-', '_' or '.'.
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        employer: String,
        #[arg(long)]
        coalition: String,
        /// The IANA time zone pages show times in, like America/Los_Angeles.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
    },
    /// Name the time zone a partnership's pages show times in.
    TimeZone {
        slug: String,
        /// An IANA name, like America/Los_Angeles or America/New_York.
        zone: String,
    },
    /// List the partnerships.
    List,
}

#[derive(Subcommand)]
pub enum TokenAction {
    /// Create a token for a user; the token is the last line printed.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

#[derive(Subcommand)]
pub enum UserAction {
    /// Add a sign-in; the password is read from LMP_PASSWORD or standard input.
    Add {
        username: String,
        /// partnership_admin, labor_representative, manager, member or analyst.
        #[arg(long)]
        role: String,
        #[arg(long)]
        partnership: Option<String>,
        /// The person this sign-in is, by employee number: their seats let
        /// them take part in decisions and receive notices.
        #[arg(long)]
        person: Option<String>,
        /// Where their notices are mailed.
        #[arg(long)]
        email: Option<String>,
    },
    /// Set (or, with no address, clear) the address a sign-in's notices are mailed to.
    Email { username: String, address: Option<String> },
    /// Grant a sign-in a role: partnership_admin, labor_representative, manager, member or analyst.
    Role { username: String, role: String },
    /// Deactivate a sign-in: its sessions end, its tokens stop answering; nothing is deleted.
    Deactivate { username: String },
    /// Bring a deactivated sign-in back.
    Reactivate { username: String },
    /// Invite someone without single sign-on: a link, good once for a week,
    /// is mailed to them (by `lmp serve` with --smtp-url), where they choose
    /// a user name and a password; the role comes from their record.
    Invite {
        /// Whom to invite, by employee number.
        employee_no: String,
        /// Where the link goes.
        email: String,
        #[arg(long)]
        partnership: Option<String>,
        /// Also print the link, under this public address, for an operator
        /// with no mail server to hand it over another way.
        #[arg(long, value_name = "PUBLIC_URL")]
        print_link: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum AuditAction {
    /// Recompute every hash; exit non-zero naming the first bad entry.
    Verify,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        end_quietly_when_the_reader_goes();
    }
    commands::init_logging(cli.log_format);
    match commands::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A report piped into `head` ends when its reader stops reading, as other
/// Unix tools do, instead of panicking on the closed pipe. The server keeps
/// Rust's default (the signal ignored) so a client gone away is an error it
/// handles, never the end of the process.
#[cfg(unix)]
fn end_quietly_when_the_reader_goes() {
    // SAFETY: sets one signal's disposition to the system's default; no
    // handler runs Rust code.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_when_the_reader_goes() {}
