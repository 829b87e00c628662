//! `qagida serve` over real HTTP: the binary started on a free loopback
//! port, called with a real client (reqwest, and a raw socket where a
//! request must be held half-sent), compared with the command line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value as J;

use crate::common::*;

const BUILTIN: &str = "kz-order-503";

/// A running `qagida serve`, killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub(crate) fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qagida"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let log = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("stderr");
        let l = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut l = l.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        out.read_line(&mut first).expect("a line");
        let Some(addr) = first.trim().strip_prefix("listening on http://") else {
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            panic!(
                "the server did not start: {first:?}\n{}",
                log.lock().unwrap()
            );
        };
        Server {
            addr: addr.to_string(),
            child,
            log,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args(["-s", sig, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(ok.success());
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits for the process to end by itself.
    fn wait(&mut self, within: Duration) -> std::process::ExitStatus {
        let end = Instant::now() + within;
        loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                return s;
            }
            assert!(
                Instant::now() < end,
                "the server did not stop:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a client")
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> J {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no header {name}: {:?}", self.headers))
    }
}

fn answer(r: reqwest::blocking::Response) -> Answer {
    Answer {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.text().expect("a body"),
    }
}

fn get(s: &Server, path: &str) -> Answer {
    answer(client().get(s.url(path)).send().expect("a response"))
}

fn post(s: &Server, path: &str, body: impl Into<reqwest::blocking::Body>) -> Answer {
    answer(
        client()
            .post(s.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .expect("a response"),
    )
}

/// An application file (YAML or JSON) as JSON text, its numbers' digits as
/// written.
pub(crate) fn json_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut data = qagida::core::yaml::value(&text).unwrap();
    qagida::core::yaml::keep_digits(&mut data, &text);
    qagida::core::json::Json::of_data(&data).to_string()
}

/// The HTTP status documented for a command line's exit status.
fn status_of_exit(exit: i32) -> u16 {
    match exit {
        2 | 4 => 400,
        1 | 5 | 7 | 8 | 9 => 422,
        6 => 500,
        other => panic!("no status for exit {other}"),
    }
}

/// The applications of each package, with the folder to give --policy.
fn examples() -> Vec<(Option<&'static str>, std::path::PathBuf)> {
    let mut out = Vec::new();
    for (policy, dir) in [
        (None, "policies/kz-order-503/examples"),
        (Some(EXAMPLE), "tests/policies/example/applications"),
        (
            Some("tests/policies/allowance"),
            "tests/policies/allowance/applications",
        ),
    ] {
        let files: Vec<PathBuf> = yaml_files(&[dir]).into_iter().map(PathBuf::from).collect();
        out.extend(files.into_iter().map(|f| (policy, f)));
    }
    out
}

fn all_packages() -> Server {
    Server::start(&[
        "--builtin",
        "--policy",
        EXAMPLE,
        "--policy",
        "tests/policies/allowance",
    ])
}

fn id_of(policy: Option<&str>) -> &'static str {
    match policy {
        None => BUILTIN,
        Some(EXAMPLE) => "example-study-grant",
        Some(_) => "example-rent-allowance",
    }
}

#[test]
fn every_example_is_decided_as_qagida_eval_decides_it() {
    let s = all_packages();
    let ids: Vec<String> = get(&s, "/v1/policies").json()["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [BUILTIN, "example-study-grant", "example-rent-allowance"]
    );
    let mut decided = 0;
    for (policy, file) in examples() {
        let f = file.to_str().unwrap();
        let mut args = vec!["eval", "--format", "json", f];
        if let Some(p) = policy {
            args.extend(["--policy", p]);
        }
        let cli = qagida(&args);
        let body = format!("{{\"application\": {}}}", json_of(&file));
        let got = post(&s, &format!("/v1/policies/{}/decide", id_of(policy)), body);
        match cli.status.code() {
            Some(0) => {
                assert_eq!(got.status, 200, "{f}: {}", got.body);
                let want: J = serde_json::from_str(&stdout(&cli)).unwrap();
                assert_eq!(got.json(), want, "{f}");
                // The members in the contract's order, too.
                let keys = |v: &J| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
                assert_eq!(keys(&got.json()), keys(&want), "{f}");
                decided += 1;
            }
            Some(exit) => {
                assert_eq!(got.status, status_of_exit(exit), "{f}: {}", got.body);
                assert_eq!(got.json()["error"]["exit"], exit, "{f}");
            }
            None => panic!("eval was killed"),
        }
    }
    assert!(decided >= 15, "only {decided} examples were decided");
}

#[test]
fn every_policy_case_is_decided_as_the_engine_decides_it() {
    use qagida::engine::{Application, At, Request, Setting};
    let s = all_packages();
    let mut compared = 0;
    for (policy, dir) in [
        (None, "policies/kz-order-503"),
        (Some(EXAMPLE), EXAMPLE),
        (Some("tests/policies/allowance"), "tests/policies/allowance"),
    ] {
        let plan = match policy {
            None => qagida::Plan::new(qagida::policy::embedded::default_policy().unwrap().policy),
            Some(p) => crate::common::policy(p),
        };
        let files: Vec<PathBuf> =
            yaml_files(&[&Path::new(dir).join("tests").display().to_string()])
                .into_iter()
                .map(PathBuf::from)
                .collect();
        for file in files {
            for case in qagida::engine::testing::asked_in_file(&file).unwrap() {
                let Ok(case) = case else { continue };
                let mut body = format!(
                    "{{\"application\": {}",
                    qagida::core::json::Json::of_data(&case.application)
                );
                if let Some(at) = &case.at {
                    body += &format!(", \"at\": {}", serde_json::to_string(at).unwrap());
                }
                if !case.params.is_empty() {
                    let params: Vec<String> = case
                        .params
                        .iter()
                        .map(|(k, v)| {
                            format!(
                                "{}: {}",
                                serde_json::to_string(k).unwrap(),
                                qagida::core::json::Json::of_data(v)
                            )
                        })
                        .collect();
                    body += &format!(", \"params\": {{{}}}", params.join(", "));
                }
                body += "}";
                let got = post(&s, &format!("/v1/policies/{}/decide", id_of(policy)), body);
                let request = Request {
                    at: At::parse_opt(case.at.as_deref()).unwrap(),
                    params: case
                        .params
                        .iter()
                        .map(|(k, v)| Setting::Value(k.clone(), v.clone()))
                        .collect(),
                    trace: false,
                };
                let want = plan.decide(
                    Application::Data {
                        data: &case.application,
                        name: "case",
                    },
                    &request,
                );
                let place = format!("{}: {}", file.display(), case.name);
                match want {
                    Ok(r) => {
                        assert_eq!(got.status, 200, "{place}: {}", got.body);
                        let want: J = serde_json::from_str(
                            &qagida::engine::contract::to_json(&plan, &r).to_pretty(),
                        )
                        .unwrap();
                        assert_eq!(got.json(), want, "{place}");
                    }
                    Err(e) => {
                        let exit = qagida::cli::Exit::from(&e) as i32;
                        assert_eq!(got.status, status_of_exit(exit), "{place}: {}", got.body);
                        assert_eq!(got.json()["error"]["exit"], exit, "{place}");
                    }
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} cases were compared");
}

#[test]
fn a_batch_streams_the_records_qagida_batch_writes() {
    let s = Server::start(&[]);
    let input = "policies/kz-order-503/examples/batch/applications.jsonl";
    for (query, args) in [
        ("", vec![]),
        (
            "?at=2021-03-15&param=threshold%3D6",
            vec!["--at", "2021-03-15", "--param", "threshold=6"],
        ),
    ] {
        let mut cli = vec!["batch", "-o", "-", input];
        cli.extend(args);
        let want = stdout(&qagida(&cli));
        let got = post(
            &s,
            &format!("/v1/policies/{BUILTIN}/batch{query}"),
            std::fs::read(input).unwrap(),
        );
        assert_eq!(got.status, 200, "{}", got.body);
        assert_eq!(got.header("content-type"), "application/x-ndjson");
        assert!(got.header("qagida-policy-hash").starts_with("sha256:"));
        assert_eq!(got.body, want, "the records of `qagida batch {query}`");
    }
    // A body of unknown length, sent in small chunks as it is made, and a
    // line that is not JSON: every line has its record, in order.
    let text = std::fs::read_to_string(input).unwrap();
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.insert(1, "{not json");
    let body = lines.join("\n") + "\n";
    struct Slow(std::io::Cursor<Vec<u8>>);
    impl Read for Slow {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(97);
            self.0.read(&mut buf[..n])
        }
    }
    let r = client()
        .post(s.url(&format!("/v1/policies/{BUILTIN}/batch")))
        .body(reqwest::blocking::Body::new(Slow(std::io::Cursor::new(
            body.into_bytes(),
        ))))
        .send()
        .unwrap();
    let got = answer(r);
    assert_eq!(got.status, 200);
    let records: Vec<J> = got
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), lines.len());
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["line"], i + 1);
    }
    assert!(records[1]["error"].as_str().unwrap().contains("not JSON"));
}

