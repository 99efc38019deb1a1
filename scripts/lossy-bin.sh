# Sourced by the test scripts that drive the real binary: sets LOSSY_BIN to the debug `lossy`,
# building it first, unless LOSSY_BIN already names one. Needs `repo_root` set.
if [ -z "${LOSSY_BIN:-}" ]; then
  (cd "$repo_root" && cargo build --locked --bin lossy)
  target_dir="${CARGO_TARGET_DIR:-target}"
  case "$target_dir" in
    /*) ;;
    *) target_dir="$repo_root/$target_dir" ;;
  esac
  export LOSSY_BIN="$target_dir/debug/lossy"
fi
