//! The pages' words in the reader's language: Fluent catalogues
//! (`locales/*.ftl`, built into the binary), the language each request is
//! answered in (the reader's choice in a cookie, else `Accept-Language`,
//! else English — `lmp_core::language::Language::negotiate`), and the link
//! that changes it.

use axum::extract::{Path, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use lmp_core::language::Language;
use lmp_core::Refusal;
use std::sync::LazyLock;

/// The cookie a reader's choice of language lives in, for a year.
pub const LANGUAGE_COOKIE: &str = "lmp_lang";

/// Every catalogue, as built into the binary: (language, its Fluent text).
pub const CATALOGUES: [(Language, &str); 2] = [
    (Language::English, include_str!("../../locales/en.ftl")),
    (Language::Spanish, include_str!("../../locales/es.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

fn bundle(language: Language) -> Bundle {
    let source = CATALOGUES
        .iter()
        .find(|(l, _)| *l == language)
        .map_or("", |(_, text)| text);
    // A catalogue with a mistake keeps the messages it could read; the
    // tests refuse the mistake (`catalogue_errors`).
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    let mut bundle = FluentBundle::new_concurrent(vec![language.code().parse().unwrap_or_default()]);
    // No Unicode isolation marks around values: the pages escape their own text.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

static BUNDLES: LazyLock<[Bundle; 2]> = LazyLock::new(|| Language::ALL.map(bundle));

fn bundle_of(language: Language) -> &'static Bundle {
    let at = Language::ALL.iter().position(|l| *l == language).unwrap_or(0);
    &BUNDLES[at]
}

/// The words of `key` in `language` with `args`; English where the language
/// lacks them, and the key itself where English does too.
pub fn text_with(language: Language, key: &str, args: Option<&FluentArgs>) -> String {
    for bundle in [bundle_of(language), bundle_of(Language::English)] {
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle.format_pattern(pattern, args, &mut errors).into_owned();
        }
    }
    key.to_string()
}

/// What is wrong in the built-in catalogues: Fluent that does not parse, or
/// a key one language has and another lacks.
pub fn catalogue_errors() -> Vec<String> {
    let mut errors = Vec::new();
    let mut keys: Vec<(Language, Vec<String>)> = Vec::new();
    for (language, source) in CATALOGUES {
        match FluentResource::try_new(source.to_string()) {
            Ok(resource) => keys.push((
                language,
                resource
                    .entries()
                    .filter_map(|e| match e {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                        _ => None,
                    })
                    .collect(),
            )),
            Err((_, parse)) => errors.push(format!("{}.ftl: {parse:?}", language.code())),
        }
    }
    for (language, own) in &keys {
        for (other, theirs) in &keys {
            for key in theirs.iter().filter(|k| !own.contains(k)) {
                errors.push(format!(
                    "{}.ftl lacks {key}, which {}.ftl has",
                    language.code(),
                    other.code()
                ));
            }
        }
    }
    errors
}

tokio::task_local! {
    static CURRENT: Language;
}

/// The language this request is answered in (English outside a request).
pub fn current() -> Language {
    CURRENT.try_with(|l| *l).unwrap_or_default()
}

/// As [`text_with`], with named values (`{ $name }` in the catalogue).
pub fn text_with_values(language: Language, key: &str, values: &[(&str, String)]) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in values {
        // A whole number goes as a number, so a catalogue may choose its
        // plural (`{ $n -> [one] … *[other] … }`); only one that reads back
        // as written, so an identifier such as `000123` keeps its zeros.
        match value.parse::<i64>() {
            Ok(number) if number.to_string() == *value => args.set(name.to_string(), number),
            _ => args.set(name.to_string(), value.clone()),
        }
    }
    text_with(language, key, Some(&args))
}

/// A refusal a handler writes, from the catalogues in every language: the
/// page shows the reader's words, the API and the logs the English.
pub fn refusal(key: &str, values: &[(&str, String)]) -> Refusal {
    Refusal::each(|language| text_with_values(language, key, values))
}

/// `reason` as the complaint about the field the catalogue's `key` names:
/// "Amount: …", "Importe: …".
pub fn about_field(key: &str, values: &[(&str, String)], reason: Refusal) -> Refusal {
    reason.after(
        &text_with_values(Language::English, key, values),
        &text_with_values(Language::Spanish, key, values),
    )
}

/// The words of `key` in this request's language: for words a handler
/// writes (a page's title, the message after a form).
pub fn tr(key: &str) -> String {
    text_with(current(), key, None)
}

/// As [`tr`], with named values.
pub fn tr_with(key: &str, values: &[(&str, String)]) -> String {
    text_with_values(current(), key, values)
}

/// The sides a body has no co-lead for (their stored words), as its page's
/// warning names them: "Labor or Management".
pub fn sides_lacking_co_lead(missing: &[String]) -> String {
    let language = current();
    missing
        .iter()
        .filter_map(|s| s.parse::<lmp_core::Side>().ok())
        .map(|s| s.label_in(language))
        .collect::<Vec<_>>()
        .join(&format!(" {} ", tr("word-or")))
}

/// A page's words, for a page outside the signed-in frame (signing in).
pub struct Words {
    pub language: Language,
    pub other_language: Language,
}

impl Words {
    /// This request's language.
    pub fn now() -> Words {
        let language = current();
        Words {
            language,
            other_language: language.other(),
        }
    }

    pub fn t(&self, key: &str) -> String {
        text_with(self.language, key, None)
    }

    pub fn t_with(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        text_with_values(self.language, key, &[(name, value.to_string())])
    }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_string())
        })
}

