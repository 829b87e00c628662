//! Enumerations in the checker: a string literal taken as a member where
//! an enumeration is expected, the common type of values that meet, and
//! the order an ordering comparison compares in.
//!
//! An enumeration's members are text at run time, so the order they
//! compare in (their order of declaration) comes from the type alone: the
//! checker records it in the comparison ([`Order`]), and refuses, rather
//! than compare text alphabetically, whatever it cannot be sure of: a
//! literal that is not a member, two different enumerations, an
//! enumeration against text that is not a member written out.

use std::sync::Arc;

use super::{Checker, TypeErrorKind};
use crate::core::suggest::did_you_mean;
use crate::lang::ast::{BinOp, Expr, ExprKind, Literal, Order};
use crate::lang::syntax::Span;
use crate::lang::types::{Members, Type};

/// Whether values of type `t` are an enumeration's members, or lists of
/// them.
fn enumerated(t: &Type) -> bool {
    match t {
        Type::Enum(_) => true,
        Type::List(inner) => enumerated(inner),
        _ => false,
    }
}

/// Whether values of type `t` are text, or lists of it.
fn textual(t: &Type) -> bool {
    match t {
        Type::String => true,
        Type::List(inner) => textual(inner),
        _ => false,
    }
}

/// The string literals `e` is made of, each with the enumeration it is to
/// be a member of, when `e` is made of nothing else where `want` is
/// expected: a literal where an enumeration is, a list of them where a
/// list of its members is, or an `if` whose branches both are.
fn literal_leaves<'e>(
    e: &'e Expr,
    want: &Type,
    out: &mut Vec<(&'e Expr, Arc<str>, Members)>,
) -> bool {
    match (&e.kind, want) {
        (ExprKind::Lit(Literal::Str(s)), Type::Enum(m)) => {
            out.push((e, s.clone(), m.clone()));
            true
        }
        (ExprKind::List(items), Type::List(inner)) => {
            items.iter().all(|i| literal_leaves(i, inner, out))
        }
        (ExprKind::If(_, t, f), _) => literal_leaves(t, want, out) && literal_leaves(f, want, out),
        _ => false,
    }
}

