//! Argon2 password hashes, computed off the async runtime.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Hash a password into a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Check a password against a stored hash; a hash that does not parse never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Verify on a blocking thread: argon2 takes tens of milliseconds of CPU.
/// With no stored hash (unknown user) a dummy is checked, so the answer takes
/// as long whether or not the user exists.
pub async fn verify_off_runtime(password: String, stored: Option<String>, dummy: String) -> bool {
    let known = stored.is_some();
    let hash = stored.unwrap_or(dummy);
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    ok && known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("demo").expect("hash");
        assert!(verify_password("demo", &hash));
        assert!(!verify_password("Demo", &hash));
        assert!(!verify_password("demo", "not a hash"));
    }
}
