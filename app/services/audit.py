"""The personal-data audit log: every read and write, who, which case, why (CV-23)."""

from __future__ import annotations

from app.extensions import db
from app.models import AuditEntry
from app.services.actors import Actor
from app.services.clock import now


def record(
    actor: Actor, *, case_id: int | None, action: str, subject: str, reason: str | None = None
) -> None:
    """Append one audit entry (flushed with the caller's transaction)."""
    db.session.execute(
        AuditEntry.metadata.tables["audit_log"].insert(),
        [
            {
                "at": now(),
                "user_id": actor.user_id,
                "organisation_id": actor.organisation_id,
                "case_id": case_id,
                "action": action,
                "subject": subject[:200],
                "reason": (reason or "")[:200] or None,
            }
        ],
    )
