"""The timestamp written inside every binary file, so that two exports are byte-identical.

The real export time is in manifest.json.
"""
from datetime import datetime

FILE_TIMESTAMP = datetime(2000, 1, 1, 0, 0, 0)
