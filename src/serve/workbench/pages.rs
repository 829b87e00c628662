//! The pages that show a policy: the list of packages, the policy as a
//! document, its editions and what changed between two, its catalogue.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{Markup, html};

use super::Params;
use super::chrome::{Ctx, Tab, enc, message_page, page};
use crate::policy::Policy;
use crate::policy::consolidate::Change;
use crate::report::doc::Block;
use crate::serve::App;

/// A failure of a page: said on a page of its own, in the page's
/// language.
fn refused(ctx: &Ctx, status: StatusCode, message: &str) -> Response {
    message_page(status, ctx.loc, &ctx.lang, message)
}

/// A date of the query, in the period the act is in force; the act's last
/// day (or its first, for an act still in force) without one.
fn date_of(ctx: &Ctx, policy: &Policy, name: &str) -> Result<NaiveDate, Response> {
    match ctx.q(name) {
        Some(s) => crate::report::dates::in_force(policy, s).map_err(|f| failed(ctx, f)),
        None => Ok(last_day(policy)),
    }
}

/// A failure of the command line's kind, said on a page with its status.
fn failed(ctx: &Ctx, f: crate::report::failure::Failure) -> Response {
    let e = crate::serve::error::ApiError::from(f);
    refused(ctx, e.status, &e.body(None).error.message)
}

/// The act's last day in force, or its first when it has no end.
pub fn last_day(policy: &Policy) -> NaiveDate {
    match policy.meta.in_force_until {
        Some(u) => u.pred_opt().unwrap_or(u),
        None => policy.meta.in_force_from,
    }
}

/// `/`: the packages served.
pub async fn index(State(app): State<Arc<App>>, params: Params) -> Response {
    let ctx = match Ctx::new(&app, None, params.0) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let packages = app.registry.current();
    let content = html! {
        ul {
            @for p in &packages.list {
                @let policy = p.policy();
                li {
                    a href=(ctx.link(&format!("/ui/{}/policy", enc(p.id())), &[])) {
                        (ctx.label(&policy.meta.title).unwrap_or_else(|| p.id().to_string()))
                    }
                    " "
                    span.cite { (ctx.cite(&policy.meta.act.cite)) }
                    br;
                    span.muted {
                        code { (p.id()) } " · "
                        (in_force(&ctx, policy)) " · "
                        (ctx.t("wb.hash")) " " code { (policy.digest) }
                    }
                }
            }
        }
    };
    page(&ctx, "/", None, &ctx.t("wb.policies"), content)
}

fn in_force(ctx: &Ctx, policy: &Policy) -> String {
    match policy.meta.in_force_until {
        Some(u) => ctx.fill(
            "wb.in_force_until",
            &[
                ("from", &ctx.day_in(policy.meta.in_force_from, "ablative")),
                ("until", &ctx.day_in(u, "dative")),
            ],
        ),
        None => ctx.fill(
            "wb.in_force_from",
            &[("from", &ctx.day_in(policy.meta.in_force_from, "ablative"))],
        ),
    }
}

/// `/ui/{id}`: its policy page.
pub async fn home(Path(id): Path<String>, params: Params) -> Response {
    let lang = params
        .0
        .iter()
        .rfind(|(k, _)| k == "lang")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "en".into());
    let to = format!("/ui/{}/policy?lang={}", enc(&id), enc(&lang));
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A date picker of a page's form.
fn date_field(name: &str, label: &str, value: NaiveDate) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            input type="date" id=(name) name=(name) value=(value.to_string());
        }
    }
}

/// The hidden field that keeps a form's language.
fn lang_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="lang" value=(ctx.lang); }
}

