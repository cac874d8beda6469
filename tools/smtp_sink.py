"""A real SMTP server in a thread, for tests that must cross the SMTP boundary.

It records what it accepts and can be told to answer with errors (4xx, 5xx) or to be slow.
A message counts as delivered only once the server has answered 250 to a client that is still
connected: if the client dies mid-DATA, aiosmtpd cancels the handler and nothing is recorded.
"""

import asyncio
import email
import logging
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from email.message import Message

from aiosmtpd.controller import Controller


@dataclass
class ReceivedEmail:
    mail_from: str
    rcpt_tos: list[str]
    message: Message

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]


@dataclass
class SmtpSink:
    delay: float = 0.0
    data_responses: deque = field(default_factory=deque)  # answers to DATA, one per message, then 250
    received: list[ReceivedEmail] = field(default_factory=list)
    data_started: threading.Event = field(default_factory=threading.Event)
    attempts: int = 0
    port: int = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        self.data_started.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_responses:
            answer = self.data_responses.popleft()
            if not answer.startswith("250"):
                return answer
        self.received.append(
            ReceivedEmail(envelope.mail_from, list(envelope.rcpt_tos), email.message_from_bytes(envelope.content))
        )
        return "250 2.0.0 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sink() -> tuple[Controller, SmtpSink]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd narrates every command at INFO
    sink = SmtpSink()
    sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    return controller, sink