#[test]
fn the_documents_are_those_of_the_command_line() {
    let s = Server::start(&[]);
    for (path, args) in [
        ("editions", vec!["editions", "--format", "json"]),
        (
            "consolidate?at=2019-06-01",
            vec!["consolidate", "--format", "json", "--at", "2019-06-01"],
        ),
        (
            "diff?from=2017-06-01&to=2021-06-01",
            vec![
                "diff",
                "--format",
                "json",
                "--from",
                "2017-06-01",
                "--to",
                "2021-06-01",
            ],
        ),
        (
            "catalogue?at=2021-06-01",
            vec!["catalogue", "--format", "json", "--at", "2021-06-01"],
        ),
        (
            "catalogue?at=2021-06-01&q=%D0%B4%D3%99%D1%80%D1%96%D0%B3%D0%B5%D1%80",
            vec![
                "catalogue",
                "--format",
                "json",
                "--at",
                "2021-06-01",
                "дәрігер",
            ],
        ),
        (
            "catalogue?at=2021-06-01&format=text&lang=ru",
            vec!["catalogue", "--at", "2021-06-01", "--lang", "ru"],
        ),
        ("schema/input", vec!["schema", "input"]),
    ] {
        let want = qagida(&args);
        assert!(want.status.success(), "{args:?}: {}", stderr(&want));
        let got = get(&s, &format!("/v1/policies/{BUILTIN}/{path}"));
        assert_eq!(got.status, 200, "{path}: {}", got.body);
        assert_eq!(got.body, stdout(&want), "{path}");
    }
    let one = get(&s, &format!("/v1/policies/{BUILTIN}")).json();
    assert_eq!(one["id"], BUILTIN);
    assert_eq!(one["editions"].as_array().unwrap().len(), 4);
    assert_eq!(get(&s, "/healthz").json()["status"], "ok");
    assert_eq!(get(&s, "/readyz").json()["status"], "ready");
}

