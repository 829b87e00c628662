//! The workbench in a real browser: headless Chromium (Debian's
//! `chromium`, driven by its `chromedriver` over WebDriver), against
//! `qagida serve` on a loopback port. Ignored by a plain `cargo test` (they
//! need the browser, which `.ci/run` installs); run with
//! `cargo test --test main -- --ignored browser`. Each page's screenshot
//! is written under `target/workbench-screenshots/`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::Value as J;

use crate::common::*;
use crate::serve::{Server, json_of};

/// A running chromedriver, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("ChromeDriver (Debian's package `chromium-driver`, which .ci/run installs)");
    let child = Command::new(exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let end = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < end, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, port }
}

/// A headless browser window of `width` by `height` CSS pixels.
async fn browser(d: &Driver, width: u32, height: u32) -> Client {
    let profile = scratch(&format!("chromium-{}", d.port));
    let exe = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("Chromium (Debian's package `chromium`, which .ci/run installs)");
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": exe,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-US",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let J::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .expect("a WebDriver session")
}

fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/workbench-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

/// Runs `f` on a tokio runtime of its own.
fn run<F: std::future::Future<Output = ()>>(f: F) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The application's scalar leaves and lists, by dotted path.
fn leaves(v: &J, prefix: &str, out: &mut Vec<(String, J)>) {
    match v {
        J::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(x, &p, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// Fills the form's field `path` with `v`, as a person would: typing into
/// text and number fields, choosing in lists, ticking boxes; a date's or a
/// time's field, whose typing depends on the browser's locale, is set as
/// its picker sets it.
async fn fill(c: &Client, path: &str, v: &J) {
    let id = field_id(path);
    match v {
        J::Array(items) => {
            let given = c.find(Locator::Id(&format!("{id}-given"))).await;
            for item in items {
                let member = item.as_str().unwrap();
                c.find(Locator::Id(&format!("{id}-{member}")))
                    .await
                    .unwrap_or_else(|e| panic!("no box {id}-{member}: {e}"))
                    .click()
                    .await
                    .unwrap();
            }
            if items.is_empty() {
                given.unwrap().click().await.unwrap();
            }
        }
        J::Null => {}
        scalar => {
            let text = match scalar {
                J::String(s) => s.clone(),
                other => other.to_string(),
            };
            let e = c
                .find(Locator::Id(&id))
                .await
                .unwrap_or_else(|e| panic!("no field {id}: {e}"));
            let tag = e.tag_name().await.unwrap();
            let kind = e.attr("type").await.unwrap().unwrap_or_default();
            if tag == "select" {
                e.select_by_value(&text).await.unwrap();
            } else if ["date", "datetime-local", "time"].contains(&kind.as_str()) {
                c.execute(
                    "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
                    vec![serde_json::to_value(&e).unwrap(), J::String(text)],
                )
                .await
                .unwrap();
            } else {
                e.send_keys(&text).await.unwrap();
            }
        }
    }
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: cargo test -- --ignored browser"]
fn browser_the_form_decides_every_example_as_eval_does() {
    let s = Server::start(&[]);
    let d = driver();
    run(async {
        let c = browser(&d, 1000, 1400).await;
        let files: Vec<PathBuf> = yaml_files(&["policies/kz-order-503/examples"])
            .into_iter()
            .map(PathBuf::from)
            .collect();
        let mut decided = 0;
        for file in &files {
            let f = file.to_str().unwrap();
            c.goto(&s.url("/ui/kz-order-503/try?lang=en"))
                .await
                .unwrap();
            let app: J = serde_json::from_str(&json_of(file)).unwrap();
            let mut fields = Vec::new();
            leaves(&app, "", &mut fields);
            for (path, v) in &fields {
                fill(&c, path, v).await;
            }
            c.find(Locator::Id("param-threshold"))
                .await
                .unwrap()
                .send_keys("6")
                .await
                .unwrap();
            c.find(Locator::Css("form#application button[type=submit]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            c.wait().for_element(Locator::Id("decision")).await.unwrap();
            let cli = qagida(&["eval", "--lang", "en", "--param", "threshold=6", f]);
            if cli.status.success() {
                // The decision shown is eval's, in eval's words.
                let json = qagida(&["eval", "--format", "json", "--param", "threshold=6", f]);
                let want: J = serde_json::from_str(&stdout(&json)).unwrap();
                let Ok(outcome) = c.find(Locator::Css("p.outcome")).await else {
                    let why = text_of(&c, "main").await;
                    panic!("{f}: not decided in the browser:\n{why}");
                };
                let shown = outcome.attr("data-outcome").await.unwrap();
                assert_eq!(shown.as_deref(), want["outcome"].as_str(), "{f}");
                let text = text_of(&c, "pre.cli").await;
                assert_eq!(text.trim_end(), stdout(&cli).trim_end(), "{f}");
                decided += 1;
            } else {
                // Why not, as eval says it.
                let alert = text_of(&c, "div.errors").await;
                let first = stderr(&cli)
                    .lines()
                    .next()
                    .unwrap()
                    .split_once("]: ")
                    .map(|(_, m)| m.to_string())
                    .unwrap();
                assert!(alert.contains(first.trim()), "{f}: {alert}\nvs {first}");
            }
        }
        assert!(decided >= 10, "only {decided} examples decided");
        shot(&c, "try-decision").await;
        c.close().await.unwrap();
    });
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: cargo test -- --ignored browser"]
fn browser_switching_language_folding_the_explanation_and_opening_a_diff() {
    let s = Server::start(&[]);
    let d = driver();
    run(async {
        let c = browser(&d, 1000, 1400).await;
        // A decision, then its explanation folded and unfolded.
        c.goto(&s.url("/ui/kz-order-503/try?lang=en"))
            .await
            .unwrap();
        let app =
            std::fs::read_to_string("policies/kz-order-503/examples/issue-grant.yaml").unwrap();
        c.find(Locator::Id("application_text"))
            .await
            .unwrap()
            .send_keys(&app)
            .await
            .unwrap();
        c.find(Locator::Id("param-threshold"))
            .await
            .unwrap()
            .send_keys("6")
            .await
            .unwrap();
        c.find(Locator::Css("form#application button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_element(Locator::Id("tree")).await.unwrap();
        let open = |c: &Client| {
            let c = c.clone();
            async move {
                c.execute("return [document.querySelectorAll('#tree details').length, document.querySelectorAll('#tree details[open]').length];", vec![])
                    .await
                    .unwrap()
            }
        };
        let counts = open(&c).await;
        let total = counts[0].as_u64().unwrap();
        assert!(total > 10, "{counts}");
        assert_eq!(counts[1], 0);
        c.find(Locator::Css("button[data-fold=open]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert_eq!(open(&c).await[1].as_u64().unwrap(), total);
        shot(&c, "try-explanation").await;
        c.find(Locator::Css("button[data-fold=close]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert_eq!(open(&c).await[1], 0);
        // One node opened by itself: its reading and citation are there.
        let first = c
            .find(Locator::Css("#tree > details > summary"))
            .await
            .unwrap();
        first.click().await.unwrap();
        assert_eq!(open(&c).await[1], 1);
        // Another language: the tool's words, the policy's labels.
        c.goto(&s.url("/ui/kz-order-503/policy?lang=en"))
            .await
            .unwrap();
        c.find(Locator::LinkText("Қазақша"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let lang = c
            .find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap();
        assert_eq!(lang.as_deref(), Some("kk"));
        let kk = qagida::core::locale::or_english("kk");
        let nav = text_of(&c, "header nav").await;
        assert!(nav.contains(kk.text("wb.editions")), "{nav}");
        shot(&c, "policy-kk").await;
        // The diff between two dates: the changes of `qagida diff`.
        c.goto(&s.url("/ui/kz-order-503/editions?lang=en"))
            .await
            .unwrap();
        for (id, v) in [("from", "2017-06-01"), ("to", "2021-06-01")] {
            let e = c.find(Locator::Id(id)).await.unwrap();
            c.execute(
                "arguments[0].value = arguments[1];",
                vec![serde_json::to_value(&e).unwrap(), J::from(v)],
            )
            .await
            .unwrap();
        }
        c.find(Locator::Css("form[action$='#changes'] button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_element(Locator::Id("changes")).await.unwrap();
        let rows = c
            .find_all(Locator::Css("#changes + table tbody tr"))
            .await
            .unwrap()
            .len();
        let diff = qagida(&[
            "diff",
            "--format",
            "json",
            "--from",
            "2017-06-01",
            "--to",
            "2021-06-01",
        ]);
        let want: J = serde_json::from_str(&stdout(&diff)).unwrap();
        assert_eq!(rows, want["changes"].as_array().unwrap().len());
        shot(&c, "editions-diff").await;
        c.goto(&s.url("/ui/kz-order-503/catalogue?lang=ru"))
            .await
            .unwrap();
        shot(&c, "catalogue-ru").await;
        // Impact over an uploaded corpus, picked in the file field.
        c.goto(&s.url("/ui/kz-order-503/impact?lang=en"))
            .await
            .unwrap();
        shot(&c, "impact-form").await;
        let upload =
            std::fs::canonicalize("policies/kz-order-503/examples/batch/applications.jsonl")
                .unwrap();
        c.find(Locator::Id("corpus"))
            .await
            .unwrap()
            .send_keys(upload.to_str().unwrap())
            .await
            .unwrap();
        c.find(Locator::Css("form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_element(Locator::Css("h2")).await.unwrap();
        assert_eq!(text_of(&c, "h1").await, "Impact");
        assert!(text_of(&c, "body").await.contains("Transition matrix"));
        shot(&c, "impact-report").await;
        c.close().await.unwrap();
    });
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: cargo test -- --ignored browser"]
fn browser_one_application_with_the_keyboard_alone() {
    let s = Server::start(&[]);
    let d = driver();
    run(async {
        let c = browser(&d, 1000, 1400).await;
        c.goto(&s.url("/ui/kz-order-503/try?lang=en"))
            .await
            .unwrap();
        let active = |c: &Client| {
            let c = c.clone();
            async move {
                c.active_element()
                    .await
                    .unwrap()
                    .attr("id")
                    .await
                    .unwrap()
                    .unwrap_or_default()
            }
        };
        // Tab to the pasted application, type it, tab to the threshold,
        // type it, tab to Decide, press Enter.
        let keys = |k: &str| {
            let c = c.clone();
            let k = k.to_string();
            async move {
                c.active_element()
                    .await
                    .unwrap()
                    .send_keys(&k)
                    .await
                    .unwrap()
            }
        };
        let app =
            std::fs::read_to_string("policies/kz-order-503/examples/issue-grant.yaml").unwrap();
        for target in ["application_text", "param-threshold"] {
            let mut n = 0;
            while active(&c).await != target {
                keys("\u{e004}").await; // Tab
                n += 1;
                assert!(n < 400, "Tab never reached {target}");
            }
            keys(if target == "application_text" {
                &app
            } else {
                "6"
            })
            .await;
        }
        let mut n = 0;
        loop {
            keys("\u{e004}").await;
            let e = c.active_element().await.unwrap();
            if e.tag_name().await.unwrap() == "button"
                && e.attr("type").await.unwrap().as_deref() == Some("submit")
            {
                break;
            }
            n += 1;
            assert!(n < 50, "Tab never reached Decide");
        }
        keys("\u{e007}").await; // Enter
        c.wait()
            .for_element(Locator::Css("p.outcome"))
            .await
            .unwrap();
        let outcome = c
            .find(Locator::Css("p.outcome"))
            .await
            .unwrap()
            .attr("data-outcome")
            .await
            .unwrap();
        assert_eq!(outcome.as_deref(), Some("grant"));
        c.close().await.unwrap();
    });
}

#[test]
#[ignore = "needs Chromium and ChromeDriver: cargo test -- --ignored browser"]
fn browser_every_page_fits_a_phone_and_labels_every_field() {
    let s = Server::start(&[]);
    let d = driver();
    run(async {
        // 360 CSS pixels: a phone; 640: a laptop's screen at 200% zoom.
        for width in [360, 640] {
            let c = browser(&d, width, 900).await;
            for (name, path) in [
                ("index", "/?lang=en"),
                ("policy", "/ui/kz-order-503/policy?lang=kk"),
                (
                    "editions",
                    "/ui/kz-order-503/editions?lang=ru&from=2017-06-01&to=2021-06-01",
                ),
                ("try", "/ui/kz-order-503/try?lang=en"),
                ("catalogue", "/ui/kz-order-503/catalogue?lang=kk"),
                ("impact", "/ui/kz-order-503/impact?lang=ru"),
            ] {
                c.goto(&s.url(path)).await.unwrap();
                let fits = c
                    .execute(
                        "return [document.documentElement.scrollWidth, window.innerWidth];",
                        vec![],
                    )
                    .await
                    .unwrap();
                let (wide, view) = (fits[0].as_u64().unwrap(), fits[1].as_u64().unwrap());
                assert!(wide <= view, "{path} at {width}px is {wide}px wide");
                let unlabelled = c
                    .execute(
                        "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                           .filter(e => !(e.id && document.querySelector('label[for=\"' + e.id + '\"]')) && !e.getAttribute('aria-label'))
                           .map(e => e.name);",
                        vec![],
                    )
                    .await
                    .unwrap();
                assert_eq!(unlabelled, J::Array(vec![]), "{path}");
                shot(&c, &format!("{name}-{width}")).await;
            }
            c.close().await.unwrap();
        }
    });
}

/// Every page of the workbench, in each language.
fn pages() -> Vec<String> {
    let mut out = vec!["/".to_string()];
    for lang in ["kk", "ru", "en"] {
        for p in [
            "policy",
            "editions",
            "editions?from=2017-06-01&to=2021-06-01",
            "try",
            "catalogue",
            "catalogue?q=%D0%B4%D3%99%D1%80%D1%96%D0%B3%D0%B5%D1%80",
            "impact",
        ] {
            let sep = if p.contains('?') { '&' } else { '?' };
            out.push(format!("/ui/kz-order-503/{p}{sep}lang={lang}"));
        }
    }
    out
}

#[test]
fn every_page_is_html_with_its_own_script_only() {
    let s = Server::start(&[
        "--builtin",
        "--policy",
        EXAMPLE,
        "--policy",
        "tests/policies/allowance",
    ]);
    let c = reqwest::blocking::Client::new();
    let mut all = pages();
    for id in ["example-study-grant", "example-rent-allowance"] {
        for p in [
            "policy",
            "editions",
            "editions?from=2021-01-01&to=2023-06-01",
            "try",
            "catalogue?at=2021-06-01",
            "impact",
        ] {
            let sep = if p.contains('?') { '&' } else { '?' };
            all.push(format!("/ui/{id}/{p}{sep}lang=en"));
        }
    }
    for path in all {
        let r = c.get(s.url(&path)).send().unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers().clone();
        assert_eq!(h["content-type"], "text/html; charset=utf-8");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        let body = r.text().unwrap();
        // No inline script: every script tag has a source on this server.
        for (i, _) in body.match_indices("<script") {
            let tag = &body[i..i + body[i..].find('>').unwrap()];
            assert!(tag.contains("src=\"/ui/assets/"), "{path}: {tag}");
        }
        assert!(body.starts_with("<!DOCTYPE html><html lang=\""), "{path}");
    }
    // An unknown language, an unknown policy: said on a page.
    assert_eq!(
        c.get(s.url("/ui/kz-order-503/try?lang=de"))
            .send()
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        c.get(s.url("/ui/nope/policy")).send().unwrap().status(),
        404
    );
    assert_eq!(
        c.get(s.url("/ui/kz-order-503/policy?at=2030-01-01"))
            .send()
            .unwrap()
            .status(),
        422
    );
    // A catalogue whose wording in force then is not encoded is refused,
    // as `qagida catalogue` refuses it, never shown as if it were.
    let r = c
        .get(s.url("/ui/example-study-grant/catalogue?lang=en"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .unwrap()
            .contains("is not encoded (provision `annex1`)")
    );
    // A catalogue the policy does not have is said, as the command line
    // says it, never shown as "no catalogue".
    let r = c
        .get(s.url("/ui/kz-order-503/catalogue?name=nope"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().unwrap().contains("has no catalogue `nope`"));
}

#[test]
fn what_a_form_sends_is_shown_as_text_never_as_markup() {
    let s = Server::start(&[]);
    let c = reqwest::blocking::Client::new();
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let r = c
        .post(s.url("/ui/kz-order-503/try?lang=en"))
        .form(&[
            ("service", "issue"),
            ("submitted_at", "2021-03-15T10:00"),
            ("profession", hostile),
            ("applicant.full_name", hostile),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().unwrap();
    assert!(
        !body.contains("<script>alert") && !body.contains("<img src=x"),
        "{body}"
    );
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // A field sent twice is refused, never its last value taken.
    let r = c
        .post(s.url("/ui/kz-order-503/try?lang=en"))
        .form(&[("qualification_level", "7"), ("qualification_level", "8")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .unwrap()
            .contains("the field `qualification_level` is sent twice")
    );
    // A pasted application is text too.
    let r = c
        .post(s.url("/ui/kz-order-503/try?lang=en"))
        .form(&[(
            "application_text",
            format!("service: \"{hostile}\"").as_str(),
        )])
        .send()
        .unwrap();
    let body = r.text().unwrap();
    assert!(!body.contains("<script>alert"), "{body}");
    // A form over the limit is refused whole.
    let big = "x".repeat(2 << 20);
    let r = c
        .post(s.url("/ui/kz-order-503/try?lang=en"))
        .form(&[("application_text", big.as_str())])
        .send()
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    assert!(r.text().unwrap().contains("larger than the limit"));
}

#[test]
fn a_decision_in_the_workbench_is_eval_s_with_the_command_that_repeats_it() {
    let s = Server::start(&[]);
    let c = reqwest::blocking::Client::new();
    let file = "policies/kz-order-503/examples/issue-grant.yaml";
    let app = std::fs::read_to_string(file).unwrap();
    let r = c
        .post(s.url("/ui/kz-order-503/try?lang=ru"))
        .form(&[("application_text", app.as_str()), ("param.threshold", "6")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().unwrap();
    assert!(body.contains("data-outcome=\"grant\""), "{body}");
    // The text of eval in the same language, escaped as HTML.
    let cli = stdout(&qagida(&[
        "eval",
        "--lang",
        "ru",
        "--param",
        "threshold=6",
        file,
    ]));
    let escaped = cli
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(
        body.contains(escaped.trim_end()),
        "the page lacks eval's text:\n{cli}"
    );
    let hash = stdout(&qagida(&["check"]))
        .lines()
        .find_map(|l| l.strip_prefix("hash: ").map(str::to_string))
        .unwrap();
    assert!(
        body.contains(&format!(
            "qagida eval --policy-hash {hash} --param threshold=6 --lang ru application.json"
        )),
        "no command in the page"
    );
    // Its deadlines on a calendar, the days off shaded.
    assert!(body.contains("class=\"due\"") || body.contains("class=\"off due\""));
    assert!(body.contains("class=\"off\""));
}

#[test]
fn the_impact_page_reports_as_qagida_impact_does() {
    let s = Server::start(&[]);
    let c = reqwest::blocking::Client::new();
    let r = c
        .get(s.url("/ui/kz-order-503/impact?lang=ru"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .unwrap()
            .contains("enctype=\"multipart/form-data\"")
    );
    // The package's corpus (its examples, built in) against the command
    // line over the same applications, in the same order.
    let files: Vec<PathBuf> = yaml_files(&["policies/kz-order-503/examples"])
        .into_iter()
        .map(PathBuf::from)
        .collect();
    let lines: Vec<String> = files.iter().map(|f| json_of(f)).collect();
    let corpus = scratch("impact-corpus").join("corpus.jsonl");
    std::fs::create_dir_all(corpus.parent().unwrap()).unwrap();
    std::fs::write(&corpus, lines.join("\n")).unwrap();
    let (from, to) = ("kz-order-503@order-204", "kz-order-503@order-537");
    let want = stdout(&qagida(&[
        "impact",
        "--from",
        from,
        "--to",
        to,
        "--param",
        "threshold=6",
        "--format",
        "html",
        corpus.to_str().unwrap(),
    ]));
    let form = reqwest::blocking::multipart::Form::new()
        .text("from", from)
        .text("to", to)
        .text("param.threshold", "6");
    let r = c
        .post(s.url("/ui/kz-order-503/impact?lang=en"))
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'none'"), "{csp}");
    assert_eq!(r.text().unwrap(), want);
    // An uploaded corpus instead.
    let upload = std::fs::read("policies/kz-order-503/examples/batch/applications.jsonl").unwrap();
    let want = stdout(&qagida(&[
        "impact",
        "--from",
        from,
        "--to",
        to,
        "--format",
        "html",
        "policies/kz-order-503/examples/batch/applications.jsonl",
    ]));
    let part = reqwest::blocking::multipart::Part::bytes(upload).file_name("applications.jsonl");
    let form = reqwest::blocking::multipart::Form::new()
        .text("from", from)
        .text("to", to)
        .part("corpus", part);
    let r = c
        .post(s.url("/ui/kz-order-503/impact?lang=en"))
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().unwrap(), want);
    // In Kazakh: the report of `qagida impact --lang kk`.
    let want = stdout(&qagida(&[
        "impact",
        "--from",
        from,
        "--to",
        to,
        "--format",
        "html",
        "--lang",
        "kk",
        "policies/kz-order-503/examples/batch/applications.jsonl",
    ]));
    assert!(want.contains("<html lang=\"kk\">") && want.contains("Ауысулар матрицасы"));
    let upload = std::fs::read("policies/kz-order-503/examples/batch/applications.jsonl").unwrap();
    let part = reqwest::blocking::multipart::Part::bytes(upload).file_name("applications.jsonl");
    let form = reqwest::blocking::multipart::Form::new()
        .text("from", from)
        .text("to", to)
        .part("corpus", part);
    let r = c
        .post(s.url("/ui/kz-order-503/impact?lang=kk"))
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(r.text().unwrap(), want);
    // A side that is no edition: said why.
    let form = reqwest::blocking::multipart::Form::new()
        .text("from", "nope")
        .text("to", to);
    let r = c
        .post(s.url("/ui/kz-order-503/impact?lang=en"))
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().unwrap().contains("neither a date"));
}

/// An application as the workbench's form sends it: each leaf under its
/// dotted path; a list of choices as one value each, any other list one
/// item a line.
fn form_of(v: &J, prefix: &str, out: &mut Vec<(String, String)>) {
    match v {
        J::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                form_of(x, &p, out);
            }
        }
        J::Array(items) if items.iter().all(J::is_string) => {
            out.push((format!("{prefix}.given"), "on".into()));
            for i in items {
                out.push((prefix.to_string(), i.as_str().unwrap().to_string()));
            }
        }
        J::Array(items) => {
            let lines: Vec<String> = items.iter().map(J::to_string).collect();
            out.push((prefix.to_string(), lines.join("\n")));
        }
        J::String(s) => out.push((prefix.to_string(), s.clone())),
        J::Null => {}
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

#[test]
fn the_form_of_any_package_decides_as_eval_does() {
    let s = Server::start(&["--policy", EXAMPLE, "--policy", "tests/policies/allowance"]);
    let c = reqwest::blocking::Client::new();
    let mut decided = 0;
    for (id, policy, dir, params) in [
        (
            "example-study-grant",
            EXAMPLE,
            "tests/policies/example/applications",
            vec![("pass_mark", "8")],
        ),
        (
            "example-rent-allowance",
            "tests/policies/allowance",
            "tests/policies/allowance/applications",
            vec![],
        ),
    ] {
        let files: Vec<PathBuf> = yaml_files(&[dir]).into_iter().map(PathBuf::from).collect();
        for file in files {
            let f = file.to_str().unwrap();
            let text = json_of(&file);
            let mut fields = Vec::new();
            form_of(&serde_json::from_str(&text).unwrap(), "", &mut fields);
            let mut args = vec!["eval", "--format", "json", "--policy", policy];
            let settings: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            for (k, v) in &params {
                fields.push((format!("param.{k}"), v.to_string()));
            }
            for p in &settings {
                args.extend(["--param", p]);
            }
            args.push(f);
            let cli = qagida(&args);
            let body = c
                .post(s.url(&format!("/ui/{id}/try?lang=en")))
                .form(&fields)
                .send()
                .unwrap()
                .text()
                .unwrap();
            if cli.status.success() {
                let want: J = serde_json::from_str(&stdout(&cli)).unwrap();
                let outcome = want["outcome"].as_str().unwrap();
                assert!(
                    body.contains(&format!("data-outcome=\"{outcome}\"")),
                    "{f}: not {outcome} in the page:\n{}",
                    body.split("<form").next().unwrap()
                );
                decided += 1;
            } else {
                assert!(
                    body.contains("class=\"errors\""),
                    "{f}: decided in the page, not by eval"
                );
            }
        }
    }
    assert!(decided >= 6, "only {decided} decided");
}

/// A decision's page as a reviewer reads it (in Kazakh), its hash
/// redacted: what changes in it shows in the snapshot's diff.
#[test]
fn a_decision_page_is_reviewed_as_a_snapshot() {
    let s = Server::start(&[]);
    let app = std::fs::read_to_string("policies/kz-order-503/examples/issue-grant.yaml").unwrap();
    let body = reqwest::blocking::Client::new()
        .post(s.url("/ui/kz-order-503/try?lang=kk"))
        .form(&[("application_text", app.as_str()), ("param.threshold", "6")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    let hash = stdout(&qagida(&["check"]))
        .lines()
        .find_map(|l| l.strip_prefix("hash: ").map(str::to_string))
        .unwrap();
    // The decision, up to the form: one element a line, for a readable diff.
    let decision = body.split("<form").next().unwrap().replace(&hash, "[hash]");
    let lines = decision.replace('>', ">\n");
    assert_snapshot!("decision_kk", lines);
}
