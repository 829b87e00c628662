//! The `citations` section: how the policy's citations read in its other
//! languages (see [`crate::policy::citations`]).

use super::context::Loader;
use super::err::LoadError;
use crate::policy::citations::{Citations, TermError};
use crate::policy::model::CitationsDecl;

impl Loader {
    /// Builds the citations of file `f`'s declaration; `languages` are the
    /// package's.
    pub(super) fn citations(
        &mut self,
        f: usize,
        d: &CitationsDecl,
        languages: &[String],
    ) -> Option<Citations> {
        let mut ok = true;
        if !languages.contains(&d.language) {
            let loc = self.loc(f, &["citations", "language"], false);
            let e = LoadError::NotALanguage {
                language: d.language.clone(),
                languages: languages.to_vec(),
            };
            self.fail(e, loc);
            ok = false;
        }
        for (term, words) in &d.terms {
            for lang in words.keys() {
                if !languages.contains(lang) {
                    let loc = self.loc(f, &["citations", "terms", term, lang], true);
                    let e = LoadError::NotALanguage {
                        language: lang.clone(),
                        languages: languages.to_vec(),
                    };
                    self.fail(e, loc);
                    ok = false;
                }
            }
        }
        match Citations::new(&d.language, &d.terms) {
            Ok(c) => ok.then_some(c),
            Err(errors) => {
                for (term, e) in errors {
                    let (e, loc) = match e {
                        TermError::Empty => (
                            LoadError::EmptyTerm(term.clone()),
                            self.loc(f, &["citations", "terms", &term], true),
                        ),
                        TermError::Slots { language, slot } => {
                            let loc = self.loc(f, &["citations", "terms", &term, &language], false);
                            (
                                LoadError::TermSlots {
                                    term,
                                    language,
                                    slot,
                                },
                                loc,
                            )
                        }
                    };
                    self.fail(e, loc);
                }
                None
            }
        }
    }
}
