#!/usr/bin/python3
"""A tiny SMTP sink for the HTTP e-mail tests: aiosmtpd on 127.0.0.1.

Usage: smtp_sink.py DIR  — listens on a free port, prints "PORT <n>" on stdout, and
stores every accepted message as DIR/<n>.eml (raw bytes as received) with DIR/<n>.json
({"mail_from", "rcpt_tos"}). Control files in DIR, read on each RCPT:
  DIR/tempfail-once-<address>   answer 451 once for that recipient (the file is removed)
  DIR/reject-<address>          answer "550 5.1.1 ... User unknown" for that recipient
Stops on SIGTERM / SIGINT.
"""
import asyncio
import json
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, root):
        self.root = root
        self.n = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        once = os.path.join(self.root, "tempfail-once-" + address)
        if os.path.exists(once):
            os.remove(once)
            return "451 4.3.0 Temporary failure, try again later"
        if os.path.exists(os.path.join(self.root, "reject-" + address)):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            n = self.n
        base = os.path.join(self.root, "%d" % n)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Ok: queued as %d" % n


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    root = sys.argv[1]
    os.makedirs(root, exist_ok=True)
    port = free_port()
    controller = Controller(Sink(root), hostname="127.0.0.1", port=port)
    controller.start()
    print("PORT %d" % port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
