//! The plan: a checked [`Policy`] as it runs. The policy is what the
//! editor wrote, checked; the `Program` compiled from it holds
//! everything an evaluation needs beyond that: the expressions in a form
//! made to run (constants folded, names resolved to places, the unknowns
//! they stand for made once, codes of the same meaning sharing a memo
//! slot), the indices of tables and the layouts of the records an
//! application is read into.
//!
//! A [`Plan`] is cheap to clone (both parts are shared). A worker thread
//! takes [`Plan::for_thread`]: the same policy, with a program compiled
//! again, so that the values its evaluations copy share no reference
//! count with another thread's (each such count on a shared cache line
//! costs about three times as much as on a line of its own).

mod catalogues;
pub(crate) mod inputs;

use std::sync::Arc;

use crate::policy::Policy;

/// A checked policy, ready to decide applications.
#[derive(Clone, Debug)]
pub struct Plan {
    policy: Arc<Policy>,
    program: Arc<Program>,
}

impl Plan {
    pub fn new(policy: Policy) -> Plan {
        let program = Arc::new(Program::compile(&policy));
        Plan {
            policy: Arc::new(policy),
            program,
        }
    }

    /// The policy as the editor wrote it, checked.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The compiled form the evaluation runs.
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }

    /// The same plan for another thread: the policy shared, its program
    /// compiled again so that nothing an evaluation copies is shared with
    /// this plan's threads. No file is read.
    pub fn for_thread(&self) -> Plan {
        Plan {
            policy: self.policy.clone(),
            program: Arc::new(Program::compile(&self.policy)),
        }
    }
}

/// What a plan runs, compiled from its policy.
#[derive(Debug)]
pub(crate) struct Program {
    /// How applications are read: the layouts of their records.
    pub(crate) inputs: inputs::Inputs,
    /// The references to catalogue entries, made once.
    pub(crate) catalogues: catalogues::Catalogues,
}

impl Program {
    pub(crate) fn compile(policy: &Policy) -> Program {
        Program {
            inputs: inputs::Inputs::compile(policy),
            catalogues: catalogues::Catalogues::compile(policy),
        }
    }
}
