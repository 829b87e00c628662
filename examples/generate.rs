//! Writes generated applications of the default policy as JSONL, for the
//! batch benchmark and for trying `qagida batch` at scale:
//!
//! ```sh
//! cargo run --release --example generate -- 1000000 > applications.jsonl
//! ```
//!
//! Arguments: the count (default 1000) and the seed (default 1).

#[path = "../benches/support/generate.rs"]
#[allow(dead_code)] // the levels are for the benchmark's baseline
mod generate;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let list = generate::entries(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/kz-order-503/list.yaml"),
    );
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Err(e) = generate::write(&mut out, n, seed, &list) {
        eprintln!("generate: {e}");
        std::process::exit(3);
    }
}
