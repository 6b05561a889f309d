"""PySide6 widgets and pyqtgraph plots.  Pages talk only to the SessionBridge."""
