"""The original's notifications and audit log into Loopin's. Its comment and upvote notifications are
one row per recipient, as Loopin's; its announcements were one row per user too, which Loopin keeps as
one row per announcement with a read mark per reader: the rows of one announcement are found by their
sender, title and message written moments apart (rules.FAN_OUT_GAP_SECONDS), folded into the first
row's id, and each reader who had read it gets a mark."""

from . import rules


def copy_notifications(copy):
    o, utc = copy.o, copy.spell.utc
    copy.run(f"""
        INSERT INTO notifications (id, user_id, type, title, message, post_id, sender_id, is_read, created_at)
        SELECT n.id, n.recipient_id, n.type, substr(coalesce(n.title, ''), 1, 200), coalesce(n.message, ''),
               n.reference_id, CASE WHEN {rules.user_exists(o, 'n.sender_id')} THEN n.sender_id END,
               coalesce(n.is_read, false), coalesce({utc('n.created_at')}, :now)
        FROM {o}notifications n
        WHERE {rules.event_kept(o, 'n')} AND {rules.first_of_repeated_upvotes(o, 'n')}""")
    fold_announcements(copy)


def fold_announcements(copy):
    o, utc = copy.o, copy.spell.utc
    same = "PARTITION BY sender_id, title, message"
    gap = copy.spell.seconds_between("created_at", f"lag(created_at) OVER ({same} ORDER BY created_at, id)")
    copy.run(f"""
        INSERT INTO loopin_folds (id, folded_id)
        SELECT id, min(id) OVER ({same}, fan_out) FROM (
            SELECT id, sender_id, title, message,
                   sum(starts) OVER ({same} ORDER BY created_at, id ROWS UNBOUNDED PRECEDING) AS fan_out
            FROM (SELECT id, sender_id, title, message, created_at,
                         CASE WHEN {gap} <= {rules.FAN_OUT_GAP_SECONDS} THEN 0 ELSE 1 END AS starts
                  FROM {o}notifications WHERE type = '{rules.ANNOUNCEMENT}') marked) grouped""")
    copy.run(f"""
        INSERT INTO notifications (id, user_id, type, title, message, sender_id, is_read, created_at)
        SELECT n.id, NULL, '{rules.ANNOUNCEMENT}', substr(coalesce(n.title, ''), 1, 200), coalesce(n.message, ''),
               CASE WHEN {rules.user_exists(o, 'n.sender_id')} THEN n.sender_id END, false,
               coalesce({utc('n.created_at')}, :now)
        FROM {o}notifications n JOIN loopin_folds f ON f.id = n.id AND f.folded_id = n.id""")
    copy.run(f"""
        INSERT INTO notification_reads (user_id, notification_id)
        SELECT DISTINCT n.recipient_id, f.folded_id
        FROM {o}notifications n JOIN loopin_folds f ON f.id = n.id
        WHERE n.is_read AND {rules.user_exists(o, 'n.recipient_id')}""")


def copy_audit_logs(copy):
    o = copy.o
    copy.run(f"""
        INSERT INTO audit_logs (id, action, actor_id, target_type, target_id, details, created_at)
        SELECT a.id, substr(a.action, 1, 32), CASE WHEN {rules.user_exists(o, 'a.admin_id')} THEN a.admin_id END,
               substr(coalesce(a.target_type, ''), 1, 32), coalesce(CAST(a.target_id AS VARCHAR(64)), ''),
               CASE WHEN a.details IS NOT NULL THEN {copy.spell.json_note('a.details')} END,
               coalesce(a.timestamp, :now)
        FROM {o}audit_logs a""")
