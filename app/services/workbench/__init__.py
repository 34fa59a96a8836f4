"""The process owners' workbench: uploads, versions and their differences, migration of running
cases, and live counts per diagram element. Only ``procesbeheer`` and ``beheer`` (and the system
itself, from the command line) use it; nothing here returns personal data (COVENANT.md §7).
"""

from __future__ import annotations

from app.services.actors import Actor
from app.services.deployments import DEPLOYER_ROLES
from app.services.errors import Forbidden

#: roles that may use the workbench (the same as may deploy)
WORKBENCH_ROLES = DEPLOYER_ROLES


def require_workbench(actor: Actor) -> None:
    """Refuse anyone but process owners, functional administration and the system."""
    if actor.role not in WORKBENCH_ROLES:
        raise Forbidden("Alleen procesbeheer en functioneel beheer kunnen dit.")
