#!/usr/bin/env python3
"""A webhook receiver for a generic connector that checks every delivery's signature.

Connectors signs what it sends to a generic connector the Standard Webhooks way: the headers
webhook-id, webhook-timestamp and webhook-signature ("v1,<base64 HMAC-SHA256 of id.timestamp.body>",
keyed with the base64 after "whsec_" of the connector's signing secret; two signatures, space-separated,
while a rotated secret still signs). This receiver recomputes the HMAC, refuses old timestamps (so a
captured delivery cannot be replayed later), prints each delivery and answers 204, or 401 if it fails.

Usage: WEBHOOK_SECRET=whsec_... python3 -u docs/examples/webhook_receiver.py 8099
"""
import base64
import hashlib
import hmac
import http.server
import os
import sys
import time

KEY = base64.b64decode(os.environ["WEBHOOK_SECRET"].removeprefix("whsec_"))
TOLERANCE_SECONDS = 5 * 60


def verified(headers, body):
    msg_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(KEY, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, signature.removeprefix("v1,"))
               for signature in headers.get("webhook-signature", "").split() if signature.startswith("v1,"))


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ok = verified(self.headers, body)
        print("verified" if ok else "REFUSED (bad signature or timestamp)", self.headers.get("webhook-id"), body.decode())
        self.send_response(204 if ok else 401)
        self.end_headers()

    do_PUT = do_PATCH = do_POST

    def log_message(self, *args):
        pass  # one line per delivery is printed above


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
