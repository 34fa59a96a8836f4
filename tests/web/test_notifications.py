"""Team mail: a new task announced to the team's mailbox, the daily overdue digest, SMTP."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from flask.cli import ScriptInfo
from sqlalchemy import select

from app.cli import digest_command
from app.extensions import db
from app.models import OutboxMessage
from app.services import transaction
from app.services.mail import LogMailer, MailSettings, MailSettingsError, SmtpMailer, compose
from app.services.notifications import DIGEST, TASK_MAIL, digest_due, queue_overdue_digests
from app.services.outbox import deliver_pending
from tests.web.conftest import report

MAILBOXES = {"ggd": "meldpunt@ggd.example", "quawonen": "team@quawonen.example"}


@pytest.fixture
def mailboxes(accounts: Any) -> Any:
    for key, address in MAILBOXES.items():
        accounts.org(key).team_email = address
    db.session.commit()
    return accounts


def _messages(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


class FakeSMTP:
    """Stands in for the mail server: records what a real one would have received."""

    sent: list[EmailMessage] = []  # noqa: RUF012 - shared by the instances of one test
    calls: list[str] = []  # noqa: RUF012
    fail_next = False

    def __init__(self, host: str, port: int, timeout: float) -> None:
        FakeSMTP.calls.append(f"connect {host}:{port}")

    def starttls(self, context: Any = None) -> None:
        FakeSMTP.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        FakeSMTP.calls.append(f"login {user}")

    def send_message(self, message: EmailMessage) -> None:
        if FakeSMTP.fail_next:
            FakeSMTP.fail_next = False
            raise smtplib.SMTPServerDisconnected("gone")
        FakeSMTP.sent.append(message)

    def quit(self) -> None:
        FakeSMTP.calls.append("quit")

    def close(self) -> None:
        FakeSMTP.calls.append("close")


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> type[FakeSMTP]:
    FakeSMTP.sent, FakeSMTP.calls, FakeSMTP.fail_next = [], [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


SETTINGS = MailSettings.from_environ(
    {"SMTP_HOST": "mail.example", "SMTP_USER": "voorkom", "SMTP_PASSWORD": "x",
     "SMTP_FROM": "Voorkom <voorkom@gemeente.example>", "VOORKOM_BASE_URL": "https://vk.example/"}
)  # fmt: skip


def test_a_new_task_is_announced_to_the_team_that_must_do_it(
    deployed: Any, mailboxes: Any, clock: Any
) -> None:
    case = report(mailboxes)
    mails = [m.payload for m in _messages(TASK_MAIL)]
    triage = [p for p in mails if p["task"] == "Melding beoordelen (triage)"]
    assert len(triage) == 1
    assert triage[0]["to"] == "meldpunt@ggd.example"
    assert triage[0]["reference"] == case.reference
    assert "Jan de Vries" not in str(mails)  # mailboxes are shared: no names in mail
    # the corporation's own steps, done by the corporation itself, are not mailed to it
    assert all(p["to"] != "team@quawonen.example" for p in mails)


def test_task_mail_and_status_mail_are_composed_in_dutch(
    deployed: Any, mailboxes: Any, clock: Any
) -> None:
    report(mailboxes)
    task_mail = compose(_messages(TASK_MAIL)[0], SETTINGS)
    assert task_mail is not None
    assert task_mail["To"] == "meldpunt@ggd.example"
    assert task_mail["Subject"].startswith("Nieuwe taak: Melding beoordelen (triage) (VK-")
    body = task_mail.get_content()
    assert "https://vk.example/taken?zaak=VK-" in body and "Termijn:" in body
    status = _messages("status")[0]
    status_mail = compose(status, SETTINGS)
    assert status_mail is not None and status_mail["To"] == "team@quawonen.example"
    assert "Status zaak" in status_mail["Subject"]


def test_outbox_is_sent_over_smtp_after_commit(
    deployed: Any, mailboxes: Any, clock: Any, smtp: type[FakeSMTP]
) -> None:
    report(mailboxes)
    pending = len(_messages(TASK_MAIL) + _messages("status"))
    sender = SmtpMailer(SETTINGS)
    with transaction():
        sent = deliver_pending(sender)
    sender.close()
    assert sent == len(_messages(TASK_MAIL)) + len(_messages("status")) == pending
    assert smtp.calls[:3] == ["connect mail.example:587", "starttls", "login voorkom"]
    assert smtp.calls[-1] == "quit" and smtp.calls.count("connect mail.example:587") == 1
    assert {m["To"] for m in smtp.sent} == set(MAILBOXES.values())
    with transaction():
        assert deliver_pending(SmtpMailer(SETTINGS)) == 0  # once each


def test_a_failed_send_is_kept_and_retried(
    deployed: Any, mailboxes: Any, clock: Any, smtp: type[FakeSMTP]
) -> None:
    report(mailboxes)
    smtp.fail_next = True
    with transaction():
        first = deliver_pending(SmtpMailer(SETTINGS))
    failed = [m for m in _messages(TASK_MAIL) + _messages("status") if m.sent_at is None]
    assert len(failed) == 1 and failed[0].last_error == "gone" and failed[0].attempts == 1
    with transaction():
        second = deliver_pending(SmtpMailer(SETTINGS))
    assert second == 1 and first >= 1


def test_mail_settings_from_the_environment() -> None:
    assert MailSettings.from_environ({}).host is None
    plain = MailSettings.from_environ({"SMTP_HOST": "h", "SMTP_PORT": "25"})
    assert (plain.port, plain.starttls) == (25, False)
    assert MailSettings.from_environ({"SMTP_HOST": "h", "SMTP_STARTTLS": "0"}).port == 25
    with pytest.raises(MailSettingsError, match="SMTP_PORT"):
        MailSettings.from_environ({"SMTP_PORT": "vijf"})
    with pytest.raises(MailSettingsError, match="SMTP_STARTTLS"):
        MailSettings.from_environ({"SMTP_STARTTLS": "misschien"})


def test_without_smtp_host_mail_goes_to_the_log(
    deployed: Any, mailboxes: Any, clock: Any, caplog: Any
) -> None:
    report(mailboxes)
    with caplog.at_level("INFO", logger="voorkom.mail"), transaction():
        sent = deliver_pending(LogMailer(MailSettings.from_environ({})))
    assert sent >= 2
    assert "mail to meldpunt@ggd.example: Nieuwe taak" in caplog.text


def test_overdue_digest_once_per_team_per_day(deployed: Any, mailboxes: Any, clock: Any) -> None:
    first, second = report(mailboxes), report(mailboxes, huurder_naam="Ria Jansen")
    with transaction():
        assert queue_overdue_digests() == 0  # nothing is late yet
    clock.advance(days=3)  # triage was due within 2 working days
    with transaction():
        assert queue_overdue_digests() == 1
    with transaction():
        assert queue_overdue_digests() == 0  # the same day again: nothing new
    digest = _messages(DIGEST)[0]
    assert digest.payload["to"] == "meldpunt@ggd.example"
    assert digest.payload["total"] == 2
    assert {t["reference"] for t in digest.payload["tasks"]} == {first.reference, second.reference}
    mail = compose(digest, SETTINGS)
    assert mail is not None and mail["Subject"] == "Te late taken op 05-03-2026: 2"
    assert "Meldpunt Zorg en Overlast (2)" in mail.get_content()
    clock.advance(days=1)
    with transaction():
        assert queue_overdue_digests() == 1  # a new day, a new digest
    assert len(_messages(DIGEST)) == 2


def test_digest_command(app: Any, deployed: Any, mailboxes: Any, clock: Any) -> None:
    report(mailboxes)
    clock.advance(days=3)
    runner = app.test_cli_runner()
    result = runner.invoke(digest_command, obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "queued 1 overdue digest(s)" in result.output
    again = runner.invoke(digest_command, obj=ScriptInfo(create_app=lambda: app))
    assert "queued 0 overdue digest(s)" in again.output


def test_the_worker_queues_the_digest_once_a_day_from_the_hour(clock: Any) -> None:
    morning = clock.now()  # 10:00 in Amsterdam
    assert digest_due(None, 7, morning)
    assert not digest_due(None, 11, morning)
    assert not digest_due(morning.date(), 7, morning)
    assert digest_due(morning.date(), 7, morning + timedelta(days=1))
