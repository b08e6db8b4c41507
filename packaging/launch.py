"""Entry point of the frozen desk (PyInstaller): the same as ``python -m ui``."""
import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
