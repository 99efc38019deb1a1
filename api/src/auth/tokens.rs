//! Device access tokens: HS256 JWTs with `sub` (user), `did` (device), `pv` (protocol version),
//! `exp`, `iat`, `iss`, `aud` and `jti`. Only HS256 is accepted; `alg: none` and every other
//! algorithm are refused by the validation below.

use chrono::{DateTime, Duration, TimeZone, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::Secret;

pub const ISSUER: &str = "lossy";
pub const AUDIENCE: &str = "lossy-api";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub did: Uuid,
    pub pv: u8,
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
}

impl Claims {
    pub fn expires_at(&self) -> DateTime<Utc> {
        Utc.timestamp_opt(self.exp, 0).single().unwrap_or_default()
    }
}

/// Why a token was refused; also the `reason` written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenRejection {
    #[error("the token has expired")]
    Expired,
    #[error("the token's signature does not match")]
    BadSignature,
    #[error("the token is not for this service")]
    WrongAudience,
    #[error("the token was not issued by this service")]
    WrongIssuer,
    #[error("the token uses an algorithm this service does not accept")]
    BadAlgorithm,
    #[error("the token is malformed")]
    Malformed,
}

impl TokenRejection {
    pub fn reason(self) -> &'static str {
        match self {
            TokenRejection::Expired => "expired",
            TokenRejection::BadSignature => "bad_signature",
            TokenRejection::WrongAudience => "wrong_audience",
            TokenRejection::WrongIssuer => "wrong_issuer",
            TokenRejection::BadAlgorithm => "bad_algorithm",
            TokenRejection::Malformed => "malformed",
        }
    }
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

/// A freshly minted token and when it stops working.
#[derive(Debug, Clone)]
pub struct MintedToken {
    pub token: String,
    pub claims: Claims,
}

impl TokenKeys {
    /// Builds the keys and proves them with a round trip, because a crypto backend missing at
    /// build time only shows at first use.
    pub fn new(secret: &Secret, ttl: std::time::Duration) -> anyhow::Result<Self> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 0;
        let keys = TokenKeys {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
            ttl: Duration::from_std(ttl)?,
        };
        let probe = keys.mint(Uuid::nil(), Uuid::nil(), 1, Utc::now())?;
        anyhow::ensure!(
            keys.verify(&probe.token).as_ref() == Ok(&probe.claims),
            "JWT round trip failed at start-up"
        );
        Ok(keys)
    }

    pub fn mint(
        &self,
        user_id: Uuid,
        device_id: Uuid,
        protocol_version: u8,
        now: DateTime<Utc>,
    ) -> anyhow::Result<MintedToken> {
        let claims = Claims {
            sub: user_id,
            did: device_id,
            pv: protocol_version,
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            jti: Uuid::new_v4(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(MintedToken { token, claims })
    }

    /// Checks signature, algorithm, expiry, audience and issuer. Whether the device still
    /// exists and is not revoked is the caller's next step (`devices::authenticate`).
    pub fn verify(&self, token: &str) -> Result<Claims, TokenRejection> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => TokenRejection::Expired,
                ErrorKind::InvalidSignature => TokenRejection::BadSignature,
                ErrorKind::InvalidAudience => TokenRejection::WrongAudience,
                ErrorKind::InvalidIssuer => TokenRejection::WrongIssuer,
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    TokenRejection::BadAlgorithm
                }
                // `alg: none` (and any name the library does not know) fails while parsing the
                // header, before the algorithm check; it is still an algorithm attack.
                _ if declares_another_algorithm(token) => TokenRejection::BadAlgorithm,
                _ => TokenRejection::Malformed,
            })
    }
}

/// True when the token's header is readable JSON naming an algorithm other than HS256.
fn declares_another_algorithm(token: &str) -> bool {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let Some(header) = token.split('.').next() else {
        return false;
    };
    URL_SAFE_NO_PAD
        .decode(header)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|header| {
            header
                .get("alg")
                .and_then(|alg| alg.as_str().map(str::to_owned))
        })
        .is_some_and(|alg| alg != "HS256")
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(
            &Secret::new("0123456789abcdef0123456789abcdef"),
            std::time::Duration::from_secs(900),
        )
        .unwrap()
    }

    #[test]
    fn round_trip_keeps_every_claim() {
        let keys = keys();
        let (user, device) = (Uuid::new_v4(), Uuid::new_v4());
        let minted = keys.mint(user, device, 2, Utc::now()).unwrap();
        let claims = keys.verify(&minted.token).unwrap();
        assert_eq!((claims.sub, claims.did, claims.pv), (user, device, 2));
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = keys();
        let minted = keys
            .mint(
                Uuid::new_v4(),
                Uuid::new_v4(),
                2,
                Utc::now() - Duration::hours(1),
            )
            .unwrap();
        assert_eq!(keys.verify(&minted.token), Err(TokenRejection::Expired));
    }

    #[test]
    fn alg_none_is_refused() {
        let keys = keys();
        let minted = keys
            .mint(Uuid::new_v4(), Uuid::new_v4(), 2, Utc::now())
            .unwrap();
        let payload = minted.token.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let unsigned = format!("{header}.{payload}.");
        assert_eq!(keys.verify(&unsigned), Err(TokenRejection::BadAlgorithm));
    }

    #[test]
    fn another_secret_is_a_bad_signature() {
        let other = TokenKeys::new(
            &Secret::new("another secret that is long enough!!"),
            std::time::Duration::from_secs(900),
        )
        .unwrap();
        let minted = other
            .mint(Uuid::new_v4(), Uuid::new_v4(), 2, Utc::now())
            .unwrap();
        assert_eq!(
            keys().verify(&minted.token),
            Err(TokenRejection::BadSignature)
        );
    }
}
