#!/usr/bin/env python3
"""moto_server with DynamoDB requests applied one at a time, as DynamoDB applies each request atomically.

moto's DynamoDB backend keeps no lock: concurrent conditional writes and transactions can all pass
their conditions, and a Query can see half of an UpdateItem (tools/emulator-atomicity.py measures it;
docs/decisions/0011-second-emulator.md). Those are defects of the emulator, not behaviours a product
may meet on AWS, so the integration tests' second run serialises DynamoDB calls with one lock in
front of moto's WSGI app. Every other service (SQS long polls included) stays concurrent.

Usage: same options as moto_server (-H HOST -p PORT).
"""
import argparse
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

DYNAMODB_TARGET = "DynamoDB_"


class AtomicDynamoDb:
    """WSGI middleware: one DynamoDB request at a time, the whole answer produced under the lock."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith(DYNAMODB_TARGET):
            return self.app(environ, start_response)
        with self.lock:
            # Materialised inside the lock: moto computes the body lazily for some operations.
            return list(self.app(environ, start_response))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    backend = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, AtomicDynamoDb(backend), threaded=True)


if __name__ == "__main__":
    main()
