//! "Try an application": a form made from the policy's input schema (or a
//! pasted application), decided as `qagida eval` decides it, and shown
//! with its deadlines on a calendar of the days off, its explanation as a
//! tree one can fold, and the command that gives the same decision.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

use super::Params;
use super::chrome::{Ctx, Tab, enc, page};
use crate::core::source::SourceFile;
use crate::core::value::Value;
use crate::engine::eval::{Evaluation, StepKind};
use crate::engine::{Application, At, Request, Setting};
use crate::lang::types::{RecordType, Type};
use crate::policy::Policy;
use crate::serve::App;

/// The values a form sent, by name, in order.
type Sent = Vec<(String, String)>;

/// The bytes of a form the workbench takes at most.
const MAX_FORM: usize = 1 << 20;

fn values<'a>(sent: &'a Sent, name: &str) -> impl Iterator<Item = &'a str> {
    sent.iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn value<'a>(sent: &'a Sent, name: &str) -> &'a str {
    values(sent, name).last().unwrap_or("")
}

/// `GET /ui/{id}/try`: the empty form.
pub async fn form(State(app): State<Arc<App>>, Path(id): Path<String>, params: Params) -> Response {
    let ctx = match Ctx::new(&app, Some(&id), params.0) {
        Ok(c) => c,
        Err(r) => return r,
    };
    render(&ctx, &id, &Vec::new(), None)
}

/// `POST /ui/{id}/try`: the form as sent, and its decision.
pub async fn decide(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    body: axum::body::Body,
) -> Response {
    let ctx = match Ctx::new(&app, Some(&id), params.0) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(body) = axum::body::to_bytes(body, MAX_FORM).await else {
        return super::chrome::message_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            ctx.loc,
            &ctx.lang,
            &format!("the form is larger than the limit of {MAX_FORM} bytes"),
        );
    };
    let sent = match pairs(&body) {
        Some(s) => s,
        None => {
            return super::chrome::message_page(
                StatusCode::BAD_REQUEST,
                ctx.loc,
                &ctx.lang,
                "the form is not UTF-8 text once decoded",
            );
        }
    };
    let result = decided(&ctx, &sent);
    render(&ctx, &id, &sent, Some(result))
}

/// `a=1&b=2`, decoded.
fn pairs(body: &[u8]) -> Option<Sent> {
    let text = std::str::from_utf8(body).ok()?;
    let mut out = Vec::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = crate::serve::api::query::decode(k).ok()?;
        let v = crate::serve::api::query::decode(v).ok()?;
        out.push((k, v));
    }
    Some(out)
}

/// What a try gave: the decision, with the application and request that
/// made it; or the diagnostics of why none was made.
struct Tried {
    application: String,
    request: Request,
    outcome: Result<Evaluation, Vec<crate::core::diag::Diagnostic>>,
}

fn decided(ctx: &Ctx, sent: &Sent) -> Tried {
    let p = ctx.package.clone().expect("a package page");
    let policy = p.policy();
    // A field sent twice (a form does not do it; a hand-made request
    // may) is refused, never its last value taken.
    let mut lists = Vec::new();
    choice_lists(&policy.input, "", &mut lists);
    for (i, (k, _)) in sent.iter().enumerate() {
        if sent[..i].iter().any(|(x, _)| x == k) && !lists.contains(k) {
            let d = crate::core::diag::Diagnostic::error(
                "form",
                format!("the field `{}` is sent twice", crate::core::text::escape(k)),
            );
            return Tried {
                application: String::new(),
                request: Request::default(),
                outcome: Err(vec![d]),
            };
        }
    }
    let pasted = value(sent, "application_text").trim();
    let application = if pasted.is_empty() {
        record_json(&policy.input, "", sent).unwrap_or_else(|| "{}".into())
    } else {
        pasted.to_string()
    };
    let mut params = Vec::new();
    for name in policy.params.keys() {
        let v = value(sent, &format!("param.{name}")).trim();
        if !v.is_empty() {
            params.push(Setting::Arg(format!("{name}={v}")));
        }
    }
    let at = value(sent, "at").trim();
    let request = Request {
        at: if at.is_empty() {
            At::Application
        } else {
            match At::parse(at) {
                Ok(a) => a,
                Err(e) => {
                    return Tried {
                        application,
                        request: Request::default(),
                        outcome: Err(e.diagnostics()),
                    };
                }
            }
        },
        params,
        trace: true,
    };
    let file = SourceFile::new("application", application.clone());
    let outcome = p
        .plan
        .prepare(&request)
        .and_then(|prep| prep.decide(Application::File(&file)))
        .map_err(|e| e.diagnostics());
    Tried {
        application,
        request,
        outcome,
    }
}

