"""Read functions: each takes a Session or Connection, returns plain dataclasses, never ORM objects.

They select from the Core tables of tables.py, not the ORM classes of models.py: a read
command then neither imports the classes nor configures their mappers. One module per kind
of record, so that a command builds only the record classes it returns (a frozen dataclass
costs about a millisecond to create).
"""
