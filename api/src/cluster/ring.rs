//! What one node tells the others, and how it fits in PostgreSQL notifications. Pure: no IO.
//!
//! A ring says only that something changed and how far (an offset, a version); the change
//! itself is read from the database by whoever cares. So a ring can be merged with the next
//! of its kind (the later offset covers the earlier), and one lost is repaired by a
//! [`Ring::Resync`].
//!
//! A payload is lines of text: the sending node's id first, then one ring per line
//! (`n <user> <offset>`, `s <user> <version>`, `f`, `a <user>`, `d <device>`, `u <user>`,
//! `v <session>`, `r`).
//! PostgreSQL refuses payloads of 8,000 bytes or more, so a batch is cut into as many payloads
//! as it needs.

use std::collections::BTreeMap;

use uuid::Uuid;

/// Payloads stay below PostgreSQL's limit (8,000 bytes) with room to spare.
pub const PAYLOAD_LIMIT: usize = 7_500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ring {
    /// The user's note event log holds events up to this offset.
    NoteEvents { user_id: Uuid, through: i64 },
    /// The user's settings were written; this is the new version.
    Settings { user_id: Uuid, version: i64 },
    /// A feature flag or override changed.
    Flags,
    /// The user's learned threshold adjustments were written.
    Adjustments(Uuid),
    /// The device was revoked: its sockets close.
    DeviceRevoked(Uuid),
    /// The user was disabled: their sockets close.
    UserDisabled(Uuid),
    /// The voice session's device came to the sending node, which claimed it.
    SessionMoved(Uuid),
    /// Rings may have been lost (the sender's connection dropped): read everything anew.
    Resync,
}

/// Rings waiting to be sent, merged: per user only the latest offset and version count.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Batch {
    notes: BTreeMap<Uuid, i64>,
    settings: BTreeMap<Uuid, i64>,
    flags: bool,
    adjustments: Vec<Uuid>,
    devices: Vec<Uuid>,
    users: Vec<Uuid>,
    sessions: Vec<Uuid>,
    resync: bool,
}

