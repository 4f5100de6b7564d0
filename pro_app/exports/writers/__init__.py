"""File writers. The binary statistical formats are written by vectorised numpy code, chunk by
chunk, with fixed file timestamps, so that large studies export fast and byte-identically.
"""
