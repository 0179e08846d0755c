//! Which objects this process created or adopted, for vendors where a lost
//! create cannot be looked up by a unique name (Rootly's names are not
//! unique; a ZenML role may have no name): two creates of the same content
//! in one apply must never adopt the same object.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// IDs of the objects this client created or adopted. Cheap to clone;
/// clones share the set.
#[derive(Clone, Default)]
pub struct Claims(Arc<Mutex<HashSet<String>>>);

impl Claims {
    /// Marks `id` as ours; false when it already was.
    pub fn claim(&self, id: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_string())
    }

    /// Whether `id` was claimed.
    pub fn is_claimed(&self, id: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(id)
    }
}
