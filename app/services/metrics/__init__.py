"""The evaluation meeting's figures (CV-24, CV-26), computed from the event log.

How it fits together:

- ``projection``: ``refresh()`` folds new ``case_events`` (read position in ``metric_state``)
  into four small tables: ``metric_tasks`` (one row per user task: created, first claimed,
  completed/cancelled, due, working days late), ``metric_cases`` (started, reported, closed,
  outcome, and the case *facts*), ``metric_case_steps`` (first moment a case reached each
  step) and ``metric_presence`` (a party's involvement in a case, for open cases per party).
  It then recomputes, for the months it changed, ``metric_cells`` (``cells``): counts and
  value histograms per month, party, step and corporation, which the dashboard adds up.
- Case facts are the only values taken from the workflow data, read through the case's
  runtime when the report is made and when the case closes (each read is in the audit log):
  arrears in whole euros and months at the report, children yes/no (never the number), the
  conditions kept yes/no, priority. No name, address or other identifying field is copied;
  the tables never leave the database except as aggregates (suppressed below 5).
- ``steps``: which task marks which step (report, first contact, assessment, plan, handover):
  the diagram property ``metric_step``, else ``steps.toml`` (activity ids, then form keys).
- ``figures``: the aggregates in SQL (SQLite and PostgreSQL), one question per query (the
  reference); ``cube``: the same rows from a year's cells (the fast path); ``dashboard``: all
  for a year; ``selection``: the dashboard's filters (period, corporation, party);
  ``charts`` and ``report``: SVG charts and the printable report; ``exports``: CSV, XES, OCEL;
  ``whatif``: a draft diagram against the deployed one; ``bench``: the 100,000-case timing.
"""
