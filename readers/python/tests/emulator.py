"""Starts the repository's AWS emulator (internal/testing/emulator/moto_aws.py: moto
patched to behave like AWS) on a free port of 127.0.0.1 for the tests.

When it cannot run here (moto 5.2.1 is not importable) the tests are skipped,
or fail when CI is "true".
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import boto3

SCRIPT = Path(__file__).resolve().parents[3] / "internal" / "testing" / "emulator" / "moto_aws.py"
REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's account for any credentials
EXIT_UNAVAILABLE = 3  # the script's exit code for a missing or wrong moto
START_TIMEOUT = 60.0


class Emulator:
    """A running moto_aws.py; close() ends it."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            [sys.executable, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr
        )
        self.url = f"http://127.0.0.1:{self._wait_ready()}"

    def _wait_ready(self) -> int:
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            if sel.select(START_TIMEOUT):
                line = self._proc.stdout.readline().decode()
                if line.startswith("READY "):
                    return int(line.split()[1])
        self._proc.kill()
        code = self._proc.wait()
        self._stderr.seek(0)
        message = f"moto_aws.py exited with {code} before READY: {self._stderr.read().decode(errors='replace').strip()}"
        self._stderr.close()
        if code == EXIT_UNAVAILABLE:
            raise Unavailable(message)
        raise RuntimeError(message)

    def client(self, service: str) -> object:
        """Returns a boto3 client that talks to the emulator, whatever the developer's AWS settings."""
        return boto3.session.Session().client(
            service,
            region_name=REGION,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def env(self) -> dict[str, str]:
        """Returns this process's environment with its AWS settings pointed at the emulator."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            AWS_ENDPOINT_URL=self.url,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION=REGION,
            AWS_REGION=REGION,
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
        )
        return env

    def close(self) -> None:
        self._proc.stdin.close()  # the script exits at EOF
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stdout.close()
        self._stderr.close()


class Unavailable(Exception):
    """The emulator cannot run here."""


def start() -> Emulator:
    """Starts the emulator, or skips the tests (fails them on CI) when it cannot run here."""
    try:
        return Emulator()
    except Unavailable as err:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"moto emulator required on CI: {err}") from err
        raise unittest.SkipTest(f"moto emulator not available: {err}") from err
