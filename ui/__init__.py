"""The PeerReview desktop application (PySide6): a client of the ``peerreview`` core."""
