"""Widgets: the main window, the event list, the detail pane, dialogs and actions."""
