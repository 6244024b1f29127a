//! Why a rule said no, in each language lmp speaks. A rule writes its reason
//! once, where it is checked, in English and in Spanish; the page picks the
//! reader's words, and the API, the CLI and the logs read the English.

use crate::language::Language;

/// A rule's reason for refusing, in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    english: String,
    spanish: String,
}

impl Refusal {
    pub fn new(english: impl Into<String>, spanish: impl Into<String>) -> Refusal {
        Refusal {
            english: english.into(),
            spanish: spanish.into(),
        }
    }

    /// Built language by language, for a reason that wraps another's words
    /// or names something by its label.
    pub fn each(mut words: impl FnMut(Language) -> String) -> Refusal {
        Refusal::new(words(Language::English), words(Language::Spanish))
    }

    /// Words that are the same in every language because they come from
    /// outside lmp as written: a parser's complaint, a database's message.
    pub fn as_written(text: impl Into<String>) -> Refusal {
        let text = text.into();
        Refusal::new(text.clone(), text)
    }

    /// A word that is not one of those `expected` (written as stored):
    /// "unknown side "boss": expected labor, management, physician".
    pub fn unknown_word(what: &str, got: &str, expected: &[&str]) -> Refusal {
        let expected = expected.join(", ");
        crate::refuse!(
            "unknown {what} {got:?}: expected {expected}",
            "{got:?} no es válido aquí: se espera {expected}"
        )
    }

    /// Whether the English reason has `words` in it, as a test asks what a
    /// refusal said.
    pub fn contains(&self, words: &str) -> bool {
        self.english.contains(words)
    }

    /// The reason in `language`.
    pub fn in_language(&self, language: Language) -> &str {
        match language {
            Language::English => &self.english,
            Language::Spanish => &self.spanish,
        }
    }

    /// This reason after `english` / `spanish` (which say where it applies):
    /// "rule 2: …", "regla 2: …".
    pub fn after(self, english: &str, spanish: &str) -> Refusal {
        self.following(&format!("{english}:"), &format!("{spanish}:"))
    }

    /// This reason as the end of a sentence `english` / `spanish` begins.
    pub fn following(self, english: &str, spanish: &str) -> Refusal {
        Refusal::new(
            format!("{english} {}", self.english),
            format!("{spanish} {}", self.spanish),
        )
    }
}

/// Dated rule sets (the trust's, EIS's) list their rules in the order they
/// take effect; `later` is listed after `earlier` but does not follow it.
pub(crate) fn rules_out_of_order(later: jiff::civil::Date, earlier: jiff::civil::Date) -> Refusal {
    crate::refuse!(
        "rules must be in order of the day they take effect: {later} comes after {earlier}",
        "las reglas deben ir en el orden del día en que entran en vigor: {later} viene después de {earlier}"
    )
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

impl std::error::Error for Refusal {}

/// A [`Refusal`] from an English and a Spanish format string, each naming
/// the values in scope (`refuse!("a score is 1 to 5, not {score}", "…{score}")`).
#[macro_export]
macro_rules! refuse {
    ($english:literal, $spanish:literal $(,)?) => {
        $crate::refusal::Refusal::new(format!($english), format!($spanish))
    };
}

/// `Display` for a refusal enum, in English, from its `From<&E> for Refusal`:
/// the words are written once, in the conversion.
#[macro_export]
macro_rules! display_as_refusal {
    ($type:ty) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::refusal::Refusal::from(self).in_language($crate::language::Language::English))
            }
        }
        impl std::error::Error for $type {}
        impl From<$type> for $crate::refusal::Refusal {
            fn from(refusal: $type) -> $crate::refusal::Refusal {
                $crate::refusal::Refusal::from(&refusal)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_in_each_language_and_in_english_by_default() {
        let score = 7;
        let refusal = refuse!(
            "a score is 1 to 5, not {score}",
            "una puntuación va de 1 a 5, no {score}"
        );
        assert_eq!(refusal.to_string(), "a score is 1 to 5, not 7");
        assert_eq!(
            refusal.in_language(Language::Spanish),
            "una puntuación va de 1 a 5, no 7"
        );
        let placed = refusal.after("rule 2", "regla 2");
        assert_eq!(
            placed.in_language(Language::English),
            "rule 2: a score is 1 to 5, not 7"
        );
        assert_eq!(
            placed.in_language(Language::Spanish),
            "regla 2: una puntuación va de 1 a 5, no 7"
        );
        let written = Refusal::as_written("expected `,`");
        assert_eq!(written.in_language(Language::Spanish), "expected `,`");
    }
}
