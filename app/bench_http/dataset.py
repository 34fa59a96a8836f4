"""(f) 100,000 realistic cases: a short simulation through the services, then bulk copies."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import text

from app.bench_http.server import Echo
from app.config import PROJECT_ROOT
from app.extensions import db
from app.services.actors import SYSTEM
from app.services.deployments import deploy, read_directory
from app.services.seed import seed_organisations

#: the bulk copy: template cases (open cases of a short simulation) cloned n times, spread over
#: the corporations and back in time, with their open tasks (some claimed) and their events
BULK_SQL = (
    "CREATE TEMP TABLE tpl AS SELECT (row_number() OVER (ORDER BY c.id)) - 1 AS t, c.* "
    "FROM cases c WHERE c.status = 'open' "
    "AND EXISTS (SELECT 1 FROM human_tasks h WHERE h.case_id = c.id)",
    "CREATE TEMP TABLE corp AS SELECT (row_number() OVER (ORDER BY id)) - 1 AS k, id "
    "FROM organisations WHERE kind = 'corporatie'",
    "CREATE TEMP TABLE claimer AS SELECT role, organisation_id, min(id) AS user_id "
    "FROM users GROUP BY role, organisation_id",
    "INSERT INTO cases (reference, process_version_id, corporation_id, status, priority, "
    "household, state, serializer_version, lock_version, next_timer_due, created_at, updated_at) "
    "SELECT 'bulk-' || g, tpl.process_version_id, corp.id, 'open', tpl.priority, tpl.household, "
    "tpl.state, tpl.serializer_version, 0, tpl.next_timer_due - make_interval(days => g % 90), "
    "tpl.created_at - make_interval(days => g % 90), "
    "tpl.updated_at - make_interval(days => g % 90) "
    "FROM generate_series(1, :n) AS g "
    "JOIN tpl ON tpl.t = g % (SELECT count(*) FROM tpl) "
    "JOIN corp ON corp.k = (g * 7919) % (SELECT count(*) FROM corp)",
    "CREATE TEMP TABLE bulk AS SELECT c.id, c.corporation_id, substr(c.reference, 6)::int AS g, "
    "tpl.id AS template_id FROM cases c "
    "JOIN tpl ON tpl.t = substr(c.reference, 6)::int % (SELECT count(*) FROM tpl) "
    "WHERE c.reference LIKE 'bulk-%'",
    "INSERT INTO human_tasks (case_id, task_id, activity_id, name, process_id, role, "
    "organisation_id, form_key, due_at, priority, created_at, claimed_by_id, claimed_at) "
    "SELECT b.id, h.task_id, h.activity_id, h.name, h.process_id, h.role, "
    "CASE WHEN h.organisation_id IS NOT NULL THEN b.corporation_id END, h.form_key, "
    "h.due_at - make_interval(days => b.g % 90), h.priority, "
    "h.created_at - make_interval(days => b.g % 90), "
    "CASE WHEN b.g % 4 = 0 THEN cl.user_id END, "
    "CASE WHEN b.g % 4 = 0 AND cl.user_id IS NOT NULL THEN h.created_at END "
    "FROM bulk b JOIN human_tasks h ON h.case_id = b.template_id "
    "LEFT JOIN claimer cl ON cl.role = h.role AND cl.organisation_id = "
    "CASE WHEN h.role = 'corporatie' THEN b.corporation_id "
    "ELSE (SELECT min(organisation_id) FROM users u WHERE u.role = h.role) END",
    "INSERT INTO case_events (case_id, at, lifecycle, activity_id, activity_name, role, "
    "organisation_id, user_id, task_id, details) "
    "SELECT b.id, e.at - make_interval(days => b.g % 90), e.lifecycle, e.activity_id, "
    "e.activity_name, e.role, CASE WHEN e.role = 'corporatie' THEN b.corporation_id "
    "ELSE e.organisation_id END, e.user_id, e.task_id, e.details "
    "FROM bulk b JOIN case_events e ON e.case_id = b.template_id",
    "UPDATE cases SET reference = 'VK-' || to_char(created_at, 'YYYY') || '-' "
    "|| lpad(id::text, 6, '0') WHERE reference LIKE 'bulk-%'",
    "DROP TABLE tpl, corp, claimer, bulk",
)


def build_large_dataset(app: Flask, cases: int, echo: Echo) -> None:
    """Real template cases through the services (a short simulation), then bulk copies."""
    from app.services.simulation import simulate

    started = time.perf_counter()
    with app.app_context():
        seed_organisations()
        deploy(read_directory(PROJECT_ROOT / "processes" / "bpmn"), actor=SYSTEM)
        db.session.commit()
        result = simulate(cases=200, seed=11, days=60, settle_days=0)
        for statement in BULK_SQL:
            db.session.execute(text(statement), {"n": cases})
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE cases, human_tasks, case_events, users"))
        counts = {
            table: db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
            for table in ("cases", "human_tasks", "case_events")
        }
        roles = db.session.execute(
            text("SELECT role, count(*) FROM human_tasks GROUP BY role ORDER BY 2 DESC")
        ).all()
        db.session.remove()
        db.engine.dispose()
    echo(
        f"     data: {counts['cases']:,} cases, {counts['human_tasks']:,} open tasks, "
        f"{counts['case_events']:,} events ({result.open_cases} simulated templates; "
        f"built in {time.perf_counter() - started:.0f} s)"
    )
    echo("     open tasks per role: " + ", ".join(f"{r} {n:,}" for r, n in roles))
