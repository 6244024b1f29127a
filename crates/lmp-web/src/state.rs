use crate::auth::throttle::SignInThrottle;
use crate::cache::{DashboardCache, EvidenceCache, HealthCache, EVIDENCE_FRESH_FOR, FRESH_FOR, HEALTH_FRESH_FOR};
use lmp_store::Store;
use std::sync::Arc;

/// What every request can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub throttle: Arc<SignInThrottle>,
    /// Checked when a user name is unknown, so a sign-in takes as long
    /// whether or not the name exists.
    pub dummy_hash: Arc<String>,
    /// Mark the session cookie `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    pub dashboards: Arc<DashboardCache>,
    pub health: Arc<HealthCache>,
    pub evidence: Arc<EvidenceCache>,
    /// Single sign-on through the employer's identity provider, if set up.
    pub sso: Option<Arc<crate::auth::sso::Sso>>,
}

impl AppState {
    pub fn new(store: Store, secure_cookies: bool) -> Result<AppState, String> {
        Ok(AppState {
            store,
            throttle: Arc::new(SignInThrottle::default()),
            dummy_hash: Arc::new(crate::auth::password::hash_password("not a real password")?),
            secure_cookies,
            dashboards: Arc::new(DashboardCache::new(FRESH_FOR)),
            health: Arc::new(HealthCache::new(HEALTH_FRESH_FOR)),
            evidence: Arc::new(EvidenceCache::new(EVIDENCE_FRESH_FOR)),
            sso: None,
        })
    }

    /// The same, signing people in through the employer's identity provider too.
    pub fn with_sso(mut self, config: crate::auth::sso::SsoConfig) -> Result<AppState, String> {
        self.sso = Some(Arc::new(crate::auth::sso::Sso::new(config)?));
        Ok(self)
    }

    /// The dashboard counts, kept a short while.
    pub async fn dashboard(&self, partnership_id: i64) -> lmp_store::Result<Arc<lmp_store::dashboard::Dashboard>> {
        let store = &self.store;
        self.dashboards
            .get(partnership_id, (), || store.dashboard(partnership_id))
            .await
    }

    /// The partnership's health over the last `months`, kept a short while.
    pub async fn health(
        &self,
        partnership_id: i64,
        which: lmp_store::health::Which,
        months: i64,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> lmp_store::Result<Arc<lmp_store::health::Health>> {
        let store = &self.store;
        self.health
            .get(partnership_id, (which, months), || {
                store.health(partnership_id, which, from, to, 16)
            })
            .await
    }

    /// A partnership's seats changed here: drop the figures kept for it.
    pub fn seats_changed(&self, partnership_id: i64) {
        self.dashboards.invalidate(partnership_id);
        self.health.invalidate(partnership_id);
    }
}
