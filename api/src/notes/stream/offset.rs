//! Offsets as clients see them: an opaque string naming one of a user's events.
//!
//! Inside, an offset is the user's event number; outside it also carries a short tag of the
//! user's id, so an offset passed by another user (a shared link, a mixed-up store) is refused
//! instead of replaying from a meaningless place.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// The text form of the user's event number `seq`.
pub fn encode(user_id: Uuid, seq: i64) -> String {
    format!("{seq}.{}", tag(user_id))
}

/// The event number in `text`, which must be one of `user_id`'s offsets.
pub fn decode(user_id: Uuid, text: &str, field: &'static str) -> AppResult<i64> {
    let refused = |why: &str| {
        AppError::bad_input(
            field,
            format!("`{field}` is not {why}; pass an offset from this stream's events"),
        )
    };
    let (digits, owner) = text.split_once('.').ok_or_else(|| refused("an offset"))?;
    // Only the canonical form: no sign, no leading zero, nothing a client could not have got.
    let seq = digits
        .parse::<i64>()
        .ok()
        .filter(|seq| *seq >= 0 && seq.to_string() == digits)
        .ok_or_else(|| refused("an offset"))?;
    if owner != tag(user_id) {
        return Err(refused("one of your offsets"));
    }
    Ok(seq)
}

/// Eight hex digits of the user id's hash: enough to tell users apart by accident, and not a
/// way to learn the id.
fn tag(user_id: Uuid) -> String {
    let digest = Sha256::digest(user_id.as_bytes());
    hex::encode(&digest[..4])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(err: AppError) -> String {
        format!("{err:?}")
    }

    #[test]
    fn offsets_round_trip_for_their_user() {
        let user = Uuid::new_v4();
        for seq in [0, 1, 42, i64::MAX] {
            assert_eq!(decode(user, &encode(user, seq), "since").unwrap(), seq);
        }
    }

    #[test]
    fn another_users_offset_is_refused() {
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let err = decode(bob, &encode(alice, 7), "since").unwrap_err();
        assert!(code(err).contains("one of your offsets"));
    }

    #[test]
    fn malformed_offsets_are_refused() {
        let user = Uuid::new_v4();
        let tag = tag(user);
        for text in [
            "".to_owned(),
            "7".to_owned(),
            format!("-1.{tag}"),
            format!("+7.{tag}"),
            format!("07.{tag}"),
            format!("x.{tag}"),
            format!("1e3.{tag}"),
            format!("99999999999999999999.{tag}"),
            format!("7.{tag}.1"),
        ] {
            assert!(
                decode(user, &text, "since").is_err(),
                "{text:?} was accepted"
            );
        }
    }
}
