"""Home: "Made for you" (Daily Mix cards, the Right now card) and a mix's track list."""

from player.ui.home.home_view import HomeView
from player.ui.home.mix_view import MixView

__all__ = ["HomeView", "MixView"]