/// The application a form's fields make, as JSON text: each field given
/// (not left empty) with its type's JSON; `None` when none is.
fn record_json(r: &RecordType, prefix: &str, sent: &Sent) -> Option<String> {
    let mut members = Vec::new();
    for (name, f) in &r.fields {
        let path = join(prefix, name);
        let v = match &f.ty {
            Type::Record(inner) => record_json(inner, &path, sent),
            Type::List(item) => {
                let items: Vec<String> = match &**item {
                    Type::Enum(_) => values(sent, &path)
                        .filter(|v| !v.is_empty())
                        .map(json_string)
                        .collect(),
                    other => value(sent, &path)
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(|l| scalar(other, l))
                        .collect(),
                };
                let given = !items.is_empty() || value(sent, &format!("{path}.given")) == "on";
                given.then(|| format!("[{}]", items.join(",")))
            }
            ty => {
                let v = value(sent, &path).trim();
                (!v.is_empty()).then(|| scalar(ty, v))
            }
        };
        if let Some(v) = v {
            members.push(format!("{}:{v}", json_string(name)));
        }
    }
    (!members.is_empty()).then(|| format!("{{{}}}", members.join(",")))
}

/// The paths of the lists of choices: the fields a form sends once for
/// each box ticked.
fn choice_lists(r: &RecordType, prefix: &str, out: &mut Vec<String>) {
    for (name, f) in &r.fields {
        let path = join(prefix, name);
        match &f.ty {
            Type::Record(inner) => choice_lists(inner, &path, out),
            Type::List(item) if matches!(**item, Type::Enum(_)) => out.push(path),
            _ => {}
        }
    }
}

