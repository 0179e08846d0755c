//! Telling the object a lost create made from one that was there before.
//!
//! After a create whose answer was lost, the lookup finds the objects that
//! bear the create's name (its key). Which one is ours? An object that was
//! there before the create was sent is never ours: where names are unique
//! the vendor refused the create, and adopting that object would hand
//! someone else's object (or an older one of ours) to this configuration,
//! which a later apply would overwrite or delete. Its content says nothing:
//! the other party may have made the same role.
//!
//! So, before a process sends its first create to a vendor (or to one
//! scope of it: a ZenML organization), it lists that vendor's objects once
//! ([`BeforeCreates`]): the IDs of the objects then bearing a create's key
//! are what was there before it ([`Before`]). A lost create's lookup
//! ([`settle`]) then adopts only an object not among them, not claimed by
//! another create of this process, with the requested content; an object
//! among them that still holds a unique name means the create was refused
//! ([`Lookup::Before`]: the create fails with the import command); a new
//! object with other content cannot be told from someone else's
//! ([`Lookup::NotOurs`]: nothing is recorded, and the error says so). The
//! evidence travels with a create left pending (in its private state), so
//! that the next refresh settles it the same way; a pending create without
//! it (left by an older version) is not guessed at.
//!
//! The listing costs one request per vendor (scope) per run, not one per
//! create. What it cannot see is an object someone else makes of the same
//! name between the listing and the create; where the vendor stamps objects
//! on its clock precisely enough (Rootly), [`window_start`] excludes those
//! made before the create was sent.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

use crate::vendors::lost_create::create::Lookup;

/// The IDs of the objects that bore a create's key before it was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Before(pub Vec<String>);

impl Before {
    /// Whether `id` was there before the create.
    pub fn holds(&self, id: &str) -> bool {
        self.0.iter().any(|b| b.eq_ignore_ascii_case(id))
    }
}

/// One scope's listing: (key, ID) of every object.
type Listing = Arc<Vec<(String, String)>>;

/// One listing per scope, taken before the process's first create there and
/// kept for the process. Cheap to clone; clones share it.
#[derive(Clone, Default)]
pub struct BeforeCreates(Arc<tokio::sync::Mutex<HashMap<String, Listing>>>);

impl BeforeCreates {
    /// What was there before a create of `key` in `scope`, from the
    /// scope's listing (taken with `list` the first time; a failed listing
    /// is not kept).
    pub async fn before<E, F, Fut>(&self, scope: &str, key: &str, list: F) -> Result<Before, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<(String, String)>, E>>,
    {
        let mut taken = self.0.lock().await;
        let listing = match taken.get(scope) {
            Some(listing) => listing.clone(),
            None => {
                let listing = Arc::new(list().await?);
                taken.insert(scope.to_string(), listing.clone());
                listing
            }
        };
        Ok(Before(
            listing
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, id)| id.clone())
                .collect(),
        ))
    }
}

/// Which objects this process created or adopted, where a key may match
/// several objects (Rootly's names are not unique; a ZenML role may have no
/// name): two creates of the same content in one apply must never adopt
/// the same object.
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

/// An object bearing a lost create's key, as its lookup found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    /// Its ID (compared with [`Before`] and the claims).
    pub id: String,
    /// When the vendor made it, on the vendor's clock, where it says so
    /// precisely enough to compare with [`window_start`].
    pub created: Option<SystemTime>,
    /// Whether it holds exactly what the create asked for.
    pub same: bool,
    pub object: T,
}

/// How the vendor names its objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// One object per name: an object there before means the create was
    /// refused.
    Unique,
    /// Names repeat (Rootly): older objects say nothing about the create.
    Repeat,
}

/// Settles a lost create from the objects bearing its key (`found`), given
/// what was there before it (`before`; `None` when that is not known: then
/// nothing found is taken for ours), the earliest time the vendor can have
/// made its object (`window_start`, if known) and the objects other creates
/// of this process made (`claims`, claimed here when one is adopted).
pub fn settle<T>(
    found: Vec<Found<T>>,
    before: Option<&Before>,
    window_start: Option<SystemTime>,
    claims: Option<&Claims>,
    names: Names,
) -> Lookup<T> {
    let Some(before) = before else {
        return if found.is_empty() {
            Lookup::Missing
        } else {
            tracing::warn!(
                "what was there before the create is not known; not adopting any object"
            );
            Lookup::NotOurs
        };
    };
    let mut was_there = None;
    let mut new = Vec::new();
    for f in found {
        let older = matches!((f.created, window_start), (Some(at), Some(start)) if at < start);
        if before.holds(&f.id) || older {
            was_there.get_or_insert(f.id);
        } else if !claims.is_some_and(|c| c.is_claimed(&f.id)) {
            new.push(f);
        }
    }
    new.sort_by_key(|f| f.created);
    let any_new = !new.is_empty();
    for f in new {
        if f.same && claims.is_none_or(|c| c.claim(&f.id)) {
            return Lookup::Created(f.object);
        }
    }
    match (any_new, was_there, names) {
        (true, _, _) => Lookup::NotOurs,
        (false, Some(id), Names::Unique) => Lookup::Before(id),
        _ => Lookup::Missing,
    }
}

