"""Read-only JSON API (/api/v1): the long export tables page by page, for R and Python clients.

Bearer tokens belong to data managers (all sites) and investigators (their own site).
"""
