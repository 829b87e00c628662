//! How a plan refers to catalogue entries: a reference to each entry of
//! each catalogue, made once, which every record read (and every
//! evaluation that reaches an entry through the plan) shares rather than
//! makes again.

use crate::core::value::Value;
use crate::policy::Policy;

#[derive(Debug)]
pub(crate) struct Catalogues {
    /// For each of the policy's catalogues, in its order, a reference to
    /// each of its entries, in theirs.
    refs: Box<[Box<[Value]>]>,
}

impl Catalogues {
    pub(crate) fn compile(policy: &Policy) -> Catalogues {
        let refs = policy.catalogues.iter().enumerate().map(|(ci, c)| {
            (0..c.entries.len())
                .map(|e| c.reference(ci, e))
                .collect::<Box<[Value]>>()
        });
        Catalogues {
            refs: refs.collect(),
        }
    }

    /// A reference to entry `entry` of the policy's catalogue number
    /// `catalogue` (both as the policy numbers them), shared.
    pub(crate) fn reference(&self, catalogue: usize, entry: usize) -> Option<Value> {
        self.refs.get(catalogue)?.get(entry).cloned()
    }
}
