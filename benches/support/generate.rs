//! A deterministic generator of applications for the benchmarks: the same
//! count and seed give the same bytes on every machine.
//!
//! Every application is an `issue` of the default policy, submitted from
//! February 2021 to December 2022 (an edition whose wording is encoded), for a profession
//! or position of the List given by its id or its unique official name,
//! with education, experience, documents and the commission's findings
//! varied so that every outcome and every ground occurs.

use std::io::Write;

/// A profession or position of the List: its id, its official name when
/// no other entry shares it, and the levels it states (own or inherited).
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: String,
    pub name: Option<String>,
    pub levels: Vec<i64>,
}

/// The professions and positions of the List file at `path`, in file order.
pub fn entries(path: &std::path::Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(path).expect("the List file");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("the List parses");
    let mut out = Vec::new();
    let top = &doc["catalogues"]["list"]["entries"];
    walk(top, &[], &mut out);
    let mut counts = std::collections::HashMap::new();
    for e in &out {
        if let Some(n) = &e.name {
            *counts.entry(n.clone()).or_insert(0) += 1;
        }
    }
    for e in &mut out {
        if e.name.as_ref().is_some_and(|n| counts[n] > 1) {
            e.name = None;
        }
    }
    out
}

fn walk(list: &serde_yaml::Value, inherited: &[i64], out: &mut Vec<Entry>) {
    let Some(items) = list.as_sequence() else {
        return;
    };
    for e in items {
        let levels: Vec<i64> = match e["levels"].as_sequence() {
            Some(ls) => ls.iter().filter_map(|l| l.as_i64()).collect(),
            None => inherited.to_vec(),
        };
        let kind = e["kind"].as_str().unwrap_or_default();
        if kind == "profession" || kind == "position" {
            out.push(Entry {
                id: e["id"].as_str().unwrap_or_default().to_string(),
                name: e["name"]["kk"].as_str().map(str::to_string),
                levels: levels.clone(),
            });
        }
        walk(&e["children"], &levels, out);
    }
}

/// A linear congruential generator (Knuth's MMIX constants).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Writes `n` applications, one JSON object a line.
pub fn write(out: &mut impl Write, n: usize, seed: u64, list: &[Entry]) -> std::io::Result<()> {
    let mut r = Lcg::new(seed);
    for _ in 0..n {
        let e = &list[r.below(list.len() as u64) as usize];
        let profession = match (&e.name, r.chance(50)) {
            (Some(name), true) => name.as_str(),
            _ => e.id.as_str(),
        };
        let year = 2021 + r.below(2);
        // From February 2021: the wording of Order 537 (in force on or
        // after 5 January 2021) is the one encoded.
        let month = if year == 2021 {
            2 + r.below(11)
        } else {
            1 + r.below(12)
        };
        let day = 1 + r.below(28);
        let hour = 8 + r.below(11);
        let level = 4 + r.below(5);
        let higher = r.chance(80);
        let degree = r.chance(25);
        let english = r.chance(10);
        let years = r.below(16);
        let months = r.below(12);
        let mut docs = vec!["application", "identity_document"];
        if r.chance(90) {
            docs.push(if english && r.chance(50) {
                "english_teaching_certificate"
            } else {
                "education_documents"
            });
        }
        if r.chance(95) {
            docs.push("employment_record");
        }
        let expired = if r.chance(3) {
            r#", "expired_documents": ["identity_document"]"#
        } else {
            ""
        };
        let findings = match r.below(10) {
            0 => String::new(),
            1 => r#", "findings": {"qualification_requirements_met": false}"#.to_string(),
            2 => r#", "findings": {"qualification_requirements_met": true, "documents_unreliable": true}"#.to_string(),
            _ => r#", "findings": {"qualification_requirements_met": true}"#.to_string(),
        };
        let months_field = if r.chance(50) {
            format!(r#", "months": {months}"#)
        } else {
            String::new()
        };
        let docs = docs
            .iter()
            .map(|d| format!("\"{d}\""))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(
            out,
            r#"{{"service": "issue", "submitted_at": "{year}-{month:02}-{day:02}T{hour:02}:30", "profession": "{profession}", "qualification_level": {level}, "education": {{"higher_in_specialty": {higher}, "academic_degree_in_specialty": {degree}, "english_teaching_certificate": {english}}}, "experience_in_specialty": {{"years": {years}{months_field}}}, "documents": [{docs}]{expired}{findings}}}"#
        )?;
    }
    Ok(())
}
