#[test]
fn tmp() {
    let p = qagida::policy::load_dir(std::path::Path::new("/tmp/kztest/kz-order-503"))
        .map_err(|d| qagida::diag::human(&d, false))
        .unwrap()
        .policy;
    for f in ["assessment", "services", "history", "deadlines"] {
        let r = qagida::testing::run_file(
            &p,
            std::path::Path::new(&format!("/tmp/kztest/kz-order-503/tests/{f}.yaml")),
        )
        .unwrap();
        for c in r {
            if !c.passed() {
                println!("FAIL {} ({}): {:?}", c.name, c.place, c.failures);
            } else {
                println!("ok {}", c.name);
            }
        }
    }
}
