#!/usr/bin/env python3
"""A recorded fake of the two comment APIs the examples/ci/ scripts call,
on loopback: GitHub's issue comments (GET/POST
/repos/O/R/issues/N/comments, PATCH /repos/O/R/issues/comments/ID) and
GitLab's merge-request notes (GET/POST
/api/v4/projects/P/merge_requests/N/notes, PUT .../notes/ID).  Each request
is appended to LOG as "METHOD PATH"; the comments live in memory, seeded
with one unrelated comment each.  Writes the port to PORTFILE, then serves
until killed.  Usage: fake_api.py PORTFILE LOG"""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse

state = {"gh": [{"id": 11, "body": "Looks good to me."}],
         "gl": [{"id": 21, "body": "Please rebase.", "system": False}]}
next_id = [100]
log_path = sys.argv[2]

GH_LIST = re.compile(r"^/repos/[^/]+/[^/]+/issues/\d+/comments$")
GH_ONE = re.compile(r"^/repos/[^/]+/[^/]+/issues/comments/(\d+)$")
GL_LIST = re.compile(r"^/api/v4/projects/[^/]+/merge_requests/\d+/notes$")
GL_ONE = re.compile(r"^/api/v4/projects/[^/]+/merge_requests/\d+/notes/(\d+)$")


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def body(self):
        n = int(self.headers.get("Content-Length", 0))
        return json.loads(self.rfile.read(n) or b"{}")

    def handle_any(self, method):
        path = urlparse(self.path).path
        with open(log_path, "a") as f:
            f.write("%s %s\n" % (method, path))
        if path.startswith("/api/v4/"):
            if self.headers.get("PRIVATE-TOKEN") != "glpat-test":
                return self.reply(401, {"message": "401 Unauthorized"})
            kind, lst, one = "gl", GL_LIST, GL_ONE
        else:
            if self.headers.get("Authorization") != "token ghp-test":
                return self.reply(401, {"message": "Bad credentials"})
            kind, lst, one = "gh", GH_LIST, GH_ONE
        if lst.match(path) and method == "GET":
            return self.reply(200, state[kind])
        if lst.match(path) and method == "POST":
            c = {"id": next_id[0], "body": self.body()["body"]}
            next_id[0] += 1
            state[kind].append(c)
            return self.reply(201, c)
        m = one.match(path)
        if m and method in ("PATCH", "PUT"):
            for c in state[kind]:
                if c["id"] == int(m.group(1)):
                    c["body"] = self.body()["body"]
                    return self.reply(200, c)
        return self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_PUT(self):
        self.handle_any("PUT")


srv = HTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1], "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
