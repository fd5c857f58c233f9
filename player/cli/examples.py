"""An example for every verb's --help, and the exit status every verb follows."""

from __future__ import annotations

import argparse

EXIT_CODES = """exit status: 0 ok; 1 some items failed (each is named in the output);
2 usage error or fatal error (a message says why); 130 interrupted."""

EXAMPLES = {
    "import": "encore import ~/Downloads/my_spotify_data.zip --tz Europe/Paris",
    "scan": "encore scan ~/Music",
    "library": "encore library --json",
    "tracks": 'encore tracks --search "nina simone" --limit 20',
    "scan-issues": "encore scan-issues",
    "play": "encore play ~/Music/album --shuffle",
    "history": "encore history --limit 50",
    "analyze": "encore analyze --workers 2",
    "similar": 'encore similar "Nina Simone - Sinnerman" --count 5',
    "playlist": 'encore playlist create "Road trip"\n  encore playlist add "Road trip" --search "queen"',
    "mix": "encore mix --now",
    "radio": "encore radio artist:Björk --count 30",
    "eval": "encore eval --listens lastfm-export.tsv",
    "recap": "encore recap 2024 --out ~/recap",
    "check": "encore check",
    "tag": "encore tag 42 --set artist=\"Nina Simone\" --set year=1965",
}


def add_examples(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Gives each verb without an epilog its example and the exit status."""
    for name, parser in subparsers.choices.items():
        if parser.epilog:
            continue
        example = EXAMPLES.get(name)
        parser.epilog = (f"example:\n  {example}\n\n" if example else "") + EXIT_CODES
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
