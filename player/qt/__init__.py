"""Qt adapters: item models over plain lists, workers, engine bridge. Nothing below imports Qt."""
