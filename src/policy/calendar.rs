//! Working-day calendars as cited data, and working-day arithmetic.
//!
//! A calendar is a folder: `calendar.yaml` (the weekly days off and the
//! rule that moves a holiday falling on one of them) and one file a year
//! (its holidays and the government's transfers of days off, each with its
//! source). A date outside the years of the data is an error that names the
//! missing year: nothing is guessed.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::core::diag::Diagnostic;
use crate::core::source::{Loc, SourceFile};
use crate::core::yaml::{self, LazyIndex};
use crate::policy::Label;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexFile {
    id: String,
    name: Label,
    weekly_days_off: Vec<String>,
    weekly_days_off_source: String,
    holiday_shift: Option<ShiftDecl>,
    years: Vec<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShiftDecl {
    rule: String,
    except_religious: bool,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    holidays: Vec<HolidayDecl>,
    #[serde(default)]
    transfers: Vec<TransferDecl>,
    #[serde(default)]
    shifts: Vec<ShiftExpect>,
    checked_against: Option<CheckDecl>,
    #[serde(default)]
    doubts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayDecl {
    date: String,
    name: Label,
    #[serde(default)]
    religious: bool,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferDecl {
    day_off: Option<String>,
    working_day: Option<String>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShiftExpect {
    holiday: String,
    day_off: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckDecl {
    calendar: String,
    working_days: u32,
    #[serde(default)]
    adjustments: Vec<AdjustDecl>,
}

/// A difference between the published count and the calendar as in force,
/// explained: a law or a date fixed after the count was published.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustDecl {
    days: i32,
    reason: String,
}

/// Why a day is off, or why a weekend day is worked.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// A public holiday that is a day off.
    Holiday { name: String, religious: bool },
    /// The day off that a holiday falling on a weekly day off moved to.
    Shift { holiday: NaiveDate, name: String },
    /// A day off (or a working day) by a transfer.
    Transfer { with: Option<NaiveDate> },
}

/// A special day of the calendar and its source.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub date: NaiveDate,
    pub reason: Reason,
    pub source: String,
}

/// What a year's data was checked against.
#[derive(Clone, Debug)]
pub struct Check {
    pub calendar: String,
    pub working_days: u32,
    /// Explained differences: days added to the published count.
    pub adjustments: Vec<(i32, String)>,
}

impl Check {
    /// The published count with its explained differences applied.
    pub fn expected(&self) -> i64 {
        i64::from(self.working_days)
            + self
                .adjustments
                .iter()
                .map(|(d, _)| i64::from(*d))
                .sum::<i64>()
    }
}

#[derive(Clone, Debug)]
pub struct Year {
    pub year: i32,
    /// Every holiday, also those on a weekly day off.
    pub holidays: Vec<Entry>,
    /// Weekdays that are days off: holidays, shifts and transfers.
    pub days_off: Vec<Entry>,
    /// Weekly days off that are working days by a transfer.
    pub working_days: Vec<Entry>,
    /// The shifts the data expects, for cross-checking the computed ones.
    pub expected_shifts: Vec<(NaiveDate, NaiveDate)>,
    pub checked_against: Option<Check>,
    pub doubts: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Calendar {
    pub id: String,
    pub name: Label,
    pub weekly_days_off: Vec<Weekday>,
    pub weekly_source: String,
    pub shift_source: Option<String>,
    pub years: BTreeMap<i32, Year>,
    off: BTreeMap<NaiveDate, Entry>,
    worked: BTreeMap<NaiveDate, Entry>,
    /// Each year between the first and the last that has no data, with
    /// why (its file is missing, or the index does not list it).
    gaps: BTreeMap<i32, String>,
    /// The content hash of the files it was read from (see
    /// [`crate::core::digest`]).
    pub digest: String,
}

/// Every day of the years a calendar covers, as flags (covered, working),
/// from the first year's January 1, so that a day is answered by one
/// index instead of three searches. A plan makes it for
/// each calendar (the engine's `plan`); the calendar itself answers by
/// searching its days off and working days.
#[derive(Clone, Debug)]
pub struct DayIndex {
    start: NaiveDate,
    days: Vec<u8>,
}

/// A calendar with its index of days, where there is one: answers as the
/// calendar does, faster.
#[derive(Clone, Copy, Debug)]
pub struct Indexed<'a> {
    pub calendar: &'a Calendar,
    pub index: Option<&'a DayIndex>,
}

/// A day of a year the calendar covers.
const COVERED: u8 = 1;
/// A working day.
const WORKING: u8 = 2;

pub use crate::lang::runtime::CalendarError;

/// The language counts working days in the calendar, with its index.
impl crate::lang::runtime::WorkingDays for Indexed<'_> {
    fn is_working_day(&self, d: NaiveDate) -> R<bool> {
        Indexed::is_working_day(self, d)
    }

    fn next_working_day(&self, d: NaiveDate) -> R<NaiveDate> {
        Indexed::next_working_day(self, d)
    }

    fn add_working_days(&self, d: NaiveDate, n: i64) -> R<NaiveDate> {
        Indexed::add_working_days(self, d, n)
    }

    fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> R<i64> {
        Indexed::working_days_between(self, a, b)
    }
}

type R<T> = Result<T, CalendarError>;

/// How far a single working-day step may run before it is an error: a
/// calendar year has far fewer days off in a row.
const MAX_RUN: i64 = 366;

impl DayIndex {
    /// The index of `cal`'s days, from its years, days off and working
    /// days; its answers are those of the searches it replaces. `None`
    /// for a calendar without years.
    pub fn of(cal: &Calendar) -> Option<DayIndex> {
        let first = *cal.years.keys().next()?;
        let last = *cal.years.keys().next_back()?;
        let start = NaiveDate::from_ymd_opt(first, 1, 1)?;
        let end = NaiveDate::from_ymd_opt(last, 12, 31)?;
        let index = |d: &NaiveDate| usize::try_from((*d - start).num_days()).ok();
        // By the week first, then the days off and working days on top,
        // as `searched` decides: a working day wins over a day off.
        let mut days: Vec<u8> = start
            .iter_days()
            .take_while(|d| *d <= end)
            .map(|d| {
                let covered = if cal.years.contains_key(&d.year()) {
                    COVERED
                } else {
                    0
                };
                let weekly = cal.weekly_days_off.contains(&d.weekday());
                covered | if weekly { 0 } else { WORKING }
            })
            .collect();
        for d in cal.off.keys() {
            if let Some(f) = index(d).and_then(|i| days.get_mut(i)) {
                *f &= !WORKING;
            }
        }
        for d in cal.worked.keys() {
            if let Some(f) = index(d).and_then(|i| days.get_mut(i)) {
                *f |= WORKING;
            }
        }
        Some(DayIndex { start, days })
    }
}

impl Calendar {
    /// The calendar without an index: it searches.
    fn plain(&self) -> Indexed<'_> {
        Indexed {
            calendar: self,
            index: None,
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> R<bool> {
        self.plain().is_working_day(d)
    }

    /// `d` if it is a working day, else the first working day after it.
    pub fn next_working_day(&self, d: NaiveDate) -> R<NaiveDate> {
        self.plain().next_working_day(d)
    }

    /// The `n`-th working day after `d`, `d` itself not counted (before `d`
    /// for a negative `n`; `d` itself for 0).
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> R<NaiveDate> {
        self.plain().add_working_days(d, n)
    }

    /// The working days after `a` up to and including `b` (negative when `b`
    /// is before `a`).
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> R<i64> {
        self.plain().working_days_between(a, b)
    }

    /// The number of working days in a year of the data.
    pub fn working_days_in(&self, year: i32) -> R<i64> {
        self.plain().working_days_in(year)
    }

    /// Why a day is off or worked, if it is special.
    pub fn entry(&self, d: NaiveDate) -> Option<&Entry> {
        self.off.get(&d).or_else(|| self.worked.get(&d))
    }

    /// Whether `d` is a working day, from the days off and working days
    /// themselves.
    fn searched(&self, d: NaiveDate) -> bool {
        self.worked.contains_key(&d)
            || (!self.off.contains_key(&d) && !self.weekly_days_off.contains(&d.weekday()))
    }

    fn out_of_range(&self, d: NaiveDate) -> CalendarError {
        self.no_data(d.year() + 1)
    }

    /// The error for a year without data, naming what is missing when the
    /// year is inside those the calendar covers.
    fn no_data(&self, year: i32) -> CalendarError {
        CalendarError {
            calendar: self.id.clone(),
            year,
            first: self.years.keys().next().copied().unwrap_or(0),
            last: self.years.keys().next_back().copied().unwrap_or(0),
            gap: self.gaps.get(&year).cloned(),
        }
    }
}

impl Indexed<'_> {
    /// The flags of `d` in the index: 0 outside it; `None` without one.
    fn flags(&self, d: NaiveDate) -> Option<u8> {
        let DayIndex { start, days } = self.index?;
        let i = usize::try_from((d - *start).num_days()).ok();
        Some(i.and_then(|i| days.get(i)).copied().unwrap_or(0))
    }

    /// From `d`, by `step` days (1 or -1), the `n`-th working day (`d`
    /// not counted; `d` itself for 0), or for `None` the first working
    /// day from `d` on (`d` counted): found in the index of days, by day
    /// numbers rather than dates. `None` when the index cannot answer (it
    /// is not made, or a day on the way is not covered, or too many are
    /// off in a row): then the day by day search answers, or says why it
    /// cannot.
    fn step_indexed(&self, d: NaiveDate, n: Option<u64>, step: isize) -> Option<NaiveDate> {
        let DayIndex { start, days } = self.index?;
        let mut i = usize::try_from((d - *start).num_days()).ok()?;
        let covered = |i: usize| days.get(i).filter(|f| *f & COVERED != 0);
        let mut flags = *covered(i)?;
        let (mut left, mut idle) = (n.unwrap_or(0), 0);
        if n.is_none() {
            // The first working day from `d` on, within MAX_RUN days.
            while flags & WORKING == 0 {
                idle += 1;
                if idle >= MAX_RUN {
                    return None;
                }
                i = i.checked_add_signed(step)?;
                flags = *covered(i)?;
            }
        }
        while left > 0 {
            i = i.checked_add_signed(step)?;
            if covered(i)? & WORKING != 0 {
                left -= 1;
                idle = 0;
            } else {
                idle += 1;
                if idle > MAX_RUN {
                    return None;
                }
            }
        }
        start.checked_add_signed(chrono::Duration::days(i64::try_from(i).ok()?))
    }

    fn covers(&self, d: NaiveDate) -> R<()> {
        let cal = self.calendar;
        if self.flags(d).is_some_and(|f| f & COVERED != 0) || cal.years.contains_key(&d.year()) {
            Ok(())
        } else {
            Err(cal.no_data(d.year()))
        }
    }

    fn out_of_range(&self, d: NaiveDate) -> CalendarError {
        self.calendar.out_of_range(d)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> R<bool> {
        if let Some(flags) = self.flags(d)
            && flags & COVERED != 0
        {
            return Ok(flags & WORKING != 0);
        }
        self.covers(d)?;
        Ok(self.calendar.searched(d))
    }

    /// `d` if it is a working day, else the first working day after it.
    pub fn next_working_day(&self, d: NaiveDate) -> R<NaiveDate> {
        if let Some(day) = self.step_indexed(d, None, 1) {
            return Ok(day);
        }
        let mut day = d;
        for _ in 0..MAX_RUN {
            if self.is_working_day(day)? {
                return Ok(day);
            }
            day = day.succ_opt().ok_or_else(|| self.out_of_range(day))?;
        }
        Err(self.out_of_range(day))
    }

    /// The `n`-th working day after `d`, `d` itself not counted (before `d`
    /// for a negative `n`; `d` itself for 0).
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> R<NaiveDate> {
        let step = if n < 0 { -1 } else { 1 };
        if let Some(day) = self.step_indexed(d, Some(n.unsigned_abs()), step) {
            return Ok(day);
        }
        self.covers(d)?;
        let mut day = d;
        let mut left = n.unsigned_abs();
        let mut idle = 0;
        while left > 0 {
            day = if n > 0 {
                day.succ_opt()
            } else {
                day.pred_opt()
            }
            .ok_or_else(|| self.out_of_range(day))?;
            if self.is_working_day(day)? {
                left -= 1;
                idle = 0;
            } else {
                idle += 1;
                if idle > MAX_RUN {
                    return Err(self.out_of_range(day));
                }
            }
        }
        Ok(day)
    }

    /// The working days after `a` up to and including `b` (negative when `b`
    /// is before `a`).
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> R<i64> {
        if b < a {
            return self.working_days_between(b, a).map(|n| -n);
        }
        self.covers(a)?;
        self.covers(b)?;
        let mut n = 0;
        let mut day = a;
        while day < b {
            day = day.succ_opt().ok_or_else(|| self.out_of_range(day))?;
            if self.is_working_day(day)? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// The number of working days in a year of the data.
    pub fn working_days_in(&self, year: i32) -> R<i64> {
        let first =
            NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| self.out_of_range(NaiveDate::MIN))?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31)
            .ok_or_else(|| self.out_of_range(NaiveDate::MIN))?;
        Ok(self.working_days_between(first, last)? + i64::from(self.is_working_day(first)?))
    }
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name.to_ascii_lowercase().as_str() {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Loads the calendar in folder `base` through `read` (see
/// [`crate::policy::load::load_files`]), checking every date and source.
pub fn load(
    read: &crate::core::files::ReadFile<'_>,
    base: &str,
) -> Result<Arc<Calendar>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let join = |f: &str| {
        if base.is_empty() {
            f.to_string()
        } else {
            format!("{}/{f}", base.trim_end_matches('/'))
        }
    };
    let (name, text) = read(&join("calendar.yaml")).map_err(|e| vec![Diagnostic::unreadable(e)])?;
    let mut digest = crate::core::digest::Digest::new();
    digest.add(&name, &text);
    let file = SourceFile::new(name, text);
    let index: IndexFile = parse(&file, &mut diags).ok_or_else(|| diags.clone())?;
    let idx = LazyIndex::new(&file);
    let at = |f: &Arc<SourceFile>, idx: &LazyIndex, path: &[&str]| -> Option<Loc> {
        let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        idx.get(&p).map(|n| Loc::new(f, n.start, n.end))
    };
    let mut weekly = Vec::new();
    for (i, w) in index.weekly_days_off.iter().enumerate() {
        match weekday(w) {
            Some(d) => weekly.push(d),
            None => {
                diags.push(
                    Diagnostic::error("calendar", format!("`{w}` is not a day of the week"))
                        .at(at(&file, &idx, &["weekly_days_off", &i.to_string()])),
                )
            }
        }
    }
    let shift = match &index.holiday_shift {
        Some(s) if s.rule == "next_working_day" => Some(s),
        Some(s) => {
            diags.push(
                Diagnostic::error(
                    "calendar",
                    format!("unknown holiday shift rule `{}`", s.rule),
                )
                .at(at(&file, &idx, &["holiday_shift", "rule"]))
                .help("the rule known is `next_working_day`"),
            );
            None
        }
        None => None,
    };
    let mut cal = Calendar {
        id: index.id.clone(),
        name: index.name.clone(),
        weekly_days_off: weekly,
        weekly_source: index.weekly_days_off_source.clone(),
        shift_source: shift.map(|s| s.source.clone()),
        years: BTreeMap::new(),
        off: BTreeMap::new(),
        worked: BTreeMap::new(),
        gaps: BTreeMap::new(),
        digest: String::new(),
    };
    // A year beyond those a date may have could let working-day
    // arithmetic step outside them.
    let before = diags.len();
    for (i, y) in index.years.iter().enumerate() {
        if !crate::core::value::YEARS.contains(y) {
            diags.push(
                Diagnostic::error(
                    "calendar",
                    format!("the year {y} is outside the years 0001 to 9999 that a date may have"),
                )
                .at(at(&file, &idx, &["years", &i.to_string()])),
            );
        }
    }
    if diags.len() > before {
        return Err(diags);
    }
    let mut raw: Vec<(Arc<SourceFile>, LazyIndex, YearFile)> = Vec::new();
    // Read in order, parse in parallel, then take the years in order.
    let texts: Vec<Result<(String, String), String>> = index
        .years
        .iter()
        .map(|y| read(&join(&format!("{y}.yaml"))))
        .collect();
    for (name, text) in texts.iter().flatten() {
        digest.add(name, text);
    }
    cal.digest = digest.hex();
    let parsed = crate::core::par::map(&texts, |t| {
        let (name, text) = t.as_ref().ok()?;
        let f = SourceFile::new(name.clone(), text.clone());
        let mut ds = Vec::new();
        let yf = parse::<YearFile>(&f, &mut ds);
        let i = yf.is_some().then(|| LazyIndex::new(&f));
        Some((f, yf, i, ds))
    });
    for ((y, t), p) in index.years.iter().zip(texts).zip(parsed) {
        let (f, yf, i, ds) = match (t, p) {
            (Err(e), _) => {
                diags.push(Diagnostic::unreadable(e));
                continue;
            }
            (Ok(_), Some(p)) => p,
            (Ok(_), None) => continue,
        };
        diags.extend(ds);
        let (Some(yf), Some(i)) = (yf, i) else {
            continue;
        };
        if yf.year != *y {
            diags.push(
                Diagnostic::error(
                    "calendar",
                    format!("the file for {y} says `year: {}`", yf.year),
                )
                .at(at(&f, &i, &["year"])),
            );
        }
        cal.years.insert(
            *y,
            Year {
                year: *y,
                holidays: vec![],
                days_off: vec![],
                working_days: vec![],
                expected_shifts: vec![],
                checked_against: yf.checked_against.as_ref().map(|c| Check {
                    calendar: c.calendar.clone(),
                    working_days: c.working_days,
                    adjustments: c
                        .adjustments
                        .iter()
                        .map(|a| (a.days, a.reason.clone()))
                        .collect(),
                }),
                doubts: yf.doubts.clone(),
            },
        );
        raw.push((f, i, yf));
    }
    // Holidays first, over every year, so that a shift can see the next
    // year's holidays; then shifts; then transfers.
    let mut holidays: Vec<(NaiveDate, bool, String, String)> = Vec::new();
    for (f, i, yf) in &raw {
        for (n, h) in yf.holidays.iter().enumerate() {
            let path = ["holidays", &n.to_string(), "date"];
            let Some(d) = date_in(&h.date, yf.year, f, i, &path, &mut diags) else {
                continue;
            };
            if h.source.trim().is_empty() {
                diags.push(
                    Diagnostic::error("citation", "the holiday has no source").at(at(
                        f,
                        i,
                        &["holidays", &n.to_string()],
                    )),
                );
            }
            let name = h
                .name
                .get("en")
                .or_else(|| h.name.values().next())
                .cloned()
                .unwrap_or_default();
            if holidays.iter().any(|x| x.0 == d) {
                diags.push(
                    Diagnostic::error("calendar", format!("{d} is listed twice"))
                        .at(at(f, i, &path)),
                );
                continue;
            }
            holidays.push((d, h.religious, name, h.source.clone()));
        }
    }
    holidays.sort_by_key(|h| h.0);
    for (d, religious, name, source) in &holidays {
        let e = Entry {
            date: *d,
            reason: Reason::Holiday {
                name: name.clone(),
                religious: *religious,
            },
            source: source.clone(),
        };
        cal.off.insert(*d, e.clone());
        if let Some(y) = cal.years.get_mut(&d.year()) {
            y.holidays.push(e);
        }
    }
    // Transfers, before shifts, so that a shift does not land on a day a
    // decree already made a day off.
    let mut transfers = Vec::new();
    // A working day's file and path, located only if it needs a warning.
    let mut worked_at: Vec<(NaiveDate, usize, Vec<String>)> = Vec::new();
    for (fi, (f, i, yf)) in raw.iter().enumerate() {
        for (n, t) in yf.transfers.iter().enumerate() {
            let ns = n.to_string();
            let off = t.day_off.as_ref().and_then(|s| {
                date_in(s, yf.year, f, i, &["transfers", &ns, "day_off"], &mut diags).or(None)
            });
            let work = t.working_day.as_ref().and_then(|s| {
                // A working day for a January day off may fall in the
                // previous December.
                date_any(s, f, i, &["transfers", &ns, "working_day"], &mut diags)
            });
            if t.day_off.is_none() && t.working_day.is_none() {
                diags.push(
                    Diagnostic::error(
                        "calendar",
                        "a transfer needs `day_off`, `working_day` or both",
                    )
                    .at(at(f, i, &["transfers", &ns])),
                );
            }
            if let Some(w) = work {
                let p: Vec<String> = ["transfers", &ns, "working_day"]
                    .iter()
                    .map(|x| x.to_string())
                    .collect();
                worked_at.push((w, fi, p));
            }
            transfers.push((off, work, t.source.clone()));
        }
    }
    for (off, work, source) in &transfers {
        if let Some(o) = off {
            cal.off.insert(
                *o,
                Entry {
                    date: *o,
                    reason: Reason::Transfer { with: *work },
                    source: source.clone(),
                },
            );
        }
        if let Some(w) = work {
            cal.worked.insert(
                *w,
                Entry {
                    date: *w,
                    reason: Reason::Transfer { with: *off },
                    source: source.clone(),
                },
            );
        }
    }
    if let Some(rule) = shift {
        for (d, religious, name, _) in &holidays {
            if !cal.weekly_days_off.contains(&d.weekday())
                || cal.worked.contains_key(d)
                || (*religious && rule.except_religious)
            {
                continue;
            }
            // The next day that is neither a weekly day off nor already off.
            let mut day = *d;
            while let Some(next) = day.succ_opt() {
                day = next;
                let weekly =
                    cal.weekly_days_off.contains(&day.weekday()) && !cal.worked.contains_key(&day);
                if !weekly && !cal.off.contains_key(&day) {
                    cal.off.insert(
                        day,
                        Entry {
                            date: day,
                            reason: Reason::Shift {
                                holiday: *d,
                                name: name.clone(),
                            },
                            source: rule.source.clone(),
                        },
                    );
                    break;
                }
            }
        }
    }
    // A transfer's working day should be a day that was off.
    for (w, fi, p) in worked_at {
        if !cal.weekly_days_off.contains(&w.weekday()) && !cal.off.contains_key(&w) {
            let (f, i, _) = &raw[fi];
            let loc = i.get(&p).map(|n| Loc::new(f, n.start, n.end));
            diags.push(
                Diagnostic::warning(
                    "calendar",
                    format!("{w} is made a working day but was not a day off"),
                )
                .at(loc),
            );
        }
    }
    for (f, i, yf) in &raw {
        if let Some(y) = cal.years.get_mut(&yf.year) {
            for (n, s) in yf.shifts.iter().enumerate() {
                let ns = n.to_string();
                let h = date_any(&s.holiday, f, i, &["shifts", &ns, "holiday"], &mut diags);
                let o = date_any(&s.day_off, f, i, &["shifts", &ns, "day_off"], &mut diags);
                if let (Some(h), Some(o)) = (h, o) {
                    y.expected_shifts.push((h, o));
                }
            }
        }
    }
    for e in cal.off.values() {
        let weekly = cal.weekly_days_off.contains(&e.date.weekday());
        if let Some(y) = cal.years.get_mut(&e.date.year())
            && !weekly
        {
            y.days_off.push(e.clone());
        }
    }
    for e in cal.worked.values() {
        if let Some(y) = cal.years.get_mut(&e.date.year()) {
            y.working_days.push(e.clone());
        }
    }
    // A year between the first and the last without data: a question
    // about it names the file to add, or the year to list.
    let listed: Vec<i32> = cal.years.keys().copied().collect();
    for w in listed.windows(2) {
        for y in w[0] + 1..w[1] {
            let year_file = file
                .name
                .strip_suffix("calendar.yaml")
                .map(|dir| format!("{dir}{y}.yaml"))
                .unwrap_or_else(|| join(&format!("{y}.yaml")));
            let why = match read(&join(&format!("{y}.yaml"))) {
                Ok((name, _)) => format!(
                    "the file `{}` is there, but {y} is not among the `years` of `{}`",
                    crate::core::text::escape(&name),
                    crate::core::text::escape(&file.name)
                ),
                Err(_) => format!(
                    "the file `{}` is missing (and {y} is not among the `years` of `{}`)",
                    crate::core::text::escape(&year_file),
                    crate::core::text::escape(&file.name)
                ),
            };
            cal.gaps.insert(y, why);
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        crate::core::diag::sort(&mut diags);
        return Err(diags);
    }
    Ok(Arc::new(cal))
}

fn parse<T: serde::de::DeserializeOwned>(
    file: &Arc<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    // Small files: the index finds a key written twice (a label's language).
    match yaml::from_str_indexed::<T>(&file.text, &yaml::PosIndex::new(&file.text)) {
        Ok(v) => Some(v),
        Err(e) => {
            let (loc, help) = crate::core::yaml::error_place(file, &e);
            diags.push(
                Diagnostic::error("yaml", e.message)
                    .at(loc)
                    .in_file(file.name.clone())
                    .help(help),
            );
            None
        }
    }
}

fn date_any(
    s: &str,
    f: &Arc<SourceFile>,
    i: &LazyIndex,
    path: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    match crate::core::value::parse_date(s) {
        Some(d) => Some(d),
        None => {
            let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            let loc = i.get(&p).map(|n| Loc::new(f, n.start, n.end));
            diags.push(
                Diagnostic::error("date", format!("`{s}` is not a date"))
                    .at(loc)
                    .help(crate::core::value::date_help(s)),
            );
            None
        }
    }
}

fn date_in(
    s: &str,
    year: i32,
    f: &Arc<SourceFile>,
    i: &LazyIndex,
    path: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    let d = date_any(s, f, i, path, diags)?;
    if d.year() != year {
        let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        let loc = i.get(&p).map(|n| Loc::new(f, n.start, n.end));
        diags.push(
            Diagnostic::error(
                "calendar",
                format!("{d} is not in {year}, the year of this file"),
            )
            .at(loc),
        );
        return None;
    }
    Some(d)
}

/// Loads a calendar folder from disk.
pub fn load_dir(dir: &std::path::Path) -> Result<Arc<Calendar>, Vec<Diagnostic>> {
    let read = |rel: &str| -> Result<(String, String), String> {
        let p = dir.join(rel);
        crate::core::files::read_policy_file(&p).map(|t| (p.display().to_string(), t))
    };
    load(&read, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index of days answers as the searches it replaces, for every
    /// day of the years covered and of the years around them.
    #[test]
    fn the_index_of_days_answers_as_the_searches() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/policies/calendars/example");
        let plain = load_dir(&dir).expect("the calendar loads");
        let index = DayIndex::of(&plain).expect("an index");
        let cal = Indexed {
            calendar: &plain,
            index: Some(&index),
        };
        let plain = plain.plain();
        let first = *cal.calendar.years.keys().next().unwrap();
        let last = *cal.calendar.years.keys().next_back().unwrap();
        let start = NaiveDate::from_ymd_opt(first - 1, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(last + 1, 12, 31).unwrap();
        let mut working = 0;
        for d in start.iter_days().take_while(|d| *d <= end) {
            assert_eq!(cal.is_working_day(d), plain.is_working_day(d), "{d}");
            assert_eq!(cal.covers(d), plain.covers(d), "{d}");
            assert_eq!(cal.next_working_day(d), plain.next_working_day(d), "{d}");
            for n in [-12, -1, 0, 1, 5, 30] {
                assert_eq!(
                    cal.add_working_days(d, n),
                    plain.add_working_days(d, n),
                    "{d} {n}"
                );
            }
            working += i32::from(cal.is_working_day(d) == Ok(true));
        }
        assert!(working > 200 * (last - first + 1), "{working}");
    }
}
