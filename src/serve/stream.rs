//! A batch over HTTP: the request's body read as it arrives, decided by
//! the same batch runner as `qagida batch` on a thread of its own, and its
//! records sent as they are written, in order.

use std::io::{BufReader, Write};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::App;
use super::state::Package;
use crate::engine::Request;
use crate::engine::batch::{self, InputFormat};

/// Chunks of output in flight between the batch's thread and the client:
/// a slow client holds the batch back rather than filling memory.
const CHUNKS: usize = 8;

/// The response's body: the records of `body`'s lines, streamed.
pub fn batch(app: Arc<App>, p: Arc<Package>, request: Request, body: Body) -> Body {
    let limit = app.limits.max_batch_body;
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(CHUNKS);
    // The body as a reader: its bytes counted against the limit.
    let mut seen = 0usize;
    let input = body.into_data_stream().map(move |chunk| {
        let chunk = chunk.map_err(std::io::Error::other)?;
        seen += chunk.len();
        if seen > limit {
            return Err(std::io::Error::other(format!(
                "the request's body is larger than the limit of {limit} bytes"
            )));
        }
        Ok(chunk)
    });
    let reader = tokio_util::io::SyncIoBridge::new(tokio_util::io::StreamReader::new(input));
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let mut out = Sender {
            tx: tx.clone(),
            buf: Vec::new(),
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let prepared = p.plan.prepare(&request).map_err(std::io::Error::other)?;
            let cfg = batch::Config {
                prepared: &prepared,
                jobs: app.limits.batch_jobs,
                own_plans: false,
                stop: None,
            };
            let input = BufReader::with_capacity(64 << 10, reader);
            let summary = batch::run(&cfg, input, InputFormat::Jsonl, &mut out, &mut |_| {})?;
            out.flush()?;
            Ok::<_, std::io::Error>(summary)
        }));
        match result {
            Ok(Ok(summary)) => {
                for (outcome, n) in &summary.outcomes {
                    app.metrics.decided(p.id(), outcome, *n as u64);
                }
                if summary.errors > 0 {
                    app.metrics.error("record", summary.errors as u64);
                }
                tracing::info!(
                    records = summary.total,
                    errors = summary.errors,
                    "batch decided"
                );
            }
            Ok(Err(e)) => {
                // The response has begun: it is ended short, which the
                // client sees as a body cut off, never as a complete one.
                tracing::warn!(error = %e, "batch ended short");
                app.metrics.error("batch-cut-short", 1);
                let _ = tx.blocking_send(Err(e));
            }
            Err(_) => {
                tracing::error!("batch failed unexpectedly: this is a bug");
                app.metrics.error("internal", 1);
                let _ = tx.blocking_send(Err(std::io::Error::other("internal error")));
            }
        }
    });
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

/// The batch's output: gathered into chunks of about 64 KiB, each sent to
/// the client as the runner writes it.
struct Sender {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl Write for Sender {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= 64 << 10 {
            self.flush()?;
        }
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client stopped reading")
        })
    }
}
