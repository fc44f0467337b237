#!/usr/bin/env bash
# Lints the GitHub Actions workflows with a pinned actionlint, built from the
# Go module proxy into bin/tools/ on first use.
#
# 1. .github/workflows/*.y*ml are checked in place.
# 2. testdata/workflows/*.y*ml use this action with `uses: ./`. actionlint checks
#    `with:` keys against ./action.yml's inputs and `steps.<id>.outputs.<name>`
#    against its outputs only inside a project (a directory holding .git and
#    .github/workflows), and silently skips those checks elsewhere. So these
#    files are checked as .github/workflows/ of a scratch project that holds a
#    copy of action.yml and the Dockerfile it names.
# 3. A canary proves step 2 is live: a copy of testdata/workflows/uses-action.yml
#    with an undefined input and an undefined output must fail.
# 4. Every input and output of action.yml must appear in testdata/workflows,
#    so that the fixture keeps covering the whole interface.
# 5. Every action outside this repository is pinned by commit SHA with a
#    `# vX.Y.Z` comment.
# 6. When shellcheck is on PATH, actionlint runs it on `run:` scripts, and it
#    also checks scripts/*.sh and .github/scripts/*.sh.
# Any finding exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly version=v1.7.12
readonly gobin="$PWD/bin/tools/actionlint-$version"
readonly actionlint="$gobin/actionlint"

command -v go >/dev/null || { echo "FAIL: go is not installed (needed to build actionlint $version)" >&2; exit 1; }
if [ ! -x "$actionlint" ]; then
  echo "installing actionlint $version into $gobin"
  GOBIN="$gobin" GOFLAGS='' go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
fixtures=(testdata/workflows/*.yml testdata/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ] || [ "${#fixtures[@]}" -eq 0 ]; then
  echo "FAIL: no workflows in .github/workflows or testdata/workflows"
  exit 1
fi

status=0
fail() { echo "FAIL: $*"; status=1; }

echo "actionlint $version: .github/workflows"
"$actionlint" "${workflows[@]}" || status=1

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# newproject DIR: a scratch project with this action at its root.
newproject() {
  mkdir -p "$1/.git" "$1/.github/workflows"
  cp action.yml Dockerfile "$1/"
  cp .github/actionlint.y*ml "$1/.github/" 2>/dev/null || true
}

# lintscratch DIR: runs actionlint in DIR, naming the files as in testdata/.
lintscratch() {
  local out rc=0
  out=$(cd "$1" && "$actionlint" 2>&1) || rc=$?
  [ -z "$out" ] || printf '%s\n' "${out//.github\/workflows\//testdata/workflows/}"
  return "$rc"
}

echo "actionlint $version: testdata/workflows against ./action.yml"
newproject "$scratch/fixtures"
cp "${fixtures[@]}" "$scratch/fixtures/.github/workflows/"
lintscratch "$scratch/fixtures" || status=1

echo "canary: an undefined input and output must be reported"
newproject "$scratch/canary"
{
  cat testdata/workflows/uses-action.yml
  cat <<'CANARY'
      - uses: ./
        with:
          canary-input: x
      - run: echo "$CANARY"
        env:
          CANARY: ${{ steps.secrets.outputs.canary_output }}
CANARY
} >"$scratch/canary/.github/workflows/canary.yml"
if out=$(lintscratch "$scratch/canary"); then
  fail "actionlint accepted a workflow with an undefined input and output of ./action.yml"
fi
grep -q 'input "canary-input" is not defined' <<<"$out" \
  || fail "actionlint did not report the undefined input: it no longer checks ./action.yml inputs"
grep -q 'property "canary_output" is not defined' <<<"$out" \
  || fail "actionlint did not report the undefined output: it no longer checks ./action.yml outputs"

echo "coverage: every input and output of action.yml appears in testdata/workflows"
# keys SECTION: the names directly under the top-level SECTION of action.yml.
keys() {
  awk -v section="$1:" '
    /^[^[:space:]#]/ { in_section = ($0 == section); next }
    in_section && /^  [A-Za-z0-9_-]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }
  ' action.yml
}
for input in $(keys inputs); do
  grep -qE "^[[:space:]]+${input}:" "${fixtures[@]}" \
    || fail "input '$input' of action.yml is given in no testdata/workflows file"
done
for output in $(keys outputs); do
  grep -qE "steps\.[A-Za-z0-9_-]+\.outputs\.${output}\b" "${fixtures[@]}" \
    || fail "output '$output' of action.yml is read in no testdata/workflows file"
done

echo "pins: every action outside this repository is pinned by commit SHA with a # vX.Y.Z comment"
unpinned=$(grep -nE '^[[:space:]-]*uses:' "${workflows[@]}" "${fixtures[@]}" \
  | grep -vE 'uses: *(\./|docker://)' \
  | grep -vE 'uses: *[^ @]+@[0-9a-f]{40} # v[0-9]+\.[0-9]+\.[0-9]+$' || true)
[ -z "$unpinned" ] || fail "$(printf 'not pinned by commit SHA with a version comment:\n%s' "$unpinned")"

if command -v shellcheck >/dev/null; then
  echo "shellcheck: scripts/*.sh .github/scripts/*.sh"
  shellcheck scripts/*.sh .github/scripts/*.sh || status=1
fi

if [ "$status" -ne 0 ]; then
  echo "actionlint: FAIL"
  exit "$status"
fi
echo "actionlint: ok"