#[test]
fn the_openapi_document_describes_every_route_and_error() {
    let s = Server::start(&[]);
    let doc = get(&s, "/v1/openapi.json").json();
    assert_eq!(doc["openapi"].as_str().unwrap().chars().next(), Some('3'));
    let paths = doc["paths"].as_object().unwrap();
    let mut listed: Vec<&str> = paths.keys().map(String::as_str).collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            "/healthz",
            "/metrics",
            "/readyz",
            "/v1/admin/reload",
            "/v1/policies",
            "/v1/policies/{id}",
            "/v1/policies/{id}/batch",
            "/v1/policies/{id}/catalogue",
            "/v1/policies/{id}/consolidate",
            "/v1/policies/{id}/decide",
            "/v1/policies/{id}/diff",
            "/v1/policies/{id}/editions",
            "/v1/policies/{id}/explain",
            "/v1/policies/{id}/schema/input",
        ]
    );
    let decide = &paths["/v1/policies/{id}/decide"]["post"];
    let statuses: Vec<&str> = decide["responses"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        statuses,
        ["200", "400", "404", "409", "413", "422", "500", "503"]
    );
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "DecideRequest",
        "Decision",
        "ErrorBody",
        "Explanation",
        "Receipt",
        "PolicyList",
    ] {
        assert!(schemas.contains_key(name), "no schema {name}");
    }
    // The request's members are those the server reads.
    let members: Vec<&str> = schemas["DecideRequest"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        members,
        ["application", "at", "params", "overlay", "policy_hash"]
    );
    let body = format!(
        "{{\"application\": {}, \"at\": \"2021-03-15\", \"params\": {{\"threshold\": 6}}, \"overlay\": {{\"parameters\": {{}}}}, \"policy_hash\": null}}",
        json_of(Path::new("policies/kz-order-503/examples/issue-grant.yaml"))
    );
    let got = post(&s, &format!("/v1/policies/{BUILTIN}/decide"), body);
    assert_eq!(got.status, 200, "{}", got.body);
    // The decision's members are the contract's.
    let decision: Vec<&str> = schemas["Decision"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let got = got.json();
    let returned: Vec<&str> = got
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for m in &decision {
        assert!(returned.contains(m), "the decision has no `{m}`");
    }
}

/// Posts `body` to decide and checks the error: its status, code, exit
/// status, and the request id in the body and the header.
fn refused(s: &Server, path: &str, body: &str, status: u16, code: &str) -> J {
    let got = post(s, path, body.to_string());
    assert_eq!(got.status, status, "{path} {body}: {}", got.body);
    assert_eq!(got.header("content-type"), "application/json");
    let e = got.json();
    assert_eq!(e["error"]["code"], code, "{}", got.body);
    assert_eq!(e["error"]["status"], status);
    assert_eq!(e["error"]["request_id"], got.header("x-request-id"));
    assert!(!e["error"]["message"].as_str().unwrap().is_empty());
    e["error"].clone()
}

