//! How lists are cut into pages: no page ever renders a whole table.

use serde::{Deserialize, Serialize};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;
/// Search text longer than this is cut: nobody types a name this long, and an
/// unbounded pattern is an easy way to make the database work hard.
pub const MAX_SEARCH_CHARS: usize = 100;

/// A validated window into a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Page {
    pub limit: u32,
    pub offset: u64,
}

impl Page {
    /// Clamp whatever a client asked for into a page the server will serve.
    pub fn new(limit: Option<u32>, offset: Option<u64>) -> Page {
        let limit = limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        Page {
            limit,
            offset: offset.unwrap_or(0),
        }
    }

    pub fn first() -> Page {
        Page::new(None, None)
    }

    pub fn next_offset(&self, total: u64) -> Option<u64> {
        let next = self.offset + u64::from(self.limit);
        (next < total).then_some(next)
    }

    pub fn previous_offset(&self) -> Option<u64> {
        (self.offset > 0).then(|| self.offset.saturating_sub(u64::from(self.limit)))
    }
}

/// One page of a list, with the size of the whole list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

impl<T> Paged<T> {
    /// A page of `items` out of `total` (as the database counted it).
    pub fn new(items: Vec<T>, total: i64, page: Page) -> Paged<T> {
        Paged {
            items,
            total: u64::try_from(total).unwrap_or(0),
            limit: page.limit,
            offset: page.offset,
        }
    }
}

/// Normalise a search box: trimmed, bounded, and `None` when empty.
pub fn search_term(raw: Option<&str>) -> Option<String> {
    let trimmed = raw?.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(trimmed.chars().take(MAX_SEARCH_CHARS).collect())
}

/// A `LIKE` pattern that matches `term` anywhere, case-insensitively once the
/// column is lowered, with `%`, `_` and `\` taken literally (use `ESCAPE '\'`).
pub fn contains_pattern(term: &str) -> String {
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_clamped() {
        assert_eq!(Page::new(Some(0), None).limit, 1);
        assert_eq!(Page::new(Some(100_000), None).limit, MAX_LIMIT);
        assert_eq!(Page::new(None, None).limit, DEFAULT_LIMIT);
    }

    #[test]
    fn next_and_previous() {
        let page = Page::new(Some(10), Some(10));
        assert_eq!(page.next_offset(25), Some(20));
        assert_eq!(page.next_offset(20), None);
        assert_eq!(page.previous_offset(), Some(0));
        assert_eq!(Page::first().previous_offset(), None);
    }

    #[test]
    fn search_terms_are_trimmed_and_bounded() {
        assert_eq!(search_term(Some("  ")), None);
        assert_eq!(search_term(None), None);
        assert_eq!(search_term(Some(" Ana ")).as_deref(), Some("Ana"));
        assert_eq!(
            search_term(Some(&"x".repeat(500))).map(|s| s.len()),
            Some(MAX_SEARCH_CHARS)
        );
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(contains_pattern("50%_a\\B"), "%50\\%\\_a\\\\b%");
    }
}
