//! `qagida calendar`: working days of a calendar, from the command line.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};

use super::eval::parse_date;
use super::{Exit, Failure, out};
use crate::core::diag::Diagnostic;
use crate::policy::calendar::{self, Calendar, CalendarError, Reason};

#[derive(Args, Debug)]
pub struct CalendarArgs {
    /// A calendar folder on disk; by default the first calendar of the
    /// policy.
    #[arg(long, value_name = "DIR", global = true, conflicts_with = "policy")]
    pub calendar: Option<PathBuf>,
    /// The policy package whose first calendar to use; by default the
    /// package built into the binary.
    #[arg(long, value_name = "DIR", global = true)]
    pub policy: Option<PathBuf>,
    #[command(subcommand)]
    pub command: CalendarCommand,
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// The year's days off on weekdays and its working weekend days, with sources.
    Show { year: i32 },
    /// The N-th working day after DATE (DATE not counted), as YYYY-MM-DD.
    AddWorkingDays {
        date: String,
        #[arg(allow_negative_numbers = true)]
        n: i64,
    },
    /// The number of working days after A up to and including B.
    WorkingDaysBetween { a: String, b: String },
    /// `true` or `false`: whether DATE is a working day.
    IsWorkingDay { date: String },
}

pub fn open(dir: &Option<PathBuf>, package: &Option<PathBuf>) -> Result<Arc<Calendar>, Failure> {
    let loaded = match dir {
        Some(d) => calendar::load_dir(d),
        None => {
            let policy = super::load_policy(package)?.policy;
            return policy.calendars.values().next().cloned().ok_or_else(|| {
                let which = match package {
                    Some(p) => format!("the policy at `{}`", p.display()),
                    None => "the built-in policy".to_string(),
                };
                Failure::new(
                    Exit::Usage,
                    vec![Diagnostic::error(
                        "usage",
                        format!("{which} declares no calendar: name one with --calendar"),
                    )],
                )
            });
        }
    };
    loaded.map_err(super::load_failure)
}

fn outside(e: CalendarError) -> Failure {
    Failure::new(
        Exit::OutOfForce,
        vec![Diagnostic::error("calendar", e.to_string())],
    )
}

pub fn run(args: &CalendarArgs) -> Result<(), Failure> {
    let cal = open(&args.calendar, &args.policy)?;
    match &args.command {
        CalendarCommand::Show { year } => {
            let text = show(&cal, *year).map_err(outside)?;
            out(&text);
        }
        CalendarCommand::AddWorkingDays { date, n } => {
            let d = cal
                .add_working_days(parse_date(date)?, *n)
                .map_err(outside)?;
            out(&format!("{}\n", d.format("%Y-%m-%d")));
        }
        CalendarCommand::WorkingDaysBetween { a, b } => {
            let n = cal
                .working_days_between(parse_date(a)?, parse_date(b)?)
                .map_err(outside)?;
            out(&format!("{n}\n"));
        }
        CalendarCommand::IsWorkingDay { date } => {
            let w = cal.is_working_day(parse_date(date)?).map_err(outside)?;
            out(&format!("{w}\n"));
        }
    }
    Ok(())
}

fn day(d: NaiveDate) -> String {
    format!("{} {}", d.format("%Y-%m-%d"), d.format("%a"))
}

/// The year as text: every day off that falls on a weekday, every holiday
/// that falls on a weekly day off, and every weekend day made a working day.
pub fn show(cal: &Calendar, year: i32) -> Result<String, CalendarError> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    cal.is_working_day(first)?;
    let Some(y) = cal.years.get(&year) else {
        unreachable!("is_working_day checked the year")
    };
    let mut s = String::new();
    let name = cal
        .name
        .get("en")
        .or_else(|| cal.name.values().next())
        .cloned()
        .unwrap_or_default();
    let _ = writeln!(s, "{name} ({}), {year}", cal.id);
    let _ = writeln!(
        s,
        "weekly days off: {} [{}]",
        cal.weekly_days_off
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        cal.weekly_source
    );
    let _ = writeln!(s, "\ndays off:");
    for e in &y.days_off {
        let what = match &e.reason {
            Reason::Holiday { name, religious } => format!(
                "holiday: {name}{}",
                if *religious { " (religious)" } else { "" }
            ),
            Reason::Shift { holiday, name } => format!("moved from {} ({name})", day(*holiday)),
            Reason::Transfer { with: Some(w) } => format!("transferred, worked on {}", day(*w)),
            Reason::Transfer { with: None } => "transferred".to_string(),
        };
        let _ = writeln!(s, "  {}  {what}  [{}]", day(e.date), e.source);
    }
    let weekend_holidays: Vec<_> = y
        .holidays
        .iter()
        .filter(|h| cal.weekly_days_off.contains(&h.date.weekday()))
        .collect();
    if !weekend_holidays.is_empty() {
        let _ = writeln!(s, "\nholidays on a weekly day off:");
        for e in weekend_holidays {
            if let Reason::Holiday { name, religious } = &e.reason {
                let moved = y
                    .days_off
                    .iter()
                    .find(
                        |d| matches!(d.reason, Reason::Shift { holiday, .. } if holiday == e.date),
                    )
                    .map(|d| format!("day off moved to {}", day(d.date)))
                    .unwrap_or_else(|| {
                        if *religious {
                            "religious: not moved".into()
                        } else {
                            "not moved".into()
                        }
                    });
                let _ = writeln!(s, "  {}  {name}: {moved}  [{}]", day(e.date), e.source);
            }
        }
    }
    let _ = writeln!(s, "\nworking weekend days:");
    if y.working_days.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for e in &y.working_days {
        let with = match &e.reason {
            Reason::Transfer { with: Some(w) } => format!("for the day off on {}", day(*w)),
            _ => "by transfer".to_string(),
        };
        let _ = writeln!(s, "  {}  {with}  [{}]", day(e.date), e.source);
    }
    let _ = writeln!(
        s,
        "\nworking days in {year}: {}",
        cal.working_days_in(year)?
    );
    if let Some(c) = &y.checked_against {
        let _ = writeln!(
            s,
            "checked against: {} ({} working days)",
            c.calendar, c.working_days
        );
        for (d, why) in &c.adjustments {
            let _ = writeln!(s, "  adjusted by {d:+}: {why}");
        }
    }
    for d in &y.doubts {
        let _ = writeln!(s, "doubt: {d}");
    }
    Ok(s)
}