#[test]
fn each_error_has_its_status_code_and_place() {
    let s = all_packages();
    let decide = format!("/v1/policies/{BUILTIN}/decide");
    let app = json_of(Path::new("policies/kz-order-503/examples/issue-grant.yaml"));
    // Not JSON; not a request; not UTF-8.
    let e = refused(&s, &decide, "{\"application\": ", 400, "malformed");
    assert_eq!(e["exit"], 4);
    assert_eq!(e["diagnostics"][0]["line"], 1);
    let e = refused(&s, &decide, "{\"aplication\": {}}", 400, "malformed");
    assert!(e["message"].as_str().unwrap().contains("aplication"), "{e}");
    refused(&s, &decide, "{\"at\": \"2021-01-01\"}", 400, "malformed");
    let got = post(&s, &decide, vec![b'{', 0xFF, b'}']);
    assert_eq!(got.status, 400);
    assert_eq!(got.json()["error"]["code"], "malformed");
    // A field of the wrong type, said at its line and column in the body.
    let body = format!(
        "{{\n  \"at\": \"2021-03-15\",\n  \"application\": {}\n}}",
        app.replace(
            "\"qualification_level\":7",
            "\"qualification_level\":\"seven\""
        )
    );
    let e = refused(&s, &decide, &body, 422, "input");
    assert_eq!(e["exit"], 5);
    let d = &e["diagnostics"][0];
    assert_eq!(d["file"], "body");
    assert_eq!(d["line"], 3);
    let line = body.lines().nth(2).unwrap();
    let col = line[..line.find("\"seven\"").unwrap()].chars().count() + 1;
    assert_eq!(d["column"], col);
    // A profession the List does not have, with the closest name.
    let body = format!(
        "{{\"application\": {}}}",
        app.replace("Онколог дәрігер", "Онколог дәріге")
    );
    let e = refused(&s, &decide, &body, 422, "unknown-entry");
    assert_eq!(e["exit"], 8);
    assert!(
        e["diagnostics"][0]["help"]
            .as_str()
            .unwrap()
            .contains("Онколог дәрігер")
    );
    // An unknown parameter, a parameter of the wrong type.
    let e = refused(
        &s,
        &decide,
        &format!("{{\"application\": {app}, \"params\": {{\"treshold\": 6}}}}"),
        422,
        "params",
    );
    assert_eq!(e["exit"], 1);
    refused(
        &s,
        &decide,
        &format!("{{\"application\": {app}, \"params\": {{\"threshold\": \"six\"}}}}"),
        422,
        "params",
    );
    // A parameter given twice: refused, never the last kept.
    let e = refused(
        &s,
        &decide,
        &format!("{{\"application\": {app}, \"params\": {{\"threshold\": 6, \"threshold\": 7}}}}"),
        422,
        "params",
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("given twice: 6, then 7"),
        "{e}"
    );
    // Dates: not a date; outside the act; none at all.
    refused(
        &s,
        &decide,
        &format!("{{\"application\": {app}, \"at\": \"2021-02-30\"}}"),
        400,
        "usage",
    );
    let e = refused(
        &s,
        &decide,
        &format!("{{\"application\": {app}, \"at\": \"2024-01-01\"}}"),
        422,
        "out-of-force",
    );
    assert_eq!(e["exit"], 7);
    // The evaluation date needs a parameter left without a value.
    let grant = json_of(Path::new("tests/policies/example/applications/grant.yaml"));
    let e = refused(
        &s,
        "/v1/policies/example-study-grant/decide",
        &format!("{{\"application\": {grant}, \"params\": {{\"evening_cutoff\": null}}}}"),
        400,
        "usage",
    );
    assert!(e["message"].as_str().unwrap().contains("no date"), "{e}");
    // The policy fails while evaluating: a division by zero.
    let allowance = json_of(Path::new(
        "tests/policies/allowance/applications/grant.yaml",
    ))
    .replace("\"household\":3", "\"household\":0");
    let e = refused(
        &s,
        "/v1/policies/example-rent-allowance/decide",
        &format!("{{\"application\": {allowance}}}"),
        500,
        "evaluation",
    );
    assert_eq!(e["exit"], 6);
    // No such policy; no such route; the wrong method.
    let e = refused(&s, "/v1/policies/nope/decide", "{}", 404, "unknown-policy");
    assert!(
        e["diagnostics"][0]["help"]
            .as_str()
            .unwrap()
            .contains(BUILTIN)
    );
    refused(&s, "/v1/nothing", "{}", 404, "not-found");
    let got = get(&s, &decide);
    assert_eq!(got.status, 405);
    assert_eq!(got.json()["error"]["code"], "method-not-allowed");
    // A package that is not the one asked for.
    let e = refused(
        &s,
        &decide,
        &format!("{{\"application\": {app}, \"policy_hash\": \"sha256:00\"}}"),
        409,
        "policy-hash",
    );
    assert!(e["message"].as_str().unwrap().contains("sha256:00"));
    // Queries: unknown, twice, missing, a language the policy lacks.
    for (path, code) in [
        ("editions?x=1", 400),
        ("consolidate", 400),
        ("consolidate?at=2019-01-01&at=2019-01-02", 400),
        ("consolidate?at=2030-01-01", 422),
        ("diff?from=2019-01-01", 400),
        ("catalogue?lang=de", 400),
        ("catalogue?name=nope", 400),
        ("catalogue?format=pdf", 400),
    ] {
        let got = get(&s, &format!("/v1/policies/{BUILTIN}/{path}"));
        assert_eq!(got.status, code, "{path}: {}", got.body);
        assert!(got.json()["error"]["code"].is_string());
    }
}

#[test]
fn a_body_beyond_the_limit_is_refused_whole() {
    let s = Server::start(&["--max-body", "2000", "--max-batch-body", "1000"]);
    let app = json_of(Path::new("policies/kz-order-503/examples/issue-grant.yaml"));
    let big = format!(
        "{{\"application\": {app}, \"at\": \"{}\"}}",
        "x".repeat(3000)
    );
    let e = refused(
        &s,
        &format!("/v1/policies/{BUILTIN}/decide"),
        &big,
        413,
        "too-large",
    );
    assert!(e["message"].as_str().unwrap().contains("2000 bytes"));
    let lines = std::fs::read("policies/kz-order-503/examples/batch/applications.jsonl").unwrap();
    assert!(lines.len() > 1000);
    let got = post(&s, &format!("/v1/policies/{BUILTIN}/batch"), lines);
    assert_eq!(got.status, 413);
    assert_eq!(got.json()["error"]["code"], "too-large");
}

/// Sends a request's head and the first part of its body, and holds it.
fn half_sent(s: &Server, path: &str, body: &[u8]) -> TcpStream {
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(
        c,
        "POST {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        s.addr,
        body.len()
    )
    .unwrap();
    c.write_all(&body[..body.len() / 2]).unwrap();
    c.flush().unwrap();
    c
}

