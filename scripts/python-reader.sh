#!/usr/bin/env bash
# Holds the Python reader (readers/python) to PyPI's standards: pytest and
# mypy --strict on it, an sdist and a wheel built with `python -m build` and
# checked with `twine check --strict`, and the wheel installed, with a pinned
# boto3 and nothing else, into a clean virtual environment. It prints that
# environment's interpreter last, for the example handler's test
# (examples/examples_test.go, SECRET_BAKER_READER_PYTHON). Fails loudly when a
# tool cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly requirements=.ci/python-requirements.txt
readonly boto3_version=1.43.11 # the Lambda Python runtimes bundle boto3; this is the one the tests use
cache=${XDG_CACHE_HOME:-$HOME/.cache}/secret-baker
# One environment per content of the requirements and Python interpreter.
tools=$cache/venv-python-tools-$({ cat "$requirements"; python3 -c 'import sys; print(sys.executable, sys.version)'; } | sha256sum | cut -c1-12)

if [ ! -x "$tools/bin/python" ] || ! "$tools/bin/python" -m mypy --version >/dev/null 2>&1; then
  rm -rf "$tools"
  python3 -m venv --system-site-packages "$tools" >&2
  "$tools/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2 \
    || { echo "FAIL: cannot install the Python reader's tools ($requirements) from PyPI" >&2; exit 1; }
fi

echo "mypy --strict (mypy $("$tools/bin/python" -m mypy --version | cut -d' ' -f2))" >&2
"$tools/bin/python" -m mypy --strict readers/python/secret_baker_reader >&2

echo "pytest" >&2
"$tools/bin/python" -m pytest -q -p no:cacheprovider readers/python/tests >&2

echo "build and twine check" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r readers/python "$work/src" # keeps the build's egg-info out of the tree
rm -rf "$work/src/secret_baker_reader/__pycache__" "$work/src/tests/__pycache__"
"$tools/bin/python" -m build --sdist --wheel --outdir "$work/dist" "$work/src" >/dev/null
"$tools/bin/python" -m twine check --strict "$work"/dist/* >&2

echo "the wheel in a clean virtual environment" >&2
clean=$cache/venv-reader-wheel
python3 -m venv --clear "$clean" >&2
"$clean/bin/pip" install --quiet --disable-pip-version-check "boto3==$boto3_version" "$work"/dist/*.whl >&2 \
  || { echo "FAIL: cannot install the reader's wheel with boto3 $boto3_version" >&2; exit 1; }
"$clean/bin/python" -c 'import secret_baker_reader' >&2
echo "$clean/bin/python"
