#!/usr/bin/env python3
"""Adds newly written utterances to the corpus: four fifths to train.tsv, one fifth to heldout.tsv.

    python3 api/classifier/split.py NEW.tsv [NEW2.tsv ...]

Each input line is `category<TAB>utterance`; lines starting with `#` and blank lines are skipped.
The split is made once, when utterances are added, and never again: held-out lines are never
moved back into training, so they stay unseen by every model built afterwards.

Near-duplicates go to the same side, so the held-out fifth measures what the model makes of
speech it was not built from, not of a training line with one word changed ("the music is too
loud" and "the music is to loud"). Two utterances of one category are near-duplicates when their
word sets (hesitations dropped, as the classifier drops them) overlap by at least
NEAR_DUPLICATE_JACCARD. A new utterance close to one already in the corpus follows it; the rest
form groups of near-duplicates, which are shuffled with a fixed seed per category and dealt so
that each category's held-out share stays as close to one fifth as whole groups allow.

Standard library only; the same input always gives the same split.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path

from train import CATEGORIES, HELDOUT, TRAIN, Utterance, read_corpus, words

SEED = 13
HELDOUT_SHARE = 0.2
NEAR_DUPLICATE_JACCARD = 0.75


def near(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= NEAR_DUPLICATE_JACCARD


def groups_of(texts: list[str]) -> list[list[str]]:
    """Near-duplicate groups (connected components), in the order of their first line."""
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sets = [frozenset(words(text)) for text in texts]
    for i in range(len(texts)):
        for j in range(i):
            if near(sets[i], sets[j]):
                parent[root(i)] = root(j)
    groups: dict[int, list[str]] = {}
    for i, text in enumerate(texts):
        groups.setdefault(root(i), []).append(text)
    return list(groups.values())


def split(
    new: list[Utterance], train: list[Utterance], heldout: list[Utterance]
) -> tuple[list[Utterance], list[Utterance]]:
    """The new utterances for train.tsv and for heldout.tsv."""
    known = {u.text for u in train + heldout}
    by_category: dict[str, list[str]] = defaultdict(list)
    for u in new:
        if u.text not in known and u.text not in by_category[u.category]:
            by_category[u.category].append(u.text)

    to_train: list[Utterance] = []
    to_heldout: list[Utterance] = []
    for category in CATEGORIES:
        sides = [
            (frozenset(words(u.text)), is_held)
            for utterances, is_held in ((train, False), (heldout, True))
            for u in utterances
            if u.category == category
        ]
        held = sum(1 for _, is_held in sides if is_held)
        total = len(sides)
        fresh: list[str] = []
        for text in by_category[category]:
            mine = frozenset(words(text))
            side = next((is_held for other, is_held in sides if near(mine, other)), None)
            if side is None:
                fresh.append(text)
            else:
                (to_heldout if side else to_train).append(Utterance(category, text))
                held += side
                total += 1
        groups = groups_of(fresh)
        random.Random(f"{SEED}:{category}").shuffle(groups)
        for group in groups:
            total += len(group)
            # Held out when that brings the share closer to one fifth than training it would.
            if abs(held + len(group) - HELDOUT_SHARE * total) < abs(held - HELDOUT_SHARE * total):
                held += len(group)
                to_heldout.extend(Utterance(category, text) for text in group)
            else:
                to_train.extend(Utterance(category, text) for text in group)
    return to_train, to_heldout


def append(path: Path, utterances: list[Utterance]) -> None:
    with path.open("a", encoding="utf-8") as file:
        for u in utterances:
            file.write(f"{u.category}\t{u.text}\n")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    new = [u for path in argv for u in read_corpus(Path(path))]
    to_train, to_heldout = split(new, read_corpus(TRAIN), read_corpus(HELDOUT))
    append(TRAIN, to_train)
    append(HELDOUT, to_heldout)
    print(f"{len(to_train)} utterances added to {TRAIN.name}, {len(to_heldout)} to {HELDOUT.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