/// `/ui/{id}/policy`: the policy as a document, as `qagida doc` writes it,
/// as in force on a date.
pub async fn policy(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let (ctx, p) = match Ctx::with_package(&app, &id, params.0) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let policy = p.policy();
    let at = match date_of(&ctx, policy, "at") {
        Ok(d) => d,
        Err(r) => return r,
    };
    let blocks = crate::report::doc::document(policy, at, &ctx.lang);
    let no_value = ctx.loc.text("doc.no_value").to_string();
    let reading = ctx.loc.text("col.reading").to_string();
    let path = format!("/ui/{}/policy", enc(&id));
    let content = html! {
        form method="get" action=(path) {
            (lang_field(&ctx))
            (date_field("at", &ctx.t("wb.as_in_force_on"), at))
            button type="submit" { (ctx.t("wb.show")) }
        }
        @for b in blocks.iter().skip(1) {
            @match b {
                Block::Heading(n, t) => @if *n <= 2 { h2 { (t) } } @else { h3 { (t) } },
                Block::Para(t) => p { (t) },
                Block::Table(head, rows) => {
                    @let read_col = head.iter().position(|h| *h == reading);
                    table {
                        thead { tr { @for h in head { th scope="col" { (h) } } } }
                        tbody {
                            @for row in rows {
                                tr {
                                    @for (i, c) in row.iter().enumerate() {
                                        @if *c == no_value {
                                            td.gap { (c) }
                                        } @else if Some(i) == read_col && !c.is_empty() {
                                            td { div.reading data-mark=(ctx.t("wb.reading")) { (c) } }
                                        } @else {
                                            td { (c) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            }
        }
    };
    let title = match blocks.first() {
        Some(Block::Heading(_, t)) => t.clone(),
        _ => ctx.t("wb.policy"),
    };
    page(&ctx, &path, Some(Tab::Policy), &title, content)
}

/// `/ui/{id}/editions`: the act's timeline, and what changed between two
/// dates, each change with the act that explains it.
pub async fn editions(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let (ctx, p) = match Ctx::with_package(&app, &id, params.0) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let policy = p.policy();
    let eds = crate::report::editions::editions(policy);
    let first = eds.first().map_or(policy.meta.in_force_from, |e| e.from);
    let from = match ctx.q("from") {
        Some(_) => match date_of(&ctx, policy, "from") {
            Ok(d) => d,
            Err(r) => return r,
        },
        None => first,
    };
    let to = match date_of(&ctx, policy, "to") {
        Ok(d) => d,
        Err(r) => return r,
    };
    let compared = ctx.q("from").is_some() || ctx.q("to").is_some();
    let changes = if compared {
        crate::policy::consolidate::diff(policy, from, to)
    } else {
        Vec::new()
    };
    let path = format!("/ui/{}/editions", enc(&id));
    let content = html! {
        h2 { (ctx.t("wb.acts")) }
        table {
            thead { tr {
                th scope="col" { (ctx.t("wb.act")) }
                th scope="col" { (ctx.t("wb.in_force")) }
                th scope="col" { (ctx.t("wb.what_changed")) }
            } }
            tbody {
                @for a in &policy.history.acts {
                    tr {
                        td { code { (a.id) } br; (ctx.label(&a.title).unwrap_or_default()) br; span.cite { (ctx.cite(&a.info.cite)) } }
                        td {
                            @if a.exact { (ctx.day(a.from)) }
                            @else { (ctx.fill("wb.earliest", &[("date", &ctx.day(a.from))])) }
                        }
                        td { (a.changes.join(", ")) }
                    }
                }
            }
        }
        h2 { (ctx.t("wb.editions")) }
        ul {
            @for e in &eds {
                li {
                    code { (e.id) } " — " (ctx.day(e.from))
                    @if let Some(u) = e.until { " – " (ctx.day(u)) }
                    @if !e.not_encoded.is_empty() {
                        " " span.gap { (ctx.fill("wb.not_encoded", &[("provisions", &e.not_encoded.join(", "))])) }
                    }
                }
            }
        }
        h2 { (ctx.t("wb.each_edition")) }
        ul {
            @for pair in eds.windows(2) {
                li {
                    a href=(format!("{}#changes", ctx.link(&path, &[("from", &pair[0].from.to_string()), ("to", &pair[1].from.to_string())]))) {
                        (ctx.fill("wb.what_edition_changed", &[("edition", &pair[1].id), ("date", &ctx.day_in(pair[1].from, "ablative"))]))
                    }
                }
            }
        }
        h2 #compare { (ctx.t("wb.compare")) }
        form method="get" action=(format!("{path}#changes")) {
            (lang_field(&ctx))
            (date_field("from", &ctx.t("wb.from"), from))
            (date_field("to", &ctx.t("wb.to"), to))
            p.muted { (ctx.t("wb.edition_days")) " "
                @for (i, e) in eds.iter().enumerate() {
                    @if i > 0 { ", " }
                    code { (e.id) } " " (e.from.to_string())
                }
            }
            button type="submit" { (ctx.t("wb.compare")) }
        }
        @if compared {
            h2 #changes { (ctx.fill("wb.changes", &[("n", &changes.len().to_string()), ("from", &ctx.day(from)), ("to", &ctx.day(to))])) }
            @if changes.is_empty() {
                p { (ctx.t("wb.no_changes")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (ctx.t("wb.item")) }
                        th scope="col" { (ctx.t("wb.change")) }
                        th scope="col" { (ctx.t("wb.before")) }
                        th scope="col" { (ctx.t("wb.after")) }
                        th scope="col" { (ctx.t("wb.when_by")) }
                    } }
                    tbody { @for c in &changes { (change_row(&ctx, c)) } }
                }
            }
        }
    };
    page(
        &ctx,
        &path,
        Some(Tab::Editions),
        &ctx.t("wb.editions"),
        content,
    )
}

fn change_row(ctx: &Ctx, c: &Change) -> Markup {
    let brief = |j: &serde_json::Value| match j {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let what = match (&c.table, &c.catalogue, &c.entry) {
        (Some(t), _, _) => format!("{} {} ({t})", c.kind, c.id),
        (_, Some(cat), Some(e)) => format!("{} {} ({cat}: {e})", c.kind, c.id),
        (_, Some(cat), None) => format!("{} {} ({cat})", c.kind, c.id),
        _ => format!("{} {}", c.kind, c.id),
    };
    let before = serde_json::to_value(&c.before).unwrap_or_default();
    let after = serde_json::to_value(&c.after).unwrap_or_default();
    html! {
        tr {
            td { code { (what) } }
            td { (c.change) }
            td { (brief(&before)) }
            td { (brief(&after)) }
            td {
                @if c.steps.is_empty() {
                    (c.acts.join(", "))
                }
                @for s in &c.steps {
                    div {
                        (ctx.day(s.date)) ": "
                        @if s.acts.is_empty() && s.unlisted.is_empty() {
                            span.gap { (ctx.t("wb.no_act")) }
                        } @else {
                            (s.acts.iter().chain(&s.unlisted).cloned().collect::<Vec<_>>().join(", "))
                        }
                    }
                }
            }
        }
    }
}

/// `/ui/{id}/catalogue`: the catalogue in force on a date, as a tree, or
/// the entries that match a search.
pub async fn catalogue(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let (ctx, p) = match Ctx::with_package(&app, &id, params.0) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let policy = p.policy();
    let path = format!("/ui/{}/catalogue", enc(&id));
    let at = match date_of(&ctx, policy, "at") {
        Ok(d) => d,
        Err(r) => return r,
    };
    if policy.catalogues.is_empty() {
        let content = html! { p { (ctx.t("wb.no_catalogue")) } };
        return page(
            &ctx,
            &path,
            Some(Tab::Catalogue),
            &ctx.t("wb.catalogue"),
            content,
        );
    }
    let cat = match crate::report::catalogue::open(policy, ctx.q("name"), at) {
        Ok(c) => c,
        Err(f) => return failed(&ctx, f),
    };
    let query = ctx.q("q").map(str::to_string);
    let shown = crate::report::catalogue::shown(cat, query.as_deref(), at);
    let name = |e: usize| {
        let en = &cat.entries[e];
        let official = cat.official_name(e).to_string();
        match en.name.get(&ctx.lang) {
            Some(n) if *n != official => format!("{official} — {n}"),
            _ => official,
        }
    };
    let kind = |e: usize| {
        let k = &cat.entries[e].kind;
        cat.kind_labels
            .get(k)
            .and_then(|l| ctx.label(l))
            .unwrap_or_else(|| k.clone())
    };
    fn tree(
        e: usize,
        shown: &[usize],
        cat: &crate::policy::catalogue::Catalogue,
        row: &dyn Fn(usize) -> Markup,
    ) -> Markup {
        let children: Vec<usize> = cat.entries[e]
            .children
            .iter()
            .copied()
            .filter(|c| shown.contains(c))
            .collect();
        html! {
            li {
                @if children.is_empty() {
                    (row(e))
                } @else {
                    details {
                        summary { (row(e)) }
                        ul.tree { @for c in children { (tree(c, shown, cat, row)) } }
                    }
                }
            }
        }
    }
    let row = |e: usize| {
        html! {
            span.muted { (kind(e)) " " code { (cat.entries[e].id) } } " "
            (name(e)) " "
            span.cite { (ctx.cite(&cat.entries[e].info.cite)) }
        }
    };
    let content = html! {
        form method="get" action=(path) role="search" {
            (lang_field(&ctx))
            @if let Some(n) = ctx.q("name") { input type="hidden" name="name" value=(n); }
            div.field {
                label for="q" { (ctx.t("wb.search")) }
                input type="search" id="q" name="q" value=(query.clone().unwrap_or_default());
            }
            (date_field("at", &ctx.t("wb.as_in_force_on"), at))
            button type="submit" { (ctx.t("wb.show")) }
        }
        p { (ctx.fill("wb.entries_in_force", &[("n", &shown.len().to_string()), ("date", &ctx.day(at))])) }
        @if query.is_some() {
            @if shown.is_empty() { p { (ctx.t("wb.no_match")) } }
            ul.tree {
                @for &e in &shown {
                    li { (row(e)) br; span.muted { (cat.path(e)) } }
                }
            }
        } @else {
            ul.tree {
                @for &e in shown.iter().filter(|&&e| cat.entries[e].parent.is_none_or(|p| !shown.contains(&p))) {
                    (tree(e, &shown, cat, &row))
                }
            }
        }
    };
    page(
        &ctx,
        &path,
        Some(Tab::Catalogue),
        &ctx.t("wb.catalogue"),
        content,
    )
}
