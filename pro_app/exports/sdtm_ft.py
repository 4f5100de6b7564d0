"""SDTM FT for the MMSE (CDISC's MMSE supplement uses FT, not QS), and SUPPFT.

FTTESTCD follows the MMS1 prefix with the project's own numbering (MMS101-MMS132 in item
order, MMS1TOT... for the scores): check them against CDISC CT (C100142) before a
submission. The backwards spelling is a sponsor-defined record that the GRECO rule keeps
out of the total. The attention rule and word list go to SUPPFT.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..instruments import mmse
from .instrument_variables import MMSE_ITEM_CODES, MMSE_SCORE_CODES, mmse_item_variable, mmse_score_variable
from .sdtm_common import iso_datetimes, number_text, sequence, upper_visit, usubjid
from .sdtm_qs import _combine, _constant, _flag
from .sdtm_variables import DATASET_LABELS, findings
from .sources import Sources
from .tables import Table, items_frame, scores_frame

FTCAT = "MINI-MENTAL STATE EXAMINATION"
ITEM_TESTCD = {code: f"MMS1{index:02d}" for index, code in enumerate(MMSE_ITEM_CODES, start=1)}
SCORE_TESTCD = dict(zip(MMSE_SCORE_CODES, ("MMS1TOT", "MMS1PRO", "MMS1S7", "MMS1SPL", "MMS1ATT", "MMS1NNA")))
_SECTION_OF = {code: section.name.upper() for section in mmse.SECTIONS for code in section.items}
_SECTION_OF[mmse.REGISTRATION_TRIALS] = "REGISTRATION (TRIALS)"


def ft_dataset(sources: Sources) -> Table:
    items = sources.memo("items", items_frame)
    items = items[(items["instrument"] == "mmse").to_numpy()
                  & items["item_code"].astype(object).isin(list(ITEM_TESTCD)).to_numpy()]
    scores = sources.memo("scores", scores_frame)
    scores = scores[(scores["instrument"] == "mmse").to_numpy()
                    & scores["scale"].astype(object).isin(list(SCORE_TESTCD)).to_numpy()]
    frame = _combine([_item_rows(sources, items.reset_index(drop=True)),
                      _score_rows(sources, scores.reset_index(drop=True))])
    frame.insert(0, "STUDYID", _constant(sources.protocol.code, len(frame)))
    frame.insert(1, "DOMAIN", _constant("FT", len(frame)))
    frame.insert(3, "FTSEQ", sequence(frame["USUBJID"]))
    variables = findings("FT", group=True, subcategory=True, interval=False)
    return Table("ft", DATASET_LABELS["ft"], variables, frame[[v.name for v in variables]])


def _item_rows(sources: Sources, items: pd.DataFrame) -> pd.DataFrame:
    codes = items["item_code"].astype(object).to_numpy()
    values = items["value"].to_numpy(dtype=float, na_value=np.nan)
    texts = items["text_value"].astype(object).to_numpy()
    state = items["state"].astype(object).to_numpy()
    binary = np.isin(codes, mmse.BINARY_ITEMS)
    numbers = number_text(pd.Series(values)).astype(object).to_numpy()
    said = np.where(texts == mmse.NO_ANSWER, "NO ANSWER", texts)
    rows = _common(sources, items)
    rows["FTTESTCD"] = pd.Categorical([ITEM_TESTCD[c] for c in codes]) if len(codes) else _empty()
    rows["FTTEST"] = _labels(codes, lambda code: mmse_item_variable(code).label)
    rows["FTSCAT"] = pd.Categorical([_SECTION_OF[c] for c in codes]) if len(codes) else _empty()
    rows["FTORRES"] = _text(np.where(binary, np.where(values == 1, "CORRECT", np.where(values == 0, "INCORRECT",
                                                                                     None)),
                                     np.where(pd.isna(values), said, numbers)))
    rows["FTSTRESC"] = _text(np.where(pd.isna(values), said, numbers))
    rows["FTSTRESN"] = values
    rows["FTSTAT"] = _flag(state != "answered", "NOT DONE")
    rows["FTREASND"] = _text(np.where(state == "not_administrable",
                                      pd.Series(items["na_reason"].astype(object)).str.upper().to_numpy(),
                                      np.where(state == "skipped", "NOT ANSWERED", None)))
    rows["FTDRVFL"] = _flag(np.zeros(len(items), dtype=bool), "Y")
    rows["_order"] = items["item_num"].to_numpy(dtype=np.int64)
    return rows


def _score_rows(sources: Sources, scores: pd.DataFrame) -> pd.DataFrame:
    codes = scores["scale"].astype(object).to_numpy()
    scored = scores["value"].notna().to_numpy()
    rows = _common(sources, scores)
    rows["FTTESTCD"] = pd.Categorical([SCORE_TESTCD[c] for c in codes]) if len(codes) else _empty()
    rows["FTTEST"] = _labels(codes, lambda code: mmse_score_variable(code).label)
    rows["FTSCAT"] = _flag(np.zeros(len(scores), dtype=bool), "")
    rows["FTORRES"] = number_text(scores["value"])
    rows["FTSTRESC"] = rows["FTORRES"]
    rows["FTSTRESN"] = scores["value"].to_numpy(dtype=float)
    rows["FTSTAT"] = _flag(~scored, "NOT DONE")
    rows["FTREASND"] = _flag(~scored, "ITEMS NOT ADMINISTRABLE OR MISSING")
    rows["FTDRVFL"] = _flag(np.ones(len(scores), dtype=bool), "Y")
    rows["_order"] = 100 + scores["sort_key"].to_numpy()
    return rows


def _common(sources: Sources, frame: pd.DataFrame) -> pd.DataFrame:
    visits = upper_visit(frame["visit_code"])
    return pd.DataFrame({
        "USUBJID": usubjid(frame["study_code"], sources.protocol.code),
        "FTGRPID": visits.cat.rename_categories([f"MMSE-{c}" for c in visits.cat.categories]),
        "FTCAT": _constant(FTCAT, len(frame)),
        "VISITNUM": frame["visit_num"].to_numpy(dtype=float),
        "VISIT": visits,
        "FTDTC": iso_datetimes(sources, frame),
    })


def _labels(codes: np.ndarray, label_of) -> pd.Series:
    distinct = {code: str(label_of(code)) for code in set(codes)}
    return pd.Series(pd.Categorical([distinct[code] for code in codes]))


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(pd.Categorical(pd.Series(values, dtype=object)))


def _empty() -> pd.Categorical:
    return pd.Categorical([], categories=[])
