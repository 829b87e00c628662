//! Working-day calendars: the data's own cross-checks, the arithmetic's
//! properties, and the command line.

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use qagida::policy::calendar::{self, Calendar, Reason};

use crate::common::*;

const CALENDARS: &[&str] = &["tests/policies/calendars/example", "policies/calendars/kz"];

fn load(dir: &str) -> Arc<Calendar> {
    static CACHE: std::sync::Mutex<Vec<(String, Arc<Calendar>)>> =
        std::sync::Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, c)) = cache.iter().find(|(d, _)| d == dir) {
        return c.clone();
    }
    let c = calendar::load_dir(Path::new(dir)).unwrap_or_else(|d| {
        panic!(
            "{dir} does not load:\n{}",
            qagida::core::diag::human(&d, false)
        )
    });
    cache.push((dir.to_string(), c.clone()));
    c
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// Every shift the data expects is computed by the Labour Code rule, and
/// every computed shift is expected; every transfer's day off is off and
/// its working day is worked; every year's count of working days equals
/// the published count it was checked against.
#[test]
fn the_data_agrees_with_itself_and_with_published_calendars() {
    for dir in CALENDARS {
        let cal = load(dir);
        let mut problems = Vec::new();
        for (year, y) in &cal.years {
            let computed: Vec<(NaiveDate, NaiveDate)> = y
                .days_off
                .iter()
                .filter_map(|e| match e.reason {
                    Reason::Shift { holiday, .. } => Some((holiday, e.date)),
                    _ => None,
                })
                .collect();
            for s in &y.expected_shifts {
                if !computed.contains(s) {
                    problems.push(format!(
                        "{dir} {year}: expected shift {} -> {} is not computed",
                        s.0, s.1
                    ));
                }
                let transferred = y.working_days.iter().any(|e| e.date == s.1);
                if !transferred && cal.is_working_day(s.1).unwrap_or(true) {
                    problems.push(format!(
                        "{dir} {year}: shifted day off {} is a working day",
                        s.1
                    ));
                }
            }
            for c in &computed {
                if !y.expected_shifts.contains(c) {
                    problems.push(format!(
                        "{dir} {year}: computed shift {} -> {} is not in the data",
                        c.0, c.1
                    ));
                }
            }
            for e in &y.days_off {
                if let Reason::Transfer { .. } = e.reason
                    && cal.is_working_day(e.date).unwrap_or(true)
                {
                    problems.push(format!(
                        "{dir}: transferred day off {} is a working day",
                        e.date
                    ));
                }
            }
            for e in &y.working_days {
                if !cal.is_working_day(e.date).unwrap_or(false) {
                    problems.push(format!(
                        "{dir}: transferred working day {} is not a working day",
                        e.date
                    ));
                }
            }
            match &y.checked_against {
                Some(c) => {
                    let n = cal.working_days_in(*year).expect("a year of the data");
                    if n != c.expected() {
                        problems.push(format!(
                            "{dir} {year}: {n} working days computed, {} expected ({} published in {}, adjusted by {:?})",
                            c.expected(),
                            c.working_days,
                            c.calendar,
                            c.adjustments
                        ));
                    }
                }
                None if !dir.starts_with("tests/") => problems.push(format!(
                    "{dir} {year}: not checked against a published calendar"
                )),
                None => {}
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[test]
fn every_holiday_and_transfer_is_cited() {
    for dir in CALENDARS {
        let cal = load(dir);
        for y in cal.years.values() {
            for e in y.holidays.iter().chain(&y.days_off).chain(&y.working_days) {
                assert!(
                    !e.source.trim().is_empty(),
                    "{dir}: {} has no source",
                    e.date
                );
            }
        }
    }
}

#[test]
fn the_example_calendar_moves_and_transfers_days() {
    let cal = load(CALENDARS[0]);
    // Founders' Day 2021 falls on a Sunday; Monday is already off by a
    // transfer, so the day off moves to Tuesday.
    assert!(!cal.is_working_day(d("2021-07-05")).unwrap());
    assert!(!cal.is_working_day(d("2021-07-06")).unwrap());
    assert!(
        cal.is_working_day(d("2021-07-10")).unwrap(),
        "a Saturday made a working day"
    );
    // A religious holiday on a Saturday does not move.
    assert!(cal.is_working_day(d("2021-12-27")).unwrap());
    assert_eq!(
        cal.next_working_day(d("2021-07-03")).unwrap(),
        d("2021-07-07")
    );
    assert_eq!(
        cal.add_working_days(d("2021-07-02"), 1).unwrap(),
        d("2021-07-07")
    );
    assert_eq!(
        cal.add_working_days(d("2021-07-07"), -1).unwrap(),
        d("2021-07-02")
    );
    assert_eq!(
        cal.add_working_days(d("2021-07-07"), 0).unwrap(),
        d("2021-07-07")
    );
    assert_eq!(
        cal.working_days_between(d("2021-07-02"), d("2021-07-12"))
            .unwrap(),
        5
    );
    assert_eq!(
        cal.working_days_between(d("2021-07-12"), d("2021-07-02"))
            .unwrap(),
        -5
    );
}

#[test]
fn a_year_without_data_is_an_error_that_names_it() {
    let cal = load(CALENDARS[0]);
    let e = cal.is_working_day(d("2024-01-02")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the working-day calendar `example` has no data for 2024 (it covers 2020-2023)"
    );
    let e = cal.add_working_days(d("2023-12-28"), 5).unwrap_err();
    assert_eq!(e.year, 2024);
    let e = cal
        .working_days_between(d("2019-12-31"), d("2020-01-10"))
        .unwrap_err();
    assert_eq!(e.year, 2019);
}

#[test]
fn an_evaluation_past_the_calendar_names_the_missing_year() {
    let o = qagida(&[
        "eval",
        "--policy",
        EXAMPLE,
        "--at",
        "2024-03-15",
        "tests/policies/example/applications/year-2024.yaml",
    ]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("has no data for 2024"),
        "{}",
        stderr(&o)
    );
}

/// A date `offset` days into the calendar's data, if it leaves room for
/// 40 working days before the data ends.
fn date_in(cal: &Calendar, offset: i64) -> Option<NaiveDate> {
    let first = *cal.years.keys().next()?;
    let last = *cal.years.keys().next_back()?;
    let d0 = NaiveDate::from_ymd_opt(first, 1, 1)? + Duration::days(offset);
    (d0 < NaiveDate::from_ymd_opt(last, 11, 1)?).then_some(d0)
}

proptest! {
    // Failures are kept beside this file, in calendar.proptest-regressions,
    // wherever the crate's root is: proptest's default keeps them under
    // proptest-regressions/ beside the folder of the nearest lib.rs or main.rs.
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn adding_working_days_lands_on_a_working_day_and_counts_back(
        which in 0..CALENDARS.len(),
        n in 1i64..40,
        offset in 0i64..4000,
    ) {
        let cal = load(CALENDARS[which]);
        let d0 = date_in(&cal, offset);
        prop_assume!(d0.is_some());
        let d0 = d0.expect("assumed");
        let end = cal.add_working_days(d0, n).expect("inside the data");
        prop_assert!(cal.is_working_day(end).expect("inside"));
        prop_assert!(end > d0);
        prop_assert_eq!(cal.working_days_between(d0, end).expect("inside"), n);
        // Counting back from a working day returns to it.
        let w = cal.next_working_day(d0).expect("inside");
        let there = cal.add_working_days(w, n).expect("inside");
        prop_assert_eq!(cal.add_working_days(there, -n).expect("inside"), w);
    }

    #[test]
    fn next_working_day_is_idempotent_and_never_early(which in 0..CALENDARS.len(), offset in 0i64..4000) {
        let cal = load(CALENDARS[which]);
        let d0 = date_in(&cal, offset);
        prop_assume!(d0.is_some());
        let d0 = d0.expect("assumed");
        let next = cal.next_working_day(d0).expect("inside");
        prop_assert!(next >= d0);
        prop_assert!(cal.is_working_day(next).expect("inside"));
        prop_assert_eq!(cal.next_working_day(next).expect("inside"), next);
        if cal.is_working_day(d0).expect("inside") {
            prop_assert_eq!(next, d0);
        }
    }
}

#[test]
fn calendar_commands_print_bare_answers() {
    let cal = ["calendar", "--calendar", CALENDARS[0]];
    let run = |args: &[&str]| {
        let mut all = cal.to_vec();
        all.extend_from_slice(args);
        qagida(&all)
    };
    let o = run(&["add-working-days", "2021-07-02", "1"]);
    assert_eq!(
        (o.status.code(), stdout(&o).as_str()),
        (Some(0), "2021-07-07\n")
    );
    let o = run(&["add-working-days", "2021-07-07", "-1"]);
    assert_eq!(stdout(&o), "2021-07-02\n");
    let o = run(&["working-days-between", "2021-07-02", "2021-07-12"]);
    assert_eq!(stdout(&o), "5\n");
    let o = run(&["is-working-day", "2021-07-10"]);
    assert_eq!(stdout(&o), "true\n");
    let o = run(&["show", "2021"]);
    assert_eq!(o.status.code(), Some(0));
    assert_snapshot!("show_example_2021", stdout(&o));
    for year in ["2017", "2020", "2022"] {
        let o = qagida(&["calendar", "--calendar", CALENDARS[1], "show", year]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_snapshot!(format!("show_kz_{year}"), stdout(&o));
    }
    // The built-in policy's calendar is the default.
    let o = qagida(&["calendar", "add-working-days", "2021-03-19", "1"]);
    assert_eq!(stdout(&o), "2021-03-25\n", "{}", stderr(&o));
    let o = qagida(&[
        "calendar",
        "working-days-between",
        "2021-12-15",
        "2022-01-10",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["show", "2031"]);
    assert_eq!(o.status.code(), Some(7));
    assert!(
        stderr(&o).contains("has no data for 2031 (it covers 2020-2023)"),
        "{}",
        stderr(&o)
    );
    let o = run(&["add-working-days", "2021-02-30", "1"]);
    assert_eq!(o.status.code(), Some(2));
    let o = qagida(&[
        "calendar",
        "--calendar",
        "tests/policies/nowhere",
        "show",
        "2021",
    ]);
    assert_eq!(o.status.code(), Some(3));
}
