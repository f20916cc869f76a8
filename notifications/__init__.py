"""Digests and alerts for the people who apply: build (pure) → send (thin), in Swedish.

Data flow, one way (the caller reads the store and profile.yaml and fills the records in `model`):

    DigestCall, Recipient, AreaInfo ─ digest.select_for_recipient ─→ Digest
    Digest ─ digest.build_digest ─→ EmailMessage  (digest.is_empty: nothing to send)
    marked calls + sent keys ─ reminders.due_reminders ─→ Reminder ─ reminders.build_reminder ─→ EmailMessage
    run history + incident ─ health.assess ─→ SourceHealthNotice (in the digest, or build_health_notice)
    DeadlineEvent / DigestCall ─ exports.build_ics / build_csv ─→ bytes
    EmailMessage ─ smtp.send(SmtpSettings.from_env(), message)   (the only module that does I/O)

Swedish dates and ISO-week periods are in `dates`; the e-mails' Jinja2 templates in templates/.
Nothing scraped ever reaches a header: subjects are counts and the week, and scraped text is
escaped in HTML and folded to one line in text. Errors: notifications.errors.NotifyError.
"""
