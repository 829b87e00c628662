//! The `warnings` section: conditions under which an evaluation warns.

use super::context::{Decls, Loader};
use crate::lang::check::Env;
use crate::policy::WarningRule;
use crate::policy::model::WarningDecl;

impl Loader {
    /// The warnings whose conditions check in `env`.
    pub(super) fn warnings(
        &mut self,
        warnings: &Decls<WarningDecl>,
        env: &Env,
    ) -> Vec<WarningRule> {
        let mut out = Vec::new();
        for (id, (f, w)) in warnings {
            let base = ["warnings", id.as_str()];
            let mut info = self.info(
                *f,
                &base,
                &w.cite,
                &w.interpretation,
                &Some(w.message.clone()),
                &None,
            );
            info.provision = self.prov(*f, &base, &w.provision);
            self.labels(*f, &["warnings", id, "message"], &w.message);
            if let Some(when) = self.condition(*f, &["warnings", id, "when"], &w.when, env) {
                out.push(WarningRule {
                    id: id.clone(),
                    when,
                    message: w.message.clone(),
                    info,
                });
            }
        }
        out
    }
}
