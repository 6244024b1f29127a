//! `lmp training …`: the classes, their sessions and who attended.

use crate::commands::partnership_id;
use crate::TrainingAction;
use anyhow::{anyhow, Result};
use lmp_core::body::BodyRole;
use lmp_core::paging::Page;
use lmp_core::policy::{Action, Permit};
use lmp_core::training::{class_label, Attendance, Class};
use lmp_store::training::NewSession;
use lmp_store::Store;

pub async fn run(store: &Store, action: TrainingAction) -> Result<()> {
    match action {
        TrainingAction::Classes { partnership } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let rules = store.team_rules(pid).await?.path;
            let counts = store.class_counts(pid).await?;
            println!("{:<32} {:>10}  asked of (still to train)", "class", "completed");
            for class in Class::ALL.iter().copied() {
                let completed = counts
                    .iter()
                    .find(|c| c.class == class.as_str())
                    .map_or(0, |c| c.people);
                let mut asked = Vec::new();
                for (level, role) in rules.asking_for(class) {
                    let waiting = store.count_leaders_to_train(pid, class, role).await?;
                    let whom = if role == BodyRole::Sponsor {
                        "sponsors"
                    } else {
                        "co-leads"
                    };
                    asked.push(format!("{whom} at level {level} ({waiting})"));
                }
                println!(
                    "{:<32} {:>10}  {}",
                    class.label(),
                    completed,
                    if asked.is_empty() {
                        "—".to_string()
                    } else {
                        asked.join("; ")
                    }
                );
            }
        }
        TrainingAction::Sessions { partnership } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let mut page = Page::new(Some(500), None);
            loop {
                let sessions = store.class_sessions(pid, None, page).await?;
                for s in &sessions.items {
                    println!(
                        "{:>6}  {}  {:<32} enrolled {} · attended {} · absent {}  {}",
                        s.id,
                        s.held_on,
                        class_label(&s.class, lmp_core::language::Language::English),
                        s.enrolled,
                        s.attended,
                        s.absent,
                        s.place
                    );
                }
                match page.next_offset(sessions.total) {
                    Some(next) => page = Page::new(Some(page.limit), Some(next)),
                    None => break,
                }
            }
        }
        TrainingAction::Schedule {
            class,
            on,
            place,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let new = NewSession {
                class: Class::parse_loose(&class).map_err(|e| anyhow!(e))?,
                held_on: on
                    .trim()
                    .parse()
                    .map_err(|_| anyhow!("--on {on:?} is not a date (YYYY-MM-DD)"))?,
                place,
            };
            let session = store
                .create_class_session(&Permit::operator(pid, Action::RecordTraining), &new)
                .await?;
            println!(
                "Scheduled session {}: {} on {}.",
                session.id,
                class_label(&session.class, lmp_core::language::Language::English),
                session.held_on
            );
        }
        TrainingAction::Mark {
            session,
            employee_no,
            status,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let status: Attendance = status.parse().map_err(|e: lmp_core::Refusal| anyhow!(e))?;
            let marks: Vec<(String, Attendance)> = employee_no.into_iter().map(|no| (no, status)).collect();
            let report = store
                .mark_attendance(
                    &Permit::operator(pid, Action::RecordTraining),
                    session,
                    &marks,
                    lmp_store::today(),
                )
                .await?;
            println!(
                "Marked {} on session {session}'s list: {} completed the class, {} completions taken back; {} teams re-rated.",
                report.marked, report.completed, report.withdrawn, report.teams_rated
            );
        }
    }
    Ok(())
}
