"""Merging items and scores by administration without sorting."""
import numpy as np
import pandas as pd

from pro_app.exports.interleave import interleave


def test_each_groups_first_rows_come_before_its_second_rows():
    first = pd.DataFrame({"v": ["i1", "i2", "i3", "i4"], "n": [1.0, 2.0, 3.0, 4.0]})
    second = pd.DataFrame({"v": ["s1", "s2", "s3"], "n": [10.0, 20.0, 30.0]})
    first["v"] = first["v"].astype("category")
    merged = interleave(first, second, np.array([0, 0, 2, 3]), np.array([0, 1, 3]))
    assert merged["v"].astype(str).tolist() == ["i1", "i2", "s1", "s2", "i3", "i4", "s3"]
    assert merged["n"].tolist() == [1.0, 2.0, 10.0, 20.0, 3.0, 4.0, 30.0]
    assert isinstance(merged["v"].dtype, pd.CategoricalDtype)


def test_an_empty_side_leaves_the_other_unchanged():
    first = pd.DataFrame({"n": [1, 2, 3]})
    merged = interleave(first, first.iloc[:0], np.array([0, 1, 1]), np.array([], dtype=np.int64))
    assert merged["n"].tolist() == [1, 2, 3]
