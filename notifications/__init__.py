"""Digests and alerts: build (pure) → send (thin), templates in Swedish (issue 5).

Nothing here yet: collection and query come first.
"""
