"""Service-task operations, registered by name; diagrams call them by that name."""

# Importing the modules registers their operations.
from app.tasks import afloscapaciteit as _afloscapaciteit  # noqa: F401  (registration)
from app.tasks import status as _status  # noqa: F401  (registration side effect)
from app.tasks import traject as _traject  # noqa: F401  (registration)
from app.tasks.registry import OPERATIONS, OperationContext, get_operation, operation

__all__ = ["OPERATIONS", "OperationContext", "get_operation", "operation"]
