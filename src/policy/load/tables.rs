//! The `tables` section: decision tables, their columns, rows and cells.

use super::context::{Common, Decls, Loader, closest};
use super::err::LoadError;
use crate::core::value::{self, Value};
use crate::lang::ast::{BinOp, Cell, Literal, Order};
use crate::lang::runtime::compare_in;
use crate::lang::syntax;
use crate::lang::types::Type;
use crate::policy::model::{HitPolicy, TableDecl};
use crate::policy::{Row, Table};

impl Loader {
    /// The tables that load.
    pub(super) fn tables(&mut self, tables: &Decls<TableDecl>) -> Vec<Table> {
        let mut out = Vec::new();
        for (name, (f, d)) in tables {
            if let Some(t) = self.table(*f, name, d) {
                out.push(t);
            }
        }
        out
    }

    fn table(&mut self, f: usize, name: &str, d: &TableDecl) -> Option<Table> {
        let base = ["tables", name];
        let mut info = self.item(f, &base, Common::of(d));
        self.interval(f, &base, &format!("table `{name}`"), &d.in_force, &mut info);
        let mut columns = Vec::new();
        for (col, t) in &d.columns {
            if let Some(ty) = self.ty(f, &["tables", name, "columns", col], t) {
                columns.push((col.clone(), ty));
            }
        }
        let output = self.ty(f, &["tables", name, "output"], &d.output)?;
        if columns.len() != d.columns.len() {
            return None;
        }
        if d.hit == HitPolicy::Sum && !output.is_numeric() {
            let loc = self.loc(f, &["tables", name, "hit"], false);
            self.fail(LoadError::SumOutput(output.clone()), loc);
        }
        let default = match &d.default {
            Some(v) if !v.is_null() => self.data(f, &["tables", name, "default"], v, &output),
            _ => None,
        };
        let mut rows = Vec::new();
        let table_provision = info.provision.clone();
        for (r, row) in d.rows.iter().enumerate() {
            let rs = r.to_string();
            let rp = ["tables", name, "rows", rs.as_str()];
            let mut info = self.info(f, &rp, &row.cite, &row.interpretation, &row.label, &None);
            // A row rests on its table's provision.
            if let Some(i) = &row.in_force {
                let item = format!("row {} of table `{name}`", r + 1);
                (info.from, info.until) = self.in_force(f, &rp, &item, i, &table_provision);
            }
            for k in row.when.keys() {
                if !d.columns.contains_key(k) {
                    let loc = self.loc(f, &["tables", name, "rows", &rs, "when", k], true);
                    let e = LoadError::NoSuchColumn {
                        table: name.to_string(),
                        column: k.clone(),
                        suggestion: closest(k, d.columns.keys()),
                    };
                    self.fail(e, loc);
                }
            }
            let mut cells = Vec::new();
            for (col, ty) in &columns {
                let cp = ["tables", name, "rows", rs.as_str(), "when", col.as_str()];
                let cell = match row.when.get(col) {
                    None => Cell::Any,
                    Some(data) => match self.cell(f, &cp, data, ty) {
                        Some(c) => c,
                        None => continue,
                    },
                };
                cells.push(cell);
            }
            // A value of the output type, or an expression checked once
            // the values it may read are (see `Loader::table_results`).
            let (then, then_code) = match (&row.then, &row.then_expr) {
                (Some(v), None) => (
                    self.data(f, &["tables", name, "rows", &rs, "then"], v, &output),
                    None,
                ),
                (None, Some(x)) => {
                    let code = self.code(f, &["tables", name, "rows", &rs, "then_expr"], x);
                    let unknown = Value::unknown(format!("{name} row {}", r + 1));
                    (code.is_some().then_some(unknown), code)
                }
                _ => {
                    let loc = self.loc(f, &rp, true);
                    let e = LoadError::RowResult {
                        table: name.to_string(),
                        row: r + 1,
                    };
                    self.fail(e, loc);
                    (None, None)
                }
            };
            if let Some(then) = then
                && cells.len() == columns.len()
            {
                rows.push(Row {
                    cells,
                    then,
                    then_code,
                    info,
                });
            }
        }
        Some(Table {
            name: name.to_string(),
            columns,
            output,
            hit: d.hit,
            default,
            rows,
            info,
        })
    }

    /// Checks the rows' result expressions in `env` (every input,
    /// parameter and value), each against its table's output type.
    ///
    /// A row's expression may look up only tables whose results are values:
    /// a lookup in a table whose rows compute theirs could call itself, and
    /// never end.
    pub(super) fn table_results(&mut self, tables: &mut [Table], env: &crate::lang::check::Env) {
        let computing: Vec<String> = tables
            .iter()
            .filter(|t| t.rows.iter().any(|r| r.then_code.is_some()))
            .map(|t| t.name.clone())
            .collect();
        for t in tables.iter() {
            for code in t.rows.iter().filter_map(|r| r.then_code.as_ref()) {
                let mut found = Vec::new();
                code.expr.walk(&mut |e| {
                    if let crate::lang::ast::ExprKind::Call(c) = &e.kind
                        && c.func.node == "lookup"
                        && let Some(first) = c.args.first()
                        && let crate::lang::ast::ExprKind::Name(n) = &first.kind
                        && computing.contains(&n.id)
                    {
                        found.push((n.id.clone(), first.span));
                    }
                });
                for (other, span) in found {
                    let loc = Some(code.site.loc(span));
                    let e = LoadError::NestedComputing {
                        table: t.name.clone(),
                        other,
                    };
                    self.fail(e, loc);
                }
            }
        }
        for t in tables.iter_mut() {
            let output = t.output.clone();
            for row in t.rows.iter_mut() {
                let Some(code) = row.then_code.as_mut() else {
                    continue;
                };
                match self.check_code_as(code, env, Some(&output)).map(|c| c.ty) {
                    Some(found) if !found.fits(&output) => {
                        let loc = Some(code.site.loc(code.expr.span));
                        let e = LoadError::RowType {
                            table: t.name.clone(),
                            output: output.clone(),
                            found,
                        };
                        self.fail(e, loc);
                    }
                    _ => {}
                }
            }
        }
    }

