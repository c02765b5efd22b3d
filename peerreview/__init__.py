"""PeerReview core: records, store, change log, merge, bundles, forms, reports. Never imports Qt."""

__version__ = "0.1.0"
