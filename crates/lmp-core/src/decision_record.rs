//! Does a decision's record still say what was recorded? Each contribution
//! and stance lands in the audit chain as it is made; comparing the rows
//! with the chain finds any word added, removed, reworded or re-timed
//! behind the application's back. (The chain's own hashes are checked
//! separately, by `audit`.)

use serde::Serialize;

/// One word on the record, as the rows hold it or as the chain recorded it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Word {
    pub at: String,
    pub person_id: i64,
    pub side: String,
    /// The contribution kind, or `stance`.
    pub kind: String,
    /// The text, or for a stance "stance: reason".
    pub text: String,
}

/// What differs between the rows and the chain, in words; empty when they
/// agree. After a two-key redaction the words are blank on purpose, so
/// only who, which side, what kind and when are compared.
pub fn reconcile(chain: &[Word], rows: &[Word], redacted: bool) -> Vec<String> {
    let key = |w: &Word| (w.at.clone(), w.person_id, w.side.clone(), w.kind.clone());
    let mut chain: Vec<&Word> = chain.iter().collect();
    let mut rows: Vec<&Word> = rows.iter().collect();
    chain.sort();
    rows.sort();
    let mut problems = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < chain.len() || j < rows.len() {
        match (chain.get(i), rows.get(j)) {
            (Some(c), Some(r)) if key(c) == key(r) => {
                if !redacted && c.text != r.text {
                    problems.push(format!(
                        "the {} of person {} at {} was changed after it was recorded",
                        c.kind, c.person_id, c.at
                    ));
                }
                i += 1;
                j += 1;
            }
            (Some(c), Some(r)) if key(c) < key(r) => {
                problems.push(missing(c));
                i += 1;
            }
            (Some(c), None) => {
                problems.push(missing(c));
                i += 1;
            }
            (_, Some(r)) => {
                problems.push(format!(
                    "a {} by person {} stamped {} is in the record but was never recorded through lmp",
                    r.kind, r.person_id, r.at
                ));
                j += 1;
            }
            (None, None) => break,
        }
    }
    problems
}

fn missing(word: &Word) -> String {
    format!(
        "the {} by person {} recorded at {} is missing from the record",
        word.kind, word.person_id, word.at
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(at: &str, person: i64, text: &str) -> Word {
        Word {
            at: at.into(),
            person_id: person,
            side: "labor".into(),
            kind: "interest".into(),
            text: text.into(),
        }
    }

    #[test]
    fn an_untouched_record_agrees_with_its_chain() {
        let words = vec![w("2026-01-01", 1, "safe staffing"), w("2026-01-02", 2, "budget")];
        assert!(reconcile(&words, &words, false).is_empty());
    }

    #[test]
    fn every_kind_of_tampering_is_named() {
        let chain = vec![w("2026-01-01", 1, "safe staffing"), w("2026-01-02", 2, "budget")];
        let reworded = vec![w("2026-01-01", 1, "nothing"), w("2026-01-02", 2, "budget")];
        assert!(reconcile(&chain, &reworded, false)[0].contains("changed"));
        // A redaction blanks words on purpose.
        assert!(reconcile(&chain, &reworded, true).is_empty());
        let retimed = vec![w("2025-12-01", 1, "safe staffing"), w("2026-01-02", 2, "budget")];
        let problems = reconcile(&chain, &retimed, false);
        assert_eq!(problems.len(), 2, "{problems:?}");
        let removed = vec![w("2026-01-02", 2, "budget")];
        assert!(reconcile(&chain, &removed, false)[0].contains("missing"));
        let mut added = chain.clone();
        added.push(w("2026-01-03", 3, "planted"));
        assert!(reconcile(&chain, &added, false)[0].contains("never recorded"));
    }
}
