"""The partnership in the desktop app: adding schools, people and groups; group members."""
