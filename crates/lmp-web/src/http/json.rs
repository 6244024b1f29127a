//! API bodies every area answers with: one page of a list, and the id of
//! what was just made.

use lmp_core::paging::{Page, Paged};
use serde::Serialize;
use utoipa::ToSchema;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageOf<T> {
    pub items: Vec<T>,
    /// How many match, across all pages.
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
    /// The offset of the next page, if there is one.
    pub next_offset: Option<u64>,
}

impl<T> From<Paged<T>> for PageOf<T> {
    fn from(p: Paged<T>) -> PageOf<T> {
        let next_offset = Page::new(Some(p.limit), Some(p.offset)).next_offset(p.total);
        PageOf {
            items: p.items,
            total: p.total,
            limit: p.limit,
            offset: p.offset,
            next_offset,
        }
    }
}

/// What a POST that makes something answers: its id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}
