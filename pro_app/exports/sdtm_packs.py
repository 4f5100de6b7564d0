"""QSORRES: the response text shown to the patient, from the installed pack's English wording.

When the pack is not installed, or has no English wording for a point, the coded value is
used. The repository holds no licensed wording: it only comes from installed packs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..extensions import db
from ..instruments.packs import PackError, pack_from_data
from ..instruments.qlq_c30 import FOUR_POINT, ITEMS, SEVEN_POINT
from ..questionnaires.models import InstrumentPack
from .sdtm_common import recode
from .sources import Sources

_SCALES = (FOUR_POINT, SEVEN_POINT)
_RESPONSE_KEYS = {FOUR_POINT.key: "four_point", SEVEN_POINT.key: "seven_point_anchors"}
SEVEN_POINT_ITEMS = np.array([item.response_scale is SEVEN_POINT for item in ITEMS])


def response_texts(sources: Sources, frame: pd.DataFrame) -> pd.Series:
    """Frame rows are QLQ-C30 answers with administration_id, item_num and value."""
    admins = sources.administrations
    packs = pd.MultiIndex.from_arrays([admins["pack_id"].astype(object), admins["pack_version"].astype(object)])
    pack_codes, pack_keys = pd.factorize(packs)
    positions = frame["admin_pos"].to_numpy()
    texts, table = _lookup(list(pack_keys))
    values = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    value_index = np.where(np.isnan(values), 0, np.nan_to_num(values)).astype(np.int64).clip(0, 7)
    seven = SEVEN_POINT_ITEMS[frame["item_num"].to_numpy(dtype=np.int64) - 1].astype(np.int64)
    return recode(table[pack_codes[positions], seven, value_index], texts)


def _lookup(pack_keys: list) -> tuple[list[str], np.ndarray]:
    """texts, and table[pack, seven-point?, value] -> index into texts (-1: missing value)."""
    texts: list[str] = []
    # The last row serves administrations without a pack (a pack code of -1).
    table = np.full((len(pack_keys) + 1, 2, 8), -1, dtype=np.int64)
    for pack_index, key in enumerate(pack_keys + [None]):
        installed = isinstance(key, tuple) and all(isinstance(part, str) for part in key)
        wording = _english_responses(*key) if installed else {}
        for seven, scale in enumerate(_SCALES):
            for point in scale.points:
                text = wording.get(_RESPONSE_KEYS[scale.key], {}).get(point) or str(point)
                texts.append(str(text))
                table[pack_index, seven, point] = len(texts) - 1
    return texts, table


def _english_responses(pack_id, version) -> dict[str, dict[int, str]]:
    """{"four_point": {1: text, ...}, "seven_point_anchors": {...}} from the installed pack."""
    row = db.session.scalar(db.select(InstrumentPack).filter_by(pack_id=pack_id, version=version))
    if row is None:
        return {}
    try:
        texts = pack_from_data(row.content, source=pack_id).texts.get("en", {})
    except PackError:
        return {}
    responses: dict[str, dict[int, str]] = {}
    for key, text in texts.items():
        group, _, point = key.removeprefix("responses.").rpartition(".")
        if key.startswith("responses.") and point.isdigit():
            responses.setdefault(group, {})[int(point)] = text
    return responses
