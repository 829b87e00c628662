//! Expressions and types written in the package: parsed once per text,
//! placed in their files, and type-checked.

use super::context::Loader;
use super::err::LoadError;
use crate::lang::check::{self, Env};
use crate::lang::syntax::{self, SyntaxError};
use crate::lang::types::Type;
use crate::policy::{Code, Site};

impl Loader {
    /// Parses an expression written at `path` in file `f`.
    pub(super) fn code(&mut self, f: usize, path: &[&str], text: &str) -> Option<Code> {
        let site = self.site(f, path, text);
        let parsed = match self.parsed_exprs.get(text) {
            Some(e) => Ok(e.clone()),
            None => syntax::parse_expr(text).inspect(|e| {
                self.parsed_exprs.insert(text.to_string(), e.clone());
            }),
        };
        match parsed {
            Ok(expr) => Some(Code {
                text: text.to_string(),
                expr,
                site,
                refs: vec![],
            }),
            Err(e) => {
                self.syntax_error(&site, text, e);
                None
            }
        }
    }

    pub(super) fn site(&self, f: usize, path: &[&str], text: &str) -> Site {
        let (file, index) = &self.files[f];
        let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        let offsets = match index.get(&p) {
            Some(pos) => index.align(&file.text, pos, text),
            None => vec![0; text.len() + 1],
        };
        Site {
            file: file.clone(),
            offsets,
        }
    }

    pub(super) fn syntax_error(&mut self, site: &Site, text: &str, e: SyntaxError) {
        let loc = Some(site.loc(e.span));
        let e = LoadError::Syntax {
            error: e,
            text: text.to_string(),
        };
        self.fail(e, loc);
    }

    /// Parses a type written at `path` in file `f`.
    pub(super) fn ty(&mut self, f: usize, path: &[&str], text: &str) -> Option<Type> {
        if let Some(t) = self.parsed_types.get(text) {
            return Some(t.clone());
        }
        match syntax::parse_type(text) {
            Ok(t) => {
                self.parsed_types.insert(text.to_string(), t.clone());
                Some(t)
            }
            Err(_) => {
                let site = self.site(f, path, text);
                let loc = site.loc(crate::lang::syntax::Span::new(0, text.len()));
                self.fail(LoadError::NotAType(text.to_string()), Some(loc));
                None
            }
        }
    }

    /// Type-checks a code in `env`: its type,
    /// or `None` after reporting its errors.
    pub(super) fn check_code(&mut self, code: &mut Code, env: &Env) -> Option<Type> {
        self.check_code_as(code, env, None).map(|c| c.ty)
    }

    /// Type-checks a code in `env` where a value of type `want` is
    /// expected, if one is (a string literal is then a member of an
    /// enumeration `want`): what the check found, or `None` after reporting
    /// its errors.
    pub(super) fn check_code_as(
        &mut self,
        code: &mut Code,
        env: &Env,
        want: Option<&Type>,
    ) -> Option<check::Checked> {
        match check::check_as(&mut code.expr, env, want) {
            Ok(t) => {
                code.collect_refs();
                Some(t)
            }
            Err(errs) => {
                for e in errs {
                    let loc = Some(code.site.loc(e.span));
                    self.fail(LoadError::Check(e), loc);
                }
                None
            }
        }
    }

    /// Type-checks a condition: whether it is a `bool`.
    pub(super) fn check_bool(&mut self, code: &mut Code, env: &Env) -> bool {
        match self.check_code(code, env) {
            Some(t) if t.fits(&Type::Bool) => true,
            Some(t) => {
                let loc = Some(code.site.loc(code.expr.span));
                self.fail(LoadError::NotACondition(t), loc);
                false
            }
            None => false,
        }
    }

    /// Parses the condition written at `path` and checks it in `env`.
    pub(super) fn condition(
        &mut self,
        f: usize,
        path: &[&str],
        text: &str,
        env: &Env,
    ) -> Option<Code> {
        let mut c = self.code(f, path, text)?;
        self.check_bool(&mut c, env).then_some(c)
    }

    /// Parses the expression written at `path` and checks it in `env`.
    pub(super) fn checked(
        &mut self,
        f: usize,
        path: &[&str],
        text: &str,
        env: &Env,
    ) -> Option<Code> {
        let mut c = self.code(f, path, text)?;
        self.check_code(&mut c, env).map(|_| c)
    }
}
