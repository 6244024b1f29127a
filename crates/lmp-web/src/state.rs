use crate::auth::throttle::SignInThrottle;
use crate::dashboard_cache::DashboardCache;
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
}

impl AppState {
    pub fn new(store: Store, secure_cookies: bool) -> Result<AppState, String> {
        Ok(AppState {
            store,
            throttle: Arc::new(SignInThrottle::default()),
            dummy_hash: Arc::new(crate::auth::password::hash_password("not a real password")?),
            secure_cookies,
            dashboards: Arc::new(DashboardCache::default()),
        })
    }
}
