"""Lesson study: Research Lesson Study cycles, planned, observed on several laptops, reported."""