fn join(prefix: &str, name: &str) -> String {
    match prefix {
        "" => name.to_string(),
        p => format!("{p}.{name}"),
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A field's text as JSON of its type: a number as its digits, a truth as
/// itself; anything else (and a number that is not one) as a string, for
/// the reader to accept or to say why not, as it would of a file.
fn scalar(ty: &Type, v: &str) -> String {
    let number = |v: &str| {
        let t = v.strip_prefix('-').unwrap_or(v);
        !t.is_empty()
            && t.split_once('.')
                .map_or(t.bytes().all(|b| b.is_ascii_digit()), |(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && (a.bytes().chain(b.bytes())).all(|c| c.is_ascii_digit())
                })
    };
    match ty {
        Type::Int | Type::Decimal if number(v) => v.to_string(),
        Type::Bool if v == "true" || v == "false" => v.to_string(),
        _ => json_string(v),
    }
}

/// The form, filled with what was sent, and the decision below it.
fn render(ctx: &Ctx, id: &str, sent: &Sent, tried: Option<Tried>) -> Response {
    let p = ctx.package.clone().expect("a package page");
    let policy = p.policy();
    let path = format!("/ui/{}/try", enc(id));
    let action = ctx.link(&path, &[]);
    let result = tried.as_ref().map(|t| result(ctx, t));
    let content = html! {
        @if let Some(r) = result {
            section aria-labelledby="decision" { (r) }
        }
        form method="post" action=(action) #application {
            h2 { (ctx.t("wb.application")) }
            p.muted { (ctx.t("wb.form_hint")) }
            (record_fields(ctx, policy, &policy.input, "", sent))
            fieldset {
                legend { (ctx.t("wb.paste")) }
                div.field {
                    label for="application_text" { (ctx.t("wb.paste_label")) }
                    textarea id="application_text" name="application_text" spellcheck="false" { (value(sent, "application_text")) }
                }
            }
            fieldset {
                legend { (ctx.t("wb.how")) }
                div.field {
                    label for="at" { (ctx.t("wb.at")) }
                    input type="date" id="at" name="at" value=(value(sent, "at")) aria-describedby="at-hint";
                    span.hint #at-hint { (ctx.t("wb.at_hint")) }
                }
                @for (name, param) in &policy.params {
                    @let fid = format!("param-{name}");
                    @let hint = format!("{fid}-hint");
                    div.field {
                        label for=(fid) { (ctx.label(&param.info.label).unwrap_or_else(|| name.clone())) " " code { (name) } }
                        input type="text" id=(fid) name=(format!("param.{name}")) value=(value(sent, &format!("param.{name}"))) aria-describedby=(hint);
                        span.hint id=(hint) {
                            @match param.values.last().and_then(|(_, v)| v.as_ref()) {
                                Some(v) => (ctx.fill("wb.param_in_act", &[("value", &v.to_string())])),
                                None => span.gap { (ctx.t("wb.param_no_value")) },
                            }
                            " " span.cite { (ctx.cite(&param.info.cite)) }
                        }
                    }
                }
            }
            button type="submit" { (ctx.t("wb.decide")) }
        }
    };
    let mut r = page(ctx, &path, Some(Tab::Try), &ctx.t("wb.try"), content);
    if let Some(Tried {
        outcome: Err(_), ..
    }) = tried
    {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// The fields of a record, each with its label, citation and whether it
/// may be left out.
fn record_fields(ctx: &Ctx, policy: &Policy, r: &RecordType, prefix: &str, sent: &Sent) -> Markup {
    html! {
        @for (name, f) in &r.fields {
            @let path = join(prefix, name);
            @let fid = format!("f-{}", path.replace('.', "-"));
            @let info = policy.fields.get(&path);
            @let label = info.and_then(|i| ctx.label(&i.label)).unwrap_or_else(|| name.to_string());
            @let note = html! {
                code { (path) }
                @if let Some(t) = f.options.bare_time {
                    " · " (ctx.fill("wb.bare_time", &[("time", &t.format("%H:%M").to_string())]))
                }
                " · "
                @if f.optional { (ctx.t("wb.optional")) } @else { strong { (ctx.t("wb.required")) } }
                @if let Some(i) = info {
                    @if let Some(u) = &i.unit { " · " (u) }
                    @if !i.cite.is_empty() { " · " span.cite { (ctx.cite(&i.cite)) } }
                }
            };
            @match &f.ty {
                Type::Record(inner) => {
                    fieldset {
                        legend { (label) }
                        p.hint { (note) }
                        (record_fields(ctx, policy, inner, &path, sent))
                    }
                },
                Type::List(item) => {
                    @match &**item {
                        Type::Enum(members) => {
                            fieldset {
                                legend { (label) }
                                p.hint { (note) }
                                div.checks {
                                    @for m in members.iter() {
                                        @let mid = format!("{fid}-{m}");
                                        @let checked = values(sent, &path).any(|v| v == &**m);
                                        span {
                                            input type="checkbox" id=(mid) name=(path) value=(m) checked[checked];
                                            " " label for=(mid) { (m) }
                                        }
                                    }
                                }
                                @let gid = format!("{fid}-given");
                                div {
                                    input type="checkbox" id=(gid) name=(format!("{path}.given")) checked[value(sent, &format!("{path}.given")) == "on"];
                                    " " label for=(gid) { (ctx.t("wb.list_given")) }
                                }
                            }
                        },
                        _ => {
                            div.field {
                                label for=(fid) { (label) }
                                textarea id=(fid) name=(path) aria-describedby=(format!("{fid}-hint")) { (value(sent, &path)) }
                                span.hint id=(format!("{fid}-hint")) { (ctx.t("wb.one_a_line")) " · " (note) }
                            }
                        },
                    }
                },
                ty => {
                    div.field {
                        label for=(fid) { (label) }
                        (input(ctx, policy, ty, &fid, &path, value(sent, &path), &f.options))
                        span.hint id=(format!("{fid}-hint")) { (note) }
                    }
                },
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn input(
    ctx: &Ctx,
    policy: &Policy,
    ty: &Type,
    fid: &str,
    name: &str,
    value: &str,
    options: &crate::lang::types::FieldOptions,
) -> Markup {
    let hint = format!("{fid}-hint");
    let min = options.min.as_ref().map(|v| v.to_string());
    let max = options.max.as_ref().map(|v| v.to_string());
    match ty {
        Type::Bool => html! {
            select id=(fid) name=(name) aria-describedby=(hint) {
                option value="" selected[value.is_empty()] { (ctx.t("wb.not_given")) }
                option value="true" selected[value == "true"] { (ctx.t("wb.yes")) }
                option value="false" selected[value == "false"] { (ctx.t("wb.no")) }
            }
        },
        Type::Enum(members) => html! {
            select id=(fid) name=(name) aria-describedby=(hint) {
                option value="" selected[value.is_empty()] { (ctx.t("wb.not_given")) }
                @for m in members.iter() {
                    option value=(m) selected[value == &**m] { (m) }
                }
            }
        },
        Type::Int | Type::Decimal => html! {
            input type="number" id=(fid) name=(name) value=(value)
                step=(if *ty == Type::Int { "1" } else { "any" })
                min=[min] max=[max] aria-describedby=(hint);
        },
        Type::Date => html! {
            input type="date" id=(fid) name=(name) value=(value) aria-describedby=(hint);
        },
        // A date alone stands for a time of day the policy gives: typed,
        // as a picker of date and time would not take it.
        Type::DateTime if options.bare_time.is_some() => html! {
            input type="text" id=(fid) name=(name) value=(value) inputmode="numeric"
                placeholder="YYYY-MM-DDTHH:MM" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?"
                aria-describedby=(hint);
        },
        Type::DateTime => html! {
            input type="datetime-local" id=(fid) name=(name) value=(value) aria-describedby=(hint);
        },
        Type::Time => html! {
            input type="time" id=(fid) name=(name) value=(value) aria-describedby=(hint);
        },
        Type::Ref(cat) => {
            let list = format!("{fid}-list");
            let catalogue = policy.catalogues.iter().find(|c| *c.name == **cat);
            html! {
                input type="text" id=(fid) name=(name) value=(value) list=(list) autocomplete="off" aria-describedby=(hint);
                datalist id=(list) {
                    @if let Some(c) = catalogue {
                        @for e in 0..c.entries.len() {
                            @let official = c.official_name(e);
                            @match c.entries[e].name.get(&ctx.lang) {
                                Some(n) if n != official => option value=(official) { (n) },
                                _ => option value=(official) {},
                            }
                        }
                    }
                }
            }
        }
        _ => html! {
            input type="text" id=(fid) name=(name) value=(value) aria-describedby=(hint);
        },
    }
}

/// The decision: its outcome and reasons, its text as the command line
/// writes it, its dates on a calendar, its explanation, and how to make it
/// again; or why it was not made.
fn result(ctx: &Ctx, t: &Tried) -> Markup {
    let p = ctx.package.clone().expect("a package page");
    let policy = p.policy();
    match &t.outcome {
        Err(diags) => html! {
            h2 #decision { (ctx.t("wb.not_decided")) }
            div.errors role="alert" {
                ul {
                    @for d in diags {
                        li {
                            (crate::core::text::escape_message(&d.message))
                            @if let Some(h) = &d.help { br; span.hint { (crate::core::text::escape_message(h)) } }
                        }
                    }
                }
            }
        },
        Ok(r) => {
            let label = r
                .outcome_label(policy, &ctx.lang)
                .map(str::to_string)
                .unwrap_or_else(|| r.outcome.clone());
            let text = crate::report::decision::text_in(&p.plan, r, Some(&ctx.lang));
            let dates: Vec<(String, NaiveDate)> = r
                .values
                .iter()
                .filter_map(|(k, v)| match v {
                    Value::Date(d) => Some((k.to_string(), *d)),
                    _ => None,
                })
                .collect();
            html! {
                h2 #decision { (ctx.t("wb.decision")) }
                p.outcome data-outcome=(r.outcome) { (label) " " code { (r.outcome) } }
                p.muted { code { (r.edition) } " · " (ctx.day(r.at)) }
                @if !r.reasons.is_empty() {
                    h3 { (ctx.t("wb.reasons")) }
                    ul { @for h in &r.reasons { li { code { (h.id) } " " span.cite { (ctx.cite(&h.cite)) } } } }
                }
                @if !r.missing.is_empty() {
                    h3 { (ctx.t("wb.missing")) }
                    ul { @for m in &r.missing { li { code { (m) } } } }
                }
                @if !r.warnings.is_empty() {
                    h3 { (ctx.t("wb.warnings")) }
                    ul { @for w in &r.warnings { li { (w.message) " " span.cite { (ctx.cite(&w.cite)) } } } }
                }
                @if !dates.is_empty() {
                    h3 { (ctx.t("wb.dates")) }
                    ul { @for (k, d) in &dates { li { code { (k) } " " (ctx.day(*d)) } } }
                    (calendar(ctx, policy, &dates))
                }
                h3 { (ctx.t("wb.as_cli")) }
                pre.cli { (text) }
                h3 #why { (ctx.t("wb.why")) }
                p {
                    button.secondary type="button" data-fold="open" aria-controls="tree" hidden { (ctx.t("wb.unfold_all")) }
                    " "
                    button.secondary type="button" data-fold="close" aria-controls="tree" hidden { (ctx.t("wb.fold_all")) }
                }
                (tree(ctx, policy, r))
                h3 { (ctx.t("wb.reproduce")) }
                pre { (command(ctx, policy, t)) }
                p {
                    a href=(format!("data:application/json;charset=utf-8,{}", enc(&t.application))) download="application.json" {
                        (ctx.t("wb.download"))
                    }
                }
                details {
                    summary { (ctx.t("wb.application_json")) }
                    pre.application { (t.application) }
                }
            }
        }
    }
}

/// `qagida eval` with what gives the same decision.
fn command(ctx: &Ctx, policy: &Policy, t: &Tried) -> String {
    let mut s = format!("qagida eval --policy-hash {}", policy.digest);
    if let At::On(d) = t.request.at {
        s += &format!(" --at {d}");
    }
    for p in &t.request.params {
        if let Setting::Arg(a) = p {
            s += &format!(" --param {}", shell(a));
        }
    }
    s += &format!(" --lang {} application.json", ctx.lang);
    s
}

/// A word for a POSIX shell, quoted when it must be.
fn shell(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=.:/+,@%".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The explanation as a tree: each value and rule a node, what a rule
/// consists of under it; each with its result, inputs, citation and
/// reading.
fn tree(ctx: &Ctx, policy: &Policy, r: &Evaluation) -> Markup {
    // Steps at depth 0, each with the steps of depth 1 after it.
    let mut nodes: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, s) in r.trace.iter().enumerate() {
        match (s.depth, nodes.last_mut()) {
            (0, _) | (_, None) => nodes.push((i, Vec::new())),
            (_, Some(last)) => last.1.push(i),
        }
    }
    let word = |k: StepKind| ctx.loc.text(&format!("explain.{}", k.name())).to_string();
    let shown = |v: &Value, name: &str| {
        if v.is_unknown() {
            ctx.loc.unknown(v)
        } else {
            crate::policy::units::with_unit(v, policy.unit_of(name))
        }
    };
    let node = |i: usize| {
        let s = &r.trace[i];
        html! {
            summary {
                (word(s.kind)) " " code { (s.name) } " = " strong { (shown(&s.result, &s.name)) }
                " " span.cite { (ctx.cite(&s.cite)) }
            }
            div.body {
                @if !s.inputs.is_empty() {
                    ul { @for (n, v) in &s.inputs { li { code { (n) } " = " (shown(v, n)) } } }
                }
                @for n in &s.notes { p.muted { (n) } }
                @if let Some(reading) = &s.interpretation {
                    div.reading data-mark=(ctx.t("wb.reading")) { (reading) }
                }
            }
        }
    };
    html! {
        div #tree {
            @for (top, parts) in &nodes {
                details {
                    (node(*top))
                    @for part in parts {
                        details { (node(*part)) }
                    }
                }
            }
        }
    }
}

/// Each month with a date of the decision, its days off shaded (from the
/// policy's first working-day calendar) and the decision's dates marked.
fn calendar(ctx: &Ctx, policy: &Policy, dates: &[(String, NaiveDate)]) -> Markup {
    let Some(cal) = policy.calendars.values().next() else {
        return html! {};
    };
    let mut months: Vec<(i32, u32)> = dates.iter().map(|(_, d)| (d.year(), d.month())).collect();
    months.sort();
    months.dedup();
    let weekdays: Vec<String> = (0..7)
        .map(|i| {
            let d = NaiveDate::from_ymd_opt(2024, 1, 1 + i).unwrap_or_default();
            ctx.loc.weekday(d).chars().take(2).collect()
        })
        .collect();
    html! {
        p { span.legend-off { (ctx.t("wb.day_off")) } " " (ctx.t("wb.day_off_note")) }
        @for (y, m) in months.iter().take(6) {
            @let first = NaiveDate::from_ymd_opt(*y, *m, 1).unwrap_or_default();
            @let lead = first.weekday().num_days_from_monday() as usize;
            @let days = days_in(*y, *m);
            @let cells: Vec<Option<u32>> = std::iter::repeat_n(None, lead).chain((1..=days).map(Some)).collect();
            div.month {
                table {
                    caption { (format!("{y}-{m:02}")) }
                    thead { tr { @for w in &weekdays { th scope="col" { (w) } } } }
                    tbody {
                        @for week in cells.chunks(7) {
                            tr {
                                @for c in week {
                                    @match c {
                                        None => td {},
                                        Some(day) => {
                                            @let d = NaiveDate::from_ymd_opt(*y, *m, *day).unwrap_or_default();
                                            @let off = matches!(cal.is_working_day(d), Ok(false));
                                            @let due: Vec<&str> = dates.iter().filter(|(_, x)| *x == d).map(|(k, _)| k.as_str()).collect();
                                            @let class = match (off, due.is_empty()) {
                                                (true, true) => "off",
                                                (true, false) => "off due",
                                                (false, false) => "due",
                                                (false, true) => "",
                                            };
                                            @if due.is_empty() {
                                                td class=(class) { (day) }
                                            } @else {
                                                td class=(class) title=(due.join(", ")) { (day) }
                                            }
                                        },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn days_in(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(28, |d| d.day())
}
