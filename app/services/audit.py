"""The personal-data audit log: every read and write, who, which case, why (CV-23)."""

from __future__ import annotations

from collections.abc import Sequence

from app.extensions import db
from app.models import AuditEntry
from app.services.actors import Actor
from app.services.clock import now


def record(
    actor: Actor, *, case_id: int | None, action: str, subject: str, reason: str | None = None
) -> None:
    """Append one audit entry (flushed with the caller's transaction)."""
    record_cases(actor, case_ids=[case_id], action=action, subject=subject, reason=reason)


def record_cases(
    actor: Actor,
    *,
    case_ids: Sequence[int | None],
    action: str,
    subject: str,
    reason: str | None = None,
) -> None:
    """Append the same entry for each case, in one statement."""
    if not case_ids:
        return
    moment = now()
    db.session.execute(
        AuditEntry.metadata.tables["audit_log"].insert(),
        [
            {
                "at": moment,
                "user_id": actor.user_id,
                "organisation_id": actor.organisation_id,
                "case_id": case_id,
                "action": action,
                "subject": subject[:200],
                "reason": (reason or "")[:200] or None,
            }
            for case_id in case_ids
        ],
    )
