"""The speech server's HTTP side (multipart, answers, errors, CORS, keys) with a stand-in
recogniser: no model and no speech packages needed, so any Python 3.9+ runs it:

    python3 -m unittest discover -s tests/speech
"""

from __future__ import annotations

import json
import os
import threading
import unittest
import urllib.error
import urllib.request
import uuid

from server import Server, parse_multipart, BadRequest


class Recorder:
    """Answers a fixed text and remembers what it was given."""

    def __init__(self, text="the cut is late", error: Exception | None = None):
        self.text = text
        self.error = error
        self.calls: list[tuple[bytes, str | None]] = []

    def transcribe(self, audio: bytes, language: str | None) -> str:
        self.calls.append((audio, language))
        if self.error:
            raise self.error
        return self.text

    def transcribe_words(self, audio: bytes, language: str | None):
        """The text's words half a second apart, each as Whisper writes it (a space before)."""
        text = self.transcribe(audio, language)
        return [(f" {word}", 0.5 * i, 0.5 * i + 0.4) for i, word in enumerate(text.split())]


def multipart(fields: dict[str, tuple[bytes, str | None]]) -> tuple[str, bytes]:
    boundary = f"----lossy{uuid.uuid4().hex}"
    out = b""
    for name, (data, filename) in fields.items():
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename:
            out += b"Content-Type: audio/wav\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", out


# Bytes a WAV can hold: every byte value, CRLFs and what looks like a delimiter's start.
AUDIO = bytes(range(256)) * 4 + b"\r\n--\r\n\r\n" + os.urandom(2048)


class Running:
    def __init__(self, recogniser, api_key=None, language="en"):
        self.server = Server(("127.0.0.1", 0), recogniser, api_key, language)
        self.server.quiet = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def request(self, method, path, body=None, headers=None):
        req = urllib.request.Request(self.base + path, data=body, method=method)
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                return res.status, dict(res.headers), res.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def transcribe(self, fields, headers=None, path="/v1/audio/transcriptions"):
        content_type, body = multipart(fields)
        return self.request("POST", path, body, {"Content-Type": content_type, **(headers or {})})

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class MultipartTest(unittest.TestCase):
    def test_reads_fields_and_binary_files_exactly(self):
        content_type, body = multipart(
            {"file": (AUDIO, "utterance.wav"), "model": (b"whisper-1", None)}
        )
        fields = parse_multipart(content_type, body)
        self.assertEqual(fields["file"], (AUDIO, "utterance.wav"))
        self.assertEqual(fields["model"], (b"whisper-1", None))

    def test_refuses_what_is_not_a_multipart_form(self):
        for content_type, body in [
            ("application/json", b"{}"),
            ("multipart/form-data", b"--x\r\n\r\n--x--"),
            ("multipart/form-data; boundary=x", b"nothing here"),
        ]:
            with self.assertRaises(BadRequest):
                parse_multipart(content_type, body)


class ServerTest(unittest.TestCase):
    def start(self, recogniser=None, **options):
        running = Running(recogniser or Recorder(), **options)
        self.addCleanup(running.close)
        return running

    def test_answers_the_transcript_as_json_with_cors(self):
        recogniser = Recorder()
        server = self.start(recogniser)
        status, headers, body = server.transcribe(
            {
                "file": (AUDIO, "utterance.wav"),
                "model": (b"whisper-1", None),
                "response_format": (b"json", None),
            }
        )
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"text": "the cut is late"})
        self.assertEqual(headers["Access-Control-Allow-Origin"], "*")
        self.assertEqual(recogniser.calls, [(AUDIO, "en")])

    def test_answers_plain_text_and_takes_the_language_from_the_form(self):
        recogniser = Recorder()
        server = self.start(recogniser)
        status, _, body = server.transcribe(
            {
                "file": (AUDIO, "a.wav"),
                "response_format": (b"text", None),
                "language": (b"de", None),
            },
            path="/audio/transcriptions",
        )
        self.assertEqual((status, body), (200, b"the cut is late"))
        self.assertEqual(recogniser.calls[0][1], "de")

    def test_lists_the_words_with_their_times_when_asked(self):
        server = self.start()
        status, _, body = server.transcribe(
            {
                "file": (AUDIO, "a.wav"),
                "response_format": (b"verbose_json", None),
                "timestamp_granularities[]": (b"word", None),
            }
        )
        self.assertEqual(status, 200)
        answer = json.loads(body)
        self.assertEqual(answer["text"], "the cut is late")
        self.assertEqual(
            answer["words"],
            [
                {"word": " the", "start": 0.0, "end": 0.4},
                {"word": " cut", "start": 0.5, "end": 0.9},
                {"word": " is", "start": 1.0, "end": 1.4},
                {"word": " late", "start": 1.5, "end": 1.9},
            ],
        )
        status, _, body = server.transcribe(
            {"file": (AUDIO, "a.wav"), "response_format": (b"verbose_json", None)}
        )
        self.assertEqual((status, json.loads(body)), (200, {"text": "the cut is late"}))

    def test_refuses_a_form_without_a_file_or_an_unknown_format(self):
        server = self.start()
        for fields in [
            {"model": (b"whisper-1", None)},
            {"file": (AUDIO, "a.wav"), "response_format": (b"srt", None)},
        ]:
            status, _, body = server.transcribe(fields)
            self.assertEqual(status, 400)
            self.assertEqual(json.loads(body)["error"]["type"], "invalid_request_error")

    def test_requires_the_api_key_when_it_has_one(self):
        server = self.start(api_key="sk-test")
        fields = {"file": (AUDIO, "a.wav")}
        self.assertEqual(server.transcribe(fields)[0], 401)
        self.assertEqual(server.transcribe(fields, {"Authorization": "Bearer nope"})[0], 401)
        self.assertEqual(server.transcribe(fields, {"Authorization": "Bearer sk-test"})[0], 200)

    def test_a_failing_recogniser_is_a_500(self):
        server = self.start(Recorder(error=RuntimeError("out of memory")))
        status, _, body = server.transcribe({"file": (AUDIO, "a.wav")})
        self.assertEqual(status, 500)
        self.assertIn("out of memory", json.loads(body)["error"]["message"])

    def test_fails_on_purpose_when_told_then_recovers(self):
        server = self.start()
        status, _, _ = server.request("POST", "/_test/fail?status=503&count=2", b"")
        self.assertEqual(status, 200)
        fields = {"file": (AUDIO, "a.wav")}
        self.assertEqual([server.transcribe(fields)[0] for _ in range(3)], [503, 503, 200])

    def test_refuses_a_file_over_25_mb_without_reading_it(self):
        server = self.start()
        status, _, _ = server.request(
            "POST",
            "/v1/audio/transcriptions",
            b"",
            {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": "26214401"},
        )
        self.assertEqual(status, 413)

    def test_answers_a_cors_preflight_health_and_models(self):
        server = self.start()
        status, headers, _ = server.request(
            "OPTIONS",
            "/v1/audio/transcriptions",
            headers={
                "Origin": "chrome-extension://abc",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        self.assertEqual(status, 204)
        self.assertIn("Authorization", headers["Access-Control-Allow-Headers"])
        status, _, body = server.request("GET", "/health")
        self.assertEqual((status, json.loads(body)["status"]), (200, "ok"))
        status, _, body = server.request("GET", "/v1/models")
        self.assertEqual(json.loads(body)["data"][0]["id"], "whisper-base")
        self.assertEqual(server.request("GET", "/nowhere")[0], 404)


if __name__ == "__main__":
    unittest.main()
