"""A webhook receiver on 127.0.0.1, as a customer would write one: it verifies the Standard Webhooks
signature with the `standardwebhooks` package and drops a message whose webhook-id it has already
processed. It counts what it received, accepted and dropped, for the no-loss/no-duplicate tests."""

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Receiver:
    def __init__(self, secret: str):
        self.secret = secret
        self.answer = 204  # what to answer accepted messages with (set to 500 to make deliveries fail)
        self.delay = 0.0  # seconds each request takes: long enough, a worker can be killed mid-request
        self.received = Counter()  # webhook-id → requests carrying it
        self.processed = []  # payloads accepted, each webhook-id once
        self.rejected = 0  # bad signatures
        self.headers = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def duplicates(self):
        return sum(count - 1 for count in self.received.values())

    def _receive(self, headers, body: bytes) -> int:
        try:
            payload = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            with self._lock:
                self.rejected += 1
            return 401
        message_id = headers["webhook-id"]
        with self._lock:
            self.headers.append(headers)
            self.received[message_id] += 1
            if self.answer < 300 and self.received[message_id] == 1:
                self.processed.append(payload)
            elif self.answer < 300:
                return 204  # already processed: acknowledged, not processed again (idempotency)
        return self.answer

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                time.sleep(receiver.delay)
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {key.lower(): value for key, value in self.headers.items()}
                status = receiver._receive(headers, body)
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        return Handler
