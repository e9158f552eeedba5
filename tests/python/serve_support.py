"""Starting `spanguard serve` on 127.0.0.1 for the tests, and calling it."""

import http.client
import json
import os
import re
import subprocess
import time

from conftest import SOURCE_DIR, spanguard_binary

MODEL = os.path.join(SOURCE_DIR, "data", "models", "spanguard-small-v1")


class Server:
    def __init__(self, *args, model=MODEL):
        env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
        self.proc = subprocess.Popen([spanguard_binary(), "serve", "--port", "0", "--model", model, *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        line = self.proc.stderr.readline().decode()
        match = re.search(r"listening on https?://127\.0\.0\.1:(\d+)", line)
        assert match, line + self.proc.stderr.read().decode()
        self.port = int(match.group(1))

    def connection(self, timeout=60):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def call(self, method, path, body=None, headers=None, raw=None):
        """-> (status, headers dict, parsed JSON or text)."""
        conn = self.connection()
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        conn.request(method, path, body=data, headers=headers or {})
        resp = conn.getresponse()
        text = resp.read().decode()
        conn.close()
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        return resp.status, dict(resp.getheaders()), parsed

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def stop(self, timeout=60):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        return self.proc.returncode


def cli(*args):
    out = subprocess.run([spanguard_binary(), *args, "--threads", "1"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=True)
    return json.loads(out.stdout)


def wait_until(predicate, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False
