//! Random secrets for sessions and API tokens. Only their SHA-256 is stored,
//! so a copy of the database cannot be used to sign in.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// Personal access tokens start with this, so they are easy to spot in logs
/// and secret scanners.
pub const TOKEN_PREFIX: &str = "lmp_";

/// 256 random bits, hex-encoded.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn new_api_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compare two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_and_prefixed() {
        let a = new_api_token();
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_ne!(a, new_api_token());
        assert_eq!(hash_secret(&a), hash_secret(&a));
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
