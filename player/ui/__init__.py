"""Qt widgets and windows. Thin: they show data and emit *_requested signals."""
