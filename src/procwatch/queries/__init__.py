"""Read functions: each takes a Connection and returns plain dataclasses.

They select from the Core tables of tables.py. One module per kind of record, so that a
command builds only the record classes it returns (a frozen dataclass costs about a
millisecond to create).
"""