/// The earliest time on the vendor's clock at which a create first sent at
/// `sent` can have been applied, given a lookup answered with `Date:
/// server_now` and received at `now`. Exact, without slack: `Date` is the
/// server's time truncated to the second, so it is at most the time the
/// server answered, and no more than `now - sent` passed on the server
/// between its taking the create and its answering the lookup. So an
/// object stamped earlier was there before the create.
pub fn window_start(server_now: SystemTime, sent: Instant, now: Instant) -> SystemTime {
    let elapsed: Duration = now.saturating_duration_since(sent);
    server_now
        .checked_sub(elapsed)
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(id: &str, secs: u64, same: bool) -> Found<String> {
        Found {
            id: id.into(),
            created: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)),
            same,
            object: id.into(),
        }
    }

    #[test]
    fn an_object_there_before_is_never_adopted_whatever_its_content() {
        let before = Before(vec!["theirs".into()]);
        let got = settle(
            vec![found("theirs", 10, true)],
            Some(&before),
            None,
            None,
            Names::Unique,
        );
        assert_eq!(got, Lookup::Before("theirs".into()));
        // Where names repeat, it says nothing: the create did not happen.
        let got = settle(
            vec![found("theirs", 10, true)],
            Some(&before),
            None,
            None,
            Names::Repeat,
        );
        assert_eq!(got, Lookup::Missing);
    }

    #[test]
    fn a_new_object_with_the_content_is_ours_and_claimed_once() {
        let claims = Claims::default();
        let before = Before(vec!["old".into()]);
        let all = vec![
            found("old", 1, true),
            found("a", 20, true),
            found("b", 21, true),
        ];
        let got = settle(
            all.clone(),
            Some(&before),
            None,
            Some(&claims),
            Names::Repeat,
        );
        assert_eq!(got, Lookup::Created("a".into()));
        let got = settle(
            all.clone(),
            Some(&before),
            None,
            Some(&claims),
            Names::Repeat,
        );
        assert_eq!(got, Lookup::Created("b".into()));
        let got = settle(all, Some(&before), None, Some(&claims), Names::Repeat);
        assert_eq!(got, Lookup::Missing);
    }

    #[test]
    fn a_new_object_with_other_content_or_no_evidence_is_not_told() {
        let before = Before::default();
        let got = settle(
            vec![found("x", 20, false)],
            Some(&before),
            None,
            None,
            Names::Unique,
        );
        assert_eq!(got, Lookup::NotOurs);
        let got = settle(vec![found("x", 20, true)], None, None, None, Names::Unique);
        assert_eq!(got, Lookup::NotOurs);
        let got = settle(Vec::<Found<String>>::new(), None, None, None, Names::Unique);
        assert_eq!(got, Lookup::Missing);
    }

    #[test]
    fn an_object_made_before_the_window_was_there_before() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(15);
        let before = Before::default();
        let got = settle(
            vec![found("early", 14, true), found("ours", 15, true)],
            Some(&before),
            Some(start),
            None,
            Names::Repeat,
        );
        assert_eq!(got, Lookup::Created("ours".into()));
        let got = settle(
            vec![found("early", 14, true)],
            Some(&before),
            Some(start),
            None,
            Names::Unique,
        );
        assert_eq!(got, Lookup::Before("early".into()));
    }

    #[test]
    fn the_window_is_exact_on_the_server_clock() {
        let sent = Instant::now();
        let date = SystemTime::UNIX_EPOCH + Duration::from_secs(60);
        assert_eq!(
            window_start(date, sent, sent + Duration::from_millis(1500)),
            SystemTime::UNIX_EPOCH + Duration::from_millis(58_500)
        );
    }

    #[tokio::test]
    async fn one_listing_per_scope() {
        let cache = BeforeCreates::default();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        for key in ["a", "b", "a"] {
            let got = cache
                .before("s", key, || async {
                    calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    Ok::<_, ()>(vec![("a".into(), "1".into()), ("a".into(), "2".into())])
                })
                .await
                .unwrap();
            assert_eq!(got.0.len(), if key == "a" { 2 } else { 0 });
        }
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
