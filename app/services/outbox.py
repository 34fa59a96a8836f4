"""Side effects go to the outbox in the transaction and are sent after commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.services.clock import now

Sender = Callable[[OutboxMessage], None]


def queue(kind: str, payload: dict[str, Any]) -> OutboxMessage:
    """Add a message to the outbox (flushed with the caller's transaction)."""
    message = OutboxMessage(created_at=now(), kind=kind, payload=payload)
    db.session.add(message)
    return message


def deliver_pending(sender: Sender, limit: int = 100) -> int:
    """Send unsent messages once each; a failure is recorded and retried later."""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < 10)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = 0
    for message in rows:
        message.attempts += 1
        try:
            sender(message)
        except Exception as exc:  # a mail server error must not lose the message
            message.last_error = str(exc)[:500]
            continue
        message.sent_at = now()
        sent += 1
    db.session.flush()
    return sent
