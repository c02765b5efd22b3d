"""The shell of the desktop app: window, navigator, detail pane, workers and shared widgets."""
