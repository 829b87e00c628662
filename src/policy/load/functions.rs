//! The `functions` section: small pure functions of the package, each with
//! typed parameters and an expression over them (and the policy's
//! parameters), checked in an order where each follows the functions it
//! calls; a function that calls itself, directly or not, is refused.

use std::collections::{HashMap, HashSet};

use super::context::{Common, Decls, Loader};
use super::err::LoadError;
use crate::lang::ast::{ExprKind, Resolution};
use crate::lang::check::{Env, TypeErrorKind};
use crate::lang::env::UserFunction;
use crate::lang::types::Type;
use crate::policy::model::FunctionDecl;
use crate::policy::{Code, Function, Info};

/// The deepest chain of calls of the package's functions, one calling the
/// next: enough for any rule a person writes, and far from the
/// evaluator's stack.
pub(crate) const MAX_CALL_DEPTH: usize = 32;

/// A function as declared, its types and body parsed.
struct Parsed {
    name: String,
    file: usize,
    params: Vec<(String, Type)>,
    returns: Option<Type>,
    code: Option<Code>,
    info: Info,
}

impl Loader {
    /// Checks the package's functions and makes them callable in `env`.
    /// `values` are the names of the computed values, which a function may
    /// not read (nor may it read inputs).
    pub(super) fn functions(
        &mut self,
        decls: &Decls<FunctionDecl>,
        env: &mut Env,
        values: &HashSet<&str>,
        computing: &HashSet<&str>,
    ) -> Vec<Function> {
        let parsed: Vec<Parsed> = decls
            .iter()
            .map(|(name, (f, d))| self.parse_function(name, *f, d, env))
            .collect();
        // Every function is callable from the start, as `any` until its
        // body is checked (or as declared).
        for (place, p) in parsed.iter().enumerate() {
            let u = UserFunction {
                place,
                params: p.params.clone(),
                returns: p.returns.clone().unwrap_or(Type::Any),
            };
            env.functions.insert(p.name.clone(), u);
        }
        let order = self.call_order(&parsed, env);
        self.call_depth(&parsed, env, &order);
        // A function's body reads its parameters, the policy's parameters,
        // tables, catalogues, calendars and functions; not inputs, nor
        // values.
        let mut pure = Env {
            evaluation_date: crate::lang::env::DateUse::Unknown(
                "a function gives the same result for the same arguments: pass the date as an argument",
            ),
            tables: env.tables.clone(),
            calendars: env.calendars.clone(),
            catalogues: HashMap::new(),
            functions: env.functions.clone(),
            // A body reads no computed value.
            mixed: Default::default(),
            globals: env
                .globals
                .iter()
                .filter(|(_, (r, _))| matches!(r, Resolution::Param(_)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        std::mem::swap(&mut pure.catalogues, &mut env.catalogues);
        let mut out: Vec<Option<Function>> = parsed.iter().map(|_| None).collect();
        let mut slots: Vec<Option<Parsed>> = parsed.into_iter().map(Some).collect();
        for i in order {
            let Some(p) = slots[i].take() else { continue };
            let f = self.check_function(p, &pure, env, values, computing);
            if let Some(f) = &f {
                let u = UserFunction {
                    place: i,
                    params: f.params.clone(),
                    returns: f.returns.clone(),
                };
                pure.functions.insert(f.name.clone(), u.clone());
                env.functions.insert(f.name.clone(), u);
            }
            out[i] = f;
        }
        std::mem::swap(&mut pure.catalogues, &mut env.catalogues);
        // A function that did not check leaves an error, so the policy
        // does not load: its place need not be kept.
        out.into_iter().flatten().collect()
    }

    fn parse_function(&mut self, name: &str, f: usize, d: &FunctionDecl, env: &Env) -> Parsed {
        let base = ["functions", name];
        let info = self.item(f, &base, Common::of(d));
        if crate::lang::functions::find(name).is_some() {
            let loc = self.loc(f, &base, true);
            self.fail(LoadError::BuiltinName(name.to_string()), loc);
        }
        let mut params = Vec::new();
        for (p, t) in &d.params {
            let path = ["functions", name, "params", p.as_str()];
            // The policy's parameters are the only other names a body
            // reads: a function's parameter may not hide one. (Inputs and
            // values are out of a body's sight, so their names are free.)
            let what = match env.globals.get(p) {
                Some((Resolution::Param(_), _)) => Some("a parameter of the policy"),
                _ => None,
            };
            if let Some(what) = what {
                let loc = self.loc(f, &path, true);
                let e = LoadError::ParamName {
                    function: name.to_string(),
                    param: p.clone(),
                    what,
                };
                self.fail(e, loc);
            }
            let ty = self.ty(f, &path, t).unwrap_or(Type::Any);
            params.push((p.clone(), ty));
        }
        let returns = d
            .returns
            .as_ref()
            .and_then(|t| self.ty(f, &["functions", name, "returns"], t));
        let code = self.code(f, &["functions", name, "expr"], &d.expr);
        Parsed {
            name: name.to_string(),
            file: f,
            params,
            returns,
            code,
            info,
        }
    }

    /// An order of the functions in which each follows those it calls;
    /// reports every function that calls itself, directly or not.
    fn call_order(&mut self, parsed: &[Parsed], env: &Env) -> Vec<usize> {
        let deps: Vec<Vec<usize>> = parsed
            .iter()
            .map(|p| {
                let mut d = Vec::new();
                if let Some(code) = &p.code {
                    code.expr.walk(&mut |e| {
                        if let ExprKind::Call(c) = &e.kind
                            && let Some(u) = env.functions.get(&c.func.node)
                            && !d.contains(&u.place)
                        {
                            d.push(u.place);
                        }
                    });
                }
                d
            })
            .collect();
        let (order, cycles) = super::values::topological(&deps);
        let mut reported = HashSet::new();
        for cycle in cycles {
            if cycle.iter().any(|c| reported.contains(c)) {
                continue;
            }
            reported.extend(cycle.iter().copied());
            let first = &parsed[cycle[0]];
            let mut names: Vec<String> = cycle.iter().map(|&c| parsed[c].name.clone()).collect();
            names.push(first.name.clone());
            let loc = self.loc(first.file, &["functions", &first.name, "expr"], false);
            let e = LoadError::Recursion {
                function: first.name.clone(),
                cycle: names,
            };
            self.fail(e, loc);
        }
        order
    }

    /// Refuses a chain of calls deeper than [`MAX_CALL_DEPTH`]: each call
    /// is a frame of the evaluator, and a package must not be able to
    /// exhaust its stack. `order` has every function after those it calls.
    fn call_depth(&mut self, parsed: &[Parsed], env: &Env, order: &[usize]) {
        let mut depth = vec![1usize; parsed.len()];
        for &i in order {
            let mut deepest = 0;
            if let Some(code) = &parsed[i].code {
                code.expr.walk(&mut |e| {
                    if let ExprKind::Call(c) = &e.kind
                        && let Some(u) = env.functions.get(&c.func.node)
                        && u.place != i
                    {
                        deepest = deepest.max(depth[u.place]);
                    }
                });
            }
            depth[i] = deepest + 1;
        }
        // Reported where a chain crosses the limit: the function whose
        // calls make it one too deep (those above it are deeper still).
        for (i, p) in parsed.iter().enumerate() {
            if depth[i] == MAX_CALL_DEPTH + 1 {
                let loc = self.loc(p.file, &["functions", &p.name, "expr"], false);
                let e = LoadError::CallDepth {
                    function: p.name.clone(),
                    depth: depth[i],
                    max: MAX_CALL_DEPTH,
                };
                self.fail(e, loc);
            }
        }
    }

    /// Checks a function's body with its parameters bound; reading an
    /// input or a computed value is an error that says why.
    fn check_function(
        &mut self,
        p: Parsed,
        pure: &Env,
        full: &Env,
        values: &HashSet<&str>,
        computing: &HashSet<&str>,
    ) -> Option<Function> {
        let mut code = p.code?;
        // A lookup in a table whose rows compute their results from the
        // inputs and values would make the function read them.
        let mut impure = Vec::new();
        code.expr.walk(&mut |e| {
            if let ExprKind::Call(c) = &e.kind
                && c.func.node == "lookup"
                && let Some(first) = c.args.first()
                && let ExprKind::Name(n) = &first.kind
                && computing.contains(n.id.as_str())
            {
                impure.push((n.id.clone(), first.span));
            }
        });
        if let Some((table, span)) = impure.into_iter().next() {
            let loc = Some(code.site.loc(span));
            let e = LoadError::ImpureTable {
                table,
                function: p.name.clone(),
                what: "the inputs, parameters and values".into(),
            };
            self.fail(e, loc);
            return None;
        }
        let found = match crate::lang::check::check_with(&mut code.expr, pure, p.params.clone()) {
            Ok(t) => {
                code.collect_refs();
                t
            }
            Err(errs) => {
                for mut e in errs {
                    if let TypeErrorKind::UnknownName(n) = &e.kind
                        && (values.contains(n.as_str()) || full.globals.contains_key(n))
                    {
                        e.kind = TypeErrorKind::NotPure(p.name.clone(), n.clone());
                        e.help = Some(
                            "pass it as an argument: a function gives the same result for the same arguments"
                                .into(),
                        );
                    }
                    let loc = Some(code.site.loc(e.span));
                    self.fail(LoadError::Check(e), loc);
                }
                return None;
            }
        };
        let returns = match p.returns {
            Some(d) if !found.fits(&d) => {
                let loc = Some(code.site.loc(code.expr.span));
                let e = LoadError::Declared {
                    declared: d.clone(),
                    found,
                };
                self.fail(e, loc);
                d
            }
            Some(d) => d,
            None => found,
        };
        Some(Function {
            name: p.name,
            params: p.params,
            returns,
            code,
            info: p.info,
        })
    }
}
