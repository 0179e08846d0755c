//! Coalesced reads: one list call serves the refresh of many resources.
//!
//! Terraform refreshes every resource with its own `ReadResource` call, up to
//! `-parallelism` at once. Where a vendor's list endpoint returns full
//! objects (Flashduty `/role/list`, Rootly's pages), reading one listing and
//! answering every read from it costs O(1) list calls instead of N single
//! reads. A listing serves reads for a short time only, and any write through
//! the same client makes the next read list again, so a resource never reads
//! back a stale copy of its own change.
//!
//! A write forgets the listing twice: before it is sent and once it has been
//! answered ([`ListSnapshot::write`]). Forgetting only before would let a
//! read that runs while the write is in flight (another resource's refresh
//! or read-back) take a listing from before the write landed and keep it as
//! fresh; the write's own read-back would then see the old value.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long one listing may answer reads. Terraform starts a provider
/// process per command and walk, and a refresh issues its reads over the
/// whole walk (`-parallelism` at a time): a refresh of a few hundred objects
/// takes longer than a few seconds under rate limits, and a shorter window
/// would list again and again. Writes forget the listing anyway.
pub const REUSE: Duration = Duration::from_secs(60);

/// A shared, briefly reused listing keyed by `K`. Cheap to clone.
pub struct ListSnapshot<K, V> {
    taken: Arc<tokio::sync::Mutex<Option<Taken<K, V>>>>,
    generation: Arc<AtomicU64>,
    reuse: Duration,
}

struct Taken<K, V> {
    at: Instant,
    generation: u64,
    items: Arc<HashMap<K, V>>,
}

impl<K, V> Clone for ListSnapshot<K, V> {
    fn clone(&self) -> Self {
        ListSnapshot {
            taken: self.taken.clone(),
            generation: self.generation.clone(),
            reuse: self.reuse,
        }
    }
}

impl<K, V> Default for ListSnapshot<K, V> {
    fn default() -> Self {
        Self::new(REUSE)
    }
}

impl<K, V> ListSnapshot<K, V> {
    /// A snapshot whose listings answer reads for `reuse`.
    pub fn new(reuse: Duration) -> Self {
        ListSnapshot {
            taken: Default::default(),
            generation: Default::default(),
            reuse,
        }
    }

    /// Forgets the current listing. Writes go through [`Self::write`],
    /// which calls this before and after.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Runs `write`, forgetting the listing before it is sent and again
    /// once it is answered (whatever the answer): a listing taken while the
    /// write was in flight may or may not show it, so no read after the
    /// write may use it.
    pub async fn write<T>(&self, write: impl Future<Output = T>) -> T {
        self.invalidate();
        let answer = write.await;
        self.invalidate();
        answer
    }
}

impl<K: Eq + Hash, V: Clone> ListSnapshot<K, V> {
    /// The item under `key` in a fresh listing, taking one with `list` when
    /// there is none. Concurrent callers wait for the same listing rather
    /// than each taking their own.
    pub async fn get<E, F, Fut>(&self, key: &K, list: F) -> Result<Option<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<(K, V)>, E>>,
    {
        let mut guard = self.taken.lock().await;
        let generation = self.generation.load(Ordering::SeqCst);
        let fresh = guard
            .as_ref()
            .is_some_and(|t| t.generation == generation && t.at.elapsed() < self.reuse);
        if !fresh {
            let items = list().await?;
            *guard = Some(Taken {
                at: Instant::now(),
                generation,
                items: Arc::new(items.into_iter().collect()),
            });
        }
        let items = guard.as_ref().map(|t| t.items.clone());
        drop(guard);
        Ok(items.and_then(|items| items.get(key).cloned()))
    }
}

/// The first listing this process took, kept for the whole run and never
/// forgotten: what held what *before* this run's writes. Plan-time checks
/// use it (the roles a first apply revokes, an assignment that existed
/// before), since Terraform plans every resource again in the apply walk,
/// interleaved with writes, and a fresh listing for each would cost one
/// walk of the vendor's pages per write. Cheap to clone.
pub struct FirstListing<K, V> {
    taken: Arc<tokio::sync::OnceCell<Arc<HashMap<K, V>>>>,
}

impl<K, V> Clone for FirstListing<K, V> {
    fn clone(&self) -> Self {
        FirstListing {
            taken: self.taken.clone(),
        }
    }
}

