"""Auditing news feeds: fetch a feed (or read a file or a folder of articles), audit every new or
changed item, remember what was audited, and report per item.

Modules, in the order data flows through them:

============ =====================================================================================
module       what it does
============ =====================================================================================
http         a small, hardened HTTP client: timeouts, a deadline, retries, byte caps, gzip bombs
parse        bytes → :class:`~mtcheck.feed.parse.ParsedFeed`: XML safety, feedparser, JSON Feed
sources      a SOURCE (URL, feed file, folder of articles) → ParsedFeed
state        SQLite state: items by guid and content hash, runs, per-item history
pipeline     audits items (in worker processes with ``--jobs``) into DocumentResults
table        the per-item text table of ``mtcheck feed``
trends       ``mtcheck feed-report``: trends per feed from the history table
============ =====================================================================================
"""
