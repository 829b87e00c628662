//! Expressions compiled to run: the checked syntax tree of a [`Code`]
//! becomes an [`Op`] tree in which every constant is a value made once,
//! every name a place (an input's slot, a parameter's or a computed
//! value's index, a quantifier's depth) with the unknown it stands for
//! when it has no value made once too, every call the function the
//! checker found, and a field of a catalogue entry the field it names.
//! Codes of the same text and meaning share a memo slot, so that an
//! evaluation runs them once.

use std::collections::HashMap;
use std::sync::Arc;

use crate::core::value::Value;
use crate::lang::ast::{BinOp, Expr, ExprKind, Order, Resolution};
use crate::lang::functions::{self, Function, Plain, Quantifier};
use crate::lang::syntax::Span;
use crate::policy::{Code, Site};

/// A code compiled: its operations, its memo slot if another code of the
/// same meaning shares it, and its place in the files for errors.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) op: Op,
    pub(crate) memo: Option<usize>,
    pub(crate) site: Site,
}

#[derive(Debug)]
pub(crate) struct Op {
    pub(crate) kind: OpKind,
    pub(crate) span: Span,
}

#[derive(Debug)]
pub(crate) enum OpKind {
    /// A constant: a literal, or a list of them.
    Const(Value),
    /// A field of the application, by its slot in the schema (by its name
    /// in a record not read by the schema's reader).
    Input {
        slot: usize,
        name: Arc<str>,
        unknown: Value,
    },
    Param {
        index: usize,
        unknown: Value,
    },
    Value {
        index: usize,
        unknown: Value,
    },
    Local {
        depth: usize,
        unknown: Value,
    },
    /// `evaluation_date`: the date the evaluation is made at.
    EvaluationDate,
    /// A name that stands for no value (left unresolved, or a table named
    /// outside a lookup): always unknown.
    Unknown(Value),
    /// `record.field`, or a field of a catalogue entry.
    Field {
        of: Box<Op>,
        field: Field,
    },
    List(Vec<Op>),
    Neg(Box<Op>),
    Not(Box<Op>),
    And(Box<Op>, Box<Op>),
    Or(Box<Op>, Box<Op>),
    /// Any other binary operator.
    Binary(BinOp, Box<Op>, Box<Op>),
    /// An ordering comparison (`<`, `<=`, `>`, `>=`) of an enumeration's
    /// members: by their places in `members`, its order of declaration.
    Ranked {
        op: BinOp,
        members: crate::lang::types::Members,
        a: Box<Op>,
        b: Box<Op>,
    },
    If(Box<Op>, Box<Op>, Box<Op>),
    Call {
        function: &'static Function,
        plain: &'static Plain,
        /// The table a lookup names (its first argument), for a function
        /// whose first argument names one.
        table: Option<usize>,
        /// The arguments computed, without the table's name.
        args: Vec<Op>,
        /// The order a function that orders its arguments compares them in.
        order: Order,
    },
    Quant {
        quantifier: &'static Quantifier,
        list: Box<Op>,
        body: Box<Op>,
    },
    /// A call of the package's own function number `function` (its body
    /// is the program's): the arguments become its first locals.
    Apply {
        function: usize,
        args: Vec<Op>,
    },
    /// A call the checker did not resolve: evaluating it fails.
    Unchecked,
}

/// A field read by `.name`: of a record, by name (and by its place in the
/// record's type where known); of a catalogue entry, one of its built-in
/// fields or an attribute.
#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) name: Arc<str>,
    pub(crate) entry: EntryField,
    /// For an attribute, its place among each catalogue's attributes
    /// (see [`super::Attributes`]), by catalogue.
    pub(crate) places: Vec<Option<usize>>,
    /// For a field of a record the application's reader makes: its place
    /// in the record, and the names such a record shares.
    pub(crate) slot: Option<(usize, Arc<[Arc<str>]>)>,
    /// The field's unknown when a record lacks it.
    pub(crate) unknown: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntryField {
    Id,
    Kind,
    Name,
    Wording,
    Parent,
    InForce,
    Attribute,
}

impl EntryField {
    pub(crate) fn of(name: &str) -> EntryField {
        match name {
            "id" => EntryField::Id,
            "kind" => EntryField::Kind,
            "name" => EntryField::Name,
            "wording" => EntryField::Wording,
            "parent" => EntryField::Parent,
            "in_force" => EntryField::InForce,
            _ => EntryField::Attribute,
        }
    }
}

