"""'Your year': the recap story view, its painter and its exports."""

from player.ui.recap.view import RecapView

__all__ = ["RecapView"]
