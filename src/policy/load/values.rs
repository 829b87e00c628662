//! The `values` section: computed values, parsed, put in an order where
//! each follows those it reads, then checked in that order.

use std::collections::{HashMap, HashSet};

use super::context::{Common, Decls, Loader};
use super::err::LoadError;
use crate::lang::ast::{ExprKind, Resolution};
use crate::lang::check::{EVALUATION_DATE, Env};
use crate::lang::types::Type;
use crate::policy::model::{FieldDecl, ParamDecl, ValueDecl};
use crate::policy::{Code, Computed, Info};

/// A computed value as declared, its expressions parsed.
pub(super) struct Parsed {
    name: String,
    /// The file it is declared in.
    file: usize,
    code: Option<Code>,
    declared: Option<Type>,
    info: Info,
    when: Option<Code>,
    /// For an `any_of` value, each option's id, condition and citation.
    options: Vec<(String, Option<Code>, Info)>,
    unit: Option<String>,
}

/// The table names given as first arguments of `lookup`, which name
/// tables rather than values.
fn table_args(e: &crate::lang::ast::Expr) -> Vec<&crate::lang::ast::Expr> {
    let mut out = Vec::new();
    e.walk(&mut |x| {
        if let ExprKind::Call(c) = &x.kind
            && c.func.node == "lookup"
            && let Some(first) = c.args.first()
        {
            out.push(first);
        }
    });
    out
}

impl Loader {
    /// Reports a name that is more than one of an input field, a parameter
    /// and a computed value.
    pub(super) fn names(
        &mut self,
        input: &Decls<FieldDecl>,
        params: &Decls<ParamDecl>,
        values: &Decls<ValueDecl>,
    ) {
        let mut owner: HashMap<&str, &str> = HashMap::new();
        for n in input.keys() {
            owner.insert(n, "an input field");
        }
        let reserved = [
            (
                input.get(EVALUATION_DATE).map(|d| d.0),
                "input",
                "an input field",
            ),
            (
                params.get(EVALUATION_DATE).map(|d| d.0),
                "parameters",
                "a parameter",
            ),
            (
                values.get(EVALUATION_DATE).map(|d| d.0),
                "values",
                "a computed value",
            ),
        ];
        for (f, section, what) in reserved {
            if let Some(f) = f {
                let loc = self.loc(f, &[section, EVALUATION_DATE], true);
                self.fail(LoadError::ReservedName(what), loc);
            }
        }
        for (n, (f, _)) in params {
            if let Some(o) = owner.insert(n, "a parameter") {
                let loc = self.loc(*f, &["parameters", n], true);
                let e = LoadError::NameClash {
                    name: n.clone(),
                    first: o,
                    second: "a parameter",
                };
                self.fail(e, loc);
            }
        }
        for (n, (f, _)) in values {
            if let Some(o) = owner.insert(n, "a value") {
                let loc = self.loc(*f, &["values", n], true);
                let e = LoadError::NameClash {
                    name: n.clone(),
                    first: o,
                    second: "a computed value",
                };
                self.fail(e, loc);
            }
        }
    }

    /// Parses the computed values' types and expressions.
    pub(super) fn parse_values(&mut self, values: &Decls<ValueDecl>) -> Vec<Parsed> {
        let mut out = Vec::new();
        for (name, (f, d)) in values {
            let f = *f;
            let base = ["values", name.as_str()];
            let mut info = self.item(f, &base, Common::of(d));
            let item = format!("value `{name}`");
            self.interval(f, &base, &item, &d.in_force, &mut info);
            let declared = match &d.ty {
                Some(t) => self.ty(f, &[base[0], base[1], "type"], t),
                None => None,
            };
            let mut options = Vec::new();
            let code = match (&d.expr, &d.any_of) {
                (Some(e), None) => self.code(f, &[base[0], base[1], "expr"], e),
                (None, Some(opts)) if !opts.is_empty() => {
                    for (id, o) in opts {
                        let path = [base[0], base[1], "any_of", id.as_str()];
                        let common = Common::of(o);
                        let oinfo = self.item(f, &path, common);
                        let when =
                            self.code(f, &[path[0], path[1], path[2], path[3], "when"], &o.when);
                        options.push((id.clone(), when, oinfo));
                    }
                    // What the value means: its options joined by `or`.
                    let joined: Vec<String> = opts
                        .values()
                        .map(|o| format!("({})", o.when.trim()))
                        .collect();
                    self.code(f, &[base[0], base[1], "any_of"], &joined.join(" or "))
                }
                _ => {
                    let loc = self.loc(f, &base, true);
                    self.fail(LoadError::ValueKind(name.clone()), loc);
                    None
                }
            };
            let when = d
                .when
                .as_ref()
                .and_then(|w| self.code(f, &[base[0], base[1], "when"], w));
            out.push(Parsed {
                name: name.clone(),
                file: f,
                code,
                declared,
                info,
                when,
                options,
                unit: d.unit.clone(),
            });
        }
        out
    }

