"""Lesson study in the window: a cycle's workspace (plan, observe, discuss), observation mode."""
