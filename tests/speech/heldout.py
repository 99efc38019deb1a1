#!/usr/bin/env python3
"""The classifier's held-out fifth as a recogniser hears it.

    python3 tests/speech/heldout.py --endpoint http://127.0.0.1:PORT/v1 [--api-key KEY]
        [--sample N] OUT.tsv

Every utterance of api/classifier/heldout.tsv is spoken by espeak-ng (American English, 150 words
a minute, as the endpoint transcriber's live test speaks), shaped by sox into 16 kHz mono 16-bit
audio, and transcribed by the OpenAI-compatible server at --endpoint (tests/speech/server.py).
--sample N speaks N utterances evenly spaced through the file (all of them by default), so that
every category and every batch of the corpus is in it while the run stays within minutes. OUT.tsv gets one line per
utterance, in the held-out order:

    category<TAB>what was said<TAB>what was heard

which the Rust test `notes::builtin::accuracy::the_held_out_fifth_as_a_recogniser_heard_it`
classifies (tests/speech/run.sh runs both).

For speed, utterances go to the recogniser in batches: one WAV of up to BATCH_SECONDS holds
several utterances with GAP_SECONDS of silence before each, and the server answers its words
with their times (verbose_json, word timestamps); each word goes to the utterance in whose
stretch of the recording its middle falls. Whisper encodes 30 s of audio per pass whatever the
length, so one request per short utterance would spend most of the time encoding silence
(about 0.9 s an utterance against 0.2 s in batches, on two cores). The next batch is spoken
while the server transcribes one. Prints how long it took. Standard library only; needs espeak-ng
and sox.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HELDOUT = REPO / "api" / "classifier" / "heldout.tsv"

# One batch transcribing while the next is spoken and uploaded.
IN_FLIGHT = 2
BATCH_SECONDS = 28.0  # under Whisper's 30 s window
GAP_SECONDS = 1.0
RATE = 16_000


def evenly_spaced(items: list, count: int) -> list:
    """`count` items spread evenly from first to last (all of them when count is 0 or more)."""
    if count <= 0 or count >= len(items):
        return items
    return [items[i * len(items) // count] for i in range(count)]


def read_heldout() -> list[tuple[str, str]]:
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return [
        tuple(line.split("\t", 1))  # type: ignore[misc]
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def speak(text: str, work: Path, name: str) -> bytes:
    """`text` as 16 kHz mono 16-bit samples."""
    raw = work / f"{name}.raw.wav"
    wav = work / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-V1", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(wav)], check=True)
    with wave.open(str(wav), "rb") as file:
        samples = file.readframes(file.getnframes())
    raw.unlink()
    wav.unlink()
    return samples


def seconds(samples: bytes) -> float:
    return len(samples) / 2 / RATE


def batches(spoken: list[bytes]) -> list[list[int]]:
    """The utterances' indices, in order, in groups of at most BATCH_SECONDS of recording."""
    groups: list[list[int]] = []
    length = BATCH_SECONDS
    for index, samples in enumerate(spoken):
        duration = GAP_SECONDS + seconds(samples)
        if length + duration > BATCH_SECONDS and (not groups or groups[-1]):
            groups.append([])
            length = GAP_SECONDS  # the silence after the last one
        groups[-1].append(index)
        length += duration
    return groups


def recording(parts: list[bytes]) -> tuple[bytes, list[tuple[float, float]]]:
    """A WAV of `parts`, each after GAP_SECONDS of silence, and where each part lies in it."""
    gap = bytes(2 * int(GAP_SECONDS * RATE))
    frames = bytearray()
    spans = []
    for samples in parts:
        frames += gap
        start = seconds(bytes(frames))
        frames += samples
        spans.append((start, seconds(bytes(frames))))
    frames += gap
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(RATE)
        file.writeframes(bytes(frames))
    return out.getvalue(), spans


def assign(words: list[dict], spans: list[tuple[float, float]]) -> list[str]:
    """The words heard in each span: a word belongs to the span nearest to its middle."""
    heard = [""] * len(spans)
    for word in words:
        middle = (word["start"] + word["end"]) / 2
        nearest = min(
            range(len(spans)),
            key=lambda i: max(spans[i][0] - middle, 0.0, middle - spans[i][1]),
        )
        heard[nearest] += word["word"]
    return heard


def transcribe(endpoint: str, api_key: str | None, audio: bytes) -> list[dict]:
    """The words the server heard in `audio`, with their times."""
    boundary = f"----lossy{uuid.uuid4().hex}"

    def field(name: str, value: str) -> bytes:
        return f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()

    body = b"".join(
        [
            field("model", "whisper-base"),
            field("response_format", "verbose_json"),
            field("timestamp_granularities[]", "word"),
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"speech.wav\"\r\nContent-Type: audio/wav\r\n\r\n".encode(),
            audio,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(
        f"{endpoint}/audio/transcriptions", data=body, headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.load(response).get("words", [])


def one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="the server's base URL, ending in /v1")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--sample", type=int, default=0, help="N utterances evenly spaced; 0: all")
    parser.add_argument("--limit", type=int, default=None, help="only the first N utterances")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)

    utterances = evenly_spaced(read_heldout(), args.sample)[: args.limit]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lossy-heldout-") as work_dir:
        work = Path(work_dir)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            spoken = list(
                pool.map(lambda item: speak(item[1][1], work, str(item[0])), enumerate(utterances))
            )
    spoke = time.monotonic() - started
    groups = batches(spoken)

    def hear(group: list[int]) -> list[str]:
        audio, spans = recording([spoken[i] for i in group])
        return assign(transcribe(args.endpoint, args.api_key, audio), spans)

    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        heard = [text for texts in pool.map(hear, groups) for text in texts]

    with args.out.open("w", encoding="utf-8") as out:
        for (category, text), recognised in zip(utterances, heard):
            out.write(f"{category}\t{text}\t{one_line(recognised)}\n")
    elapsed = time.monotonic() - started
    print(
        f"heard {len(utterances)} held-out utterances ({sum(map(seconds, spoken)):.0f} s of "
        f"speech, {len(groups)} requests) in {elapsed:.0f} s: {spoke:.0f} s speaking, "
        f"{elapsed - spoke:.0f} s recognising"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