    /// Checks the computed values in an order where each follows the values
    /// it reads, adding each to `env` as it is checked. Every value is
    /// visible from the start, as `any` until checked, so that a value in a
    /// cycle (reported here) raises no more errors.
    pub(super) fn values(
        &mut self,
        parsed: Vec<Parsed>,
        env: &mut Env,
        tables: &[crate::policy::Table],
    ) -> Vec<Computed> {
        let order = self.order(&parsed, tables);
        for v in &parsed {
            env.globals
                .insert(v.name.clone(), (Resolution::Value(usize::MAX), Type::Any));
        }
        let mut out = Vec::new();
        let mut slots = parsed.into_iter().map(Some).collect::<Vec<_>>();
        for ix in order {
            let Some(v) = slots[ix].take() else {
                continue;
            };
            let name = v.name.clone();
            let ty = match self.value(v, env) {
                Ok((c, mixed)) => {
                    let ty = c.ty.clone();
                    out.push(c);
                    if mixed {
                        env.mixed.insert(name.clone());
                    }
                    ty
                }
                Err(ty) => ty,
            };
            let res = Resolution::Value(out.len().saturating_sub(1));
            env.globals.insert(name, (res, ty));
        }
        out
    }

    /// Checks one computed value, and whether it is text that mixes an
    /// enumeration's members with other text; without an expression that
    /// parsed, its declared type (or `any`) for the values that read it.
    fn value(&mut self, v: Parsed, env: &Env) -> Result<(Computed, bool), Type> {
        let Parsed {
            name,
            file,
            code,
            declared,
            mut info,
            when,
            options,
            unit,
            ..
        } = v;
        let any_of = !options.is_empty();
        // Each option is a condition of its own, checked (and its errors
        // reported) before the `or` of them all.
        let mut alternatives = Vec::new();
        let mut all_fine = true;
        for (id, when, info) in options {
            match when.and_then(|mut w| self.check_bool(&mut w, env).then_some(w)) {
                Some(when) => alternatives.push(crate::policy::Alternative { id, when, info }),
                None => all_fine = false,
            }
        }
        if any_of
            && let Some(d) = &declared
            && !Type::Bool.fits(d)
        {
            let loc = code.as_ref().map(|c| c.site.loc(c.expr.span));
            let e = LoadError::AnyOfType {
                value: name.clone(),
                declared: d.clone(),
            };
            self.fail(e, loc);
        }
        let Some(mut code) = code.filter(|_| all_fine) else {
            return Err(declared.unwrap_or(if any_of { Type::Bool } else { Type::Any }));
        };
        let checked = self.check_code_as(&mut code, env, declared.as_ref());
        let mixed = checked.as_ref().is_some_and(|c| c.mixed);
        let ty = match (&declared, checked.map(|c| c.ty)) {
            (Some(d), Some(t)) if !t.fits(d) => {
                let loc = Some(code.site.loc(code.expr.span));
                let e = LoadError::Declared {
                    declared: d.clone(),
                    found: t,
                };
                self.fail(e, loc);
                d.clone()
            }
            (Some(d), _) => d.clone(),
            (None, Some(t)) => t,
            (None, None) => Type::Any,
        };
        let when = when.and_then(|mut w| self.check_bool(&mut w, env).then_some(w));
        info.unit = self.unit(file, &["values", &name], &unit, &ty);
        Ok((
            Computed {
                ty,
                code,
                when,
                info,
                name,
                options: alternatives,
            },
            mixed,
        ))
    }