/// Reads a whole HTTP/1.1 response of a connection that closes after it
/// (or whose body has a length): the status and the body.
fn read_response(c: &mut TcpStream) -> (u16, String) {
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut r = BufReader::new(c);
    let head = read_head(&mut r);
    (head.status, read_body(&mut r, &head))
}

/// A response's head, as read.
struct Head {
    status: u16,
    length: Option<usize>,
    chunked: bool,
}

fn read_head(r: &mut impl BufRead) -> Head {
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let status: u16 = line.split(' ').nth(1).unwrap().parse().unwrap();
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        let h = h.trim_end().to_ascii_lowercase();
        if h.is_empty() {
            break;
        }
        if let Some(n) = h.strip_prefix("content-length: ") {
            length = n.parse::<usize>().ok();
        }
        chunked |= h == "transfer-encoding: chunked";
    }
    Head {
        status,
        length,
        chunked,
    }
}

fn read_body(r: &mut impl BufRead, head: &Head) -> String {
    let mut body = Vec::new();
    if head.chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim(), 16)
                .unwrap_or_else(|e| panic!("not a chunk's size ({e}): {size:?} after {body:?}"));
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = head.length {
        body.resize(n, 0);
        r.read_exact(&mut body).unwrap();
    } else {
        r.read_to_end(&mut body).unwrap();
    }
    String::from_utf8(body).unwrap()
}

/// A chunked body whole, or `None` when it ends before its last chunk.
fn dechunk(mut raw: &[u8]) -> Option<String> {
    let mut body = Vec::new();
    loop {
        let end = raw.windows(2).position(|w| w == b"\r\n")?;
        let n = usize::from_str_radix(std::str::from_utf8(&raw[..end]).ok()?.trim(), 16).ok()?;
        raw = &raw[end + 2..];
        if n == 0 {
            return String::from_utf8(body).ok();
        }
        body.extend_from_slice(raw.get(..n)?);
        raw = raw.get(n + 2..)?;
    }
}

