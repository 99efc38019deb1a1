#!/usr/bin/env bash
# The speech test harness's own tests:
#   1. the server's HTTP side with a stand-in recogniser (python3 -m unittest; no packages);
#   2. the real recogniser: scripts/speech-env.sh makes the virtualenv and the model folder
#      (only when tests/speech/requirements.txt changed), server.py starts on a free port with
#      an API key, and the extension's endpoint transcriber runs against it
#      (extension/src/transcription/endpoint.live.test.ts, Vitest, with LOSSY_SPEECH_ENDPOINT
#      and LOSSY_SPEECH_API_KEY set) on speech made with espeak-ng;
#   3. the note classifier on recognised speech: the server again, decoding greedily (a little
#      less right than its usual beam of 5, and 40 % faster), hears the held-out fifth of the
#      classifier's corpus spoken by espeak-ng (heldout.py; LOSSY_SPEECH_HELDOUT_SAMPLE utterances
#      evenly spaced through it, 800 by default, 0 for all), and the Rust test
#      notes::builtin::accuracy::the_held_out_fifth_as_a_recogniser_heard_it classifies what
#      it heard and reports the accuracy (docs/notes.md, "The classifier"). About 4 minutes on
#      two cores.
# Needs python3 with venv, PyPI the first time, Node with the workspace installed, cargo, and
# espeak-ng and sox (installed with apt when missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

echo "==> speech server: HTTP side (unittest, stand-in recogniser)"
(cd "$here" && python3 -m unittest discover -s . -p 'test_*.py')

"$repo_root/scripts/ensure-debian-packages.sh"
python="$("$repo_root/scripts/speech-env.sh")"

log="$(mktemp)"
heard="$(mktemp)"
key="lossy-test-$RANDOM$RANDOM"
server=""
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
trap 'stop_server; rm -f "$log" "$heard"' EXIT

# Starts server.py with the given options and sets $origin once it listens.
start_server() {
  : >"$log"
  "$python" "$here/server.py" --port 0 --api-key "$key" "$@" >"$log" 2>&1 &
  server=$!
  origin=""
  for _ in $(seq 1 600); do
    origin="$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)"
    [ -n "$origin" ] && return 0
    if ! kill -0 "$server" 2>/dev/null; then
      cat "$log" >&2
      echo "the speech server exited before listening" >&2
      exit 1
    fi
    sleep 0.1
  done
  cat "$log" >&2
  echo "the speech server did not listen within 60 s" >&2
  exit 1
}

start_server
echo "==> extension: the endpoint transcriber against faster-whisper ($origin)"
status=0
(
  cd "$repo_root/extension"
  LOSSY_SPEECH_ENDPOINT="$origin/v1" LOSSY_SPEECH_API_KEY="$key" \
    npx vitest run src/transcription/endpoint.live.test.ts
) || status=$?
if [ "$status" != 0 ]; then
  echo "--- speech server output" >&2
  cat "$log" >&2
  exit "$status"
fi
stop_server

echo "==> the note classifier on the held-out fifth as the recogniser hears it"
start_server --beam-size 1
python3 "$here/heldout.py" --endpoint "$origin/v1" --api-key "$key" \
  --sample "${LOSSY_SPEECH_HELDOUT_SAMPLE:-800}" "$heard" || status=$?
stop_server
if [ "$status" != 0 ]; then
  cat "$log" >&2
  exit "$status"
fi
(
  cd "$repo_root"
  LOSSY_RECOGNISED_HELDOUT="$heard" cargo test --locked -p lossy-api --lib \
    notes::builtin::accuracy::the_held_out_fifth_as_a_recogniser_heard_it \
    -- --ignored --exact --nocapture
)