    /// An order of the computed values in which each follows the values it
    /// reads; reports every cycle.
    /// A lookup in a table whose rows compute their results reads what
    /// those expressions read.
    fn order(&mut self, vals: &[Parsed], tables: &[crate::policy::Table]) -> Vec<usize> {
        let index: HashMap<&str, usize> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.as_str(), i))
            .collect();
        // The names each table's result expressions read.
        let mut read_by_table: HashMap<&str, Vec<&str>> = HashMap::new();
        for t in tables {
            let names = read_by_table.entry(t.name.as_str()).or_default();
            for code in t.rows.iter().filter_map(|r| r.then_code.as_ref()) {
                code.expr.walk(&mut |e| {
                    if let ExprKind::Name(n) = &e.kind {
                        names.push(n.id.as_str());
                    }
                });
            }
        }
        let deps: Vec<Vec<usize>> = vals
            .iter()
            .map(|v| {
                let mut d = Vec::new();
                let options = v.options.iter().filter_map(|(_, w, _)| w.as_ref());
                for code in v.code.iter().chain(v.when.iter()).chain(options) {
                    let tables = table_args(&code.expr);
                    for t in &tables {
                        let ExprKind::Name(n) = &t.kind else { continue };
                        let read = read_by_table.get(n.id.as_str()).into_iter().flatten();
                        for name in read {
                            if let Some(&i) = index.get(name)
                                && !d.contains(&i)
                            {
                                d.push(i);
                            }
                        }
                    }
                    code.expr.walk(&mut |e| {
                        if tables.iter().any(|t| std::ptr::eq(*t, e)) {
                            return;
                        }
                        if let ExprKind::Name(n) = &e.kind
                            && let Some(&i) = index.get(n.id.as_str())
                            && !d.contains(&i)
                        {
                            d.push(i);
                        }
                    });
                }
                d
            })
            .collect();
        let (order, cycles) = topological(&deps);
        let mut reported: HashSet<usize> = HashSet::new();
        for cycle in cycles {
            if cycle.iter().any(|c| reported.contains(c)) {
                continue;
            }
            reported.extend(cycle.iter().copied());
            let first = &vals[cycle[0]];
            let mut names: Vec<String> = cycle.iter().map(|&c| vals[c].name.clone()).collect();
            names.push(first.name.clone());
            let loc = self.loc(first.file, &["values", &first.name, "expr"], false);
            let e = LoadError::Cycle {
                value: first.name.clone(),
                cycle: names,
            };
            self.fail(e, loc);
        }
        order
    }
}

/// An order of the nodes of a graph, each after its dependencies `deps`,
/// and the cycles met on the way, each as the nodes on it.
pub(super) fn topological(deps: &[Vec<usize>]) -> (Vec<usize>, Vec<Vec<usize>>) {
    // A depth-first search with a stack of its own, not the thread's: a
    // chain of a hundred thousand values is as deep, and would overflow.
    // 0 = not visited, 1 = on the path, 2 = done.
    let mut state = vec![0u8; deps.len()];
    let mut order = Vec::new();
    let mut cycles = Vec::new();
    // The path: each value on it and how many of its dependencies are seen.
    let mut path: Vec<(usize, usize)> = Vec::new();
    for start in 0..deps.len() {
        if state[start] != 0 {
            continue;
        }
        state[start] = 1;
        path.push((start, 0));
        while let Some(top) = path.last_mut() {
            let (i, next) = *top;
            match deps[i].get(next) {
                Some(&d) => {
                    top.1 += 1;
                    match state[d] {
                        0 => {
                            state[d] = 1;
                            path.push((d, 0));
                        }
                        1 => {
                            let at = path.iter().position(|&(s, _)| s == d).unwrap_or(0);
                            cycles.push(path[at..].iter().map(|&(s, _)| s).collect());
                        }
                        _ => {}
                    }
                }
                None => {
                    path.pop();
                    state[i] = 2;
                    order.push(i);
                }
            }
        }
    }
    (order, cycles)
}

#[cfg(test)]
mod tests {
    use super::topological;

    #[test]
    fn the_order_puts_each_value_after_what_it_reads_and_finds_cycles() {
        // 0 reads 1, 1 reads 2; 3 and 4 read each other.
        let deps = vec![vec![1], vec![2], vec![], vec![4], vec![3]];
        let (order, cycles) = topological(&deps);
        let at = |v: usize| order.iter().position(|&x| x == v).expect("ordered");
        assert!(at(2) < at(1) && at(1) < at(0), "{order:?}");
        assert_eq!(order.len(), 5);
        assert_eq!(cycles, vec![vec![3, 4]]);
    }

    #[test]
    fn a_chain_far_deeper_than_a_threads_stack_is_ordered() {
        // Each value reads the next: a depth of a million.
        let n = 1_000_000;
        let deps: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let (order, cycles) = topological(&deps);
        assert!(cycles.is_empty());
        assert_eq!(order.first(), Some(&(n - 1)));
        assert_eq!(order.last(), Some(&0));
    }
}
