"""Bulk user import: the pure parts (rows, validation, readers, reconciliation, journal, report).

Shared by ``AsyncWorkOS.users.import_users`` and its generated sync twin; the awaiting
orchestration lives in ``workos_authkit/_async/bulk.py``. Nothing here does network I/O.
"""
