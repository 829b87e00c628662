//! "Impact": what deciding the package's corpus (or an uploaded one) under
//! one edition rather than another changes, as `qagida impact` reports it.

use std::sync::Arc;

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use maud::html;

use super::Params;
use super::chrome::{Ctx, Tab, enc, message_page, page};
use crate::engine::batch::InputFormat;
use crate::serve::App;
use crate::serve::state::{Package, Source};

/// The bytes of an uploaded corpus the workbench takes at most.
pub const MAX_UPLOAD: usize = 16 << 20;

/// What a standalone report is sent with: no script at all; its own
/// inline style (the report is one self-contained page).
const REPORT_CSP: &str = "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; \
img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The package's own corpus, as JSON lines: its snapshots' corpus where
/// its folder has one, else its examples (those built into the binary,
/// for the built-in package).
pub fn corpus(p: &Package) -> Vec<String> {
    let mut texts: Vec<(String, String)> = Vec::new();
    match &p.source {
        Source::Dir(dir) => {
            let dir = if dir.is_file() {
                dir.parent().map(|d| d.to_path_buf()).unwrap_or_default()
            } else {
                dir.clone()
            };
            for sub in ["snapshots/corpus", "examples"] {
                let Ok(listing) = std::fs::read_dir(dir.join(sub)) else {
                    continue;
                };
                let mut files: Vec<_> = listing.flatten().map(|e| e.path()).collect();
                files.sort();
                for f in files {
                    if let Ok(t) = std::fs::read_to_string(&f) {
                        texts.push((f.display().to_string(), t));
                    }
                }
                if !texts.is_empty() {
                    break;
                }
            }
        }
        Source::Embedded => {
            let prefix = format!(
                "{}/examples/",
                crate::policy::embedded::DEFAULT_POLICY.trim_end_matches('/')
            );
            for (path, text) in crate::policy::embedded::FILES {
                if path.starts_with(&prefix) && !path[prefix.len()..].contains('/') {
                    texts.push((path.to_string(), text.to_string()));
                }
            }
            texts.sort();
        }
    }
    let mut lines = Vec::new();
    for (name, text) in texts {
        if name.ends_with(".jsonl") {
            lines.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string),
            );
        } else if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json") {
            // A file that is not an application is kept as a line that is
            // not one either: the report counts it as an error, never
            // leaves it out unsaid.
            match crate::core::yaml::value(&text) {
                Ok(mut data) => {
                    crate::core::yaml::keep_digits(&mut data, &text);
                    lines.push(crate::core::json::Json::of_data(&data).to_string());
                }
                Err(e) => lines.push(format!("{name}: {}", e.message)),
            }
        }
    }
    lines
}

/// `GET /ui/{id}/impact`: the form.
pub async fn form(State(app): State<Arc<App>>, Path(id): Path<String>, params: Params) -> Response {
    let (ctx, p) = match Ctx::with_package(&app, &id, params.0) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let policy = p.policy();
    let eds = crate::report::editions::editions(policy);
    let n = corpus(&p).len();
    let path = format!("/ui/{}/impact", enc(&id));
    let select = |name: &str, label: String, pick: usize| {
        html! {
            div.field {
                label for=(name) { (label) }
                select id=(name) name=(name) {
                    @for (i, e) in eds.iter().enumerate() {
                        option value=(e.id) selected[i == pick] { (e.id) " — " (ctx.day(e.from)) }
                    }
                }
            }
        }
    };
    let content = html! {
        p { (ctx.t("wb.impact_hint")) }
        form method="post" action=(ctx.link(&path, &[])) enctype="multipart/form-data" {
            (select("from", ctx.t("wb.from"), eds.len().saturating_sub(2)))
            (select("to", ctx.t("wb.to"), eds.len().saturating_sub(1)))
            div.field {
                label for="corpus" { (ctx.t("wb.corpus")) }
                input type="file" id="corpus" name="corpus" accept=".jsonl,.csv,application/x-ndjson,text/csv" aria-describedby="corpus-hint";
                span.hint #corpus-hint { (ctx.fill("wb.corpus_hint", &[("n", &n.to_string()), ("mib", &(MAX_UPLOAD >> 20).to_string())])) }
            }
            @for (name, param) in &policy.params {
                @let fid = format!("param-{name}");
                div.field {
                    label for=(fid) { (ctx.label(&param.info.label).unwrap_or_else(|| name.clone())) " " code { (name) } }
                    input type="text" id=(fid) name=(format!("param.{name}"));
                }
            }
            button type="submit" { (ctx.t("wb.impact_run")) }
        }
    };
    page(&ctx, &path, Some(Tab::Impact), &ctx.t("wb.impact"), content)
}

/// `POST /ui/{id}/impact`: the report, a page of its own.
pub async fn report(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    params: Params,
    mut form: Multipart,
) -> Response {
    let (ctx, p) = match Ctx::with_package(&app, &id, params.0) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let fail = |status, m: &str| message_page(status, ctx.loc, &ctx.lang, m);
    let (mut from, mut to, mut upload, mut name, mut settings) = (
        String::new(),
        String::new(),
        None,
        String::new(),
        Vec::new(),
    );
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return fail(e.status(), &e.body_text()),
        };
        let key = field.name().unwrap_or_default().to_string();
        if key == "corpus" {
            name = field.file_name().unwrap_or_default().to_string();
        }
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => return fail(e.status(), &e.body_text()),
        };
        match key.as_str() {
            "from" => from = String::from_utf8_lossy(&bytes).into_owned(),
            "to" => to = String::from_utf8_lossy(&bytes).into_owned(),
            "corpus" if !bytes.is_empty() => upload = Some(bytes),
            k => {
                if let Some(param) = k.strip_prefix("param.") {
                    let v = String::from_utf8_lossy(&bytes).trim().to_string();
                    if !v.is_empty() {
                        settings.push(crate::engine::Setting::Arg(format!("{param}={v}")));
                    }
                }
            }
        }
    }
    let (input, format): (Vec<u8>, InputFormat) = match upload {
        Some(b) if name.ends_with(".csv") => (b.to_vec(), InputFormat::Csv),
        Some(b) => (b.to_vec(), InputFormat::Jsonl),
        None => (corpus(&p).join("\n").into_bytes(), InputFormat::Jsonl),
    };
    let jobs = app.limits.batch_jobs;
    let plan = p.plan.clone();
    let lang = ctx.lang.clone();
    let made = tokio::task::spawn_blocking(move || {
        crate::report::impact::html_report(
            &plan,
            settings,
            [&from, &to],
            &input[..],
            format,
            jobs,
            &lang,
        )
    })
    .await;
    match made {
        Ok(Ok(page)) => {
            let mut r = super::html(StatusCode::OK, page);
            r.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(REPORT_CSP),
            );
            r
        }
        Ok(Err(f)) => {
            let e = crate::serve::error::ApiError::from(f);
            let m = e.body(None).error.message;
            fail(e.status, &m)
        }
        Err(_) => fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the report failed: this is a bug",
        ),
    }
}
