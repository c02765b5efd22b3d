"""The storage layer's queries beyond the record API: the exchange with other laptops (import
ledger, known devices, blobs, what an export selects), the integrity checks and the canonical dump.

With ``peerreview/sync/store.py``, ``changelog.py`` and ``migrations.py`` these are the only
modules that know table names and SQL (``tests/peerreview/test_layers.py`` holds that line).
"""
