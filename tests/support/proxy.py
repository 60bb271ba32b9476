"""A loopback HTTP proxy in front of moto for benchmarks and fault tests.

  proxy.py --target http://127.0.0.1:PORT --port-file F [--latency-ms 100]
           [--throttle Action=BURST:RATE ...] [--fault-rate 0.3] [--fault-seed N]

Forwards every request unchanged after sleeping --latency-ms (each request in its own
thread, so concurrent calls overlap as they would against AWS). --throttle emulates EC2's
per-API token buckets (the documented default for non-mutating calls is 100 requests,
refilled at 20/s): a query-protocol request for that Action without a token gets HTTP 503
RequestLimitExceeded, as EC2 answers. GET /__stats answers {"requests": N, "throttled": M}
(not forwarded); POST /__reset zeroes both.

--fault-rate R fails that share of requests without forwarding them, alternating AWS's
throttling answer and a 5xx in each protocol's own shape (EC2/STS query XML, Route 53
Resolver and EKS JSON). POST /__faults?rate=R changes it at run time; /__stats counts
them as "faulted". The draw is seeded (--fault-seed), so a run is repeatable.

--loop-token ACTION (EC2 query actions, repeatable) answers every page of that listing
with a NextToken of "loop": a paginator that does not notice asks for ever (issue 27, 3).

Listens on 127.0.0.1 only,
on a free port written to --port-file, and forwards only to a loopback target.
"""
import argparse, http.client, json, random, socketserver, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
count = 0
throttled = 0
faulted = 0
fault_rate = 0.0

THROTTLE_BODY = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                 b'<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>'
                 b'</Error></Errors><RequestID>proxy-throttle</RequestID></Response>')


class Bucket:
    def __init__(self, burst, rate):
        self.burst, self.rate, self.tokens, self.at = burst, rate, float(burst), time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def fault_reply(handler, body, n):
    """The nth fault: throttling when n is even, a 5xx when odd, shaped for the protocol."""
    throttle = n % 2 == 0
    # EC2 and STS speak the query protocol (a form body with Action=); the rest JSON.
    json_protocol = not (body or b"").startswith(b"Action=")
    if not json_protocol:
        if throttle:
            return 503, THROTTLE_BODY, "text/xml", None
        return 500, (b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                     b'<Code>InternalError</Code><Message>An internal error has occurred.</Message>'
                     b'</Error></Errors><RequestID>proxy-fault</RequestID></Response>'), "text/xml", None
    if throttle:
        return 429, b'{"__type":"ThrottlingException","message":"Rate exceeded"}', \
            "application/x-amz-json-1.1", "ThrottlingException"
    return 503, b'{"__type":"ServiceUnavailableException","message":"Service unavailable"}', \
        "application/x-amz-json-1.1", "ServiceUnavailableException"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--target", required=True)
    p.add_argument("--latency-ms", type=float, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--throttle", action="append", default=[], metavar="ACTION=BURST:RATE")
    p.add_argument("--fault-rate", type=float, default=0.0)
    p.add_argument("--fault-seed", type=int, default=7)
    p.add_argument("--loop-token", action="append", default=[], metavar="ACTION")
    a = p.parse_args()
    global fault_rate
    fault_rate = a.fault_rate
    rng = random.Random(a.fault_seed)
    buckets = {}
    for spec in a.throttle:
        action, limits = spec.split("=")
        burst, rate = limits.split(":")
        buckets[action] = Bucket(int(burst), float(rate))
    t = urllib.parse.urlparse(a.target)
    if t.hostname not in ("127.0.0.1", "localhost"):
        sys.exit("proxy.py forwards to loopback only")
    delay = a.latency_ms / 1000.0

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def handle_one(self):
            global count, throttled, faulted, fault_rate
            if self.path == "/__stats":
                stats = {"requests": count, "throttled": throttled, "faulted": faulted}
                return self.reply(200, json.dumps(stats).encode(), "application/json")
            if self.path == "/__reset":
                with lock:
                    count = throttled = faulted = 0
                return self.reply(200, b"{}", "application/json")
            if self.path.startswith("/__faults"):
                q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                with lock:
                    fault_rate = float(q.get("rate", ["0"])[0])
                return self.reply(200, b"{}", "application/json")
            with lock:
                count += 1
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            time.sleep(delay)
            with lock:
                fault = fault_rate > 0 and rng.random() < fault_rate
                if fault:
                    faulted += 1
                    n = faulted
            if fault:
                status, data, ctype, etype = fault_reply(self, body, n)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if etype:
                    self.send_header("x-amzn-ErrorType", etype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if buckets and body:
                action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
                bucket = buckets.get(action)
                if bucket is not None:
                    with lock:
                        ok = bucket.take()
                        if not ok:
                            throttled += 1
                    if not ok:
                        return self.reply(503, THROTTLE_BODY, "text/xml")
            if a.loop_token and body and body.startswith(b"Action="):
                form = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
                if dict(form).get("Action") in a.loop_token:
                    # Every page asked for is the first one again.
                    body = urllib.parse.urlencode([(k, v) for k, v in form if k != "NextToken"]).encode()
            conn = http.client.HTTPConnection(t.hostname, t.port, timeout=60)
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("connection", "content-length")}
            if body is not None:
                headers["Content-Length"] = str(len(body))
            conn.request(self.command, self.path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            if a.loop_token and body and body.startswith(b"Action="):
                action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
                if action in a.loop_token and r.status == 200:
                    # Drop a real token, then close the answer with the looping one.
                    import re
                    data = re.sub(rb"<nextToken>[^<]*</nextToken>", b"", data)
                    end = data.rfind(b"</")
                    data = data[:end] + b"<nextToken>loop</nextToken>" + data[end:]
            self.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        def reply(self, status, data, ctype):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_one

    # A client that went away (killed mid-call in the tests) is not an error here.
    def quiet(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            socketserver.BaseServer.handle_error(self, request, client_address)
    ThreadingHTTPServer.handle_error = quiet
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 512
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(a.port_file, "w") as f:
        f.write(str(srv.server_address[1]))
    srv.serve_forever()


if __name__ == "__main__":
    main()
