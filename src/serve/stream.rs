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

/// The response's body: the records of `body`'s lines, streamed. The
/// batch holds `permit` to its end.
pub fn batch(
    app: Arc<App>,
    p: Arc<Package>,
    request: Request,
    body: Body,
    permit: tokio::sync::OwnedSemaphorePermit,
) -> Body {
    let limit = app.limits.max_batch_body;
    let idle = app.limits.timeout;
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(CHUNKS);
    // The body as a reader: its bytes counted against the limit, a pause
    // longer than the timeout an error.
    let chunks = futures_util::stream::unfold(
        (body.into_data_stream(), 0usize),
        move |(mut data, seen)| async move {
            let chunk = match tokio::time::timeout(idle, data.next()).await {
                Ok(None) => return None,
                Ok(Some(Ok(c))) => c,
                Ok(Some(Err(e))) => return Some((Err(std::io::Error::other(e)), (data, seen))),
                Err(_) => {
                    let e = std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!(
                            "the request's body paused for longer than the limit of {} s",
                            idle.as_secs_f64()
                        ),
                    );
                    return Some((Err(e), (data, seen)));
                }
            };
            let seen = seen + chunk.len();
            if seen > limit {
                let e = std::io::Error::other(format!(
                    "the request's body is larger than the limit of {limit} bytes"
                ));
                return Some((Err(e), (data, seen)));
            }
            Some((Ok(chunk), (data, seen)))
        },
    );
    let input = Box::pin(chunks);
    let failed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = Watched {
        inner: tokio_util::io::SyncIoBridge::new(tokio_util::io::StreamReader::new(input)),
        failed: failed.clone(),
    };
    // Set when the batch has written its last record: a stream that ends
    // without it ends with an error, so that the client sees a body cut
    // off, never one that looks whole.
    let whole = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = whole.clone();
    let span = tracing::Span::current();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let mut out = Sender {
            tx,
            buf: Vec::new(),
            runtime,
            idle,
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
            // The body failed to arrive whole: the runner made its error
            // the last record, but what the client sent after it was never
            // read, so the response must not look whole.
            if failed.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(std::io::Error::other(
                    "the request's body did not arrive whole",
                ));
            }
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
                done.store(true, std::sync::atomic::Ordering::SeqCst);
            }
            Ok(Err(e)) => {
                // The response has begun: it is ended short, which the
                // client sees as a body cut off, never as a complete one.
                tracing::warn!(error = %e, "batch ended short");
                app.metrics.error("batch-cut-short", 1);
            }
            Err(_) => {
                tracing::error!("batch failed unexpectedly: this is a bug");
                app.metrics.error("internal", 1);
            }
        }
        // The batch's place is given back before its stream ends (when
        // `out`, the last sender, is dropped): a client that sends its next
        // batch as soon as this one ends must find the place free.
        drop(permit);
        drop(out);
    });
    Body::from_stream(futures_util::stream::unfold(Some(rx), move |rx| {
        let whole = whole.clone();
        async move {
            let mut rx = rx?;
            match rx.recv().await {
                Some(item) => Some((item, Some(rx))),
                None if whole.load(std::sync::atomic::Ordering::SeqCst) => None,
                None => Some((Err(std::io::Error::other("the batch ended short")), None)),
            }
        }
    }))
}

/// The batch's output: gathered into chunks of about 64 KiB, each sent to
/// the client as the runner writes it; a client that stops reading for
/// longer than `idle` ends the batch.
struct Sender {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
    runtime: tokio::runtime::Handle,
    idle: std::time::Duration,
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
        let sent = self
            .runtime
            .block_on(tokio::time::timeout(self.idle, self.tx.send(Ok(chunk))));
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client went away",
            )),
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading for longer than the timeout",
            )),
        }
    }
}

/// A reader that remembers whether it failed.
struct Watched<R> {
    inner: R,
    failed: Arc<std::sync::atomic::AtomicBool>,
}

impl<R: std::io::Read> std::io::Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let r = self.inner.read(buf);
        if r.is_err() {
            self.failed.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        r
    }
}
