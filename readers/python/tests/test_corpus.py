"""The file format's conformance corpus, testdata/baked, which the Go and
Node.js readers' tests read too: see its README."""

from __future__ import annotations

import json
import unittest
from pathlib import Path
from typing import Any

import secret_baker_reader as reader

CORPUS = Path(__file__).resolve().parents[3] / "testdata" / "baked"


def read(data: bytes) -> dict[str, Any]:
    """Reads data as a Lambda function does: parse_file, then Secrets, which
    decodes the ciphertexts; the entries, and the bundle under its key. parse
    must agree with parse_file."""
    try:
        entries = reader.parse(data)
    except reader.MalformedFileError:
        entries = None
    try:
        read_entries, bundle = reader.parse_file(data)
    except reader.MalformedFileError:
        if entries is not None:
            raise AssertionError("parse accepts what parse_file refuses") from None
        raise
    if entries != read_entries:
        raise AssertionError("parse and parse_file disagree")
    reader.Secrets(entries, None, bundle)  # type: ignore[arg-type]
    return entries if bundle is None else {reader.BUNDLE_KEY: bundle, **entries}


def corpus_files(directory: str) -> list[Path]:
    files = sorted(p for p in (CORPUS / directory).glob("*.json") if not p.name.endswith(".want.json"))
    if not files:
        raise AssertionError(f"no corpus files in {CORPUS / directory}")
    return files


class CorpusTest(unittest.TestCase):
    def test_valid(self) -> None:
        for path in corpus_files("valid"):
            with self.subTest(path.name):
                want = json.loads(path.with_name(path.name.removesuffix(".json") + ".want.json").read_text("utf-8"))
                self.assertEqual(read(path.read_bytes()), want)

    def test_invalid(self) -> None:
        """KIND.CASE.json is refused for the rule KIND, with a message without
        the marker LEAK, which the corpus puts wherever content must not be shown."""
        for path in corpus_files("invalid"):
            with self.subTest(path.name):
                with self.assertRaises(reader.MalformedFileError) as cm:
                    read(path.read_bytes())
                self.assertEqual(cm.exception.kind, path.name.split(".")[0], str(cm.exception))
                self.assertNotIn("LEAK", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
