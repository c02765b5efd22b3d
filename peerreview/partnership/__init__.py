"""The partnership: its schools (from GIAS), people, groups and memberships."""
