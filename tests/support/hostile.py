"""A loopback server that misbehaves the ways a broken proxy or endpoint does, for the
bad-input tests (issue 10, cases 8, 10 and 12).

  hostile.py --mode MODE --port-file F

MODE:
  blackhole   accepts connections and never answers
  drip        sends an HTTP 200's headers, then one byte of body every 0.5 s, forever
  endless     sends an HTTP 200 with a chunked body that never ends, as fast as it can
  garbage     answers HTTP 200 with a body that is not an AWS answer
  redirect    answers HTTP 301 to another host with an HTML body

Listens on 127.0.0.1 only, on a free port written to --port-file.
"""
import argparse, socket, socketserver, sys, threading, time

GARBAGE = b"<html><body>Welcome to the captive portal</body></html>"


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        mode = self.server.mode
        s = self.request
        if mode == "blackhole":
            # Hold the connection open, read nothing more, say nothing.
            while True:
                time.sleep(60)
        # Read the request head (and whatever body came with it).
        s.settimeout(5)
        try:
            s.recv(65536)
        except OSError:
            return
        try:
            if mode == "drip":
                s.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 4000\r\n\r\n")
                while True:
                    s.sendall(b"<")
                    time.sleep(0.5)
            elif mode == "endless":
                s.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n")
                chunk = b"x" * 65536
                frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
                while True:
                    s.sendall(frame)
            elif mode == "garbage":
                s.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(GARBAGE) + GARBAGE)
            elif mode == "redirect":
                body = b"<html><body>Moved</body></html>"
                s.sendall(b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://portal.example.invalid/\r\n"
                          b"Content-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        except OSError:
            return


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", required=True, choices=["blackhole", "drip", "endless", "garbage", "redirect"])
    p.add_argument("--port-file", required=True)
    a = p.parse_args()
    socketserver.ThreadingTCPServer.daemon_threads = True
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    srv.mode = a.mode
    with open(a.port_file, "w") as f:
        f.write(str(srv.server_address[1]))
    srv.serve_forever()


if __name__ == "__main__":
    main()
