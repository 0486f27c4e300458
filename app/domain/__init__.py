"""What the product does, with no request object: views call these, tests call them too.

One package per part of the product, lowest first; a package may import the ones above it in
this list and never one below it (tests/test_architecture.py checks, docs/architecture.md says why):

- `shared`     wording in the reader's language, safe rich text, charts as data
- `mail`       the email outbox, notifications, subscriptions
- `people`     staff accounts, passwords, the audit log, retention of personal data
- `thread`     the golden thread: contributions, "Tell us", inbox coding, "You said, we did"
               (publishing and the public list), tracking, metrics, open data
- `plan`       areas of weakness and actions: their pages, editing, CSV import
- `surveys`    building, answering, recording, results and exports
- `engagement` consultations, moderation, co-production events, translations, what is open now
- `search`     one search over the public content, and the inbox's text search
- `evidence`   the board's evidence: reach against baselines, the period report
- `dashboard`  the staff home: reads across every part

The domain never imports forms, views or `flask.request`; it takes the acting user as an argument.
"""
