//! The packages a service decides with, and how they are reloaded: each
//! package is loaded and checked in full before it replaces the one it
//! follows, and a request holds the packages it started with until it
//! ends, whatever a reload does meanwhile.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::core::diag::Diagnostic;
use crate::engine::Plan;
use crate::policy::Policy;

/// Where a package is loaded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The package built into the binary.
    Embedded,
    /// A folder with a policy.yaml, or a manifest file.
    Dir(PathBuf),
}

impl Source {
    /// How logs and the reload's report name it.
    pub fn name(&self) -> String {
        match self {
            Source::Embedded => "the built-in package".into(),
            Source::Dir(p) => crate::core::text::escape(&p.display().to_string()).into_owned(),
        }
    }

    /// Loads and checks the package.
    pub fn load(&self) -> Result<crate::policy::Loaded, Vec<Diagnostic>> {
        match self {
            Source::Embedded => crate::policy::embedded::default_policy(),
            Source::Dir(p) => crate::policy::load_dir(p),
        }
    }
}

/// A package ready to decide with.
#[derive(Debug)]
pub struct Package {
    pub source: Source,
    pub plan: Plan,
    /// The warnings its check gave.
    pub warnings: Vec<Diagnostic>,
}

impl Package {
    pub fn policy(&self) -> &Policy {
        self.plan.policy()
    }

    pub fn id(&self) -> &str {
        &self.policy().meta.id
    }
}

/// The packages served, in the order they were given.
#[derive(Debug, Default)]
pub struct Packages {
    pub list: Vec<Arc<Package>>,
    /// How many times the packages were replaced since the start.
    pub generation: u64,
}

impl Packages {
    pub fn get(&self, id: &str) -> Option<&Arc<Package>> {
        self.list.iter().find(|p| p.id() == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.list.iter().map(|p| p.id()).collect()
    }
}

/// Loads every source for the start: any that fails to load fails the
/// start, and two sources of the same policy are refused.
pub fn load_all(sources: &[Source]) -> Result<Packages, Vec<Diagnostic>> {
    let mut list: Vec<Arc<Package>> = Vec::new();
    let mut diags = Vec::new();
    for source in sources {
        match source.load() {
            Ok(loaded) => {
                let package = Package {
                    source: source.clone(),
                    plan: Plan::new(loaded.policy),
                    warnings: loaded.warnings,
                };
                if let Some(first) = list.iter().find(|p| p.id() == package.id()) {
                    diags.push(
                        Diagnostic::error(
                            "usage",
                            format!(
                                "{} and {} are both the policy `{}`: a service serves each policy once",
                                first.source.name(),
                                source.name(),
                                package.id()
                            ),
                        )
                        .help("serve one of them, or give the other its own id"),
                    );
                    continue;
                }
                list.push(Arc::new(package));
            }
            Err(d) => diags.extend(d),
        }
    }
    match diags.iter().any(Diagnostic::is_error) {
        true => Err(diags),
        false => Ok(Packages {
            list,
            generation: 0,
        }),
    }
}

/// What a reload did to one package.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Reloaded {
    /// The package's source: a folder, or `the built-in package`.
    pub source: String,
    /// The policy's id (its old one when the new one failed to load).
    pub policy: Option<String>,
    /// `replaced` (a new package now serves), `unchanged` (the same hash:
    /// kept as it was) or `failed` (the old package keeps serving).
    pub status: &'static str,
    /// The hash of the package now serving.
    pub hash: Option<String>,
    /// Why the new package was not swapped in, with file, line and column.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: serde_json::Value,
}

/// The packages being served, swapped whole on a reload.
#[derive(Debug)]
pub struct Registry {
    current: RwLock<Arc<Packages>>,
    /// One reload at a time.
    reloading: tokio::sync::Mutex<()>,
}

impl Registry {
    pub fn new(packages: Packages) -> Registry {
        Registry {
            current: RwLock::new(Arc::new(packages)),
            reloading: tokio::sync::Mutex::new(()),
        }
    }

    /// The packages now: a request keeps them until it ends.
    pub fn current(&self) -> Arc<Packages> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Loads every package again, off the async threads, and swaps in
    /// those that check; one that fails leaves the old one serving.
    pub async fn reload(self: &Arc<Self>) -> Vec<Reloaded> {
        let _one = self.reloading.lock().await;
        let old = self.current();
        let sources: Vec<Source> = old.list.iter().map(|p| p.source.clone()).collect();
        let loads = tokio::task::spawn_blocking(move || {
            sources
                .into_iter()
                .map(|s| {
                    let r = s.load();
                    (s, r)
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let mut list = Vec::new();
        let mut report = Vec::new();
        for ((source, loaded), before) in loads.into_iter().zip(&old.list) {
            let diags = |d: &[Diagnostic]| {
                let mut d = d.to_vec();
                crate::core::diag::sort(&mut d);
                crate::core::diag::json(&d)
            };
            match loaded {
                Ok(l) if l.policy.meta.id != before.id() => {
                    let d = Diagnostic::error(
                        "reload",
                        format!(
                            "{} now holds the policy `{}`, not `{}`: a reload does not change what a package is",
                            source.name(),
                            l.policy.meta.id,
                            before.id()
                        ),
                    )
                    .help("restart the service to serve another policy");
                    report.push(Reloaded {
                        source: source.name(),
                        policy: Some(before.id().to_string()),
                        status: "failed",
                        hash: Some(before.policy().digest.clone()),
                        diagnostics: diags(&[d]),
                    });
                    list.push(before.clone());
                }
                Ok(l) if l.policy.digest == before.policy().digest => {
                    report.push(Reloaded {
                        source: source.name(),
                        policy: Some(before.id().to_string()),
                        status: "unchanged",
                        hash: Some(before.policy().digest.clone()),
                        diagnostics: diags(&l.warnings),
                    });
                    list.push(before.clone());
                }
                Ok(l) => {
                    let warnings = l.warnings;
                    let plan = tokio::task::spawn_blocking(move || Plan::new(l.policy))
                        .await
                        .ok();
                    let Some(plan) = plan else {
                        list.push(before.clone());
                        continue;
                    };
                    report.push(Reloaded {
                        source: source.name(),
                        policy: Some(plan.policy().meta.id.clone()),
                        status: "replaced",
                        hash: Some(plan.policy().digest.clone()),
                        diagnostics: diags(&warnings),
                    });
                    list.push(Arc::new(Package {
                        source,
                        plan,
                        warnings,
                    }));
                }
                Err(d) => {
                    report.push(Reloaded {
                        source: source.name(),
                        policy: Some(before.id().to_string()),
                        status: "failed",
                        hash: Some(before.policy().digest.clone()),
                        diagnostics: diags(&d),
                    });
                    list.push(before.clone());
                }
            }
        }
        if report.iter().any(|r| r.status == "replaced") {
            let next = Packages {
                list,
                generation: old.generation + 1,
            };
            *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
        }
        report
    }
}
