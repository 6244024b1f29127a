//! The dashboard counts every person of a partnership (tens of milliseconds
//! at full scale); many people open it at once. Each partnership's counts are
//! kept for a short while and dropped as soon as this server changes a seat,
//! so a change made here shows at once and one made elsewhere (an import)
//! within [`FRESH_FOR`].

use lmp_store::dashboard::Dashboard;
use lmp_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const FRESH_FOR: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct DashboardCache {
    entries: Mutex<HashMap<i64, (Instant, Arc<Dashboard>)>>,
    /// One recount at a time: when the counts go stale under load, the
    /// first request recounts and the others wait for its answer instead of
    /// all recounting at once.
    recounting: tokio::sync::Mutex<()>,
    /// Bumped by every invalidation, so a recount that began before a change
    /// is not kept as if it came after.
    changes: Mutex<HashMap<i64, u64>>,
}

impl DashboardCache {
    pub async fn get(&self, store: &Store, partnership_id: i64) -> lmp_store::Result<Arc<Dashboard>> {
        if let Some(fresh) = self.fresh(partnership_id) {
            return Ok(fresh);
        }
        let _turn = self.recounting.lock().await;
        // Another request may have recounted while this one waited.
        if let Some(fresh) = self.fresh(partnership_id) {
            return Ok(fresh);
        }
        let started = Instant::now();
        let before = self.change_count(partnership_id);
        let dashboard = Arc::new(store.dashboard(partnership_id).await?);
        if self.change_count(partnership_id) == before {
            self.lock().insert(partnership_id, (started, dashboard.clone()));
        }
        Ok(dashboard)
    }

    fn fresh(&self, partnership_id: i64) -> Option<Arc<Dashboard>> {
        let entries = self.lock();
        let (at, dashboard) = entries.get(&partnership_id)?;
        (at.elapsed() < FRESH_FOR).then(|| dashboard.clone())
    }

    /// Forget a partnership's counts after a change to its bodies or people.
    pub fn invalidate(&self, partnership_id: i64) {
        *self
            .changes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(partnership_id)
            .or_default() += 1;
        self.lock().remove(&partnership_id);
    }

    fn change_count(&self, partnership_id: i64) -> u64 {
        let changes = self.changes.lock().unwrap_or_else(|p| p.into_inner());
        changes.get(&partnership_id).copied().unwrap_or(0)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (Instant, Arc<Dashboard>)>> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
