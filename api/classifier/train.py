#!/usr/bin/env python3
"""Builds the built-in structurer's note classifier from the labelled corpus.

    python3 api/classifier/train.py            # train on train.tsv, write the Rust model file
    python3 api/classifier/train.py --check    # fail when the committed model file differs
    python3 api/classifier/train.py --cross-validate   # the settings' accuracy on train.tsv folds

The model is multinomial logistic regression over binary features of the transcript's words:
each word (`w:`), each pair of adjacent words (`p:`, the first word paired with `^`), and each
run of three letters of a word between `<` and `>` (`t:`), so that a misheard or unseen form of
a word ("colours", "stabilised", "grating") still shares most of its evidence. It is trained by
stochastic gradient descent with L2 regularisation, in a fixed order from a fixed seed, and
written to api/src/notes/builtin/model.rs as integer weights in hundredths, sorted by feature,
so that the Rust side sums integers and reaches exactly the scores computed here (the
PARITY_TEXTS check that).

Only train.tsv is read. heldout.tsv is never used to build or tune the model: the settings below
were chosen with --cross-validate, which splits train.tsv alone. The Rust test
`notes::builtin::accuracy` measures the model on heldout.tsv.

Words are found as api/src/notes/builtin/classify.rs finds them; keep both in step:
  - a word is a run of letters, digits and apostrophes (' and ’), lowercased, with the
    apostrophes at either end dropped and ’ written ';
  - hesitations ("um", "uhh", "hmm", "mm-hmm") are dropped, as the structurer's cleaning drops
    them (`clean::is_hesitation`);
  - a number written in digits is the word "#": "1 20" and "2019" say nothing about a category.

On English text Python's and Rust's ideas of a letter and of lower case agree; they part only
on rare characters (combining marks, a final sigma).

Standard library only, and deterministic: the same corpus gives the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAIN = HERE / "train.tsv"
HELDOUT = HERE / "heldout.tsv"
MODEL = HERE.parent / "src" / "notes" / "builtin" / "model.rs"

# The protocol's categories, in the order of `Category::ALL` (api/src/notes/structurer.rs).
CATEGORIES = ["pacing", "editing", "audio", "color", "visual", "graphics", "content", "general"]

# Sounds that only fill a pause, after squeezing held letters: clean.rs's HESITATIONS.
HESITATIONS = {"um", "uh", "uhm", "erm", "er", "hm", "m", "mhm"}
NUMBER = "#"
START = "^"

# Training settings, chosen with --cross-validate on train.tsv (see docs/notes.md).
SEED = 13
EPOCHS = 30
LEARNING_RATE = 0.2
LEARNING_RATE_DECAY = 0.1  # the rate in epoch e is LEARNING_RATE / (1 + e × decay)
# L2 applied at each update to the weights of the utterance's features only, so that frequent
# features are held back more: cross-validation preferred it to a uniform penalty by two points.
L2 = 0.03
# A word pair seen in only one training utterance is left out: most are chance pairings, and
# they would double the model's size for little accuracy.
MIN_COUNTS = {"p:": 2}
SCALE = 100  # weights are written as integers in hundredths
FOLDS = 5

# Texts whose scores the Rust side must reproduce exactly: punctuation, case, typographic
# apostrophes, hesitations, digits, letters beyond ASCII, nothing at all.
PARITY_TEXTS = [
    "Um, the MUSIC’s way too loud!!",
    "so the b-roll at 1:20, ummm, cut it earlier",
    "'Cause the lower-third... hmm, it's misspelled",
    "mm-hmm the grade looks sickly green",
    "Ça va, the colours are off",
    "uh uh uh",
    "",
]


@dataclass(frozen=True)
class Utterance:
    category: str
    text: str


def read_corpus(path: Path) -> list[Utterance]:
    """`category<TAB>utterance` lines; `#` comments and blank lines are skipped."""
    utterances = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        category, tab, text = line.partition("\t")
        if not tab or category not in CATEGORIES or not text.strip():
            raise SystemExit(f"{path}:{number}: expected one of the categories, a tab, a text")
        utterances.append(Utterance(category, text.strip()))
    return utterances


def is_word_char(c: str) -> bool:
    return c.isalnum() or c in "'’"


def squeeze(key: str) -> str:
    """Held letters shortened to one and hyphens dropped: "ummm" is "um"."""
    out: list[str] = []
    for c in key:
        if c != "-" and (not out or out[-1] != c):
            out.append(c)
    return "".join(out)


def is_hesitation(key: str) -> bool:
    return len(key) >= 2 and squeeze(key) in HESITATIONS


def words(text: str) -> list[str]:
    """The words the classifier reads; see the module documentation."""
    out = []
    current: list[str] = []
    for c in text + " ":
        if is_word_char(c):
            current.append(c)
            continue
        if current:
            key = "".join(current).strip("'’").lower().replace("’", "'")
            current = []
            if not key or is_hesitation(key):
                continue
            out.append(NUMBER if all("0" <= c <= "9" for c in key) else key)
    return out


def features(text: str) -> list[str]:
    """Every feature of `text`, each once, sorted; train() keeps those seen often enough."""
    ws = words(text)
    found = set()
    for i, w in enumerate(ws):
        found.add("w:" + w)
        found.add("p:" + (ws[i - 1] if i else START) + " " + w)
        padded = "<" + w + ">"
        for at in range(len(padded) - 2):
            found.add("t:" + padded[at : at + 3])
    return sorted(found)


def kept(feature: str, count: int) -> bool:
    """Whether a feature seen in `count` training utterances is part of the model."""
    return count >= MIN_COUNTS.get(feature[:2], 1)


@dataclass
class Model:
    bias: list[int]
    weights: dict[str, list[int]]  # feature -> each category's weight, in hundredths

    def scores(self, text: str) -> list[int]:
        total = list(self.bias)
        for f in features(text):
            for c, w in enumerate(self.weights.get(f, ())):
                total[c] += w
        return total

    def classify(self, text: str) -> str:
        # As classify.rs: with not one word the model knows as a word, the note is general.
        if not any("w:" + w in self.weights for w in words(text)):
            return "general"
        scores = self.scores(text)
        return CATEGORIES[scores.index(max(scores))]


def train(utterances: list[Utterance]) -> Model:
    examples = [(features(u.text), CATEGORIES.index(u.category)) for u in utterances]
    counts: dict[str, int] = {}
    for feats, _ in examples:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    used = {f for f, n in counts.items() if kept(f, n)}
    examples = [([f for f in feats if f in used], y) for feats, y in examples]

    k = len(CATEGORIES)
    weights = {f: [0.0] * k for f in sorted(used)}
    bias = [0.0] * k
    rng = random.Random(SEED)
    order = list(range(len(examples)))
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1 + epoch * LEARNING_RATE_DECAY)
        for i in order:
            feats, y = examples[i]
            rows = [weights[f] for f in feats]
            scores = list(bias)
            for row in rows:
                for c in range(k):
                    scores[c] += row[c]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            gradient = [e / total for e in exps]
            gradient[y] -= 1.0
            for c in range(k):
                bias[c] -= rate * gradient[c]
            for row in rows:
                for c in range(k):
                    row[c] -= rate * (gradient[c] + L2 * row[c])

    def quantise(values: list[float]) -> list[int]:
        return [max(-32768, min(32767, round(v * SCALE))) for v in values]

    # Adding the same amount to every category's weight of a feature changes no probability,
    # so each row is shifted to put its middle at 0: most weights then round to 0, and a row
    # of zeros is left out.
    rows = {}
    for f, row in weights.items():
        middle = sorted(row)
        shift = (middle[k // 2 - 1] + middle[k // 2]) / 2
        q = quantise([w - shift for w in row])
        if any(q):
            rows[f] = q
    return Model(quantise(bias), rows)


def cross_validate(utterances: list[Utterance]) -> float:
    """Accuracy over FOLDS folds of `utterances`, near-duplicates kept in one fold as split.py
    keeps them on one side of the held-out split, so that it estimates held-out accuracy."""
    from split import groups_of  # split.py imports this module

    folds: list[list[Utterance]] = [[] for _ in range(FOLDS)]
    for category in CATEGORIES:
        texts = [u.text for u in utterances if u.category == category]
        groups = groups_of(texts)
        random.Random(f"{SEED}:folds:{category}").shuffle(groups)
        sizes = [0] * FOLDS
        for group in groups:
            smallest = sizes.index(min(sizes))
            sizes[smallest] += len(group)
            folds[smallest].extend(Utterance(category, text) for text in group)
    right = 0
    for i, fold in enumerate(folds):
        rest = [u for j, other in enumerate(folds) if j != i for u in other]
        model = train(rest)
        fold_right = sum(model.classify(u.text) == u.category for u in fold)
        print(f"  fold {i + 1}: {fold_right}/{len(fold)}", file=sys.stderr)
        right += fold_right
    return right / len(utterances)


def rust_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped + '"'


def render(model: Model, corpus_size: int) -> str:
    def row(values: list[int]) -> str:
        return "[" + ",".join(str(v) for v in values) + "]"

    names = "".join(f"    Category::{c.capitalize()},\n" for c in CATEGORIES)
    lines = [
        "//! The built-in structurer's note classifier: GENERATED by api/classifier/train.py from",
        f"//! api/classifier/train.tsv ({corpus_size} utterances). Do not edit; change the corpus",
        "//! and run `python3 api/classifier/train.py` (docs/notes.md, \"The classifier\").",
        "//!",
        "//! A category's score is its bias plus the weights of the transcript's features, in",
        "//! hundredths; `classify.rs` finds the features and turns the scores into probabilities.",
        "",
        "use crate::notes::structurer::Category;",
        "",
        "/// The weights' unit: a weight of 100 adds 1 to a category's score.",
        f"pub(super) const SCALE: f64 = {SCALE}.0;",
        "",
        "/// The categories in the order of every row of weights.",
        f"pub(super) const CATEGORIES: [Category; {len(CATEGORIES)}] = [\n{names}];",
        "",
        f"pub(super) const BIAS: [i32; {len(CATEGORIES)}] = [{', '.join(map(str, model.bias))}];",
        "",
        "/// Every feature's weights, sorted by feature for a binary search.",
        "#[rustfmt::skip]",
        f"pub(super) static WEIGHTS: [(&str, [i16; {len(CATEGORIES)}]); {len(model.weights)}] = [",
    ]
    lines += [f"({rust_string(f)},{row(w)})," for f, w in sorted(model.weights.items())]
    lines += [
        "];",
        "",
        "/// Texts with the scores computed by train.py: the Rust side must find the same.",
        "#[cfg(test)]",
        "#[rustfmt::skip]",
        f"pub(super) const PARITY: [(&str, [i32; {len(CATEGORIES)}]); {len(PARITY_TEXTS)}] = [",
    ]
    lines += [f"    ({rust_string(t)}, {row(model.scores(t))})," for t in PARITY_TEXTS]
    lines += ["];", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if model.rs is not up to date")
    mode.add_argument("--cross-validate", action="store_true", help="accuracy on train.tsv folds")
    args = parser.parse_args(argv)

    utterances = read_corpus(TRAIN)
    if args.cross_validate:
        accuracy = cross_validate(utterances)
        print(f"cross-validated accuracy on {TRAIN.name}: {accuracy:.4f}")
        return 0

    model = train(utterances)
    text = render(model, len(utterances))
    if args.check:
        committed = MODEL.read_text(encoding="utf-8") if MODEL.exists() else ""
        if committed != text:
            print(
                f"{MODEL} is not what train.py makes of {TRAIN.name}: "
                "run python3 api/classifier/train.py and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"{MODEL.name} is up to date with {TRAIN.name}")
        return 0
    MODEL.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL} ({len(model.weights)} features from {len(utterances)} utterances)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
