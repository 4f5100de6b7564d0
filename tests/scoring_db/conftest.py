"""Pack files written from the shipped demo pack, and patients with submitted QLQ-C30 answers."""
from __future__ import annotations

import copy

import pytest
import yaml

from pro_app.instruments.packs import demo_pack_path

# awell-score `random_response`, the brief's worked example.
WORKED_EXAMPLE = (2, 1, 3, 4, 2, 1, 3, 3, 4, 2, 2, 1, 1, 2, 3, 4, 3, 2, 3, 1, 2, 2, 3, 1, 1, 2, 1, 1, 3, 5)
BEST = (1,) * 28 + (7, 7)
WORST = (4,) * 28 + (1, 1)


def demo_data(instrument: str = "qlq_c30") -> dict:
    return yaml.safe_load(demo_pack_path(instrument).read_text(encoding="utf-8"))


@pytest.fixture
def write_pack(tmp_path):
    """write_pack(edit=None, **fields): a pack file based on the demo pack; `edit(data)` may change it."""
    def write(edit=None, name="pack.yaml", **fields):
        data = copy.deepcopy(demo_data())
        data.update({"pack_id": "qlq_c30_licensed", "version": "2.0", "validated": True,
                     "name": "QLQ-C30 test pack", **fields})
        if edit is not None:
            edit(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path
    return write


def qlq_administration(patient, visit_code: str):
    visit = next(v for v in patient.visits if v.code == visit_code)
    return visit.administration("qlq_c30")
