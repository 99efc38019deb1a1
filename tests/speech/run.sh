#!/usr/bin/env bash
# The speech test harness's own tests:
#   1. the server's HTTP side with a stand-in recogniser (python3 -m unittest; no packages);
#   2. the real recogniser: scripts/speech-env.sh makes the virtualenv and the model folder
#      (only when tests/speech/requirements.txt changed), server.py starts on a free port with
#      an API key, and the extension's endpoint transcriber runs against it
#      (extension/src/transcription/endpoint.live.test.ts, Vitest, with LOSSY_SPEECH_ENDPOINT
#      and LOSSY_SPEECH_API_KEY set) on speech made with espeak-ng.
# Needs python3 with venv, PyPI the first time, Node with the workspace installed, and
# espeak-ng and sox (installed with apt when missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

echo "==> speech server: HTTP side (unittest, stand-in recogniser)"
(cd "$here" && python3 -m unittest discover -s . -p 'test_*.py')

"$repo_root/scripts/ensure-debian-packages.sh"
python="$("$repo_root/scripts/speech-env.sh")"

log="$(mktemp)"
key="lossy-test-$RANDOM$RANDOM"
"$python" "$here/server.py" --port 0 --api-key "$key" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

origin=""
for _ in $(seq 1 600); do
  origin="$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)"
  [ -n "$origin" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    cat "$log" >&2
    echo "the speech server exited before listening" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$origin" ]; then
  cat "$log" >&2
  echo "the speech server did not listen within 60 s" >&2
  exit 1
fi

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
fi
exit "$status"
