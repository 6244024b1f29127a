//! Figures that read every person or every meeting of a partnership (tens
//! to hundreds of milliseconds at full scale) and that many people open at
//! once: the dashboard counts and the partnership's health. Each is kept
//! for a short while and dropped as soon as this server changes what it
//! counts, so a change made here shows at once and one made elsewhere (an
//! import) within the time it is kept.

use lmp_store::dashboard::Dashboard;
use lmp_store::health::Health;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const FRESH_FOR: Duration = Duration::from_secs(30);

/// What is kept: per partnership and `K`, when it was counted and the figures.
type Kept<K, V> = HashMap<(i64, K), (Instant, Arc<V>)>;

/// Figures kept per partnership and `K` (what was asked for).
pub struct Recent<K, V> {
    fresh_for: Duration,
    entries: Mutex<Kept<K, V>>,
    /// One recount at a time: when the figures go stale under load, the
    /// first request recounts and the others wait for its answer instead of
    /// all recounting at once.
    recounting: tokio::sync::Mutex<()>,
    /// Bumped by every invalidation, so a recount that began before a change
    /// is not kept as if it came after.
    changes: Mutex<HashMap<i64, u64>>,
}

impl<K: Hash + Eq + Clone, V> Recent<K, V> {
    pub fn new(fresh_for: Duration) -> Recent<K, V> {
        Recent {
            fresh_for,
            entries: Mutex::new(HashMap::new()),
            recounting: tokio::sync::Mutex::new(()),
            changes: Mutex::new(HashMap::new()),
        }
    }

    /// The kept figures, or `load` them.
    pub async fn get<F, Fut>(&self, partnership_id: i64, key: K, load: F) -> lmp_store::Result<Arc<V>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = lmp_store::Result<V>>,
    {
        let at = (partnership_id, key);
        if let Some(fresh) = self.fresh(&at) {
            return Ok(fresh);
        }
        let _turn = self.recounting.lock().await;
        // Another request may have recounted while this one waited.
        if let Some(fresh) = self.fresh(&at) {
            return Ok(fresh);
        }
        let started = Instant::now();
        let before = self.change_count(partnership_id);
        let value = Arc::new(load().await?);
        if self.change_count(partnership_id) == before {
            self.lock().insert(at, (started, value.clone()));
        }
        Ok(value)
    }

    fn fresh(&self, at: &(i64, K)) -> Option<Arc<V>> {
        let entries = self.lock();
        let (when, value) = entries.get(at)?;
        (when.elapsed() < self.fresh_for).then(|| value.clone())
    }

    /// Forget everything kept for a partnership after a change to it.
    pub fn invalidate(&self, partnership_id: i64) {
        *self
            .changes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(partnership_id)
            .or_default() += 1;
        self.lock().retain(|(pid, _), _| *pid != partnership_id);
    }

    fn change_count(&self, partnership_id: i64) -> u64 {
        let changes = self.changes.lock().unwrap_or_else(|p| p.into_inner());
        changes.get(&partnership_id).copied().unwrap_or(0)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept<K, V>> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The dashboard's counts, dropped on every seat change here.
pub type DashboardCache = Recent<(), Dashboard>;

/// The health page's figures by (which bodies, months), dropped with the dashboard's.
pub type HealthCache = Recent<(lmp_store::health::Which, i64), Health>;

/// How long the health figures are kept: they move by the day, not the second.
pub const HEALTH_FRESH_FOR: Duration = Duration::from_secs(120);

/// A measure's evidence by measure id: every value of the measure read and
/// three models fitted. Dropped when outcomes are taken in here; levels
/// move by the month, so a re-rating shows within the time it is kept.
pub type EvidenceCache = Recent<i64, lmp_core::evidence::report::Evidence>;

/// How long a measure's evidence is kept.
pub const EVIDENCE_FRESH_FOR: Duration = Duration::from_secs(600);