/// Waits until `n` requests besides the one that asks are in flight, as
/// the metrics count them: a request held half-sent is then in its
/// handler, whatever the machine's load.
fn in_flight(s: &Server, n: u64) {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        let m = get(s, "/metrics").body;
        let now = m
            .lines()
            .find_map(|l| l.strip_prefix("qagida_http_requests_in_flight "))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0);
        if now > n {
            return;
        }
        assert!(Instant::now() < end, "never {n} requests in flight:\n{m}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn beyond_the_requests_in_flight_a_503_says_when_to_retry_and_a_slow_request_times_out() {
    let s = Server::start(&["--max-in-flight", "1", "--timeout", "1"]);
    let app = json_of(Path::new("policies/kz-order-503/examples/issue-grant.yaml"));
    let body = format!("{{\"application\": {app}}}");
    let decide = format!("/v1/policies/{BUILTIN}/decide");
    let mut held = half_sent(&s, &decide, body.as_bytes());
    in_flight(&s, 1);
    let got = post(&s, &decide, body.clone());
    assert_eq!(got.status, 503, "{}", got.body);
    assert_eq!(got.json()["error"]["code"], "overloaded");
    assert_eq!(got.header("retry-after"), "1");
    // Health and metrics answer all the same.
    assert_eq!(get(&s, "/healthz").status, 200);
    assert_eq!(get(&s, "/metrics").status, 200);
    // The request held is answered once its time is up.
    let (status, text) = read_response(&mut held);
    assert_eq!(status, 503, "{text}");
    let e: J = serde_json::from_str(&text).unwrap();
    assert_eq!(e["error"]["code"], "timeout");
    // And the service takes requests again.
    assert_eq!(post(&s, &decide, body).status, 200);
    let metrics = get(&s, "/metrics").body;
    assert!(
        metrics.contains("qagida_errors_total{code=\"overloaded\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("qagida_errors_total{code=\"timeout\"} 1"),
        "{metrics}"
    );
}

/// A decision of the example package: its outcome, and the package's hash.
fn decide_example(base: &str, client: &reqwest::blocking::Client) -> (u16, String, String) {
    let app = json_of(Path::new("tests/policies/example/applications/grant.yaml"));
    let r = client
        .post(format!("{base}/v1/policies/example-study-grant/decide"))
        .body(format!("{{\"application\": {app}}}"))
        .send()
        .unwrap();
    let hash = r
        .headers()
        .get("qagida-policy-hash")
        .map(|h| h.to_str().unwrap().to_string())
        .unwrap_or_default();
    let status = r.status().as_u16();
    let v: J = r.json().unwrap();
    (
        status,
        v["outcome"].as_str().unwrap_or("").to_string(),
        hash,
    )
}

/// A copy of the example package under `root`, its calendars beside it
/// as the package names them, to be edited.
fn example_copy(root: &Path) -> PathBuf {
    let dir = root.join("example");
    copy_tree(Path::new(EXAMPLE), &dir);
    copy_tree(
        Path::new("tests/policies/calendars"),
        &root.join("calendars"),
    );
    dir
}

fn hash_of(s: &Server, id: &str) -> String {
    get(s, &format!("/v1/policies/{id}")).json()["hash"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_reload_swaps_in_a_package_that_checks_and_keeps_the_old_one_otherwise() {
    let root = scratch("serve-reload");
    let dir = example_copy(&root);
    let s = Server::start(&["--policy", dir.to_str().unwrap()]);
    let first = hash_of(&s, "example-study-grant");
    // Requests run all along; none may fail.
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let load = {
        let (stop, seen, base) = (stop.clone(), seen.clone(), s.url(""));
        std::thread::spawn(move || {
            let c = client();
            while !stop.load(Ordering::SeqCst) {
                seen.lock().unwrap().push(decide_example(&base, &c));
            }
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    let policy = dir.join("policy.yaml");
    let text = std::fs::read_to_string(&policy).unwrap();
    // An edit that checks: the package is replaced.
    std::fs::write(&policy, format!("{text}\n# edited\n")).unwrap();
    let got = post(&s, "/v1/admin/reload", "");
    assert_eq!(got.status, 200, "{}", got.body);
    let r = got.json();
    assert_eq!(r["packages"][0]["status"], "replaced");
    assert_eq!(r["generation"], 1);
    let second = hash_of(&s, "example-study-grant");
    assert_ne!(first, second);
    assert_eq!(r["packages"][0]["hash"], second.as_str());
    // The same files again: unchanged.
    let got = post(&s, "/v1/admin/reload", "");
    assert_eq!(got.json()["packages"][0]["status"], "unchanged");
    // An edit that does not check: the old package keeps serving, and the
    // diagnostics say where.
    std::fs::write(&policy, text.replacen("outcomes:", "outcomes: [", 1)).unwrap();
    let got = post(&s, "/v1/admin/reload", "");
    assert_eq!(got.status, 422, "{}", got.body);
    let r = got.json();
    assert_eq!(r["packages"][0]["status"], "failed");
    let d = &r["packages"][0]["diagnostics"][0];
    assert!(d["file"].as_str().unwrap().ends_with("policy.yaml"), "{d}");
    assert!(d["line"].as_u64().unwrap() > 0, "{d}");
    assert_eq!(hash_of(&s, "example-study-grant"), second);
    assert!(s.log().contains("did not check"), "{}", s.log());
    // SIGHUP reloads too.
    std::fs::write(&policy, &text).unwrap();
    s.signal("HUP");
    let end = Instant::now() + Duration::from_secs(20);
    while hash_of(&s, "example-study-grant") != first {
        assert!(Instant::now() < end, "SIGHUP did not reload:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::SeqCst);
    load.join().unwrap();
    let seen = seen.lock().unwrap();
    assert!(seen.len() > 5, "only {} requests ran", seen.len());
    let hashes: std::collections::BTreeSet<&str> = seen.iter().map(|x| x.2.as_str()).collect();
    for (status, outcome, hash) in seen.iter() {
        assert_eq!(*status, 200);
        assert!(!outcome.is_empty());
        assert!(hash == &first || hash == &second, "{hash}");
    }
    assert!(hashes.contains(first.as_str()));
    let metrics = get(&s, "/metrics").body;
    assert!(
        metrics.contains("qagida_reloads_total{result=\"failed\"} 1"),
        "{metrics}"
    );
}

#[test]
fn sigterm_finishes_the_requests_in_flight_and_takes_no_more() {
    let mut s = Server::start(&[]);
    let input = std::fs::read("policies/kz-order-503/examples/batch/applications.jsonl").unwrap();
    let mut held = half_sent(&s, &format!("/v1/policies/{BUILTIN}/batch"), &input);
    // The batch's head comes at once: it is in flight.
    held.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = BufReader::new(held.try_clone().unwrap());
    let head = read_head(&mut reader);
    assert_eq!(head.status, 200);
    s.signal("TERM");
    // No new connection is taken.
    let end = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(&s.addr).is_ok() {
        assert!(Instant::now() < end, "the server still takes connections");
        std::thread::sleep(Duration::from_millis(20));
    }
    held.write_all(&input[input.len() / 2..]).unwrap();
    // The server closes the connection after this response (it keeps
    // none alive while it stops): all of it, then the end.
    let mut raw = Vec::new();
    let _ = reader.read_to_end(&mut raw);
    assert!(head.chunked);
    let body = dechunk(&raw).unwrap_or_else(|| {
        panic!(
            "the response was cut off: {:?}\n{}",
            String::from_utf8_lossy(&raw),
            s.log()
        )
    });
    let want = stdout(&qagida(&[
        "batch",
        "-o",
        "-",
        "policies/kz-order-503/examples/batch/applications.jsonl",
    ]));
    assert_eq!(body, want);
    let status = s.wait(Duration::from_secs(20));
    assert!(status.success(), "{status:?}\n{}", s.log());
    assert!(s.log().contains("shutting down"), "{}", s.log());
}

#[test]
fn every_decision_carries_a_receipt_that_reruns_it() {
    let s = Server::start(&[]);
    let file = "policies/kz-order-503/examples/issue-grant.yaml";
    let body = format!(
        "{{\"application\": {}, \"params\": {{\"threshold\": 6}}}}",
        json_of(Path::new(file))
    );
    let got = post(&s, &format!("/v1/policies/{BUILTIN}/decide"), body.clone());
    assert_eq!(got.status, 200);
    let hash = got.header("qagida-policy-hash").to_string();
    let check = stdout(&qagida(&["check"]));
    assert!(check.contains(&format!("hash: {hash}")), "{check}");
    assert_eq!(
        got.header("qagida-engine"),
        format!("qagida {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(got.header("qagida-edition"), got.json()["edition"]);
    assert_eq!(hash_of(&s, BUILTIN), hash);
    // The same decision from the command line, under the same package.
    let cli = qagida(&[
        "eval",
        "--format",
        "json",
        "--param",
        "threshold=6",
        "--policy-hash",
        &hash,
        file,
    ]);
    assert!(cli.status.success(), "{}", stderr(&cli));
    let want: J = serde_json::from_str(&stdout(&cli)).unwrap();
    assert_eq!(got.json(), want);
    // explain: the receipt in its body, the trace, the text in a language.
    let got = post(&s, &format!("/v1/policies/{BUILTIN}/explain?lang=kk"), body);
    assert_eq!(got.status, 200, "{}", got.body);
    let e = got.json();
    assert_eq!(e["receipt"]["policy_hash"], hash.as_str());
    assert_eq!(e["receipt"]["edition"], want["edition"]);
    assert_eq!(e["decision"], want);
    let trace = e["trace"].as_array().unwrap();
    assert!(
        trace
            .iter()
            .any(|s| s["name"] == "score" && s["result"] == 11)
    );
    assert!(trace.iter().all(|s| s["cite"].is_string()));
    let text = stdout(&qagida(&[
        "explain",
        "--lang",
        "kk",
        "--param",
        "threshold=6",
        file,
    ]));
    assert_eq!(e["text"], text.as_str());
}

#[test]
fn metrics_and_logs_count_and_name_every_request() {
    let s = Server::start(&["--log-format", "json"]);
    let app = json_of(Path::new("policies/kz-order-503/examples/issue-grant.yaml"));
    let r = client()
        .post(s.url(&format!("/v1/policies/{BUILTIN}/decide")))
        .header("x-request-id", "case-42")
        .body(format!(
            "{{\"application\": {app}, \"params\": {{\"threshold\": 6}}}}"
        ))
        .send()
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "case-42");
    assert_eq!(r.status(), 200);
    refused(
        &s,
        &format!("/v1/policies/{BUILTIN}/decide"),
        "[]",
        400,
        "malformed",
    );
    let m = get(&s, "/metrics").body;
    for want in [
        "qagida_decisions_total{policy=\"kz-order-503\",outcome=\"grant\"} 1",
        "qagida_http_requests_total{route=\"/v1/policies/{id}/decide\",method=\"POST\",status=\"200\"} 1",
        "qagida_http_requests_total{route=\"/v1/policies/{id}/decide\",method=\"POST\",status=\"400\"} 1",
        "qagida_errors_total{code=\"malformed\"} 1",
        "qagida_http_request_duration_seconds_count{route=\"/v1/policies/{id}/decide\"} 2",
        "qagida_policy_info{policy=\"kz-order-503\",hash=\"sha256:",
        "# EOF",
    ] {
        assert!(m.contains(want), "no `{want}` in\n{m}");
    }
    // Each log line is JSON; the request's lines carry its id.
    std::thread::sleep(Duration::from_millis(100));
    let log = s.log();
    let lines: Vec<J> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let ours: Vec<&J> = lines
        .iter()
        .filter(|l| l["span"]["id"] == "case-42")
        .collect();
    assert!(!ours.is_empty(), "{log}");
    assert!(ours.iter().any(|l| l["status"] == 200), "{log}");
    let bad = lines
        .iter()
        .find(|l| l["code"] == "malformed")
        .unwrap_or_else(|| panic!("the error is not logged: {log}"));
    assert_eq!(bad["level"], "WARN");
}

#[test]
fn a_bad_start_is_refused_with_its_status() {
    // A package that does not load: exit 1, its diagnostics.
    let o = qagida(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--policy",
        "tests/policies/broken/cycle.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The same policy twice.
    let o = qagida(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--policy",
        EXAMPLE,
        "--policy",
        EXAMPLE,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("serves each policy once"),
        "{}",
        stderr(&o)
    );
    // An address in use: exit 3.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let o = qagida(&["serve", "--listen", &addr]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot listen"), "{}", stderr(&o));
}

#[test]
fn a_request_in_flight_finishes_on_the_package_it_started_with() {
    let root = scratch("serve-in-flight");
    let dir = example_copy(&root);
    let s = Server::start(&["--policy", dir.to_str().unwrap()]);
    let before = hash_of(&s, "example-study-grant");
    let app = json_of(Path::new("tests/policies/example/applications/grant.yaml"));
    let body = format!("{{\"application\": {app}}}");
    // Its head is in, so it has its package; its body is half sent.
    let mut held = half_sent(
        &s,
        "/v1/policies/example-study-grant/decide",
        body.as_bytes(),
    );
    in_flight(&s, 1);
    let policy = dir.join("policy.yaml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, format!("{text}\n# amended\n")).unwrap();
    let got = post(&s, "/v1/admin/reload", "");
    assert_eq!(got.json()["packages"][0]["status"], "replaced");
    let after = hash_of(&s, "example-study-grant");
    assert_ne!(before, after);
    held.write_all(&body.as_bytes()[body.len() / 2..]).unwrap();
    // The response's head: its receipt names the package it started on.
    held.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut r = BufReader::new(&mut held);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        head.push_str(&line);
    }
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.contains(&format!("qagida-policy-hash: {before}")),
        "{head}"
    );
    // A request begun after the reload has the new package.
    let (_, _, hash) = decide_example(&s.url(""), &client());
    assert_eq!(hash, after);
}

#[test]
fn batches_beyond_the_limit_wait_their_turn_and_a_stalled_one_is_cut_short() {
    let s = Server::start(&["--max-batches", "1", "--timeout", "1"]);
    let input = std::fs::read("policies/kz-order-503/examples/batch/applications.jsonl").unwrap();
    let batch = format!("/v1/policies/{BUILTIN}/batch");
    // One batch holds the only place: its body stalls half way.
    let held = half_sent(&s, &batch, &input);
    // Its head comes once it has the place.
    held.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = BufReader::new(held.try_clone().unwrap());
    assert_eq!(read_head(&mut reader).status, 200);
    let got = post(&s, &batch, input.clone());
    assert_eq!(got.status, 503, "{}", got.body);
    assert_eq!(got.json()["error"]["code"], "overloaded");
    assert_eq!(got.header("retry-after"), "1");
    // The stalled batch's response ends short: its chunked body is cut
    // off, never ended as if it were whole.
    let mut raw = Vec::new();
    let _ = reader.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw);
    assert!(!raw.ends_with("0\r\n\r\n"), "the body looks whole: {raw}");
    // Its place is free again.
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let got = post(&s, &batch, input.clone());
        if got.status == 200 {
            let sent = String::from_utf8_lossy(&input);
            let lines = sent.lines().filter(|l| !l.trim().is_empty()).count();
            assert_eq!(got.body.lines().count(), lines);
            break;
        }
        assert!(Instant::now() < end, "{}", got.body);
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(s.log().contains("batch ended short"), "{}", s.log());
}

/// What a person reads of the service, reviewed as snapshots: the OpenAPI
/// document (a change of the API shows in its diff), an error's body, the
/// list of packages (the hash, which any edit of the package changes,
/// redacted).
#[test]
fn what_integrators_read_is_reviewed_as_snapshots() {
    let s = Server::start(&[]);
    let doc = get(&s, "/v1/openapi.json");
    assert_snapshot!("openapi", doc.body);
    let app = json_of(Path::new("policies/kz-order-503/examples/issue-grant.yaml"));
    let body = format!(
        "{{\n  \"application\": {}\n}}",
        app.replace("Онколог дәрігер", "Онколог дәріге")
    );
    let got = post(&s, &format!("/v1/policies/{BUILTIN}/decide"), body);
    let mut e = got.json();
    e["error"]["request_id"] = J::from("[id]");
    assert_snapshot!("unknown_entry", serde_json::to_string_pretty(&e).unwrap());
    let list = get(&s, "/v1/policies").body;
    let hash = hash_of(&s, BUILTIN);
    assert_snapshot!("policies", list.replace(&hash, "[hash]"));
}

/// A server started from a terminal writes no colour into what it serves:
/// the decision's text colours its outcome only on the command line's own
/// terminal. Its standard output here is a real pseudo-terminal, made by
/// util-linux's `script`.
#[test]
fn a_server_on_a_terminal_serves_text_without_colour() {
    let command = format!(
        "echo pid $$; exec {} serve --listen 127.0.0.1:0",
        env!("CARGO_BIN_EXE_qagida")
    );
    let mut child = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("util-linux's script runs");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut pid, mut addr) = (String::new(), String::new());
    for _ in 0..20 {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let line = line.trim();
        if let Some(p) = line.strip_prefix("pid ") {
            pid = p.to_string();
        }
        if let Some(a) = line.strip_prefix("listening on http://") {
            addr = a.to_string();
            break;
        }
    }
    assert!(
        !addr.is_empty() && !pid.is_empty(),
        "the server did not start on the terminal"
    );
    let app = json_of(Path::new("policies/kz-order-503/examples/issue-grant.yaml"));
    let body = format!("{{\"application\": {app}, \"params\": {{\"threshold\": 6}}}}");
    let c = client();
    let explained: J = c
        .post(format!("http://{addr}/v1/policies/{BUILTIN}/explain"))
        .body(body)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let page = c
        .post(format!("http://{addr}/ui/{BUILTIN}/try?lang=en"))
        .form(&[
            (
                "application_text",
                std::fs::read_to_string("policies/kz-order-503/examples/issue-grant.yaml")
                    .unwrap()
                    .as_str(),
            ),
            ("param.threshold", "6"),
        ])
        .send()
        .unwrap()
        .text()
        .unwrap();
    let _ = Command::new("kill").args(["-s", "TERM", &pid]).status();
    let _ = child.wait();
    let text = explained["text"].as_str().unwrap();
    assert!(
        text.starts_with("Unofficial translation") || text.contains("outcome: grant"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(page.contains("outcome: grant") && !page.contains('\u{1b}'));
}
