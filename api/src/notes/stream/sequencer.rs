//! The rule that makes a subscriber's stream whole: events are passed on strictly in offset
//! order, each once. Live events can arrive out of order (two writes commit one after the
//! other but publish the other way round) or not at all (a subscriber that fell behind the
//! live buffer); both show up as a gap, which the stream fills from the event log. Anything at
//! or below the last offset passed on was already passed on.

/// Where a subscriber's stream stands: every event up to `last` has been passed on (or was
/// before the subscription, for a subscriber without `since`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sequencer {
    last: i64,
}

/// What to do with a live event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// It is the next one: pass it on.
    Next,
    /// Already passed on (from the log, or live before): drop it.
    Duplicate,
    /// Events `after < seq < before` are missing: read them from the log first.
    Gap { after: i64, before: i64 },
}

impl Sequencer {
    pub fn after(last: i64) -> Self {
        Sequencer { last }
    }

    pub fn last(&self) -> i64 {
        self.last
    }

    pub fn offer(&self, seq: i64) -> Offer {
        if seq <= self.last {
            Offer::Duplicate
        } else if seq == self.last + 1 {
            Offer::Next
        } else {
            Offer::Gap {
                after: self.last,
                before: seq,
            }
        }
    }

    /// Everything up to `seq` has been passed on.
    pub fn passed(&mut self, seq: i64) {
        self.last = self.last.max(seq);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_next_event_passes_and_older_ones_are_duplicates() {
        let mut s = Sequencer::after(4);
        assert_eq!(s.offer(5), Offer::Next);
        s.passed(5);
        assert_eq!(s.offer(5), Offer::Duplicate);
        assert_eq!(s.offer(3), Offer::Duplicate);
        assert_eq!(
            s.offer(9),
            Offer::Gap {
                after: 5,
                before: 9
            }
        );
    }

    #[test]
    fn passing_never_goes_back() {
        let mut s = Sequencer::after(10);
        s.passed(7);
        assert_eq!(s.last(), 10);
    }

    proptest! {
        /// Whatever order and duplication live events arrive in, filling gaps from the log
        /// yields every offset once, in order.
        #[test]
        fn any_arrival_order_yields_each_offset_once_in_order(
            arrivals in prop::collection::vec(1i64..60, 0..120)
        ) {
            let mut s = Sequencer::after(0);
            let mut out = Vec::new();
            for seq in arrivals {
                match s.offer(seq) {
                    Offer::Duplicate => {}
                    Offer::Next => out.push(seq),
                    Offer::Gap { after, before } => out.extend(after + 1..=before),
                }
                s.passed(seq);
            }
            let expected: Vec<i64> = (1..=s.last()).collect();
            prop_assert_eq!(out, expected);
        }
    }
}
