"""ui — the PySide6 desk on the qasync loop; the composition root wiring hotline_desk and telephony."""
