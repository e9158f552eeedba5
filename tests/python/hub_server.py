"""A Hugging Face Hub stand-in on 127.0.0.1 for the download tests: the endpoints the spanguard
client uses, with the Hub's headers, and switches for the failures the tests need.

  GET  /api/models/ORG/NAME/revision/REV   {"id", "sha", "siblings": [{"rfilename"}]}
  HEAD /ORG/NAME/resolve/REV/FILE          X-Repo-Commit, ETag; LFS files: 302 to the CDN's /cdn/SHA256
                                           with X-Linked-Etag (sha256) and X-Linked-Size
  GET  /ORG/NAME/resolve/REV/FILE          the bytes (LFS: the same redirect)
  GET  /cdn/SHA256 (on a second port)      LFS bytes, honouring "Range: bytes=N-" (206)

Unknown repositories are 404 (X-Error-Code: RepoNotFound), unknown revisions 404
(RevisionNotFound), private repositories 401 without the right Bearer token.
"""

import hashlib
import http.server
import os
import threading
import time

LFS_SUFFIXES = (".safetensors", ".model", ".bin")


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Repo:
    def __init__(self, files, commit=None, token=None):
        self.files = dict(files)  # name -> bytes
        self.commit = commit or hashlib.sha1("\n".join(sorted(self.files)).encode()).hexdigest()
        self.token = token  # required Bearer token, or None for a public repository

    def is_lfs(self, name):
        return name.endswith(LFS_SUFFIXES)


class HubServer:
    def __init__(self):
        self.repos = {}
        self.interrupt_once = {}  # file name -> bytes sent before the connection is cut (once)
        self.corrupt = set()      # file names whose bytes are served altered
        self.chunk_delay = 0.0    # seconds between 64 KiB chunks of LFS bodies
        self.requests = []        # (method, path, Range header, Authorization header)
        self.lock = threading.Lock()
        # The Hub and its file CDN answer on different ports, as on different hosts in production:
        # a client must not carry the Hub's Authorization header over the redirect.
        self.servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
                        for _ in range(2)]
        self.httpd, self.cdn = self.servers
        for s in self.servers:
            s.daemon_threads = True
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in self.servers]

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def cdn_endpoint(self):
        return f"http://127.0.0.1:{self.cdn.server_address[1]}"

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        for s in self.servers:
            s.shutdown()
            s.server_close()

    def add_repo(self, name, files, **kw):
        self.repos[name] = Repo(files, **kw)
        return self.repos[name]

    def add_folder(self, name, folder, extra=None, **kw):
        files = {}
        for root, _, names in os.walk(folder):
            for n in names:
                path = os.path.join(root, n)
                files[os.path.relpath(path, folder).replace(os.sep, "/")] = open(path, "rb").read()
        files.update(extra or {})
        return self.add_repo(name, files, **kw)

    def lfs_blob(self, sha):
        for repo in self.repos.values():
            for name, data in repo.files.items():
                if repo.is_lfs(name) and hashlib.sha256(data).hexdigest() == sha:
                    return name, data
        return None, None

    def gets(self, path_part):
        with self.lock:
            return [r for r in self.requests if r[0] == "GET" and path_part in r[1]]

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status, headers=None, body=b""):
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _error(self, status, code, message):
                self._send(status, {"X-Error-Code": code, "Content-Type": "application/json"},
                           ('{"error": "%s"}' % message).encode())

            def _repo(self, name):
                repo = server.repos.get(name)
                if repo is None:
                    self._error(404, "RepoNotFound", "Repository not found")
                    return None
                if repo.token is not None:
                    auth = self.headers.get("Authorization", "")
                    if auth != f"Bearer {repo.token}":
                        self._error(401, "RepoNotFound", "Invalid credentials")
                        return None
                return repo

            def _resolve_revision(self, repo, rev):
                if rev in ("main", repo.commit):
                    return True
                self._error(404, "RevisionNotFound", "Invalid rev id")
                return False

            def do_HEAD(self):
                self.do_GET()

            def do_GET(self):
                with server.lock:
                    server.requests.append((self.command, self.path, self.headers.get("Range"),
                                            self.headers.get("Authorization")))
                parts = self.path.split("/")
                if self.path.startswith("/api/models/") and len(parts) >= 7 and parts[5] == "revision":
                    repo = self._repo(parts[3] + "/" + parts[4])
                    if repo is None or not self._resolve_revision(repo, "/".join(parts[6:])):
                        return
                    import json
                    body = json.dumps({"id": parts[3] + "/" + parts[4], "sha": repo.commit,
                                       "siblings": [{"rfilename": n} for n in sorted(repo.files)]})
                    self._send(200, {"Content-Type": "application/json"}, body.encode())
                    return
                if len(parts) >= 6 and parts[3] == "resolve":
                    repo = self._repo(parts[1] + "/" + parts[2])
                    if repo is None or not self._resolve_revision(repo, parts[4]):
                        return
                    name = "/".join(parts[5:])
                    if name not in repo.files:
                        self._error(404, "EntryNotFound", "Entry not found")
                        return
                    data = repo.files[name]
                    headers = {"X-Repo-Commit": repo.commit, "ETag": f'"{git_blob_sha1(data)}"'}
                    if repo.is_lfs(name):
                        sha = hashlib.sha256(data).hexdigest()
                        headers.update({"X-Linked-Etag": f'"{sha}"', "X-Linked-Size": str(len(data)),
                                        "Location": f"{server.cdn_endpoint}/cdn/{sha}"})
                        self._send(302, headers)
                        return
                    self._send(200, headers, data)
                    return
                if len(parts) == 3 and parts[1] == "cdn":
                    name, data = server.lfs_blob(parts[2])
                    if data is None:
                        self._send(404)
                        return
                    if name in server.corrupt:
                        data = bytes([data[0] ^ 0xFF]) + data[1:]
                    start, status = 0, 200
                    wanted = self.headers.get("Range")
                    if wanted and wanted.startswith("bytes=") and wanted.endswith("-"):
                        start, status = int(wanted[6:-1]), 206
                    body = data[start:]
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("ETag", f'"{parts[2]}"')
                    if status == 206:
                        self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                    self.end_headers()
                    if self.command == "HEAD":
                        return
                    cut = None
                    with server.lock:
                        if name in server.interrupt_once:
                            cut = server.interrupt_once.pop(name)
                    sent = 0
                    for i in range(0, len(body), 65536):
                        chunk = body[i:i + 65536]
                        if cut is not None and sent + len(chunk) > cut:
                            self.wfile.write(chunk[:cut - sent])
                            self.wfile.flush()
                            self.close_connection = True
                            self.connection.shutdown(2)
                            return
                        self.wfile.write(chunk)
                        sent += len(chunk)
                        if server.chunk_delay:
                            time.sleep(server.chunk_delay)
                    return
                self._send(404)

        return Handler
