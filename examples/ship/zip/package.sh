#!/usr/bin/env bash
# Zips a function whose code is in src/, where the secret-baker step wrote the
# baked file (output: src/secret-baker-secrets.json), with the baked file at
# the root of the zip, next to the handler.
set -euo pipefail
rm -f function.zip
(cd src && zip -qr ../function.zip .)
