"""Instruments as data (structure, no licensed wording) and instrument packs (the wording).

`qlq_c30` and `mmse` describe each instrument; `packs` loads and validates the wording that
a deployment installs. Nothing here depends on Flask or the database.
"""
from pro_app.instruments import mmse, qlq_c30

INSTRUMENTS = {qlq_c30.INSTRUMENT: qlq_c30, mmse.INSTRUMENT: mmse}
