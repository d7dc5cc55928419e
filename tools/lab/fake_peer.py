#!/usr/bin/env python3
"""Small non-SSH peers for the sshlogwhy lab (loopback only).

Usage: fake_peer.py MODE PORT READY_FILE

Modes:
  silent      accept connections and never send anything (banner timeout)
  reset       read the client's identification line, then reset the
              connection (SO_LINGER 0 close -> TCP RST)
  close       accept and close at once, before any banner
  http        answer like a web server (Python's http.server)
  full-queue  listen with backlog 0, fill the accept queue with our own
              connection and never accept; further SYNs are dropped by the
              kernel, so a client sees a TCP connect timeout

The helper binds 127.0.0.1 only, writes READY_FILE when it listens, and
runs until it is killed (the lab's cleanup trap kills it by pid).
"""
import http.server
import socket
import socketserver
import struct
import sys
import threading
import time

HOST = "127.0.0.1"


def ready(path):
    with open(path, "w") as f:
        f.write("ready\n")


def listener(port, backlog=16):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, port))
    s.listen(backlog)
    return s


def handle_silent(conn):
    # Keep the connection open and quiet until the peer goes away.
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass
    conn.close()


def handle_reset(conn):
    conn.settimeout(10)
    try:
        buf = b""
        while b"\n" not in buf:
            chunk = conn.recv(4096)
            if not chunk:
                break
            buf += chunk
    except OSError:
        pass
    # l_onoff=1, l_linger=0: close() sends RST instead of FIN.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def serve(port, handler, ready_file):
    s = listener(port)
    ready(ready_file)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


def serve_http(port, ready_file):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "nginx"
        sys_version = ""

        def do_GET(self):
            self.send_error(404)

        def log_message(self, *args):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    srv = Server((HOST, port), Handler)
    ready(ready_file)
    srv.serve_forever()


def serve_full_queue(port, ready_file):
    s = listener(port, backlog=0)
    held = []
    # With backlog 0 the accept queue holds one connection. Fill it (and try
    # one more, which stays in SYN_SENT) from this process, never accept.
    for _ in range(2):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect((HOST, port))
        except BlockingIOError:
            pass
        held.append(c)
        time.sleep(0.2)
    ready(ready_file)
    while True:
        time.sleep(3600)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    mode, port, ready_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "silent":
        serve(port, handle_silent, ready_file)
    elif mode == "reset":
        serve(port, handle_reset, ready_file)
    elif mode == "close":
        serve(port, lambda c: c.close(), ready_file)
    elif mode == "http":
        serve_http(port, ready_file)
    elif mode == "full-queue":
        serve_full_queue(port, ready_file)
    else:
        sys.exit("unknown mode: " + mode)


if __name__ == "__main__":
    main()
