"""Peer review: plan, visit, evidence, judgements, the report and continuity."""
