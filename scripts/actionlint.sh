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
# 5. Every `uses:` of an action outside this repository, in the workflows, the
#    fixtures and the docs (every tracked *.yml, *.yaml and *.md file), is
#    pinned by a 40-hex commit SHA with a `# vX.Y.Z` comment, none is a known
#    pin of a release that runs on Node 20 (removed from GitHub's runners), and
#    the workflows pin each action at one SHA. Docs may name this action
#    itself by tag (org/secret-baker@v1), as users write it. Every
#    `node-version:` is one that Lambda supports (22 or 24).
# 6. The release and pull request image builds are multi-arch (linux/amd64 and
#    linux/arm64), as the README promises Arm runners.
# 7. When shellcheck is on PATH, actionlint runs it on `run:` scripts, and it
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
# Releases these workflows pinned before, all on Node 20: none may come back.
readonly node20_pins='
34e114876b0b11c390a56381ad16ebd13914f8d5 actions/checkout v4.3.1
40f1582b2485089dde7abd97c1529aa768e1baff actions/setup-go v5.6.0
a26af69be951a213d495a4c3e4e4022e16d87065 actions/setup-python v5.6.0
49933ea5288caeca8642d1e84afbd3f7d6820020 actions/setup-node v4.4.0
8d2750c68a42422c14e847fe6c8ac0403b4cbd6f docker/setup-buildx-action v3.12.0
10e90e3645eae34f1e60eeb005ba3a3d33f178e8 docker/build-push-action v6.19.2
c299e40c65443455700f0fdfc63efafe5b349051 docker/metadata-action v5.10.0
c94ce9fb468520275223c153574b00df6fe4bcc9 docker/login-action v3.7.0
977bb373ede98d70efdf65b84cb5f73e068dcc2a actions/attest-build-provenance v3.0.0
'
mapfile -t pinned_files < <(git ls-files '*.yml' '*.yaml' '*.md')
uses=$(grep -nE '(^|[[:space:]`-])uses: *[A-Za-z0-9.]' "${pinned_files[@]}" \
  | grep -vE 'uses: *(\./|docker://|org/secret-baker@)' || true)
unpinned=$(grep -vE 'uses: *[^ @]+@[0-9a-f]{40} # v[0-9]+\.[0-9]+\.[0-9]+$' <<<"$uses" || true)
[ -z "$unpinned" ] || fail "$(printf 'not pinned by commit SHA with a version comment:\n%s' "$unpinned")"
while read -r sha action release; do
  [ -n "$sha" ] || continue
  old=$(grep -F "@$sha" <<<"$uses" || true)
  [ -z "$old" ] || fail "$(printf '%s %s runs on Node 20, which GitHub removed from its runners: pin a current release\n%s' "$action" "$release" "$old")"
done <<<"$node20_pins"
# One SHA per action across the workflows, which Dependabot updates together
# (the fixtures and docs it does not update may lag behind).
split=$(grep -E '^\.github/workflows/' <<<"$uses" | sed -nE 's/.*uses: *([^ @]+)@([0-9a-f]{40}) .*/\1 \2/p' \
  | sort -u | awk '{n[$1]++} n[$1] == 2 {print $1}')
[ -z "$split" ] || fail "$(printf 'pinned to more than one commit across .github/workflows:\n%s' "$split")"

echo "node-version: every Node.js the workflows set up is one Lambda supports (22 or 24)"
node_versions=$(grep -nE '^[[:space:]]*node-version:' "${pinned_files[@]}" || true)
bad_nodes=$(grep -vE 'node-version: *"?(22|24)(\.[0-9x]+)*"?[[:space:]]*(#.*)?$' <<<"$node_versions" | grep -v '^$' || true)
[ -z "$bad_nodes" ] || fail "$(printf 'node-version not supported by Lambda (want 22 or 24):\n%s' "$bad_nodes")"

echo "platforms: the release and the pull request image builds are linux/amd64 and linux/arm64"
for workflow in .github/workflows/release.yml .github/workflows/ci.yml; do
  grep -qE '^[[:space:]]+platforms: linux/amd64,linux/arm64$' "$workflow" \
    || fail "$workflow does not build the image for linux/amd64,linux/arm64 (README: Arm runners)"
done

if command -v shellcheck >/dev/null; then
  echo "shellcheck: scripts/*.sh .github/scripts/*.sh"
  shellcheck scripts/*.sh .github/scripts/*.sh || status=1
fi

if [ "$status" -ne 0 ]; then
  echo "actionlint: FAIL"
  exit "$status"
fi
echo "actionlint: ok"
