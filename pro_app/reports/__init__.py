"""Pictures for clinicians: each patient's QLQ-C30 scales and MMSE across visits, and each
site's completion by visit, as server-rendered SVG with the numbers also in tables.
"""
