#!/usr/bin/env bash
# Usage: release-tags.sh vX.Y.Z [IMAGE@sha256:DIGEST]
#
# With the tag alone: checks that a release of it can be tagged, i.e. that the
# tag is vX.Y.Z, that origin has no vX.Y.Z-image tag yet, and that the tag's
# action.yml builds from the Dockerfile (`image: Dockerfile`, exactly once).
#
# With the pushed image as well: makes a commit on top of the tag whose
# action.yml runs `docker://IMAGE@sha256:DIGEST` instead, pushes it as
# vX.Y.Z-image (never overwritten), and force-moves the major tag vX to it when
# vX.Y.Z is the highest vX.*.* release and PRERELEASE is not "true".
#
# The release tag vX.Y.Z is never moved (its GitHub release is immutable);
# vX.Y.Z-image and vX are plain tags, never releases, so that vX can move. A
# release of any other tag (vX, vX.Y.Z-image) is refused before anything is
# pushed.
#
# Only git plumbing is used: the working tree, the index and HEAD are left
# alone, so a maintainer can run it from any clone (see RELEASING.md). Writes a
# Markdown summary to GITHUB_STEP_SUMMARY when that is set.
set -euo pipefail

tag=${1:?usage: release-tags.sh vX.Y.Z [IMAGE@sha256:DIGEST]}
image_ref=${2:-}
readonly dockerfile_line='  image: Dockerfile'

die() { echo "::error::$*" >&2; exit 1; }

[[ "$tag" =~ ^v([0-9]+)\.[0-9]+\.[0-9]+$ ]] || die "release tag '$tag' is not of the form vX.Y.Z"
major="v${BASH_REMATCH[1]}"
base=$(git rev-parse --verify "refs/tags/${tag}^{commit}")

if git ls-remote --exit-code --tags origin "refs/tags/${tag}-image" >/dev/null; then
  die "${tag}-image already exists on origin: RELEASING.md says how to redo a release"
fi
[ "$(git show "${base}:action.yml" | grep -cxF "$dockerfile_line")" = 1 ] \
  || die "action.yml at ${tag} must have exactly one 'image: Dockerfile' line under runs, to replace with the image digest"

[ -n "$image_ref" ] || exit 0
[[ "$image_ref" =~ ^[a-z0-9./_-]+@sha256:[0-9a-f]{64}$ ]] || die "'$image_ref' is not IMAGE@sha256:DIGEST"

# The commit: the tag's tree with only action.yml's runs.image changed.
index=$(mktemp)
trap 'rm -f "$index"' EXIT
blob=$(git show "${base}:action.yml" | sed "s|^${dockerfile_line}\$|  image: docker://${image_ref}|" | git hash-object -w --stdin)
GIT_INDEX_FILE=$index git read-tree "$base"
GIT_INDEX_FILE=$index git update-index --cacheinfo "100644,${blob},action.yml"
tree=$(GIT_INDEX_FILE=$index git write-tree)
commit=$(git commit-tree "$tree" -p "$base" -m "Release ${tag}: run the prebuilt image ${image_ref}")
[ "$(git diff --name-only "$base" "$commit")" = action.yml ] || die "the release commit must change action.yml only"

# Without --force: a tag that already exists is refused.
git push origin "${commit}:refs/tags/${tag}-image"

highest=$(git ls-remote --tags --refs origin "refs/tags/${major}.*" \
  | sed 's|.*refs/tags/||' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -n 1)
if [ "${PRERELEASE:-false}" = true ]; then
  moved="not moved (prerelease)"
elif [ "$highest" != "$tag" ]; then
  moved="not moved (${highest} is newer)"
else
  git push --force origin "${commit}:refs/tags/${major}"
  moved="moved to \`${commit}\`"
fi

echo "${tag}-image -> ${commit}; ${major} ${moved}"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "| \`${tag}-image\` | \`${commit}\` |"
    echo "| \`${major}\` | ${moved} |"
  } >>"$GITHUB_STEP_SUMMARY"
fi
