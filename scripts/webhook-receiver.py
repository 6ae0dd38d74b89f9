#!/usr/bin/env python3
"""A stand-in for an email tool, to try contact sync locally with the `webhook` provider.

Listens on 127.0.0.1 (port 9099 by default), checks each event's `Signature` header the way
docs/sync.md describes (HMAC-SHA256 of "TIMESTAMP." + body, compared in constant time, a timestamp
within 5 minutes), prints the event and answers 200; an event with a bad signature is printed as
refused and answered 401. Python's standard library only.

    AGENCY_CONNECTION_SECRET=local-receiver-secret python3 scripts/webhook-receiver.py [--port 9099]
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def signature_is_valid(header, secret, body, now):
    """True when `header` (t=…,v1=…) signs `body` under `secret` with a recent timestamp."""
    parts = dict(part.strip().split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", "").lower())


def make_handler(secret):
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            valid = signature_is_valid(self.headers.get("Signature", ""), secret, body, time.time())
            try:
                event = json.loads(body)
                text = f"{event.get('type')} {event.get('contact', {}).get('email')}: " + json.dumps(event, sort_keys=True)
            except ValueError:
                text = body.decode(errors="replace")
            print(("signed " if valid else "REFUSED, bad signature: ") + text, flush=True)
            self.send_response(200 if valid else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass  # one line per event, above, is enough

    return Receiver


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9099)
    parser.add_argument("--secret", default=os.environ.get("AGENCY_CONNECTION_SECRET"),
                        help="the connection's signing secret (default: $AGENCY_CONNECTION_SECRET)")
    arguments = parser.parse_args()
    if not arguments.secret:
        sys.exit("Error: no signing secret: set AGENCY_CONNECTION_SECRET or pass --secret (the one the connection was given).")
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), make_handler(arguments.secret))
    print(f"Receiving webhook events at http://127.0.0.1:{arguments.port}/events (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
