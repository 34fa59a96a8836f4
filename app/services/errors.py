"""Errors the services raise; web and CLI turn them into messages and status codes."""

from __future__ import annotations


class ServiceError(Exception):
    """Base: a request that cannot be done; ``message`` is safe to show (Dutch)."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """Unknown id, or something the actor may not know exists."""

    status = 404


class Forbidden(ServiceError):
    """The actor's role may not do this."""

    status = 403


class Conflict(ServiceError):
    """Someone else got there first (claimed, completed, changed)."""

    status = 409


class InvalidInput(ServiceError):
    """Form or API data failed validation; ``errors`` maps field -> messages."""

    status = 422

    def __init__(self, message: str, errors: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class DeploymentRefused(ServiceError):
    """Diagrams that cannot be deployed; ``problems`` lists each with its element."""

    status = 422

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class CaseFailed(ServiceError):
    """The engine could not run the case on (a diagram error); nothing was saved."""

    status = 500
