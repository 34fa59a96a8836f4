"""Turning outbox messages into e-mail and sending it: SMTP in production, the log in development.

Settings (environment): ``SMTP_HOST`` (unset: mails go to the log), ``SMTP_PORT`` (default 587
with STARTTLS, else 25), ``SMTP_USER``, ``SMTP_PASSWORD``, ``SMTP_FROM``, ``SMTP_STARTTLS``
(default on, except on port 25), and ``VOORKOM_BASE_URL`` for the links in the mails.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

from app.extensions import db
from app.models import Organisation, OutboxMessage
from app.roles import LANE_LABELS
from app.services.notifications import AMSTERDAM, DIGEST, TASK_MAIL, digest_groups

log = logging.getLogger("voorkom.mail")

#: outbox kind of the status messages to the corporation (app.tasks.status)
STATUS = "status"


class MailSettingsError(ValueError):
    """A mail setting in the environment is malformed."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how mail is sent."""

    host: str | None
    port: int
    user: str | None
    password: str | None
    sender: str
    starttls: bool
    base_url: str

    @classmethod
    def from_environ(cls, env: Mapping[str, str]) -> MailSettings:
        """Read and check the settings; a bad port or flag stops the worker at start-up."""
        raw_port = env.get("SMTP_PORT") or ""
        try:
            port = int(raw_port) if raw_port else 0
        except ValueError as exc:
            raise MailSettingsError(f"SMTP_PORT must be a number, not {raw_port!r}") from exc
        raw_tls = (env.get("SMTP_STARTTLS") or "").lower()
        if not raw_tls:
            starttls = port != 25  # STARTTLS unless the plain SMTP port is chosen
        elif raw_tls in ("1", "true", "yes", "on"):
            starttls = True
        elif raw_tls in ("0", "false", "no", "off"):
            starttls = False
        else:
            raise MailSettingsError(f"SMTP_STARTTLS must be true or false, not {raw_tls!r}")
        if not port:
            port = 587 if starttls else 25
        return cls(
            host=env.get("SMTP_HOST") or None,
            port=port,
            user=env.get("SMTP_USER") or None,
            password=env.get("SMTP_PASSWORD") or None,
            sender=env.get("SMTP_FROM") or "Voorkom <voorkom@localhost>",
            starttls=starttls,
            base_url=(env.get("VOORKOM_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        )


def _when(iso: str | None, *, with_time: bool = True) -> str:
    if not iso:
        return "geen termijn"
    moment = datetime.fromisoformat(iso).astimezone(AMSTERDAM)
    return moment.strftime("%d-%m-%Y %H:%M" if with_time else "%d-%m-%Y")


def _day(iso: object) -> str:
    """'2026-08-28' -> '28-08-2026'."""
    try:
        return date.fromisoformat(str(iso)).strftime("%d-%m-%Y")
    except ValueError:
        return str(iso or "")


def _party(role: str | None) -> str:
    return LANE_LABELS.get(role or "", role or "")


def compose(message: OutboxMessage, settings: MailSettings) -> EmailMessage | None:
    """The e-mail for an outbox message, or None when it has no mailbox to go to."""
    payload: dict[str, Any] = message.payload or {}
    if message.kind == TASK_MAIL:
        to = payload.get("to")
        subject = f"Nieuwe taak: {payload.get('task')} ({payload.get('reference')})"
        link = f"{settings.base_url}/taken?zaak={quote(str(payload.get('reference') or ''))}"
        body = "\n".join(
            [
                f"Er staat een nieuwe taak klaar voor {_party(payload.get('role'))}.",
                "",
                f"Zaak:      {payload.get('reference')}",
                f"Taak:      {payload.get('task')}",
                f"Termijn:   {_when(payload.get('due_at'))}",
                f"Prioriteit: {payload.get('priority') or '-'}",
                "",
                f"Open de taak in Voorkom: {link}",
                "",
                "Deze mail noemt bewust geen namen of andere persoonsgegevens.",
            ]
        )
    elif message.kind == DIGEST:
        to = payload.get("to")
        day = _when(f"{payload.get('day')}T12:00:00+00:00", with_time=False)
        total = int(payload.get("total") or 0)
        subject = f"Te late taken op {day}: {total}"
        lines = [f"Overzicht van de taken met een verstreken termijn, {day}.", ""]
        groups = digest_groups(payload)
        for role, tasks in sorted(groups.items()):
            lines.append(f"{_party(role)} ({len(tasks)})")
            for task in tasks:
                lines.append(
                    f"  - {task['reference']}: {task['task']} (termijn {_when(task.get('due_at'))})"
                )
            lines.append("")
        shown = sum(len(t) for t in groups.values())
        if total > shown:
            lines.append(f"En nog {total - shown} taken; zie de takenlijst.")
        lines.append(f"Takenlijst: {settings.base_url}/taken?te_laat=1")
        body = "\n".join(lines)
    elif message.kind == STATUS:
        org = db.session.get(Organisation, payload.get("corporation_id") or 0)
        to = org.team_email if org is not None else None
        subject = f"Status zaak {payload.get('case')}: {payload.get('label')}"
        body = "\n".join(
            [
                f"Er is een nieuwe status voor zaak {payload.get('case')}.",
                "",
                f"Status: {payload.get('label')} ({payload.get('status_code')})",
                f"Datum:  {_day(payload.get('datum'))}",
                "",
                f"Zaak in Voorkom: {settings.base_url}/zaken/{quote(str(payload.get('case')))}",
            ]
        )
    else:
        return None
    if not to:
        return None
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = str(to)
    mail["Subject"] = subject
    mail["Message-ID"] = f"<voorkom-outbox-{message.id}@voorkom>"
    mail.set_content(body)
    return mail


class LogMailer:
    """Development: writes each mail to the log instead of sending it."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def __call__(self, message: OutboxMessage) -> None:
        mail = compose(message, self.settings)
        if mail is None:
            log.info("outbox %s #%s: %s", message.kind, message.id, message.payload)
            return
        log.info("mail to %s: %s\n%s", mail["To"], mail["Subject"], mail.get_content())

    def close(self) -> None:
        """Nothing to close."""


class SmtpMailer:
    """Production: one SMTP connection per worker round, opened on the first mail."""

    def __init__(self, settings: MailSettings) -> None:
        if not settings.host:
            raise MailSettingsError("SMTP_HOST is not set")
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.settings.host or "", self.settings.port, timeout=30)
            try:
                if self.settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.settings.user:
                    smtp.login(self.settings.user, self.settings.password or "")
            except Exception:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def __call__(self, message: OutboxMessage) -> None:
        mail = compose(message, self.settings)
        if mail is None:
            log.info("outbox %s #%s has no mailbox; not mailed", message.kind, message.id)
            return
        try:
            self._connection().send_message(mail)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()  # the next message reconnects; this one is retried later
            raise

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def mailer(settings: MailSettings) -> LogMailer | SmtpMailer:
    """SMTP when SMTP_HOST is set, else the log."""
    return SmtpMailer(settings) if settings.host else LogMailer(settings)
