"""The projection: incremental, fed by the real services, steps mapped without code."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, MetricCase, MetricCaseStep, MetricState, MetricTask
from app.services.cases import start_case
from app.services.metrics.projection import facts_from_data, refresh
from app.services.metrics.steps import build_step_map, diagram_steps, step_config
from tests.metrics.conftest import EventLog, utc
from tests.scenarios.helpers import do, example

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:userTask id="Task_Huisbezoek" camunda:formKey="contactpoging">
      <bpmn:extensionElements>
        <camunda:properties>
          <camunda:property name="metric_step" value="beoordeling"/>
        </camunda:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>"""


def test_steps_come_from_forms_then_the_data_file_then_the_diagram() -> None:
    config = step_config()
    assert config.anchor == "melding"
    summary = {
        "start_form": "melding",
        "user_tasks": [
            {"id": "Task_Huisbezoek", "form_key": "contactpoging"},
            {"id": "Task_Eigen", "form_key": "plan"},
            {"id": "Task_Anders", "form_key": "escalatie"},
        ],
    }
    mapping = build_step_map([("variant", summary, {"v.bpmn": DIAGRAM})], config)
    assert diagram_steps([DIAGRAM]) == {"Task_Huisbezoek": "beoordeling"}
    assert mapping.step_of("Task_Huisbezoek") == "beoordeling"  # the diagram's word wins
    assert mapping.step_of("Task_Eigen") == "plan"  # by its form
    assert mapping.step_of("Task_Anders") is None
    assert mapping.by_start == {"variant": "melding"}  # a case started with F1 is reported


def test_refresh_reads_each_event_once_and_carries_open_tasks(log: EventLog) -> None:
    case = log.case("quawonen", utc(2025, 3, 3, 9))
    log.report(case, utc(2025, 3, 3, 12))
    log.task(case, "T_Contact", "meldpunt", utc(2025, 3, 3, 12), due=utc(2025, 3, 10, 12))
    log.commit()
    task = db.session.scalar(select(MetricTask).where(MetricTask.activity_id == "T_Contact"))
    assert task.completed_at is None
    events_read = db.session.get(MetricState, "metrics").last_event_id
    # the open task completes in a later refresh, late by one working day
    log._add(case, utc(2025, 3, 11, 15), "completed", "T_Contact", "meldpunt", task.task_id)
    log.commit()
    db.session.expire_all()
    task = db.session.get(MetricTask, task.id)
    assert task.completed_at == utc(2025, 3, 11, 15) and task.late_workdays == 1
    assert db.session.get(MetricState, "metrics").last_event_id == events_read + 1
    assert refresh().events == 0
    steps = db.session.scalars(select(MetricCaseStep.step).where(MetricCaseStep.case_id == case))
    assert sorted(steps) == ["contact", "melding"]


def test_facts_come_from_the_case_without_personal_data(
    deployed: Any, parties: Any, clock: Any
) -> None:
    case = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    case = do(parties.quawonen, case, "Task_Melding", kinderen_onder_18="2")
    refresh()
    db.session.commit()
    row = db.session.get(MetricCase, case.id)
    assert row.reported_at is not None and row.corporation_id == parties.org("quawonen").id
    assert row.arrears_amount == 1491 and row.arrears_months == 2.0 and row.children is True
    # the read of personal data for the metrics is in the audit log (CV-23)
    reads = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.case_id == case.id, AuditEntry.reason == "kengetallen")
    )
    assert reads == 1
    # nothing else leaves the workflow data
    facts = facts_from_data({"huurder_naam": "J. Jansen", "achterstand_bedrag": 10.4})
    assert facts.arrears_amount == 10 and facts.children is None
