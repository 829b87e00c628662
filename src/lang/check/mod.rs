//! The type checker: runs at load time over every expression of a policy,
//! resolves names and functions in place, and gathers every error.

mod call;
mod members;
pub use std::collections::HashMap;

pub use crate::lang::env::{
    CatalogueInfo, DateUse, EVALUATION_DATE, Env, TypeError, TypeErrorKind,
};
pub use crate::lang::functions::{CallCheck, QuantCheck};

use crate::core::suggest::did_you_mean;
use crate::lang::ast::{BinOp, Expr, ExprKind, Literal, Order, Resolution};
use crate::lang::syntax::Span;
use crate::lang::types::Type;

/// The fields every catalogue entry has, besides its attributes.
pub const ENTRY_FIELDS: [(&str, &str); 6] = [
    ("id", "string"),
    ("kind", "string"),
    ("name", "string"),
    ("wording", "string"),
    ("parent", "ref"),
    ("in_force", "bool"),
];

/// Checks `expr`, resolving its names in place. Returns its type, or every
/// error found in it.
pub fn check(expr: &mut Expr, env: &Env) -> Result<Type, Vec<TypeError>> {
    check_as(expr, env, None).map(|c| c.ty)
}

/// Checks `expr` with `locals` bound, outermost first: a function's body,
/// whose parameters are its first locals.
pub fn check_with(
    expr: &mut Expr,
    env: &Env,
    locals: Vec<(String, Type)>,
) -> Result<Type, Vec<TypeError>> {
    check_bound(expr, env, None, locals).map(|c| c.ty)
}

/// What checking an expression found.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// Its type.
    pub ty: Type,
    /// Whether it is text that mixes an enumeration's members with other
    /// text (another enumeration's, or text that is not a member written
    /// out), which has no members' order: a computed value that is such
    /// text is recorded in [`Env::mixed`], so that the expressions that
    /// read it do not order it either.
    pub mixed: bool,
}

/// Checks `expr` where a value of type `want` is expected, if one is: as
/// [`check`], but a string literal (or a list of them, or an `if` between
/// them) where `want` is an enumeration is taken as its member, and is an
/// error when it is not one. Returns the expression's type there, which
/// the caller compares with `want`.
pub fn check_as(
    expr: &mut Expr,
    env: &Env,
    want: Option<&Type>,
) -> Result<Checked, Vec<TypeError>> {
    check_bound(expr, env, want, Vec::new())
}

/// [`check_as`] with `locals` bound.
fn check_bound(
    expr: &mut Expr,
    env: &Env,
    want: Option<&Type>,
    locals: Vec<(String, Type)>,
) -> Result<Checked, Vec<TypeError>> {
    let mut c = Checker {
        env,
        locals,
        errors: Vec::new(),
        mixed: Vec::new(),
    };
    let ty = c.expr(expr);
    let ty = match (ty, want) {
        (Some(t), Some(w)) => Some(c.literal_as(expr, t, w)),
        (t, _) => t,
    };
    match ty {
        Some(ty) if c.errors.is_empty() => Ok(Checked {
            mixed: c.is_mixed(expr),
            ty,
        }),
        _ => Err(c.errors),
    }
}

struct Checker<'a> {
    env: &'a Env,
    locals: Vec<(String, Type)>,
    errors: Vec<TypeError>,
    /// The spans (start, end) of the expressions whose text mixes an
    /// enumeration's members with other text (see [`Checker::join`]).
    mixed: Vec<(usize, usize)>,
}

/// The expressions whose value `e` can be, where `e` chooses among them:
/// the items of a list and the branches of an `if`, all the way down
/// (`if c then "a" else ["b", "c"]` gives the three literals); else `e`.
fn leaves(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::List(items) => items.iter().flat_map(leaves).collect(),
        ExprKind::If(_, t, f) => {
            let mut out = leaves(t);
            out.extend(leaves(f));
            out
        }
        _ => vec![e],
    }
}

fn lit_type(l: &Literal) -> Type {
    match l {
        Literal::Int(_) => Type::Int,
        Literal::Decimal(_) | Literal::Percent(_) => Type::Decimal,
        Literal::Bool(_) => Type::Bool,
        Literal::Str(_) => Type::String,
        Literal::Date(_) => Type::Date,
        Literal::DateTime(_) => Type::DateTime,
        Literal::Time(_) => Type::Time,
        Literal::Duration(_) => Type::Duration,
    }
}

