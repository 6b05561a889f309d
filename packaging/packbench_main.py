"""The frozen program's entry point (packbench.spec): the same ``main`` as the ``packbench`` command."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
