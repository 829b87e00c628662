//! The `reasons` section: the grounds a decision may give, with their
//! citations and labels.

use indexmap::IndexMap;

use super::context::{Common, Decls, Loader};
use crate::policy::Info;
use crate::policy::model::ReasonDecl;

impl Loader {
    /// Each reason's info, by id.
    pub(super) fn reasons(&mut self, reasons: &Decls<ReasonDecl>) -> IndexMap<String, Info> {
        let mut out = IndexMap::new();
        for (id, (f, d)) in reasons {
            let info = self.item(*f, &["reasons", id], Common::of(d));
            out.insert(id.clone(), info);
        }
        out
    }
}
