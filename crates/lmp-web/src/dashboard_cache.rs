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
}

impl DashboardCache {
    pub async fn get(&self, store: &Store, partnership_id: i64) -> lmp_store::Result<Arc<Dashboard>> {
        let now = Instant::now();
        if let Some((at, dashboard)) = self.lock().get(&partnership_id) {
            if now.duration_since(*at) < FRESH_FOR {
                return Ok(dashboard.clone());
            }
        }
        let dashboard = Arc::new(store.dashboard(partnership_id).await?);
        self.lock().insert(partnership_id, (now, dashboard.clone()));
        Ok(dashboard)
    }

    /// Forget a partnership's counts after a change to its bodies or people.
    pub fn invalidate(&self, partnership_id: i64) {
        self.lock().remove(&partnership_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (Instant, Arc<Dashboard>)>> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
