"""SDTM QS: the QLQ-C30 items (EOR0101-EOR0130) and scales (EOR0131-EOR0145).

QSTEST holds neutral names written by the project; replace them with the CDISC CT test
names (codelist C161618) when preparing a submission. The summary score has no CT code:
it is the sponsor-defined C30SUMM.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ..instruments.qlq_c30 import ITEMS, SCALES_BY_CODE, SUMMARY_CODE
from .sdtm_common import iso_datetimes, number_text, sequence, upper_visit, usubjid
from .sdtm_packs import response_texts
from .sdtm_variables import DATASET_LABELS, findings
from .sources import Sources
from .tables import Table, items_frame, scores_frame

QSCAT = "EORTC QLQ-C30 V3.0"
SUMMARY_TESTCD = "C30SUMM"
RECALL_FROM_ITEM = 6  # items 6-30 ask about the past week
_PARTS = ("items", "scores")


def qs_dataset(sources: Sources) -> Table:
    items = sources.memo("items", items_frame)
    items = items[(items["instrument"] == "qlq_c30").to_numpy() & items["item_num"].notna().to_numpy()]
    scores = sources.memo("scores", scores_frame)
    scores = scores[(scores["instrument"] == "qlq_c30").to_numpy()
                    & scores["scale"].astype(object).isin(list(SCALES_BY_CODE) + [SUMMARY_CODE]).to_numpy()]
    parts = [_item_rows(sources, items.reset_index(drop=True)), _score_rows(sources, scores.reset_index(drop=True))]
    frame = _combine(parts)
    frame.insert(0, "STUDYID", _constant(sources.protocol.code, len(frame)))
    frame.insert(1, "DOMAIN", _constant("QS", len(frame)))
    frame.insert(3, "QSSEQ", sequence(frame["USUBJID"]))
    variables = findings("QS", group=False, subcategory=False, interval=True)
    return Table("qs", DATASET_LABELS["qs"], variables, frame[[v.name for v in variables]])


def _item_rows(sources: Sources, items: pd.DataFrame) -> pd.DataFrame:
    numbers = items["item_num"].to_numpy(dtype=np.int64)
    answered = items["value"].notna().to_numpy()
    rows = _common(sources, items)
    rows["QSTESTCD"] = _by_number(numbers, [item.sdtm_test_code for item in ITEMS])
    rows["QSTEST"] = _by_number(numbers, [f"QLQ-C30 Item {item.number:02d}" for item in ITEMS])
    rows["QSORRES"] = response_texts(sources, items)
    rows["QSSTRESC"] = number_text(items["value"].astype("float64"))
    rows["QSSTRESN"] = items["value"].to_numpy(dtype=float, na_value=np.nan)
    rows["QSSTAT"] = _flag(~answered, "NOT DONE")
    rows["QSREASND"] = _flag(~answered, "NOT ANSWERED")
    rows["QSDRVFL"] = _flag(np.zeros(len(items), dtype=bool), "Y")
    rows["QSEVLINT"] = _flag(numbers >= RECALL_FROM_ITEM, "-P1W")
    rows["_order"] = numbers
    return rows


def _score_rows(sources: Sources, scores: pd.DataFrame) -> pd.DataFrame:
    codes = pd.Series(pd.Categorical(scores["scale"].astype(object)))
    scored = scores["value"].notna().to_numpy()
    rows = _common(sources, scores)
    rows["QSTESTCD"] = codes.cat.rename_categories([_testcd(c) for c in codes.cat.categories])
    rows["QSTEST"] = codes.cat.rename_categories([_test(c) for c in codes.cat.categories])
    rows["QSORRES"] = number_text(scores["value"])
    rows["QSSTRESC"] = rows["QSORRES"]
    rows["QSSTRESN"] = scores["value"].to_numpy(dtype=float)
    rows["QSSTAT"] = _flag(~scored, "NOT DONE")
    rows["QSREASND"] = _flag(~scored, "TOO FEW ITEMS ANSWERED")
    rows["QSDRVFL"] = _flag(np.ones(len(scores), dtype=bool), "Y")
    rows["QSEVLINT"] = _flag(np.zeros(len(scores), dtype=bool), "-P1W")
    rows["_order"] = 100 + scores["sort_key"].to_numpy()
    return rows


def _testcd(code: str) -> str:
    return SUMMARY_TESTCD if code == SUMMARY_CODE else SCALES_BY_CODE[code].sdtm_code


def _test(code: str) -> str:
    return "QLQ-C30 Summary Score" if code == SUMMARY_CODE else f"QLQ-C30 {SCALES_BY_CODE[code].name}"


def _common(sources: Sources, frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "USUBJID": usubjid(frame["study_code"], sources.protocol.code),
        "QSCAT": _constant(QSCAT, len(frame)),
        "VISITNUM": frame["visit_num"].to_numpy(dtype=float),
        "VISIT": upper_visit(frame["visit_code"]),
        "QSDTC": iso_datetimes(sources, frame),
    })


def _combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    combined = {}
    for column in parts[0].columns:
        series = [part[column] for part in parts]
        if isinstance(series[0].dtype, pd.CategoricalDtype):
            combined[column] = pd.Series(union_categoricals([_object_categories(s) for s in series],
                                                            ignore_order=True))
        else:
            combined[column] = pd.Series(np.concatenate([s.to_numpy() for s in series]))
    frame = pd.DataFrame(combined)
    subjects = frame["USUBJID"].cat.reorder_categories(sorted(frame["USUBJID"].cat.categories)).cat.codes
    order = np.lexsort((frame["_order"].to_numpy(), frame["VISITNUM"].to_numpy(), subjects.to_numpy()))
    return frame.iloc[order].drop(columns="_order").reset_index(drop=True)


def _object_categories(series: pd.Series) -> pd.Categorical:
    """Categories as plain objects: pandas may infer another text dtype for one of the parts."""
    categories = pd.Index(list(series.cat.categories), dtype=object)
    return pd.Categorical.from_codes(series.cat.codes.to_numpy(), categories=categories)


def _by_number(numbers: np.ndarray, names: list[str]) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(numbers - 1, categories=names))


def _flag(mask: np.ndarray, text: str) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(np.where(mask, 0, -1), categories=[text]))


def _constant(text: str, rows: int) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(np.zeros(rows, dtype=np.int8), categories=[text]))
