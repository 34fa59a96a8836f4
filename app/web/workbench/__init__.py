"""The process owners' workbench (issue 5): catalogue, modeller, uploads, versions and their
differences, migration of running cases and the live view. Only ``procesbeheer`` and
``beheer`` get in; nothing on these pages is personal data (COVENANT.md §7)."""

from __future__ import annotations

from app.web.workbench import catalogue, modeller, versions  # noqa: F401  (register routes)
from app.web.workbench.blueprint import bp

__all__ = ["bp"]