    /// A row's cell for a column of type `ty`.
    fn cell(
        &mut self,
        f: usize,
        path: &[&str],
        data: &crate::core::yaml::Data,
        ty: &Type,
    ) -> Option<Cell> {
        use crate::core::yaml::Data as Y;
        let text = match data {
            Y::String(s) => s.clone(),
            // A number's digits as written (`100.25`), not those of the
            // float the reader made of it.
            Y::Number(n) if n.is_f64() => self
                .files
                .get(f)
                .and_then(|(_, index)| {
                    let mut d = data.clone();
                    crate::core::yaml::keep_digits_at(&mut d, index, path);
                    crate::core::yaml::digits(&d).map(str::to_string)
                })
                .unwrap_or_else(|| n.to_string()),
            Y::Number(n) => n.to_string(),
            Y::Bool(b) => b.to_string(),
            other => {
                let loc = self.loc(f, path, false);
                let e = LoadError::CellNotText(value::describe_data(other));
                self.fail(e, loc);
                return None;
            }
        };
        // A string column's plain cell is a value, not cell syntax; an
        // enumeration column's is one or more members separated by commas,
        // or a range of them (`[a1, b1)`, `>= b1`) in their order.
        let plain = matches!(data, Y::String(s) if !s.trim_start().starts_with(['"', '\'']) && s.trim() != "-");
        let range = text
            .trim_start()
            .starts_with(['[', '(', '<', '>', '=', '!']);
        let cell = if plain && range && matches!(ty, Type::Enum(_)) {
            syntax::parse_member_cell(&text)
        } else if plain && matches!(ty, Type::Enum(_)) {
            Ok(Cell::OneOf(
                text.split(',')
                    .map(|m| Literal::Str(m.trim().into()))
                    .collect(),
            ))
        } else if plain && *ty == Type::String {
            Ok(Cell::OneOf(vec![Literal::Str(text.as_str().into())]))
        } else {
            syntax::parse_cell(&text)
        };
        let cell = match cell {
            Ok(c) => c,
            Err(e) => {
                let site = self.site(f, path, &text);
                self.syntax_error(&site, &text, e);
                return None;
            }
        };
        let lits: Vec<&Literal> = match &cell {
            Cell::Any => vec![],
            Cell::Interval { lower, upper } => {
                lower.iter().chain(upper.iter()).map(|(l, _)| l).collect()
            }
            Cell::Compare(_, l) => vec![l],
            Cell::OneOf(ls) => ls.iter().collect(),
        };
        let ordered = match &cell {
            Cell::Interval { .. } => true,
            Cell::Compare(op, _) => !matches!(op, BinOp::Eq | BinOp::Ne),
            _ => false,
        };
        let loc = self.loc(f, path, false);
        if ordered && !ty.is_ordered() {
            self.fail(LoadError::RangeOnColumn(ty.clone()), loc);
            return None;
        }
        for l in lits {
            let lt = match Value::from_literal(l) {
                Value::Int(_) => Type::Int,
                Value::Decimal(_) => Type::Decimal,
                Value::Bool(_) => Type::Bool,
                Value::Str(_) => Type::String,
                Value::Date(_) => Type::Date,
                Value::DateTime(_) => Type::DateTime,
                Value::Time(_) => Type::Time,
                _ => Type::Duration,
            };
            if let (Type::Enum(m), Literal::Str(s)) = (ty, l) {
                if !m.iter().any(|x| **x == **s) {
                    let e = LoadError::NotAMember {
                        value: s.to_string(),
                        members: m.iter().map(|x| x.to_string()).collect(),
                        suggestion: closest(s, m.iter()),
                    };
                    self.fail(e, loc.clone());
                    return None;
                }
                continue;
            }
            if lt.unify(ty).is_none() {
                let e = LoadError::CellType {
                    cell: lt,
                    column: ty.clone(),
                };
                self.fail(e, loc.clone());
                return None;
            }
        }
        // An enumeration's bounds compare in its members' order (both are
        // members by now).
        let order = match ty {
            Type::Enum(m) => Order::Members(m.clone()),
            _ => Order::Natural,
        };
        if let Cell::Interval {
            lower: Some((lo, _)),
            upper: Some((hi, _)),
        } = &cell
            && compare_in(&order, &Value::from_literal(lo), &Value::from_literal(hi))
                == Ok(Some(std::cmp::Ordering::Greater))
        {
            self.fail(LoadError::EmptyInterval, loc);
            return None;
        }
        Some(cell)
    }
}
