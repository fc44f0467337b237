#!/usr/bin/env bash
# Runs every Go fuzz target of the module, one at a time (`go test -fuzz` takes one target per
# package run), for FUZZTIME each (default 10s): FUZZTIME=5m scripts/fuzz.sh for a longer run.
#
# A target first runs its seed corpus (testdata/fuzz/<Target>/ of its package), then fuzzes.
# When it finds a failing input, go test minimizes it and writes it to that directory, where it
# stays: plain `go test` runs it from then on as a regression test. Commit it with the fix.
# Exits non-zero when any target fails.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly fuzztime=${FUZZTIME:-10s}

# `go test -list` prints a package's matching test names, then "ok <package> <time>".
listing=$(go test -list '^Fuzz' ./...)
targets=()
names=()
while read -r first second _; do
  case "$first" in
    Fuzz*) names+=("$first") ;;
    ok)
      for name in "${names[@]}"; do targets+=("$second $name"); done
      names=()
      ;;
  esac
done <<<"$listing"
if [ "${#targets[@]}" -eq 0 ]; then
  echo "FAIL: no fuzz targets found"
  exit 1
fi

status=0
for target in "${targets[@]}"; do
  read -r pkg name <<<"$target"
  echo "fuzz: $name in $pkg for $fuzztime"
  # Go's fuzzing engine now and then loses its workers and ends with "context
  # deadline exceeded" and no failing input written (seen on a 2-core machine):
  # that is the engine's failure, not the target's, so such a run is tried once
  # more; a failing input always fails.
  for attempt in 1 2; do
    log=$(mktemp)
    if go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$log"; then
      rm -f "$log"
      break
    fi
    if [ "$attempt" -eq 1 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
      echo "fuzz: $name: the fuzzing engine timed out without a failing input; trying once more"
      rm -f "$log"
      continue
    fi
    rm -f "$log"
    echo "FAIL: $name in $pkg: its failing input is in the package's testdata/fuzz/$name/"
    status=1
    break
  done
done
exit "$status"