impl Checker<'_> {
    /// The type `e`, of type `t`, has where a value of type `want` is
    /// expected: `want` itself when `e` is a string literal and `want` an
    /// enumeration (or a list of such literals, or an `if` between them),
    /// for a string literal is accepted wherever a member is expected;
    /// otherwise `t`. A literal that is not a member is reported, naming
    /// the members, and the type is then `any`, which says no more.
    pub(super) fn literal_as(&mut self, e: &Expr, t: Type, want: &Type) -> Type {
        if t.fits(want) || !enumerated(want) {
            return t;
        }
        let mut leaves = Vec::new();
        if !literal_leaves(e, want, &mut leaves) {
            return t;
        }
        let mut ok = true;
        for (lit, s, members) in leaves {
            if !members.iter().any(|m| **m == *s) {
                self.not_a_member(&s, &members, lit.span);
                ok = false;
            }
        }
        if ok { want.clone() } else { Type::Any }
    }

    /// Reports `value` as not one of `members`, at `span`.
    pub(super) fn not_a_member(&mut self, value: &str, members: &[Arc<str>], span: Span) {
        let help = did_you_mean(value, members.iter().map(|m| &**m));
        self.err_help(
            TypeErrorKind::NotAMember {
                value: value.to_string(),
                members: members.join(", "),
            },
            span,
            help.trim_start_matches("; ").to_string(),
        );
    }

    /// Whether `e` is text made by mixing an enumeration's members with
    /// other text (another enumeration's, or text that is not a member
    /// written out): text whose order is not its members'.
    pub(crate) fn is_mixed(&self, e: &Expr) -> bool {
        self.mixed.contains(&(e.span.start, e.span.end))
    }

    /// The common type of the expressions `items` (each with its type) that
    /// meet in the expression at `span`: the branches of an `if`, the
    /// elements of a list, the arguments of `min`, `max` or `default`. As
    /// [`Type::unify`], but where one is of an enumeration a string literal
    /// among the others is taken as its member (and reported when it is
    /// not one), so that the values keep their enumeration and its order.
    /// Text that mixes an enumeration with other text is recorded, so that
    /// it is not ordered as if it were either. The places of those that do
    /// not fit with those before them, with the type they met there.
    pub(super) fn join(
        &mut self,
        items: &[(&Expr, Type)],
        span: Span,
    ) -> Result<Type, Vec<(usize, Type)>> {
        let target = items
            .iter()
            .map(|(_, t)| t)
            .find(|t| enumerated(t))
            .cloned();
        let mut acc = Type::Any;
        let mut misfits = Vec::new();
        let mut mixed = false;
        for (i, (e, t)) in items.iter().enumerate() {
            let t = match &target {
                Some(want) => self.literal_as(e, t.clone(), want),
                None => t.clone(),
            };
            mixed |= self.is_mixed(e);
            match acc.unify(&t) {
                Some(u) => acc = u,
                None => misfits.push((i, acc.clone())),
            }
        }
        if !misfits.is_empty() {
            return Err(misfits);
        }
        if (mixed || target.is_some()) && textual(&acc) {
            self.mixed.push((span.start, span.end));
        }
        Ok(acc)
    }

    /// `a op b` for an ordering comparison `op` (`<`, `<=`, `>`, `>=`) of
    /// `a` of type `at` and `b` of type `bt`: members of one enumeration
    /// compare in its order, which is recorded in `order`; a string literal
    /// against an enumeration is taken as its member. Two different
    /// enumerations, or one against text that is not its member written
    /// out, have no order to compare in: an error.
    pub(super) fn ordering(
        &mut self,
        op: BinOp,
        (a, at): (&Expr, Type),
        (b, bt): (&Expr, Type),
        order: &mut Order,
        span: Span,
    ) -> Option<Type> {
        use Type::*;
        *order = Order::Natural;
        let at = self.literal_as(a, at, &bt);
        let bt = self.literal_as(b, bt, &at);
        let symbol = op.symbol().to_string();
        match (&at, &bt) {
            (Any, _) | (_, Any) => Some(Bool),
            (Enum(x), Enum(y)) if x == y => {
                *order = Order::Members(x.clone());
                Some(Bool)
            }
            (Enum(_), Enum(_)) => self.err_help(
                TypeErrorKind::Enumerations {
                    op: symbol,
                    left: at.clone(),
                    right: bt.clone(),
                },
                span,
                "each enumeration is ordered by its own members' order of declaration; compare each with a member of its own".into(),
            ),
            (Enum(m), String) | (String, Enum(m)) => {
                let other = if matches!(at, Enum(_)) { b } else { a };
                let example = m.first().map(|f| format!(" such as `\"{f}\"`")).unwrap_or_default();
                self.err_help(
                    TypeErrorKind::EnumAgainstText {
                        op: symbol,
                        ty: Enum(m.clone()),
                    },
                    other.span,
                    format!("compare with a member written out{example}, or with `==` to compare the text"),
                )
            }
            (String, String) if self.is_mixed(a) || self.is_mixed(b) => {
                let mixed = if self.is_mixed(a) { a } else { b };
                self.err_help(
                    TypeErrorKind::MixedText { op: symbol },
                    mixed.span,
                    "keep to one enumeration, so that its members' order applies".into(),
                )
            }
            _ => match at.unify(&bt) {
                Some(u) if u.is_ordered() => Some(Bool),
                _ => self.err(
                    TypeErrorKind::Operands {
                        op: symbol,
                        left: at.clone(),
                        right: bt.clone(),
                    },
                    span,
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::ast::{Call, Resolution};
    use crate::lang::check::{Env, check, check_as};
    use crate::lang::syntax::{parse_expr, parse_type};

    fn ty(text: &str) -> Type {
        parse_type(text).expect("a type")
    }

    const LEVEL: &str = "enum(below_a1, a1, a2, b1, b2)";

    fn env() -> Env {
        let mut e = Env::default();
        let mut global = |name: &str, t: &str| {
            let i = e.globals.len();
            e.globals.insert(name.into(), (Resolution::Input(i), ty(t)));
        };
        global("level", LEVEL);
        global("target", LEVEL);
        global("levels", &format!("list<{LEVEL}>"));
        global("grade", "enum(low, high)");
        global("name", "string");
        global("flag", "bool");
        e.tables
            .insert("by_level".into(), (0, vec![ty(LEVEL)], Type::Int));
        e
    }

    /// The type of `text`, or its errors, each with its help.
    fn check_text(text: &str) -> Result<(Expr, Type), String> {
        let mut e = parse_expr(text).expect("parses");
        match check(&mut e, &env()) {
            Ok(t) => Ok((e, t)),
            Err(errs) => Err(errs
                .iter()
                .map(|e| match &e.help {
                    Some(h) => format!("{e} ({h})"),
                    None => e.to_string(),
                })
                .collect::<Vec<_>>()
                .join("; ")),
        }
    }

    fn errors(text: &str) -> String {
        match check_text(text) {
            Ok((_, t)) => panic!("`{text}` checks, as `{t}`"),
            Err(e) => e,
        }
    }

    /// The orders the checker recorded in `text`'s comparisons and calls.
    fn orders(text: &str) -> Vec<String> {
        let (e, _) = check_text(text).unwrap_or_else(|e| panic!("`{text}`: {e}"));
        let mut out = Vec::new();
        e.walk(&mut |x| {
            let order = match &x.kind {
                ExprKind::Binary(op, _, _, o) => Some((op.symbol().to_string(), o)),
                ExprKind::Call(Call { func, order, .. }) => Some((func.node.clone(), order)),
                _ => None,
            };
            if let Some((what, o)) = order {
                out.push(match o {
                    Order::Natural => format!("{what}: natural"),
                    Order::Members(m) => format!("{what}: {}", m.join(" < ")),
                });
            }
        });
        out
    }

    #[test]
    fn ordering_comparisons_of_an_enumeration_record_its_members_order() {
        let members = "below_a1 < a1 < a2 < b1 < b2";
        assert_eq!(orders("level >= \"b1\""), [format!(">=: {members}")]);
        assert_eq!(orders("\"a1\" < level"), [format!("<: {members}")]);
        assert_eq!(orders("level <= target"), [format!("<=: {members}")]);
        assert_eq!(
            orders("count(x in levels => x > \"a2\")"),
            [format!(">: {members}")]
        );
        // Equality is as it was; text and numbers keep their own order.
        assert_eq!(orders("level == \"b1\""), ["==: natural"]);
        assert_eq!(orders("name < \"m\""), ["<: natural"]);
        assert_eq!(orders("1 < 2"), ["<: natural"]);
    }

    #[test]
    fn min_and_max_of_an_enumeration_record_its_members_order() {
        let members = "below_a1 < a1 < a2 < b1 < b2";
        assert_eq!(orders("min(level, \"b1\")"), [format!("min: {members}")]);
        assert_eq!(orders("max(levels)"), [format!("max: {members}")]);
        assert_eq!(
            orders("max([level, target, \"a1\"])"),
            [format!("max: {members}")]
        );
        assert_eq!(orders("max(name, \"b\")"), ["max: natural"]);
        let (_, t) = check_text("min(level, \"b1\")").expect("checks");
        assert_eq!(t, ty(LEVEL));
    }

    #[test]
    fn a_string_literal_is_a_member_wherever_one_is_expected() {
        for ok in [
            "lookup(by_level, \"a1\")",
            "if flag then level else \"b2\"",
            "default(level, \"a1\")",
            "[level, \"a2\"]",
        ] {
            check_text(ok).unwrap_or_else(|e| panic!("`{ok}`: {e}"));
        }
        assert_eq!(
            check_text("if flag then level else \"b2\"")
                .expect("checks")
                .1,
            ty(LEVEL)
        );
        assert_eq!(
            check_text("[level, \"a2\"]").expect("checks").1,
            ty(&format!("list<{LEVEL}>"))
        );
        let not_one = "`bb1` is not one of below_a1, a1, a2, b1, b2 (did you mean `b1`?)";
        for bad in [
            "level < \"bb1\"",
            "\"bb1\" >= level",
            "level == \"bb1\"",
            "lookup(by_level, \"bb1\")",
            "level in [\"a1\", \"bb1\"]",
            "\"bb1\" in levels",
            "if flag then level else \"bb1\"",
            "default(level, \"bb1\")",
            "min(level, \"bb1\")",
            "[level, \"bb1\"]",
        ] {
            assert_eq!(errors(bad), not_one, "{bad}");
        }
    }

    #[test]
    fn a_literal_is_checked_against_the_type_expected_of_it() {
        let enumeration = ty(LEVEL);
        let as_member = |text: &str, want: &Type| {
            let mut e = parse_expr(text).expect("parses");
            match check_as(&mut e, &env(), Some(want)) {
                Ok(c) => c.ty.to_string(),
                Err(errs) => errs.iter().map(|e| e.to_string()).collect(),
            }
        };
        assert_eq!(as_member("\"a1\"", &enumeration), enumeration.to_string());
        assert_eq!(
            as_member("if flag then \"a1\" else \"b1\"", &enumeration),
            enumeration.to_string()
        );
        let list = Type::List(Box::new(enumeration.clone()));
        assert_eq!(as_member("[\"a1\", \"b2\"]", &list), list.to_string());
        assert_eq!(
            as_member("\"c1\"", &enumeration),
            "`c1` is not one of below_a1, a1, a2, b1, b2"
        );
        assert_eq!(
            as_member("[\"a1\", \"zz\"]", &list),
            "`zz` is not one of below_a1, a1, a2, b1, b2"
        );
        // Not a literal: left to the caller to compare with what it wants.
        assert_eq!(as_member("name", &enumeration), "string");
        assert_eq!(as_member("\"any text\"", &Type::String), "string");
    }

    #[test]
    fn what_has_no_members_order_is_refused() {
        assert_eq!(
            errors("level < grade"),
            "`<` cannot order members of two different enumerations, `enum(below_a1, a1, a2, b1, b2)` and `enum(low, high)` (each enumeration is ordered by its own members' order of declaration; compare each with a member of its own)"
        );
        assert_eq!(
            errors("level >= name"),
            "`>=` cannot order members of `enum(below_a1, a1, a2, b1, b2)` against text that is not one of them written out (compare with a member written out such as `\"below_a1\"`, or with `==` to compare the text)"
        );
        assert_eq!(
            errors("(if flag then level else grade) < \"b1\""),
            "`<` cannot order text that mixes an enumeration's members with other text (keep to one enumeration, so that its members' order applies)"
        );
        assert_eq!(
            errors("min(level, grade)"),
            "`min` cannot order members of two different enumerations, `enum(below_a1, a1, a2, b1, b2)` and `enum(low, high)` (each enumeration is ordered by its own members' order of declaration)"
        );
        assert_eq!(
            errors("max(level, name)"),
            "`max` cannot order members of `enum(below_a1, a1, a2, b1, b2)` against text that is not one of them written out (write the members out, or give values of the one enumeration)"
        );
        assert_eq!(
            errors("max([level, grade])"),
            "`max` cannot order text that mixes an enumeration's members with other text (keep to one enumeration, so that its members' order applies)"
        );
        assert_eq!(
            errors("default(level, grade) > \"a1\""),
            "`>` cannot order text that mixes an enumeration's members with other text (keep to one enumeration, so that its members' order applies)"
        );
        assert_eq!(
            errors("level < 3"),
            "`<` cannot be applied to `enum(below_a1, a1, a2, b1, b2)` and `int`"
        );
        // Text made of an enumeration's members on purpose compares as text.
        check_text("level + \"\" < name").expect("text against text");
    }

    /// A computed value that mixes an enumeration's members with other text
    /// is such text wherever it is read, in another expression.
    #[test]
    fn a_value_of_mixed_text_is_not_ordered_where_it_is_read() {
        let mixed = |text: &str| {
            let mut e = parse_expr(text).expect("parses");
            check_as(&mut e, &env(), None).map(|c| c.mixed)
        };
        assert_eq!(mixed("if flag then level else grade"), Ok(true));
        assert_eq!(mixed("[level, name]"), Ok(true));
        assert_eq!(mixed("if flag then level else \"b1\""), Ok(false));
        assert_eq!(mixed("level + \"\""), Ok(false));
        let mut env = env();
        let i = env.globals.len();
        env.globals
            .insert("blend".into(), (Resolution::Value(i), Type::String));
        env.mixed.insert("blend".into());
        let errors = |text: &str| {
            let mut e = parse_expr(text).expect("parses");
            match check(&mut e, &env) {
                Ok(t) => t.to_string(),
                Err(errs) => errs.iter().map(|e| e.to_string()).collect(),
            }
        };
        assert_eq!(
            errors("blend >= \"b1\""),
            "`>=` cannot order text that mixes an enumeration's members with other text"
        );
        assert_eq!(
            errors("max(blend, \"a1\")"),
            "`max` cannot order text that mixes an enumeration's members with other text"
        );
        assert_eq!(errors("blend == \"b1\""), "bool");
    }
}