/// Compiles the codes of a policy, giving codes of the same meaning one
/// memo slot.
pub(crate) struct Compiler<'p> {
    /// Memo keys, and how many codes have each.
    keys: HashMap<String, (usize, usize)>,
    /// Each catalogue's attributes, for placing a field read of an entry.
    attributes: &'p [super::Attributes],
    /// The layouts of the application's records, for placing a field
    /// read of one.
    application: &'p super::inputs::Layout,
}

impl<'p> Compiler<'p> {
    /// A compiler of codes that read the catalogues' `attributes`.
    pub(crate) fn new(
        attributes: &'p [super::Attributes],
        application: &'p super::inputs::Layout,
    ) -> Compiler<'p> {
        Compiler {
            keys: HashMap::new(),
            attributes,
            application,
        }
    }

    /// The layout of the records `e` gives, where the application's reader
    /// makes them: an input of a record type, or a record field of one.
    fn layout_of(&self, e: &Expr) -> Option<&'p super::inputs::Layout> {
        match &e.kind {
            ExprKind::Name(n) => match n.res {
                Resolution::Input(slot) if slot < self.application.len() => {
                    self.application.field(slot).record.as_ref()
                }
                _ => None,
            },
            ExprKind::Field(inner, f) => {
                let layout = self.layout_of(inner)?;
                let place = layout.place(&f.node)?;
                layout.field(place).record.as_ref()
            }
            _ => None,
        }
    }

    /// The first pass: counts each code's memo key.
    pub(crate) fn count(&mut self, code: &Code) {
        if let Some(k) = memo_key(code) {
            let next = self.keys.len();
            self.keys.entry(k).or_insert((next, 0)).1 += 1;
        }
    }

    /// The memo slots the codes counted share: only keys more than one code
    /// has get one, since the others are never asked for again. Gives
    /// each key its slot and the number of slots.
    pub(crate) fn slots(&mut self) -> usize {
        let mut shared: Vec<(usize, &mut (usize, usize))> = self
            .keys
            .values_mut()
            .filter(|(_, n)| *n > 1)
            .map(|e| (e.0, e))
            .collect();
        // In the order the keys were first met, so that slots do not
        // depend on the hash map's order.
        shared.sort_by_key(|(first, _)| *first);
        let n = shared.len();
        for (slot, (_, e)) in shared.into_iter().enumerate() {
            e.0 = slot;
        }
        self.keys.retain(|_, (_, uses)| *uses > 1);
        n
    }

    /// A function's body: its operations, run by each call of it.
    pub(crate) fn body(&self, code: &Code) -> Op {
        self.op(&code.expr)
    }

    /// The second pass, after [`Compiler::slots`]: compiles a code.
    pub(crate) fn compile(&self, code: &Code) -> Compiled {
        let memo = memo_key(code).and_then(|k| self.keys.get(&k).map(|(slot, _)| *slot));
        Compiled {
            op: self.op(&code.expr),
            memo,
            site: code.site.clone(),
        }
    }
}

/// What makes two codes compute the same value within an evaluation: the
/// text and what each name in it stands for. `None` for a code that reads
/// a computed value, which may be yet to compute where the code runs, or
/// a name left unresolved.
fn memo_key(code: &Code) -> Option<String> {
    let mut key = code.text.trim().to_string();
    names(&code.expr, &mut |res| match res {
        Resolution::Value(_) | Resolution::Unresolved => false,
        other => {
            key.push_str(&format!("|{other:?}"));
            true
        }
    })
    .then_some(key)
}

/// Calls `each` with the resolution of every name in `e`, in order, while
/// it returns true; whether it always did.
fn names(e: &Expr, each: &mut impl FnMut(&Resolution) -> bool) -> bool {
    match &e.kind {
        ExprKind::Name(n) => each(&n.res),
        ExprKind::Lit(_) => true,
        ExprKind::Field(inner, _) | ExprKind::Neg(inner) | ExprKind::Not(inner) => {
            names(inner, each)
        }
        ExprKind::List(items) => items.iter().all(|i| names(i, each)),
        ExprKind::Binary(_, a, b, _) => names(a, each) && names(b, each),
        ExprKind::If(c, t, f) => names(c, each) && names(t, each) && names(f, each),
        ExprKind::Call(c) => c.args.iter().all(|a| names(a, each)),
        ExprKind::Quant(q) => names(&q.list, each) && names(&q.body, each),
    }
}

/// A literal's value, the program's own: it shares no text with the
/// syntax tree, so that a plan compiled for another thread shares nothing
/// its evaluations copy.
pub(crate) fn constant(l: &crate::lang::ast::Literal) -> Value {
    Value::from_literal(l).unshared()
}

