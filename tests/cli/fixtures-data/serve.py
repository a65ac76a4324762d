#!/usr/bin/env python3
"""A small HTTP server for tests/cli/data.bats, on 127.0.0.1 and a free port
written to PORT_FILE: serves DIR's files; /fail answers 500 and /slow never
answers within the test's timeout; /big announces a body of 300 MiB and
/bigchunked streams one past 256 MiB without announcing its length."""
import http.server
import os
import sys
import time

directory, port_file = sys.argv[1], sys.argv[2]


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=directory, **k)

    def do_GET(self):
        if self.path.startswith("/fail"):
            body = b'{"error": "internal"}'
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/bigchunked"):
            self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b" " * (1 << 20)
            try:
                for _ in range(300):
                    self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        if self.path.startswith("/big"):
            self.send_response(200)
            self.send_header("Content-Length", str(300 << 20))
            self.end_headers()
            self.wfile.write(b"{")
            return
        if self.path.startswith("/auth"):
            # echoes whether the Hetzner token came, as Hetzner would refuse
            ok = self.headers.get("Authorization") == "Bearer test-token"
            self.path = "/hetzner-pricing.json" if ok else "/missing"
        super().do_GET()

    def log_message(self, *a):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
