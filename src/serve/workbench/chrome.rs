//! What every page has: its language, the package it is about, the
//! header with the sections and the languages, and the page around the
//! content.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use maud::{DOCTYPE, Markup, html};

use crate::core::locale::{self, Locale};
use crate::policy::Label;
use crate::serve::App;
use crate::serve::state::Package;

/// A page's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Policy,
    Editions,
    Try,
    Catalogue,
    Impact,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Policy,
        Tab::Editions,
        Tab::Try,
        Tab::Catalogue,
        Tab::Impact,
    ];

    fn slug(self) -> &'static str {
        match self {
            Tab::Policy => "policy",
            Tab::Editions => "editions",
            Tab::Try => "try",
            Tab::Catalogue => "catalogue",
            Tab::Impact => "impact",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Tab::Policy => "wb.policy",
            Tab::Editions => "wb.editions",
            Tab::Try => "wb.try",
            Tab::Catalogue => "wb.catalogue",
            Tab::Impact => "wb.impact",
        }
    }
}

/// A request of a page: its language and query, and its package.
pub struct Ctx {
    pub lang: String,
    pub loc: &'static Locale,
    pub query: Vec<(String, String)>,
    /// The package, for a page about one.
    pub package: Option<Arc<Package>>,
}

/// The languages the workbench writes its own words in.
pub fn tool_languages() -> Vec<&'static str> {
    let mut l: Vec<&str> = locale::languages().collect();
    l.sort_by_key(|x| match *x {
        "kk" => 0,
        "ru" => 1,
        "en" => 2,
        _ => 3,
    });
    l
}

impl Ctx {
    /// The context of a request: `?lang=` must be one of the tool's
    /// languages (and of the package's, for a page about one); English by
    /// default.
    pub fn new(app: &App, id: Option<&str>, query: Vec<(String, String)>) -> Result<Ctx, Response> {
        let package = match id {
            Some(id) => match app.registry.current().get(id) {
                Some(p) => Some(p.clone()),
                None => {
                    return Err(message_page(
                        StatusCode::NOT_FOUND,
                        locale::english(),
                        "en",
                        &format!("no policy `{}` is served", crate::core::text::escape(id)),
                    ));
                }
            },
            None => None,
        };
        // By default English where the package has it, else its official
        // language, else the first of its languages the tool writes.
        let default = match &package {
            None => "en".to_string(),
            Some(p) => {
                let meta = &p.policy().meta;
                let writes = |l: &&String| locale::get(l).is_some();
                if meta.languages.iter().any(|l| l == "en") {
                    "en".to_string()
                } else if locale::get(&meta.official_language).is_some() {
                    meta.official_language.clone()
                } else {
                    meta.languages
                        .iter()
                        .find(writes)
                        .cloned()
                        .unwrap_or_else(|| "en".into())
                }
            }
        };
        let lang = query
            .iter()
            .rfind(|(k, _)| k == "lang")
            .map(|(_, v)| v.clone())
            .unwrap_or(default);
        let known = locale::get(&lang).is_some()
            && package
                .as_ref()
                .is_none_or(|p| p.policy().meta.languages.contains(&lang));
        if !known {
            return Err(message_page(
                StatusCode::BAD_REQUEST,
                locale::english(),
                "en",
                &format!(
                    "`{}` is not a language of this page",
                    crate::core::text::escape(&lang)
                ),
            ));
        }
        Ok(Ctx {
            loc: locale::or_english(&lang),
            lang,
            query,
            package,
        })
    }

    /// The context of a page about the package `id`, with the package.
    pub fn with_package(
        app: &App,
        id: &str,
        query: Vec<(String, String)>,
    ) -> Result<(Ctx, Arc<Package>), Response> {
        let ctx = Ctx::new(app, Some(id), query)?;
        match ctx.package.clone() {
            Some(p) => Ok((ctx, p)),
            None => Err(message_page(StatusCode::NOT_FOUND, ctx.loc, &ctx.lang, "")),
        }
    }

    /// A word of the tool.
    pub fn t(&self, key: &str) -> String {
        self.loc.text(key).to_string()
    }

