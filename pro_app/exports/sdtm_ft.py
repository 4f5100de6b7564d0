"""SDTM FT for the MMSE (CDISC's MMSE supplement uses FT, not QS).

FTTESTCD follows the MMS1 prefix with the project's own numbering (MMS101-MMS132 in item
order, MMS1TOT... for the scores): check them against CDISC CT (C100142) before a
submission. The backwards spelling is a sponsor-defined record that the GRECO rule keeps
out of the total. The attention rule, MMSE version and word list go to SUPPFT.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..instruments import mmse
from .instrument_variables import (
    MMSE_ITEM_CODES,
    MMSE_SCORE_CODES,
    mmse_item_variable,
    mmse_score_variable,
)
from .interleave import interleave
from .sdtm_common import constant, flag, number_text, recode, relabel
from .sdtm_qs import common, finish
from .sdtm_variables import findings
from .sources import Sources
from .tables import Table, items_frame, scores_frame

FTCAT = "MINI-MENTAL STATE EXAMINATION"
ITEM_TESTCD = {code: f"MMS1{index:02d}" for index, code in enumerate(MMSE_ITEM_CODES, start=1)}
SCORE_TESTCD = dict(zip(MMSE_SCORE_CODES, ("MMS1TOT", "MMS1PRO", "MMS1S7", "MMS1SPL", "MMS1ATT", "MMS1NNA")))
_SECTION_OF = {code: section.name.upper() for section in mmse.SECTIONS for code in section.items}
_SECTION_OF[mmse.REGISTRATION_TRIALS] = "REGISTRATION (TRIALS)"


def ft_dataset(sources: Sources) -> Table:
    items = sources.memo("items", items_frame)
    items = items[(items["instrument"] == "mmse").to_numpy() & items["item_code"].isin(list(ITEM_TESTCD)).to_numpy()]
    scores = sources.memo("scores", scores_frame)
    scores = scores[(scores["instrument"] == "mmse").to_numpy() & scores["scale"].isin(list(SCORE_TESTCD)).to_numpy()]
    items, scores = items.reset_index(drop=True), scores.reset_index(drop=True)
    frame = interleave(_item_rows(sources, items), _score_rows(sources, scores), items["admin_pos"],
                       scores["admin_pos"])
    return finish(frame, sources, "FT", findings("FT", group=True, subcategory=True, interval=False))


def _rows(sources: Sources, frame: pd.DataFrame) -> pd.DataFrame:
    rows = common(sources, frame, "FT")
    rows["FTGRPID"] = relabel(rows["VISIT"], lambda visit: f"MMSE-{visit}")
    rows["FTCAT"] = constant(FTCAT, len(frame))
    return rows


def _item_rows(sources: Sources, items: pd.DataFrame) -> pd.DataFrame:
    values = items["value"].to_numpy(dtype=float, na_value=np.nan)
    texts = items["text_value"].to_numpy(dtype=object)
    state = items["state"].astype(object).to_numpy()
    binary = items["item_code"].isin(list(mmse.BINARY_ITEMS)).to_numpy()
    numbers = number_text(values).astype(object).to_numpy()
    said = np.where(texts == mmse.NO_ANSWER, "NO ANSWER", texts)
    result = np.where(np.isnan(values), said, numbers)
    original = np.where(binary & (values == 1), "CORRECT", np.where(binary & (values == 0), "INCORRECT", result))
    reasons = items["na_reason"].astype(object).to_numpy()
    rows = _rows(sources, items)
    rows["FTTESTCD"] = relabel(items["item_code"], ITEM_TESTCD.get)
    rows["FTTEST"] = relabel(items["item_code"], lambda code: _label(mmse_item_variable, code, ITEM_TESTCD))
    rows["FTSCAT"] = relabel(items["item_code"], _SECTION_OF.get)
    rows["FTORRES"] = _text(original)
    rows["FTSTRESC"] = _text(result)
    rows["FTSTRESN"] = values
    rows["FTSTAT"] = flag(state != "answered", "NOT DONE")
    rows["FTREASND"] = _text(np.where(state == "not_administrable", pd.Series(reasons).str.upper().to_numpy(),
                                      np.where(state == "skipped", "NOT ANSWERED", None)))
    rows["FTDRVFL"] = flag(np.zeros(len(items), dtype=bool), "Y")
    return rows


def _score_rows(sources: Sources, scores: pd.DataFrame) -> pd.DataFrame:
    values = scores["value"].to_numpy(dtype=float)
    scored = ~np.isnan(values)
    rows = _rows(sources, scores)
    rows["FTTESTCD"] = relabel(scores["scale"], SCORE_TESTCD.get)
    rows["FTTEST"] = relabel(scores["scale"], lambda code: _label(mmse_score_variable, code, SCORE_TESTCD))
    rows["FTSCAT"] = flag(np.zeros(len(scores), dtype=bool), "")
    rows["FTORRES"] = number_text(values)
    rows["FTSTRESC"] = rows["FTORRES"]
    rows["FTSTRESN"] = values
    rows["FTSTAT"] = flag(~scored, "NOT DONE")
    rows["FTREASND"] = flag(~scored, "ITEMS NOT ADMINISTRABLE OR MISSING")
    rows["FTDRVFL"] = flag(np.ones(len(scores), dtype=bool), "Y")
    return rows


def _label(variable_of, code: str, known: dict) -> str | None:
    return str(variable_of(code).label) if code in known else None


def _text(values: np.ndarray) -> pd.Series:
    codes, distinct = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return recode(codes, [str(value) for value in distinct])
