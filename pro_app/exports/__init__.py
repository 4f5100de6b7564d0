"""Exports for statisticians: long and wide tables in CSV, Parquet, SAS XPORT, Stata and SPSS,
CDISC SDTM (QS, FT), a bilingual codebook and a manifest with checksums.

Study codes only: no names, no phone numbers, no message bodies or link tokens.
"""