    /// A word of the tool with its blanks filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.loc.fill(key, args)
    }

    /// One value of the query.
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rfind(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A policy's label in the page's language, else its official
    /// language's, else English.
    pub fn label(&self, l: &Label) -> Option<String> {
        let official = self
            .package
            .as_ref()
            .map(|p| p.policy().meta.official_language.clone())
            .unwrap_or_default();
        l.get(&self.lang)
            .or_else(|| l.get(&official))
            .or_else(|| l.get("en"))
            .cloned()
    }

    /// A citation as the page's language writes it.
    pub fn cite(&self, c: &str) -> String {
        match &self.package {
            Some(p) => p.policy().cite_in(c, &self.lang),
            None => c.to_string(),
        }
    }

    /// A date as the page's language writes it.
    pub fn day(&self, d: chrono::NaiveDate) -> String {
        self.loc.date(d)
    }

    /// A date in the grammatical case the words around it need, where the
    /// language declines months (`ablative` before "from", `dative` before
    /// "until" in Kazakh).
    pub fn day_in(&self, d: chrono::NaiveDate, case: &str) -> String {
        self.loc.date_in(d, case)
    }

    /// The link to `path` in this language, with `query` after it.
    pub fn link(&self, path: &str, query: &[(&str, &str)]) -> String {
        let mut s = format!("{path}?lang={}", enc(&self.lang));
        for (k, v) in query {
            s += &format!("&{}={}", enc(k), enc(v));
        }
        s
    }

    /// The link of the section `tab` of the page's package.
    pub fn tab_link(&self, tab: Tab) -> String {
        let id = self
            .package
            .as_ref()
            .map(|p| p.id().to_string())
            .unwrap_or_default();
        self.link(&format!("/ui/{}/{}", enc(&id), tab.slug()), &[])
    }
}

/// Percent-encodes everything but letters, digits and `-._~`.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out += &format!("%{b:02X}"),
        }
    }
    out
}

/// A page: the header (the package and its sections, the languages with
/// this page's link in each), then `content`.
pub fn page(ctx: &Ctx, path: &str, tab: Option<Tab>, title: &str, content: Markup) -> Response {
    let languages: Vec<&str> = match &ctx.package {
        Some(p) => tool_languages()
            .into_iter()
            .filter(|l| p.policy().meta.languages.iter().any(|x| x == l))
            .collect(),
        None => tool_languages(),
    };
    // This page in another language: the same query, its language changed.
    let in_lang = |l: &str| {
        let mut s = format!("{path}?lang={}", enc(l));
        for (k, v) in &ctx.query {
            if k != "lang" {
                s += &format!("&{}={}", enc(k), enc(v));
            }
        }
        s
    };
    let policy_title = ctx
        .package
        .as_ref()
        .and_then(|p| ctx.label(&p.policy().meta.title));
    let markup = html! {
        (DOCTYPE)
        html lang=(ctx.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (ctx.t("wb.title")) }
                link rel="stylesheet" href="/ui/assets/workbench.css";
                script src="/ui/assets/workbench.js" defer {}
            }
            body {
                a.skip href="#main" { (ctx.t("wb.skip")) }
                header {
                    a.home href=(ctx.link("/", &[])) { (ctx.t("wb.title")) }
                    @if let Some(p) = &ctx.package {
                        nav aria-label=(ctx.t("wb.sections")) {
                            ul {
                                @for t in Tab::ALL {
                                    li {
                                        @if Some(t) == tab {
                                            a href=(ctx.tab_link(t)) aria-current="page" { (ctx.t(t.key())) }
                                        } @else {
                                            a href=(ctx.tab_link(t)) { (ctx.t(t.key())) }
                                        }
                                    }
                                }
                            }
                        }
                        span.muted { code { (p.id()) } }
                    }
                    nav aria-label=(ctx.t("wb.language")) {
                        ul {
                            @for l in &languages {
                                li {
                                    @if *l == ctx.lang {
                                        a href=(in_lang(l)) lang=(l) hreflang=(l) aria-current="true" { (locale::or_english(l).name) }
                                    } @else {
                                        a href=(in_lang(l)) lang=(l) hreflang=(l) { (locale::or_english(l).name) }
                                    }
                                }
                            }
                        }
                    }
                }
                main #main {
                    @if let Some(t) = policy_title.as_ref().filter(|t| *t != title) {
                        p.muted { (t) }
                    }
                    h1 { (title) }
                    (content)
                }
            }
        }
    };
    super::html(StatusCode::OK, markup.into_string())
}

/// A page that only says what went wrong.
pub fn message_page(status: StatusCode, loc: &Locale, lang: &str, message: &str) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (loc.text("wb.title")) }
                link rel="stylesheet" href="/ui/assets/workbench.css";
            }
            body {
                main #main {
                    h1 { (loc.text("wb.title")) }
                    p.errors role="alert" { (message) }
                    p { a href="/" { (loc.text("wb.policies")) } }
                }
            }
        }
    };
    super::html(status, markup.into_string())
}
