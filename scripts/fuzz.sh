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
  if ! go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "$pkg"; then
    echo "FAIL: $name in $pkg: its failing input is in the package's testdata/fuzz/$name/"
    status=1
  fi
done
exit "$status"
