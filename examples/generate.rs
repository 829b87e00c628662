//! Writes generated applications as JSONL, for the batch benchmark and for
//! trying `qagida batch` at scale: of the default policy, or with
//! `--simple` of the second benchmark policy (`benches/policies/simple/`).
//!
//! ```sh
//! cargo run --release --example generate -- 1000000 > applications.jsonl
//! cargo run --release --example generate -- --simple 1000000 > simple.jsonl
//! ```
//!
//! Arguments: `--simple` (first, if given), the count (default 1000) and
//! the seed (default 1).

#[path = "../benches/support/generate.rs"]
#[allow(dead_code)] // the levels are for the benchmark's baseline
mod generate;

#[path = "../benches/support/simple_generate.rs"]
#[allow(dead_code)] // the shares are for the benchmark's baseline
mod simple_generate;

use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let simple = args.next_if(|a| a == "--simple").is_some();
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if simple {
        let sectors = simple_generate::sectors(&root.join("benches/policies/simple/sectors.yaml"));
        simple_generate::write(&mut out, n, seed, &sectors)
    } else {
        let list = generate::entries(&root.join("policies/kz-order-503/list.yaml"));
        generate::write(&mut out, n, seed, &list)
    };
    if let Err(e) = written {
        eprintln!("generate: {e}");
        std::process::exit(3);
    }
}
