//! Search by word prefix: "gar" finds Maria Garcia, "ca0001" finds employee
//! CA0001234. Each person's words are kept in an index table so a search is a
//! range lookup, not a scan of every name.

/// At most this many words of a search are used.
pub const MAX_SEARCH_WORDS: usize = 5;

/// The lowercase words of free text: letters and digits, split on the rest.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The words a person is found by: their name's and their employee number.
pub fn person_words(name: &str, employee_no: &str) -> Vec<String> {
    let mut all = words(name);
    all.push(employee_no.to_lowercase());
    all.sort();
    all.dedup();
    all
}

/// The words of a search box, each to be matched as a prefix.
pub fn search_words(term: &str) -> Vec<String> {
    let mut out = words(term);
    // Longest first: the most selective lookups narrow the search soonest.
    out.sort_by_key(|w| std::cmp::Reverse(w.len()));
    out.truncate(MAX_SEARCH_WORDS);
    out
}

/// The smallest string greater than every string that starts with `prefix`
/// (in code-point order, which is byte order in UTF-8): `word >= prefix AND
/// word < upper` is then "starts with `prefix`".
pub fn prefix_upper_bound(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        // Skip the surrogate gap; char::MAX has no successor.
        let next = match last as u32 {
            0xD7FF => Some('\u{E000}'),
            n => char::from_u32(n + 1),
        };
        if let Some(next) = next {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    // Every character was char::MAX: nothing is greater, so bound by it.
    char::MAX.to_string().repeat(prefix.chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_split_into_lowercase_words() {
        assert_eq!(words("Dr. Ana-María O'Neil"), vec!["ana", "dr", "maría", "neil", "o"]);
        assert_eq!(person_words("Bo Li", "CA0001"), vec!["bo", "ca0001", "li"]);
        assert!(words(" --- ").is_empty());
    }

    #[test]
    fn search_words_are_bounded_longest_first() {
        assert_eq!(search_words("li garcia"), vec!["garcia", "li"]);
        assert_eq!(search_words("a b c d e f g").len(), MAX_SEARCH_WORDS);
        assert!(search_words("%_").is_empty());
    }

    #[test]
    fn upper_bounds() {
        assert_eq!(prefix_upper_bound("gar"), "gas");
        assert_eq!(prefix_upper_bound("az"), "a{");
    }

    proptest! {
        /// Exactly the words that start with the prefix fall in the range.
        #[test]
        fn the_range_is_the_prefix(prefix in "[a-zé0-9]{1,4}", word in "[a-zé0-9]{0,6}") {
            let upper = prefix_upper_bound(&prefix);
            let in_range = word.as_str() >= prefix.as_str() && word.as_str() < upper.as_str();
            prop_assert_eq!(in_range, word.starts_with(&prefix));
        }
    }
}
