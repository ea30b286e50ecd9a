"""The audit trail: one `audit_logs` row per privileged action, written in the action's own transaction
(`record_action`), so an action and its record commit together or not at all. Every feature that acts
with privilege records here; administration reads it (`GET /admin/audit`). Not to be confused with the
security log (`web/security_log.py`): JSON log lines about sign-ins, never rows."""
