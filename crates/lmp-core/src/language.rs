//! The languages pages and the words the rules write are offered in, and
//! which one a person gets: their own choice, else the first their browser
//! asks for that we have, else English.

/// A language lmp speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    Spanish,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    /// The BCP 47 code, as `<html lang>` and a choice's cookie hold it.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
        }
    }

    /// Its name in itself, as a switcher offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Spanish => "Español",
        }
    }

    /// The language a switcher offers beside this one.
    pub fn other(self) -> Language {
        match self {
            Language::English => Language::Spanish,
            Language::Spanish => Language::English,
        }
    }

    /// A code as a choice or a browser names it: `es`, `es-MX`, `EN-us`.
    pub fn from_code(code: &str) -> Option<Language> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language for a person: a choice they made, if it names one of
    /// ours; else the one their browser's `Accept-Language` weights highest
    /// among ours (a weight of 0 refuses it); else English.
    pub fn negotiate(chosen: Option<&str>, accept_language: Option<&str>) -> Language {
        if let Some(language) = chosen.and_then(Language::from_code) {
            return language;
        }
        let mut best: Option<(Language, f32)> = None;
        for range in accept_language.unwrap_or("").split(',') {
            let mut parts = range.split(';');
            let Some(language) = parts.next().and_then(Language::from_code) else {
                continue;
            };
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
                best = Some((language, weight));
            }
        }
        best.map_or(Language::English, |(language, _)| language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_wins_then_the_browsers_order_then_english() {
        assert_eq!(Language::negotiate(Some("es"), Some("en-US")), Language::Spanish);
        assert_eq!(Language::negotiate(Some("en"), Some("es")), Language::English);
        assert_eq!(
            Language::negotiate(None, Some("es-MX,es;q=0.9,en;q=0.8")),
            Language::Spanish
        );
        assert_eq!(
            Language::negotiate(None, Some("fr-FR,fr;q=0.9,en;q=0.5,es;q=0.4")),
            Language::English
        );
        assert_eq!(Language::negotiate(None, Some("en;q=0.2, es;q=0.7")), Language::Spanish);
        assert_eq!(
            Language::negotiate(None, Some("es;q=0")),
            Language::English,
            "q=0 refuses"
        );
        assert_eq!(Language::negotiate(Some("klingon"), None), Language::English);
        assert_eq!(Language::negotiate(None, Some("*")), Language::English);
        assert_eq!(Language::negotiate(None, None), Language::English);
        assert_eq!(Language::from_code("ES_es"), Some(Language::Spanish));
        assert_eq!(Language::English.other(), Language::Spanish);
        assert_eq!(Language::Spanish.other(), Language::English);
    }
}
