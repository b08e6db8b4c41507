"""``python -m ui``: run the desk (see ui.app)."""
import time

STARTED = time.time()  # before the heavy imports: the start-up clock where /proc is missing

import sys  # noqa: E402

from ui.app import main  # noqa: E402

sys.exit(main(started=STARTED))
