"""Sending the outbox (``accounts.models.OutboxMessage``): ``flask --app app outbox send``.

config.toml ``MAIL_SENDER`` chooses the sender: ``"console"`` (default: each message is printed and
logged, nothing leaves the machine) or ``"smtp"`` (``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_USER``,
``SMTP_PASSWORD``, ``SMTP_FROM``, ``SMTP_STARTTLS``). A message is marked sent (``sent_at``) only
after the sender accepted it; a failure leaves it unsent for the next run.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any, Callable, Mapping

import click
from flask import current_app
from flask.cli import AppGroup
from sqlmodel import Session, select

from accounts.models import OutboxMessage
from common.db import get_session
from common.timeutil import utcnow

log = logging.getLogger(__name__)


class ConsoleSender:
    """Prints each message (development and tests)."""

    def __init__(self, echo: Callable[[str], None] = print):
        self.echo = echo

    def send(self, message: OutboxMessage) -> None:
        text = f"--- mail to {message.to_address}\nSubject: {message.subject}\n\n{message.body}\n---"
        log.info("console mail to %s: %s", message.to_address, message.subject)
        self.echo(text)

    def close(self) -> None:
        pass


class SmtpSender:
    """Sends through an SMTP relay; one connection for the whole run."""

    def __init__(self, settings: Mapping[str, Any]):
        self.host = str(settings.get("SMTP_HOST") or "localhost")
        self.port = int(settings.get("SMTP_PORT") or 25)
        self.user = str(settings.get("SMTP_USER") or "")
        self.password = str(settings.get("SMTP_PASSWORD") or "")
        self.sender = str(settings.get("SMTP_FROM") or "noreply@localhost")
        self.starttls = bool(settings.get("SMTP_STARTTLS"))
        self.timeout = float(settings.get("SMTP_TIMEOUT") or 30)
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            self._smtp = smtp
        return self._smtp

    def send(self, message: OutboxMessage) -> None:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to_address
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        self._connection().send_message(mail)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except smtplib.SMTPException:
                pass
            self._smtp = None


def make_sender(settings: Mapping[str, Any], echo: Callable[[str], None] = print):
    kind = str(settings.get("MAIL_SENDER") or "console").lower()
    if kind == "console":
        return ConsoleSender(echo)
    if kind == "smtp":
        return SmtpSender(settings)
    raise ValueError(f"MAIL_SENDER must be \"console\" or \"smtp\", not {kind!r}")


def send_unsent(session: Session, sender, *, limit: int | None = None) -> tuple[int, int]:
    """Send the messages without ``sent_at``, oldest first; mark each one sent as soon as the sender
    accepted it. Returns (sent, failed)."""
    query = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
    if limit:
        query = query.limit(limit)
    sent = failed = 0
    try:
        for message in session.exec(query).all():
            try:
                sender.send(message)
            except (smtplib.SMTPException, OSError) as exc:
                failed += 1
                log.warning("outbox message %s to %s not sent: %s", message.id, message.to_address, exc)
                continue
            message.sent_at = utcnow()
            session.add(message)
            session.commit()
            sent += 1
    finally:
        sender.close()
    return sent, failed


outbox_cli = AppGroup("outbox", help="E-mails waiting in the outbox.")


@outbox_cli.command("send")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most this many.")
def send_command(limit: int | None) -> None:
    """Send the unsent messages with the MAIL_SENDER of config.toml and mark them sent."""
    try:
        sender = make_sender(current_app.config, echo=click.echo)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    sent, failed = send_unsent(get_session(), sender, limit=limit)
    click.echo(f"{sent} message(s) sent, {failed} failed.")
    if failed:
        raise SystemExit(1)
