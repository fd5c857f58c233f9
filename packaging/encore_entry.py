"""The frozen app's entry point (PyInstaller): the same `encore` command as the pip install.

freeze_support() lets the scanner's and analyser's worker processes (forkserver) start from
the frozen executable instead of re-running the app.
"""

import multiprocessing
import sys

from player.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
