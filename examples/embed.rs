//! A Rust program deciding applications with qagida as a library: load a
//! package, make its plan, decide each application named on the command
//! line at its own evaluation date, with a parameter set.
//!
//! ```sh
//! cargo run --example embed -- policies/kz-order-503/examples/*.yaml
//! ```

use qagida::engine::{self, Application, Plan, Request, Setting};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let policy = qagida::policy::embedded::default_policy()
        .map_err(|d| qagida::core::diag::human(&d, false))?;
    let plan = Plan::new(policy.policy);
    let request = Request {
        params: vec![Setting::Arg("threshold=6".into())],
        ..Request::default()
    };
    let prepared = plan.prepare(&request)?;
    for path in std::env::args().skip(1) {
        let decided = engine::read_text(path.as_ref())
            .map_err(engine::DecideError::from)
            .and_then(|file| prepared.decide(Application::File(&file)));
        match decided {
            Ok(d) => println!("{path}: {} at {}", d.outcome, d.at),
            Err(e) => println!("{path}: not decided: {e}"),
        }
    }
    Ok(())
}
