//! Password hashing with Argon2id (PHC strings).

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::AppError;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A password that passed the length rules. Never printed.
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Password, AppError> {
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(AppError::bad_input(
                "password",
                format!("password must have at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(AppError::bad_input(
                "password",
                format!("password must have at most {MAX_PASSWORD_CHARS} characters"),
            ));
        }
        Ok(Password(raw.to_owned()))
    }
}

pub fn hash(password: &Password) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.0.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("hashing a password: {err}"))
}

/// Checks `candidate` against a stored PHC string. A corrupt stored hash counts as a mismatch
/// (and is logged): the user cannot log in, but nothing else breaks.
pub fn verify(candidate: &str, stored: &str) -> bool {
    let parsed = match argon2::password_hash::phc::PasswordHash::new(stored) {
        Ok(parsed) => parsed,
        Err(err) => {
            tracing::error!(%err, "stored password hash does not parse");
            return false;
        }
    };
    Argon2::default()
        .verify_password(candidate.as_bytes(), &parsed)
        .is_ok()
}

/// Spends the same time as a real check when the email is unknown, so response times do not
/// tell which emails have accounts.
pub fn verify_against_nothing(candidate: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| {
        hash(&Password("not-a-real-password".into())).expect("argon2 with default parameters")
    });
    let _ = verify(candidate, &DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_mismatch() {
        let stored = hash(&Password::parse("correct horse").unwrap()).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored));
        assert!(!verify("correct horsE", &stored));
        assert!(!verify("correct horse", "not a phc string"));
    }

    #[test]
    fn length_rules() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(300)).is_err());
        assert!(Password::parse("long enough").is_ok());
    }
}