impl Checker<'_> {
    fn err(&mut self, kind: TypeErrorKind, span: Span) -> Option<Type> {
        self.errors.push(TypeError::new(kind, span));
        None
    }

    fn err_help(&mut self, kind: TypeErrorKind, span: Span, help: String) -> Option<Type> {
        self.errors.push(TypeError::new(kind, span).with_help(help));
        None
    }

    /// Checks that `e` has a type fitting `want`, described as `what`. A
    /// string literal where `want` is an enumeration is its member (or an
    /// error naming the members).
    fn expect(&mut self, e: &mut Expr, want: &Type, what: &str) -> Option<Type> {
        let t = self.expr(e)?;
        let t = self.literal_as(e, t, want);
        if t.fits(want) {
            Some(t)
        } else {
            self.err(
                TypeErrorKind::Mismatch {
                    expected: what.to_string(),
                    found: t,
                },
                e.span,
            )
        }
    }

    fn expr(&mut self, e: &mut Expr) -> Option<Type> {
        let span = e.span;
        match &mut e.kind {
            ExprKind::Lit(l) => Some(lit_type(l)),
            ExprKind::Name(n) => {
                if let Some(depth) = self.locals.iter().rposition(|(name, _)| *name == n.id) {
                    n.res = Resolution::Local(depth);
                    return Some(self.locals[depth].1.clone());
                }
                if n.id == EVALUATION_DATE {
                    return match self.env.evaluation_date {
                        DateUse::Known => {
                            n.res = Resolution::EvaluationDate;
                            Some(Type::Date)
                        }
                        DateUse::Unknown(why) => {
                            self.err(TypeErrorKind::NoEvaluationDate(why), span)
                        }
                    };
                }
                if let Some((res, ty)) = self.env.globals.get(&n.id) {
                    n.res = res.clone();
                    if self.env.mixed.contains(&n.id) {
                        self.mixed.push((span.start, span.end));
                    }
                    return Some(ty.clone());
                }
                let date = (self.env.evaluation_date == DateUse::Known).then_some(EVALUATION_DATE);
                let names: Vec<&str> = self
                    .env
                    .globals
                    .keys()
                    .map(String::as_str)
                    .chain(self.locals.iter().map(|(n, _)| n.as_str()))
                    .chain(date)
                    .collect();
                let help = did_you_mean(&n.id, names.iter().copied());
                let help = if help.is_empty() {
                    String::new()
                } else {
                    help.trim_start_matches("; ").to_string()
                };
                self.err_help(TypeErrorKind::UnknownName(n.id.clone()), span, help)
            }
            ExprKind::Field(inner, field) => {
                let t = self.expr(inner)?;
                match &t {
                    Type::Any => Some(Type::Any),
                    Type::Ref(c) => {
                        let Some(info) = self.env.catalogues.get(c.as_ref()) else {
                            return Some(Type::Any);
                        };
                        let builtin =
                            ENTRY_FIELDS
                                .iter()
                                .find(|(n, _)| *n == field.node)
                                .map(|(_, t)| match *t {
                                    "bool" => Type::Bool,
                                    "ref" => Type::Ref(c.clone()),
                                    _ => Type::String,
                                });
                        let attr = info
                            .attributes
                            .iter()
                            .find(|(n, _)| *n == field.node)
                            .map(|(_, t)| t.clone());
                        match builtin.or(attr) {
                            Some(t) => Some(t),
                            None => {
                                let names = ENTRY_FIELDS
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .chain(info.attributes.iter().map(|(n, _)| n.as_str()));
                                let help = did_you_mean(&field.node, names);
                                self.err_help(
                                    TypeErrorKind::UnknownField {
                                        field: field.node.clone(),
                                        ty: format!("an entry of `{c}`"),
                                    },
                                    field.span,
                                    help.trim_start_matches("; ").to_string(),
                                )
                            }
                        }
                    }
                    Type::Record(r) => match r.fields.get(field.node.as_str()) {
                        Some(f) => Some(f.ty.clone()),
                        None => {
                            let help = did_you_mean(&field.node, r.fields.keys().map(|k| &**k));
                            let path = inner.path().unwrap_or_else(|| "the record".into());
                            self.err_help(
                                TypeErrorKind::UnknownField {
                                    field: field.node.clone(),
                                    ty: path,
                                },
                                field.span,
                                help.trim_start_matches("; ").to_string(),
                            )
                        }
                    },
                    _ => self.err(TypeErrorKind::NotARecord(t.clone()), inner.span),
                }
            }
            ExprKind::List(items) => {
                let types: Vec<Option<Type>> = items.iter_mut().map(|i| self.expr(i)).collect();
                let ok = types.iter().all(Option::is_some);
                let typed: Vec<(&Expr, Type)> = items
                    .iter()
                    .zip(types)
                    .filter_map(|(i, t)| Some((i, t?)))
                    .collect();
                match self.join(&typed, span) {
                    Ok(acc) => ok.then(|| Type::List(Box::new(acc))),
                    Err(misfits) => {
                        for (i, acc) in misfits {
                            let (item, t) = &typed[i];
                            self.err(TypeErrorKind::ListElements(acc, t.clone()), item.span);
                        }
                        None
                    }
                }
            }
            ExprKind::Neg(inner) => {
                let t = self.expr(inner)?;
                if t.is_numeric() || t == Type::Duration {
                    Some(t)
                } else {
                    self.err(
                        TypeErrorKind::Operand {
                            op: "-".into(),
                            ty: t,
                        },
                        span,
                    )
                }
            }
            ExprKind::Not(inner) => self
                .expect(inner, &Type::Bool, "`bool` after `not`")
                .map(|_| Type::Bool),
            ExprKind::Binary(op, a, b, order) => {
                let op = *op;
                self.binary(op, a, b, order, span)
            }
            ExprKind::If(c, t, f) => {
                let ct = self.expect(c, &Type::Bool, "a `bool` condition");
                let tt = self.expr(t);
                let ft = self.expr(f);
                let (tt, ft) = (tt?, ft?);
                let u = match self.join(&[(t, tt.clone()), (f, ft.clone())], span) {
                    Ok(u) => Some(u),
                    Err(_) => self.err(TypeErrorKind::Branches(tt, ft), span),
                };
                ct?;
                u
            }
            ExprKind::Call(call) => self.call(call, span),
            ExprKind::Quant(q) => self.quant(q, span),
        }
    }

    /// Reports a string literal compared with an enumeration it is not a
    /// member of: the likeliest slip of a policy author.
    fn members(&mut self, enum_ty: &Type, other: &Expr) {
        if let Type::Ref(c) = enum_ty {
            let Some(info) = self.env.catalogues.get(c.as_ref()) else {
                return;
            };
            let check_id = |this: &mut Self, e: &Expr| {
                if let ExprKind::Lit(Literal::Str(s)) = &e.kind
                    && !info.ids.contains(s.as_ref())
                {
                    this.err(
                        TypeErrorKind::NotAMember {
                            value: s.to_string(),
                            members: format!("the ids of catalogue `{c}`"),
                        },
                        e.span,
                    );
                }
            };
            for leaf in leaves(other) {
                check_id(self, leaf);
            }
            return;
        }
        let Type::Enum(members) = enum_ty else { return };
        let check_one = |this: &mut Self, e: &Expr| {
            if let ExprKind::Lit(Literal::Str(s)) = &e.kind
                && !members.iter().any(|m| **m == **s)
            {
                let help = did_you_mean(s, members.iter().map(|m| &**m));
                this.err_help(
                    TypeErrorKind::NotAMember {
                        value: s.to_string(),
                        members: members.join(", "),
                    },
                    e.span,
                    help.trim_start_matches("; ").to_string(),
                );
            }
        };
        for leaf in leaves(other) {
            check_one(self, leaf);
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        a: &mut Expr,
        b: &mut Expr,
        order: &mut Order,
        span: Span,
    ) -> Option<Type> {
        use Type::*;
        if matches!(op, BinOp::And | BinOp::Or) {
            let at = self.expect(
                a,
                &Bool,
                &format!("`bool` on the left of `{}`", op.symbol()),
            );
            let bt = self.expect(
                b,
                &Bool,
                &format!("`bool` on the right of `{}`", op.symbol()),
            );
            at?;
            bt?;
            return Some(Bool);
        }
        let at = self.expr(a);
        let bt = self.expr(b);
        let (at, bt) = (at?, bt?);
        // `any` stands for a value whose own check failed: accept it
        // silently rather than report the same fault twice.
        if at == Any || bt == Any {
            let cmp = !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div);
            return Some(if cmp { Bool } else { Any });
        }
        let bad = |this: &mut Self| {
            this.err(
                TypeErrorKind::Operands {
                    op: op.symbol().into(),
                    left: at.clone(),
                    right: bt.clone(),
                },
                span,
            )
        };
        match op {
            BinOp::Add => match (&at, &bt) {
                (x, y) if x.is_numeric() && y.is_numeric() => x.unify(y),
                (Date, Duration) | (Duration, Date) => {
                    self.working_literal(a, b, span);
                    Some(Date)
                }
                (x, y) if x.is_stringy() && y.is_stringy() => Some(String),
                (List(_), List(_)) => at.unify(&bt).or_else(|| bad(self)),
                _ => bad(self),
            },
            BinOp::Sub => match (&at, &bt) {
                (x, y) if x.is_numeric() && y.is_numeric() => x.unify(y),
                (Date, Duration) => {
                    self.working_literal(a, b, span);
                    Some(Date)
                }
                (Date, Date) => Some(Int),
                _ => bad(self),
            },
            BinOp::Mul => match (&at, &bt) {
                (x, y) if x.is_numeric() && y.is_numeric() => x.unify(y),
                (Int, Duration) | (Duration, Int) => Some(Duration),
                _ => bad(self),
            },
            BinOp::Div => match (&at, &bt) {
                (x, y) if x.is_numeric() && y.is_numeric() => Some(Decimal),
                _ => bad(self),
            },
            BinOp::Eq | BinOp::Ne => {
                self.members(&at, b);
                self.members(&bt, a);
                match at.unify(&bt) {
                    Some(_) => Some(Bool),
                    None => bad(self),
                }
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                self.ordering(op, (a, at.clone()), (b, bt.clone()), order, span)
            }
            BinOp::In | BinOp::NotIn => match &bt {
                List(elem) => {
                    self.members(elem, a);
                    // A list written out, or chosen by `if` among lists
                    // written out: its literals are members.
                    if matches!(b.kind, ExprKind::List(_) | ExprKind::If(..)) {
                        self.members(&at, b);
                    }
                    match at.unify(elem) {
                        Some(_) => Some(Bool),
                        None => bad(self),
                    }
                }
                _ => self.err(
                    TypeErrorKind::Mismatch {
                        expected: format!("a list on the right of `{}`", op.symbol()),
                        found: bt.clone(),
                    },
                    b.span,
                ),
            },
            BinOp::And | BinOp::Or => unreachable!("handled above"),
        }
    }

    /// `date + 5 working days` needs a calendar to count in.
    fn working_literal(&mut self, a: &Expr, b: &Expr, span: Span) {
        let working = [a, b].iter().any(|e| {
            matches!(&e.kind, ExprKind::Lit(Literal::Duration(d)) if d.unit == crate::core::value::Unit::WorkingDays)
        });
        if working && self.env.calendars.is_empty() {
            self.err_help(
                TypeErrorKind::NoCalendar("working days".into()),
                span,
                "declare one under `calendars`, e.g. `calendars: {national: ../calendars/national}`".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::syntax::parse_expr;
    use crate::lang::types::{FieldType, RecordType};
    use std::sync::Arc;

    fn env() -> Env {
        let mut e = Env::default();
        let mut rec = RecordType::default();
        rec.fields.insert(
            "higher".into(),
            FieldType {
                ty: Type::Bool,
                optional: true,
                options: Default::default(),
            },
        );
        e.globals.insert(
            "education".into(),
            (Resolution::Input(0), Type::Record(Arc::new(rec))),
        );
        e.globals
            .insert("age".into(), (Resolution::Input(1), Type::Int));
        e.globals.insert(
            "service".into(),
            (
                Resolution::Input(2),
                Type::Enum(Arc::new(vec!["issue".into(), "extend".into()])),
            ),
        );
        e.globals
            .insert("start".into(), (Resolution::Param(0), Type::Date));
        e.tables
            .insert("points".into(), (0, vec![Type::Int], Type::Int));
        e
    }

    fn ty(text: &str) -> String {
        let mut e = parse_expr(text).expect("parses");
        match check(&mut e, &env()) {
            Ok(t) => t.to_string(),
            Err(errs) => errs
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    #[test]
    fn types_of_well_formed_expressions() {
        assert_eq!(ty("age + 1"), "int");
        assert_eq!(ty("age / 2"), "decimal");
        assert_eq!(ty("start + 3 months"), "date");
        assert_eq!(ty("start - 2017-01-01"), "int");
        assert_eq!(ty("education.higher and age >= 18"), "bool");
        assert_eq!(ty("if age > 1 then 1 else 2.5"), "decimal");
        assert_eq!(ty("lookup(points, age)"), "int");
        assert_eq!(ty("count(x in [1, 2, 3] => x > 1)"), "int");
        assert_eq!(ty("map(x in [1, 2] => x * 2)"), "list<int>");
        assert_eq!(ty("service in [\"issue\"]"), "bool");
    }

    #[test]
    fn every_error_is_reported() {
        assert_eq!(
            ty("agee + educaton.higher"),
            "unknown name `agee`; unknown name `educaton`"
        );
        assert_eq!(ty("education.highr"), "`education` has no field `highr`");
        assert_eq!(
            ty("service == \"isue\""),
            "`isue` is not one of issue, extend"
        );
        assert_eq!(
            ty("add_days(start)"),
            "`add_days` takes 2 arguments, but 1 was given"
        );
        assert_eq!(ty("maximum(1)"), "unknown function `maximum`");
        assert_eq!(
            ty("start + true"),
            "`+` cannot be applied to `date` and `bool`"
        );
        assert_eq!(
            ty("if age then 1 else \"a\""),
            "expected a `bool` condition, found `int`; the branches have different types: `int` and `string`"
        );
        assert_eq!(ty("lookup(pointz, 1)"), "unknown table `pointz`");
        assert_eq!(
            ty("all(age in [1] => true)"),
            "`age` is already a name; choose another for the variable"
        );
    }
}