impl Batch {
    pub fn add(&mut self, ring: Ring) {
        match ring {
            Ring::NoteEvents { user_id, through } => keep_max(&mut self.notes, user_id, through),
            Ring::Settings { user_id, version } => keep_max(&mut self.settings, user_id, version),
            Ring::Flags => self.flags = true,
            Ring::Adjustments(id) => push_new(&mut self.adjustments, id),
            Ring::DeviceRevoked(id) => push_new(&mut self.devices, id),
            Ring::UserDisabled(id) => push_new(&mut self.users, id),
            Ring::SessionMoved(id) => push_new(&mut self.sessions, id),
            Ring::Resync => self.resync = true,
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Batch::default()
    }

    /// The batch's rings; a resync first, since it covers what follows.
    pub fn rings(&self) -> Vec<Ring> {
        let resync = self.resync.then_some(Ring::Resync);
        let flags = self.flags.then_some(Ring::Flags);
        resync
            .into_iter()
            .chain(flags)
            .chain(self.adjustments.iter().copied().map(Ring::Adjustments))
            .chain(self.devices.iter().copied().map(Ring::DeviceRevoked))
            .chain(self.users.iter().copied().map(Ring::UserDisabled))
            .chain(self.sessions.iter().copied().map(Ring::SessionMoved))
            .chain(
                self.settings
                    .iter()
                    .map(|(&user_id, &version)| Ring::Settings { user_id, version }),
            )
            .chain(
                self.notes
                    .iter()
                    .map(|(&user_id, &through)| Ring::NoteEvents { user_id, through }),
            )
            .collect()
    }

    /// The batch as notification payloads from `node`, each below [`PAYLOAD_LIMIT`].
    pub fn payloads(&self, node: Uuid) -> Vec<String> {
        let header = node.to_string();
        let mut payloads = Vec::new();
        let mut current = header.clone();
        for ring in self.rings() {
            let line = encode(ring);
            if current.len() + 1 + line.len() > PAYLOAD_LIMIT {
                payloads.push(std::mem::replace(&mut current, header.clone()));
            }
            current.push('\n');
            current.push_str(&line);
        }
        if current.len() > header.len() {
            payloads.push(current);
        }
        payloads
    }
}

fn keep_max(map: &mut BTreeMap<Uuid, i64>, key: Uuid, value: i64) {
    let entry = map.entry(key).or_insert(value);
    *entry = (*entry).max(value);
}

fn push_new(list: &mut Vec<Uuid>, id: Uuid) {
    if !list.contains(&id) {
        list.push(id);
    }
}

fn encode(ring: Ring) -> String {
    match ring {
        Ring::NoteEvents { user_id, through } => format!("n {user_id} {through}"),
        Ring::Settings { user_id, version } => format!("s {user_id} {version}"),
        Ring::Flags => "f".to_owned(),
        Ring::Adjustments(id) => format!("a {id}"),
        Ring::DeviceRevoked(id) => format!("d {id}"),
        Ring::UserDisabled(id) => format!("u {id}"),
        Ring::SessionMoved(id) => format!("v {id}"),
        Ring::Resync => "r".to_owned(),
    }
}

/// A payload read back: who sent it and its rings.
#[derive(Debug, PartialEq)]
pub struct Received {
    pub node: Uuid,
    pub rings: Vec<Ring>,
}

/// Reads a payload. A line it does not understand (a newer node's ring, a payload sent by
/// hand) is an error for that line only; the rest still count.
pub fn decode(payload: &str) -> Result<(Received, Vec<String>), String> {
    let mut lines = payload.lines();
    let node = lines
        .next()
        .and_then(|line| Uuid::parse_str(line.trim()).ok())
        .ok_or_else(|| "the payload does not start with a node id".to_owned())?;
    let mut rings = Vec::new();
    let mut unread = Vec::new();
    for line in lines {
        match decode_line(line) {
            Some(ring) => rings.push(ring),
            None => unread.push(line.to_owned()),
        }
    }
    Ok((Received { node, rings }, unread))
}

fn decode_line(line: &str) -> Option<Ring> {
    let mut words = line.split(' ');
    let kind = words.next()?;
    let ring = match kind {
        "f" => Ring::Flags,
        "r" => Ring::Resync,
        "a" => Ring::Adjustments(words.next()?.parse().ok()?),
        "d" => Ring::DeviceRevoked(words.next()?.parse().ok()?),
        "u" => Ring::UserDisabled(words.next()?.parse().ok()?),
        "v" => Ring::SessionMoved(words.next()?.parse().ok()?),
        "n" | "s" => {
            let user_id = words.next()?.parse().ok()?;
            let number: i64 = words.next()?.parse().ok()?;
            if kind == "n" {
                Ring::NoteEvents {
                    user_id,
                    through: number,
                }
            } else {
                Ring::Settings {
                    user_id,
                    version: number,
                }
            }
        }
        _ => return None,
    };
    words.next().is_none().then_some(ring)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn user(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn a_batch_keeps_the_latest_offset_and_version_per_user() {
        let mut batch = Batch::default();
        batch.add(Ring::NoteEvents {
            user_id: user(1),
            through: 7,
        });
        batch.add(Ring::NoteEvents {
            user_id: user(1),
            through: 5,
        });
        batch.add(Ring::Settings {
            user_id: user(2),
            version: 3,
        });
        batch.add(Ring::Flags);
        batch.add(Ring::Flags);
        batch.add(Ring::DeviceRevoked(user(9)));
        batch.add(Ring::DeviceRevoked(user(9)));
        assert_eq!(
            batch.rings(),
            vec![
                Ring::Flags,
                Ring::DeviceRevoked(user(9)),
                Ring::Settings {
                    user_id: user(2),
                    version: 3
                },
                Ring::NoteEvents {
                    user_id: user(1),
                    through: 7
                },
            ]
        );
    }

    #[test]
    fn an_empty_batch_sends_nothing() {
        assert!(Batch::default().is_empty());
        assert!(Batch::default().payloads(user(1)).is_empty());
    }

    #[test]
    fn a_large_batch_is_cut_into_payloads_below_the_limit() {
        let mut batch = Batch::default();
        for n in 0..1_000 {
            batch.add(Ring::NoteEvents {
                user_id: user(n),
                through: i64::MAX,
            });
        }
        let payloads = batch.payloads(user(42));
        assert!(payloads.len() > 1);
        let mut rings = Vec::new();
        for payload in &payloads {
            assert!(payload.len() <= PAYLOAD_LIMIT, "{} bytes", payload.len());
            let (received, unread) = decode(payload).unwrap();
            assert_eq!(received.node, user(42));
            assert!(unread.is_empty());
            rings.extend(received.rings);
        }
        assert_eq!(rings, batch.rings());
    }

    #[test]
    fn lines_it_does_not_understand_are_set_aside_and_the_rest_count() {
        let node = user(5);
        let payload = format!(
            "{node}\nf\nx something new\nn not-a-uuid 3\nn {} 4 extra\nu {}",
            user(1),
            user(2)
        );
        let (received, unread) = decode(&payload).unwrap();
        assert_eq!(
            received.rings,
            vec![Ring::Flags, Ring::UserDisabled(user(2))]
        );
        assert_eq!(unread.len(), 3);
        assert!(decode("hello\nf").is_err());
        assert!(decode("").is_err());
    }

    fn any_ring() -> impl Strategy<Value = Ring> {
        let id = any::<u128>().prop_map(Uuid::from_u128);
        prop_oneof![
            (id.clone(), any::<i64>())
                .prop_map(|(user_id, through)| Ring::NoteEvents { user_id, through }),
            (id.clone(), any::<i64>())
                .prop_map(|(user_id, version)| Ring::Settings { user_id, version }),
            Just(Ring::Flags),
            Just(Ring::Resync),
            id.clone().prop_map(Ring::Adjustments),
            id.clone().prop_map(Ring::DeviceRevoked),
            id.clone().prop_map(Ring::UserDisabled),
            id.prop_map(Ring::SessionMoved),
        ]
    }

    proptest! {
        /// Whatever is rung, the payloads read back as the merged batch, in order.
        #[test]
        fn payloads_read_back_as_the_batch(rings in prop::collection::vec(any_ring(), 0..400)) {
            let mut batch = Batch::default();
            for ring in rings {
                batch.add(ring);
            }
            let mut read = Vec::new();
            for payload in batch.payloads(user(7)) {
                prop_assert!(payload.len() <= PAYLOAD_LIMIT);
                let (received, unread) = decode(&payload).unwrap();
                prop_assert!(unread.is_empty());
                read.extend(received.rings);
            }
            prop_assert_eq!(read, batch.rings());
        }
    }
}