impl<K, V> Default for FirstListing<K, V> {
    fn default() -> Self {
        FirstListing {
            taken: Default::default(),
        }
    }
}

impl<K: Eq + Hash, V: Clone> FirstListing<K, V> {
    /// The item under `key` in the first listing, taking it with `list`
    /// when there is none yet (concurrent callers share one; a failed
    /// listing is not kept).
    pub async fn get<E, F, Fut>(&self, key: &K, list: F) -> Result<Option<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<(K, V)>, E>>,
    {
        let items = self
            .taken
            .get_or_try_init(|| async { Ok(Arc::new(list().await?.into_iter().collect())) })
            .await?;
        Ok(items.get(key).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    async fn read(
        snapshot: &ListSnapshot<u32, &'static str>,
        key: u32,
        calls: &AtomicUsize,
    ) -> Option<&'static str> {
        snapshot
            .get(&key, || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>(vec![(1, "one"), (2, "two")])
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn concurrent_reads_share_one_listing() {
        let snapshot = ListSnapshot::default();
        let calls = AtomicUsize::new(0);
        let (a, b, c) = tokio::join!(
            read(&snapshot, 1, &calls),
            read(&snapshot, 2, &calls),
            read(&snapshot, 3, &calls)
        );
        assert_eq!((a, b, c), (Some("one"), Some("two"), None));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_write_or_age_forces_a_new_listing() {
        let snapshot = ListSnapshot::new(Duration::from_millis(50));
        let calls = AtomicUsize::new(0);
        read(&snapshot, 1, &calls).await;
        snapshot.invalidate();
        read(&snapshot, 1, &calls).await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        tokio::time::sleep(Duration::from_millis(60)).await;
        read(&snapshot, 1, &calls).await;
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_listing_taken_during_a_write_is_not_kept_for_the_reads_after_it() {
        let snapshot: ListSnapshot<u32, u32> = ListSnapshot::default();
        let value = Arc::new(AtomicU64::new(1));
        let (landed, land) = tokio::sync::oneshot::channel::<()>();
        let (listed, list_done) = tokio::sync::oneshot::channel::<()>();
        let writer = {
            let (snapshot, value) = (snapshot.clone(), value.clone());
            async move {
                snapshot
                    .write(async {
                        // The write lands only after another read listed.
                        list_done.await.unwrap();
                        value.store(2, Ordering::SeqCst);
                        landed.send(()).unwrap();
                    })
                    .await;
                let v = value.clone();
                snapshot
                    .get(&1, || async move {
                        Ok::<_, ()>(vec![(1, v.load(Ordering::SeqCst) as u32)])
                    })
                    .await
            }
        };
        let reader = {
            let (snapshot, value) = (snapshot.clone(), value.clone());
            async move {
                tokio::task::yield_now().await;
                let v = value.clone();
                let got = snapshot
                    .get(&1, || async move {
                        Ok::<_, ()>(vec![(1, v.load(Ordering::SeqCst) as u32)])
                    })
                    .await;
                listed.send(()).unwrap();
                land.await.unwrap();
                got
            }
        };
        let (after_write, during) = tokio::join!(writer, reader);
        assert_eq!(during, Ok(Some(1)));
        assert_eq!(
            after_write,
            Ok(Some(2)),
            "the read after the write saw the listing from before it landed"
        );
    }

    #[tokio::test]
    async fn the_first_listing_is_kept_for_the_run() {
        let first: FirstListing<u32, u32> = FirstListing::default();
        let calls = AtomicUsize::new(0);
        for expected in [Err("down"), Ok(Some(7)), Ok(Some(7))] {
            let got = first
                .get(&1, || async {
                    match calls.fetch_add(1, Ordering::SeqCst) {
                        0 => Err("down"),
                        n => Ok(vec![(1, 7 + n as u32 - 1)]),
                    }
                })
                .await;
            assert_eq!(got, expected);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_listing_is_not_kept() {
        let snapshot: ListSnapshot<u32, u32> = ListSnapshot::default();
        let err = snapshot
            .get(&1, || async { Err::<Vec<(u32, u32)>, _>("down") })
            .await;
        assert_eq!(err, Err("down"));
        let ok = snapshot
            .get(&1, || async { Ok::<_, &str>(vec![(1, 7)]) })
            .await;
        assert_eq!(ok, Ok(Some(7)));
    }
}
