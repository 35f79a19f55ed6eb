"""`flask --app app outbox send`: the console sender, and the SMTP sender against a tiny SMTP server
started on 127.0.0.1 by the test (no real mail server)."""
from __future__ import annotations

import socketserver
import threading

import pytest
from sqlmodel import select

from accounts.models import OutboxMessage
from common.mail import ConsoleSender, make_sender


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        self.wfile.write(b"220 fake.test ESMTP\r\n")
        envelope = {"rcpt": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 fake.test\r\n")
            elif verb.startswith("MAIL FROM"):
                envelope["from"] = line.decode().strip()
                self.wfile.write(b"250 OK\r\n")
            elif verb.startswith("RCPT TO"):
                if self.server.refuse and "refused" in verb.lower():
                    self.wfile.write(b"550 no such user\r\n")
                    continue
                envelope["rcpt"].append(line.decode().strip())
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data.append(chunk)
                self.server.received.append({**envelope, "data": b"".join(data).decode("utf-8", "replace")})
                envelope = {"rcpt": []}
                self.wfile.write(b"250 queued\r\n")
            elif verb == "RSET":
                envelope = {"rcpt": []}
                self.wfile.write(b"250 OK\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 not implemented\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received, server.refuse = [], True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _queue(session, *addresses):
    for n, address in enumerate(addresses):
        session.add(OutboxMessage(to_address=address, subject=f"Sujet {n} — é", body=f"Corps {n}\nligne 2",
                                  kind="test"))
    session.commit()


def test_console_sender_prints_and_marks_sent(app, runner, session):
    _queue(session, "a@t.example", "b@t.example")
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "mail to a@t.example" in result.output and "Corps 1" in result.output
    assert "2 message(s) sent, 0 failed." in result.output
    session.expire_all()
    assert all(m.sent_at is not None for m in session.exec(select(OutboxMessage)))
    again = runner.invoke(args=["outbox", "send"])
    assert "0 message(s) sent" in again.output and "mail to" not in again.output


def test_smtp_sender_delivers_and_keeps_refused_messages(app, runner, session, smtp_server):
    _queue(session, "a@t.example", "refused@t.example")
    app.config.update(MAIL_SENDER="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.server_address[1],
                      SMTP_FROM="noreply@t.example", SMTP_STARTTLS=False, SMTP_USER="")
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1 and "1 message(s) sent, 1 failed." in result.output
    assert len(smtp_server.received) == 1
    mail = smtp_server.received[0]
    assert "a@t.example" in mail["rcpt"][0] and "noreply@t.example" in mail["from"]
    assert "Corps 0" in mail["data"] and "To: a@t.example" in mail["data"]
    session.expire_all()
    sent = {m.to_address: m.sent_at for m in session.exec(select(OutboxMessage))}
    assert sent["a@t.example"] is not None and sent["refused@t.example"] is None


def test_unknown_sender_is_refused(app, runner, session):
    _queue(session, "a@t.example")
    app.config["MAIL_SENDER"] = "pigeon"
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code != 0 and "MAIL_SENDER" in result.output
    session.expire_all()
    assert session.exec(select(OutboxMessage)).one().sent_at is None
    assert isinstance(make_sender({}), ConsoleSender)
