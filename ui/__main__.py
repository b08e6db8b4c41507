"""``python -m ui``: run the desk (see ui.app)."""
import sys

from ui.app import main

sys.exit(main())
