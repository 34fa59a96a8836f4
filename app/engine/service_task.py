"""Service task spec: a dict result merges into the case data unless a result variable is set."""

from __future__ import annotations

import json
from typing import Any

from SpiffWorkflow.spiff.specs.defaults import ServiceTask


class VoorkomServiceTask(ServiceTask):
    """Calls a registered operation through the script engine."""

    def _execute(self, task: Any) -> bool:
        raw = task.workflow.script_engine.call_service(
            task,
            operation_name=self.operation_name,
            operation_params=self.evaluate_params(task),
        )
        result = json.loads(raw)
        if not self.result_variable.startswith("spiff__"):
            task.data[self.result_variable] = result
        elif isinstance(result, dict):
            task.data.update(result)
        return True
