"""`encore --help` and every CLI verb start fast: heavy libraries load only when a verb runs.

A verb module imports numpy, scipy, av, vlc, PySide6 or sklearn inside its command function,
not at module level (import sklearn alone costs ~0.9 s, scipy.signal ~0.5 s).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "scipy", "av", "vlc", "PySide6", "sklearn", "tqdm")


def test_building_the_cli_parser_imports_no_heavy_library() -> None:
    code = (
        "import sys, player.cli\n"
        "player.cli.build_parser()\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]", (
        f"importing the CLI loads {result.stdout.strip()}: move those imports into the "
        "verb's command function"
    )
