//! Password hashing with Argon2id (PHC strings).

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

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

/// Argon2 checks running at once, server-wide. Each one holds its working memory (19 MiB
/// with the default parameters) and a core for tens of milliseconds: a burst of sign-ins
/// waits its turn instead of multiplying both.
fn hashing_permits() -> &'static Semaphore {
    static PERMITS: LazyLock<Semaphore> = LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Semaphore::new(cores.clamp(1, 4))
    });
    &PERMITS
}

/// Runs `work` on a blocking thread once a hashing permit is free: Argon2 must not hold up
/// the runtime's threads, which serve every socket.
async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let _permit = hashing_permits()
        .acquire()
        .await
        .map_err(|_| anyhow::anyhow!("password hashing has stopped"))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|err| anyhow::anyhow!("password hashing failed: {err}"))
}

/// The PHC string of `password` (Argon2id, default parameters).
pub async fn hash(password: &Password) -> anyhow::Result<String> {
    let plain = password.0.clone();
    off_the_runtime(move || hash_now(&plain)).await?
}

fn hash_now(plain: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(plain.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("hashing a password: {err}"))
}

/// Checks `candidate` against a stored PHC string. A corrupt stored hash counts as a mismatch
/// (and is logged): the user cannot log in, but nothing else breaks.
pub async fn verify(candidate: &str, stored: &str) -> bool {
    let (candidate, stored) = (candidate.to_owned(), stored.to_owned());
    off_the_runtime(move || verify_now(&candidate, &stored))
        .await
        .unwrap_or_else(|err| {
            tracing::error!(%err, "password check did not run");
            false
        })
}

fn verify_now(candidate: &str, stored: &str) -> bool {
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
pub async fn verify_against_nothing(candidate: &str) {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash_now("not-a-real-password").expect("argon2 with default parameters"));
    // The dummy is hashed on first use, on the hashing thread like every check.
    let candidate = candidate.to_owned();
    let _ = off_the_runtime(move || verify_now(&candidate, &DUMMY)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn round_trip_and_mismatch() {
        let stored = hash(&Password::parse("correct horse").unwrap())
            .await
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored).await);
        assert!(!verify("correct horsE", &stored).await);
        assert!(!verify("correct horse", "not a phc string").await);
    }

    #[test]
    fn length_rules() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(300)).is_err());
        assert!(Password::parse("long enough").is_ok());
    }
}