/// Answer each request in the reader's language.
pub async fn choose_language(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let chosen = cookie(headers, LANGUAGE_COOKIE);
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let language = Language::negotiate(chosen.as_deref(), accept);
    let mut response = CURRENT.scope(language, next.run(request)).await;
    // The same address answers in more than one language.
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-language, cookie"));
    response
}

/// `/language/es`: remember the choice and go back to the page it was made
/// on (only a page of this site).
async fn switch(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let Some(language) = Language::from_code(&code) else {
        // The readable page, as any address that names nothing.
        return super::errors::PageError(super::AppError::NotFound("language")).into_response();
    };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| {
            let after_scheme = referer.split_once("://").map_or(referer, |(_, rest)| rest);
            let path = &after_scheme[after_scheme.find('/')?..];
            // Never another site: a path of this one, not `//elsewhere`.
            (!path.starts_with("//")).then(|| path.to_string())
        })
        .unwrap_or_else(|| "/".to_string());
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        language.code()
    );
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, back), (header::SET_COOKIE, cookie)],
    )
        .into_response()
}

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/language/{code}", get(switch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_parse_and_have_the_same_keys() {
        let errors = catalogue_errors();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn a_key_reads_in_the_language_asked_else_in_english() {
        assert_eq!(text_with(Language::Spanish, "nav-people", None), "Personas");
        assert_eq!(text_with(Language::English, "nav-people", None), "People");
        assert_eq!(text_with(Language::Spanish, "no-such-key", None), "no-such-key");
        let mut args = FluentArgs::new();
        args.set("side", "labor");
        assert_eq!(
            text_with(Language::English, "eis-accept-for", Some(&args)),
            "Accept for labor"
        );
    }

    #[test]
    fn a_whole_number_chooses_its_plural_and_reads_as_written() {
        let ppi = |adopted: &str| {
            text_with_values(
                Language::English,
                "body-ppi-value",
                &[("percent", "50".into()), ("adopted", adopted.into())],
            )
        };
        assert_eq!(ppi("1"), "50% of 1 adopted decision made jointly by both sides");
        assert_eq!(
            ppi("12345"),
            "50% of 12345 adopted decisions made jointly by both sides"
        );
        assert_eq!(
            ppi("1,234"),
            "50% of 1,234 adopted decisions made jointly by both sides"
        );
        let number = |n: &str| text_with_values(Language::English, "invitation-employee-no", &[("number", n.into())]);
        assert_eq!(number("000123"), "employee number 000123");
        assert_eq!(number("+5"), "employee number +5");
    }

    /// A template's words outside `{{ }}`: text between tags, and the
    /// attributes a reader sees or hears. Each must come from a catalogue,
    /// so none may hold a letter.
    fn literal_words(template: &str) -> Vec<String> {
        let mut code_free = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(at) = rest.find('{') {
            let close = match rest[at..].chars().nth(1) {
                Some('{') => "}}",
                Some('%') => "%}",
                Some('#') => "#}",
                _ => {
                    code_free.push_str(&rest[..=at]);
                    rest = &rest[at + 1..];
                    continue;
                }
            };
            code_free.push_str(&rest[..at]);
            code_free.push(' ');
            rest = match rest[at + 2..].find(close) {
                Some(end) => &rest[at + 2 + end + 2..],
                None => "",
            };
        }
        code_free.push_str(rest);
        // Code is not words: a script, a style, a command to type.
        for element in ["script", "style", "code"] {
            while let Some(start) = code_free.find(&format!("<{element}")) {
                let end = code_free[start..]
                    .find(&format!("</{element}>"))
                    .map_or(code_free.len(), |e| start + e + element.len() + 3);
                code_free.replace_range(start..end, " ");
            }
        }
        let has_letter = |s: &str| {
            // lmp, CSV and JSON are names, the same in every language.
            let s = s
                .replace("lmp", "")
                .replace("CSV", "")
                .replace("JSON", "")
                .replace("&amp;", "")
                .replace("&nbsp;", "")
                .replace("&middot;", "");
            s.chars().any(char::is_alphabetic)
        };
        let mut found = Vec::new();
        let mut rest = code_free.as_str();
        while !rest.is_empty() {
            let (text, tag) = match rest.find('<') {
                Some(open) => {
                    let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
                    (&rest[..open], &rest[open..close])
                }
                None => (rest, ""),
            };
            if has_letter(text) {
                found.push(text.trim().to_string());
            }
            for attribute in ["placeholder", "aria-label", "title", "alt"] {
                let needle = format!(" {attribute}=\"");
                if let Some(at) = tag.find(&needle) {
                    let value = &tag[at + needle.len()..];
                    let value = &value[..value.find('"').unwrap_or(value.len())];
                    if has_letter(value) {
                        found.push(format!("{attribute}=\"{value}\""));
                    }
                }
            }
            rest = &rest[text.len() + tag.len()..];
        }
        found
    }

    #[test]
    fn every_word_a_template_shows_comes_from_the_catalogues() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut untranslated = Vec::new();
        let mut unknown_keys = Vec::new();
        let english = FluentResource::try_new(CATALOGUES[0].1.to_string()).unwrap_or_else(|(r, _)| r);
        let keys: Vec<String> = english
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .expect("templates")
            .flatten()
            .map(|e| e.path())
            .collect();
        names.sort();
        for path in names {
            let template = std::fs::read_to_string(&path).expect("a template");
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            for words in literal_words(&template) {
                untranslated.push(format!("{name}: {words}"));
            }
            for call in [".t(\"", ".t_with(\""] {
                for (at, _) in template.match_indices(call) {
                    let key = &template[at + call.len()..];
                    let key = &key[..key.find('"').unwrap_or(0)];
                    if !keys.iter().any(|k| k == key) {
                        unknown_keys.push(format!("{name}: {key}"));
                    }
                }
            }
        }
        assert!(unknown_keys.is_empty(), "keys no catalogue has: {unknown_keys:#?}");
        assert!(
            untranslated.is_empty(),
            "{} words not from a catalogue: {untranslated:#?}",
            untranslated.len()
        );
    }

    #[test]
    fn literal_words_finds_text_and_spoken_attributes_but_not_code() {
        let found = literal_words(
            "<p class=\"x\">{{ a }} · {% if b > 1 %}{{ layout.t(\"k\") }}{% endif %}</p><input placeholder=\"Why\"> L{{ n }}<script>let x = 1;</script>",
        );
        assert_eq!(found, vec!["placeholder=\"Why\"".to_string(), "L".to_string()]);
    }
}
