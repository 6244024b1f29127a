//! `lmp body …`: the partnership's bodies and teams as its people keep them.

use crate::commands::partnership_id;
use crate::BodyAction;
use anyhow::{anyhow, Context, Result};
use lmp_core::policy::{Action, Permit};
use lmp_store::model::Body;
use lmp_store::structure::{BodyChange, NewBody};
use lmp_store::Store;

pub async fn run(store: &Store, action: BodyAction) -> Result<()> {
    match action {
        BodyAction::Create {
            code,
            level,
            name,
            unit,
            parent,
            decides,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let unit_id = match unit {
                Some(unit) => Some(
                    store
                        .unit_id_by_code(pid, &unit)
                        .await?
                        .with_context(|| format!("no unit with the code {unit:?}"))?,
                ),
                None => None,
            };
            let parent_id = match parent {
                Some(parent) => Some(body_id(store, pid, &parent).await?),
                None => None,
            };
            let new = NewBody {
                code,
                level: level.parse().map_err(|e: lmp_core::Refusal| anyhow!(e))?,
                name,
                unit_id,
                parent_id,
                decides: decides.parse().map_err(|e: lmp_core::Refusal| anyhow!(e))?,
            };
            let body = store.create_body(&permit(pid), &new).await?;
            println!("Created {} ({}).", body.name, body.code);
            print_missing(&body);
        }
        BodyAction::Rename {
            code,
            name,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let id = body_id(store, pid, &code).await?;
            let change = BodyChange {
                name: Some(name),
                parent_id: None,
            };
            let body = store.change_body(&permit(pid), id, &change).await?;
            println!("{} is now named {}.", body.code, body.name);
        }
        BodyAction::Move {
            code,
            parent,
            top: _,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let id = body_id(store, pid, &code).await?;
            // clap lets exactly one of --parent and --top through.
            let parent_id = match &parent {
                Some(parent) => Some(body_id(store, pid, parent).await?),
                None => None,
            };
            let change = BodyChange {
                name: None,
                parent_id: Some(parent_id),
            };
            let body = store.change_body(&permit(pid), id, &change).await?;
            match parent {
                Some(parent) => println!("{} now reports to {parent}.", body.code),
                None => println!("{} now stands alone.", body.code),
            }
        }
        BodyAction::Close { code, partnership } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let id = body_id(store, pid, &code).await?;
            let body = store.close_body(&permit(pid), id).await?;
            println!(
                "{} closed on {}; its seats are kept as history.",
                body.code,
                body.closed_on.as_deref().unwrap_or("today")
            );
        }
    }
    Ok(())
}

fn permit(partnership_id: i64) -> Permit {
    Permit::operator(partnership_id, Action::ManageBodies)
}

async fn body_id(store: &Store, partnership_id: i64, code: &str) -> Result<i64> {
    store
        .body_id_by_code(partnership_id, code)
        .await?
        .with_context(|| format!("no body with the code {code:?}"))
}

fn print_missing(body: &Body) {
    if !body.missing_co_lead.is_empty() {
        println!(
            "It has no {} co-lead yet: add them with two keys on its page or with `lmp import seats`.",
            body.missing_co_lead.join(" or ")
        );
    }
}
