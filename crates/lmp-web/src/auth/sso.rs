//! Single sign-on through the employer's identity provider: OpenID Connect,
//! the authorization code flow with PKCE (S256), the ID token's signature,
//! issuer, audience, expiry and nonce checked by the `openidconnect` crate.
//! One of the token's claims carries the employee number that names the
//! person here; the store finds or makes their sign-in.

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    Scope, StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How the partnership's identity provider is reached.
#[derive(Debug, Clone)]
pub struct SsoConfig {
    /// The provider's issuer URL (its discovery document is beneath it).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The ID token claim that holds the employee number.
    pub claim: String,
    /// The partnership this provider signs people into.
    pub partnership_id: i64,
    /// Where the provider sends the browser back: `…/sign-in/sso/callback`.
    pub redirect_url: String,
    /// The button's words.
    pub label: String,
}

/// The claims of an ID token beyond the standard ones, as they come.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderClaims {
    #[serde(flatten)]
    pub claims: HashMap<String, serde_json::Value>,
}
impl AdditionalClaims for ProviderClaims {}

type IdFields = IdTokenFields<
    ProviderClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type SsoClient = openidconnect::Client<
    ProviderClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    StandardTokenResponse<IdFields, CoreTokenType>,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A sign-in begun and not yet back: its PKCE verifier and nonce.
struct Pending {
    verifier: PkceCodeVerifier,
    nonce: Nonce,
    at: Instant,
}

/// How long a person has at the provider before the sign-in must start again.
pub const PENDING_FOR: Duration = Duration::from_secs(10 * 60);
/// Sign-ins begun at once, at most; the oldest go first.
const MOST_PENDING: usize = 20_000;

/// Who the provider vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vouched {
    pub subject: String,
    pub employee_no: String,
}

/// Why single sign-on did not finish, in words for the sign-in page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SsoError {
    #[error("The sign-in took too long or was started elsewhere. Try again.")]
    Expired,
    #[error("The employer's sign-in service cannot be reached just now ({0}). Try again shortly, or sign in with a password.")]
    Provider(String),
    #[error("The employer's sign-in service did not vouch for you: {0}")]
    Refused(String),
    #[error(
        "The employer's sign-in did not say your employee number (claim {0:?}). Ask the partnership's administrator."
    )]
    NoEmployeeNumber(String),
}

/// The configured provider, discovered on first use.
pub struct Sso {
    pub config: SsoConfig,
    http: openidconnect::reqwest::Client,
    client: tokio::sync::OnceCell<SsoClient>,
    pending: Mutex<HashMap<String, Pending>>,
}

impl Sso {
    pub fn new(config: SsoConfig) -> Result<Sso, String> {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would open the client to request forgery.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("the identity provider's HTTP client: {e}"))?;
        IssuerUrl::new(config.issuer.clone()).map_err(|e| format!("--sso-issuer {:?}: {e}", config.issuer))?;
        RedirectUrl::new(config.redirect_url.clone())
            .map_err(|e| format!("the sign-in's return address {:?}: {e}", config.redirect_url))?;
        Ok(Sso {
            config,
            http,
            client: tokio::sync::OnceCell::new(),
            pending: Mutex::new(HashMap::new()),
        })
    }

    /// The client, from the provider's discovery document (fetched once;
    /// a failure is tried again on the next sign-in).
    async fn client(&self) -> Result<&SsoClient, SsoError> {
        self.client
            .get_or_try_init(|| async {
                let issuer =
                    IssuerUrl::new(self.config.issuer.clone()).map_err(|e| SsoError::Provider(e.to_string()))?;
                let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
                    .await
                    .map_err(|e| SsoError::Provider(error_chain(&e)))?;
                let redirect = RedirectUrl::new(self.config.redirect_url.clone())
                    .map_err(|e| SsoError::Provider(e.to_string()))?;
                Ok(SsoClient::from_provider_metadata(
                    metadata,
                    ClientId::new(self.config.client_id.clone()),
                    self.config.client_secret.clone().map(ClientSecret::new),
                )
                .set_redirect_uri(redirect))
            })
            .await
    }

    /// Where to send the browser, and the state that must come back with it.
    pub async fn begin(&self) -> Result<(String, String), SsoError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let now = Instant::now();
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        pending.retain(|_, p| now.duration_since(p.at) < PENDING_FOR);
        if pending.len() >= MOST_PENDING {
            if let Some(oldest) = pending.iter().min_by_key(|(_, p)| p.at).map(|(k, _)| k.clone()) {
                pending.remove(&oldest);
            }
        }
        pending.insert(
            state.secret().clone(),
            Pending {
                verifier,
                nonce,
                at: now,
            },
        );
        Ok((url.to_string(), state.secret().clone()))
    }

    /// The browser is back with `code` for `state`: exchange it with the
    /// verifier, check the ID token, and read who it names.
    pub async fn finish(&self, state: &str, code: &str) -> Result<Vouched, SsoError> {
        let pending = {
            let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            pending.remove(state)
        };
        let pending = pending
            .filter(|p| p.at.elapsed() < PENDING_FOR)
            .ok_or(SsoError::Expired)?;
        let client = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| SsoError::Provider(e.to_string()))?
            .set_pkce_verifier(pending.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::Refused(error_chain(&e)))?;
        let id_token = response
            .id_token()
            .ok_or_else(|| SsoError::Refused("no ID token came back".into()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &pending.nonce)
            .map_err(|e| SsoError::Refused(error_chain(&e)))?;
        let employee_no = match claims.additional_claims().claims.get(&self.config.claim) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => return Err(SsoError::NoEmployeeNumber(self.config.claim.clone())),
        };
        Ok(Vouched {
            subject: claims.subject().as_str().to_string(),
            employee_no,
        })
    }
}

/// An error and its causes, in one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}
