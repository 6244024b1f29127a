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

/// As [`text_with`], with one named value (`{ $name }` in the catalogue).
pub fn text_with_value(language: Language, key: &str, name: &str, value: &str) -> String {
    let mut args = FluentArgs::new();
    args.set(name.to_string(), value.to_string());
    text_with(language, key, Some(&args))
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
}
