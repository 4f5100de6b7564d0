import pytest
def test_smoke(app, study):
    from pro_app.exports.tables import build_tables
    from pro_app.exports.queries import Scope
    import pandas as pd
    pd.set_option("display.width", 250); pd.set_option("display.max_columns", 30)
    tables = build_tables(app.extensions["pro_app.protocol"], Scope())
    for name, t in tables.items():
        print(name, t.frame.shape)
        print(t.frame.head(8))
        print(t.frame.dtypes.value_counts())
