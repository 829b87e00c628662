//! The `calendars` section: working-day calendars by name, each a folder
//! of the package.

use std::sync::Arc;

use indexmap::IndexMap;

use super::ReadFile;
use super::context::{Decls, Loader};
use super::err::LoadError;
use crate::policy::calendar::Calendar;

impl Loader {
    /// The calendars, those loaded ahead taken as they are and the others
    /// loaded through `read`.
    pub(super) fn calendars(
        &mut self,
        calendars: &Decls<String>,
        read: &ReadFile<'_>,
    ) -> IndexMap<String, Arc<Calendar>> {
        let mut out = IndexMap::new();
        for (name, (f, path)) in calendars {
            let loaded = self
                .preloaded
                .remove(path)
                .unwrap_or_else(|| crate::policy::calendar::load(read, path));
            match loaded {
                Ok(c) => {
                    out.insert(name.clone(), c);
                }
                Err(diags) => {
                    let loc = self.loc(*f, &["calendars", name], false);
                    let e = LoadError::Calendar {
                        name: name.clone(),
                        path: path.clone(),
                    };
                    self.fail(e, loc);
                    self.diags.extend(diags);
                }
            }
        }
        out
    }
}
