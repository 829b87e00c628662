//! What `GET /metrics` shows, in Prometheus's text format: requests by
//! route, method and status; their latency by route; decisions by policy
//! and outcome; errors by code; requests in flight; reloads.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub policy: String,
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CodeLabels {
    pub code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    pub result: String,
}

type Histograms = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Latency buckets from 50 µs to about 3 s, doubling.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.00005, 2.0, 17))
}

/// The service's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Histograms,
    pub decisions: Family<OutcomeLabels, Counter>,
    pub errors: Family<CodeLabels, Counter>,
    pub in_flight: Gauge,
    pub reloads: Family<ResultLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("qagida");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        let latency: Histograms = Family::new_with_constructor(latency as fn() -> Histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its response's head, by route",
            latency.clone(),
        );
        let decisions = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "decisions",
            "Decisions made, by policy and outcome (a batch's records included)",
            decisions.clone(),
        );
        let errors = Family::<CodeLabels, Counter>::default();
        registry.register(
            "errors",
            "Error responses and a batch's error records, by code",
            errors.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "http_requests_in_flight",
            "Requests being answered now",
            in_flight.clone(),
        );
        let reloads = Family::<ResultLabels, Counter>::default();
        registry.register(
            "reloads",
            "Reloads of the packages, by result: replaced, unchanged, failed",
            reloads.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            decisions,
            errors,
            in_flight,
            reloads,
        }
    }
}

impl Metrics {
    /// The text format, with the packages served as an info metric.
    pub fn render(&self, packages: &super::state::Packages) -> String {
        let mut s = String::new();
        // Writing into a string cannot fail.
        let _ = prometheus_client::encoding::text::encode_registry(&mut s, &self.registry);
        s.push_str("# HELP qagida_policy_info The packages served, by policy and content hash.\n");
        s.push_str("# TYPE qagida_policy_info gauge\n");
        for p in &packages.list {
            s.push_str(&format!(
                "qagida_policy_info{{policy=\"{}\",hash=\"{}\"}} 1\n",
                label(p.id()),
                label(&p.policy().digest)
            ));
        }
        s.push_str("# EOF\n");
        s
    }

    pub fn decided(&self, policy: &str, outcome: &str, n: u64) {
        self.decisions
            .get_or_create(&OutcomeLabels {
                policy: policy.to_string(),
                outcome: outcome.to_string(),
            })
            .inc_by(n);
    }

    pub fn error(&self, code: &str, n: u64) {
        self.errors
            .get_or_create(&CodeLabels {
                code: code.to_string(),
            })
            .inc_by(n);
    }
}

/// A label's value as the text format escapes it.
fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