impl Compiler<'_> {
    fn boxed(&self, e: &Expr) -> Box<Op> {
        Box::new(self.op(e))
    }

    /// The operations of a checked expression.
    fn op(&self, e: &Expr) -> Op {
        let kind = match &e.kind {
            ExprKind::Lit(l) => OpKind::Const(constant(l)),
            ExprKind::Name(n) => {
                let unknown = Value::unknown(&n.id);
                match n.res {
                    Resolution::Input(slot) => OpKind::Input {
                        slot,
                        name: n.id.as_str().into(),
                        unknown,
                    },
                    Resolution::Param(index) => OpKind::Param { index, unknown },
                    Resolution::Value(index) => OpKind::Value { index, unknown },
                    Resolution::Local(depth) => OpKind::Local { depth, unknown },
                    Resolution::EvaluationDate => OpKind::EvaluationDate,
                    Resolution::Table(_) | Resolution::Unresolved => OpKind::Unknown(unknown),
                }
            }
            ExprKind::Field(inner, f) => OpKind::Field {
                of: self.boxed(inner),
                field: Field {
                    name: f.node.as_str().into(),
                    entry: EntryField::of(&f.node),
                    places: self.attributes.iter().map(|a| a.place(&f.node)).collect(),
                    slot: self.layout_of(inner).and_then(|layout| {
                        let place = layout.place(&f.node)?;
                        Some((place, layout.names().clone()))
                    }),
                    unknown: Value::unknown(&f.node),
                },
            },
            ExprKind::List(items) => {
                let ops: Vec<Op> = items.iter().map(|x| self.op(x)).collect();
                // A list of constants is a constant.
                let constants: Option<Vec<Value>> = items
                    .iter()
                    .map(|i| match &i.kind {
                        ExprKind::Lit(l) => Some(constant(l)),
                        _ => None,
                    })
                    .collect();
                match constants {
                    Some(vs) => OpKind::Const(Value::List(Arc::new(vs))),
                    None => OpKind::List(ops),
                }
            }
            ExprKind::Neg(inner) => OpKind::Neg(self.boxed(inner)),
            ExprKind::Not(inner) => OpKind::Not(self.boxed(inner)),
            ExprKind::Binary(BinOp::And, a, b, _) => OpKind::And(self.boxed(a), self.boxed(b)),
            ExprKind::Binary(BinOp::Or, a, b, _) => OpKind::Or(self.boxed(a), self.boxed(b)),
            ExprKind::Binary(o, a, b, Order::Members(members)) => OpKind::Ranked {
                op: *o,
                members: members.clone(),
                a: self.boxed(a),
                b: self.boxed(b),
            },
            ExprKind::Binary(o, a, b, Order::Natural) => {
                OpKind::Binary(*o, self.boxed(a), self.boxed(b))
            }
            ExprKind::If(c, t, f) => OpKind::If(self.boxed(c), self.boxed(t), self.boxed(f)),
            ExprKind::Call(c) if c.user.is_some() => OpKind::Apply {
                function: c.user.unwrap_or_default(),
                args: c.args.iter().map(|x| self.op(x)).collect(),
            },
            ExprKind::Call(c) => match c
                .builtin
                .and_then(functions::at)
                .and_then(|f| Some((f, f.plain.as_ref()?)))
            {
                Some((function, plain)) => {
                    let table = match c.args.first().map(|a| &a.kind) {
                        Some(ExprKind::Name(n))
                            if plain.args == crate::lang::functions::Args::Table =>
                        {
                            match n.res {
                                Resolution::Table(t) => Some(t),
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    let skip = usize::from(plain.args == crate::lang::functions::Args::Table);
                    match (plain.args == crate::lang::functions::Args::Table, table) {
                        (true, None) => OpKind::Unchecked,
                        _ => OpKind::Call {
                            function,
                            plain,
                            table,
                            args: c.args.iter().skip(skip).map(|x| self.op(x)).collect(),
                            order: c.order.clone(),
                        },
                    }
                }
                None => OpKind::Unchecked,
            },
            ExprKind::Quant(q) => match q
                .builtin
                .and_then(functions::at)
                .and_then(|f| f.quantifier.as_ref())
            {
                Some(quantifier) => OpKind::Quant {
                    quantifier,
                    list: self.boxed(&q.list),
                    body: self.boxed(&q.body),
                },
                None => OpKind::Unchecked,
            },
        };
        Op { kind, span: e.span }
    }
}
