"""The red flags as one hand-written SQL query: the baseline `procwatch flags` is measured against.

The query gives the rows `procwatch flags -f csv` gives (contract, flag, certainty and the
facts of the contract), with evidence assembled by the database's own string aggregate:
what an analyst would write in the `sqlite3` shell or psql. benchmarks/run.py runs it there
and compares the (contract, flag, certainty) rows with procwatch's.
"""

from __future__ import annotations

from procwatch.screening.flags import LOCAL_METHOD_NAMES, PRICE_FINDING_KINDS


def _label(start: str, end: str) -> str:
    return (
        f"CASE WHEN {start} IS NULL THEN 'undated' WHEN {end} IS NULL OR {end} = {start} "
        f"THEN {start} WHEN length({start}) > 4 OR length({end}) > 4 "
        f"THEN {start} || '/' || {end} ELSE {start} || '-' || {end} END"
    )


def _first(column: str) -> str:
    return f"substr({column} || '-01-01', 1, 10)"


def _last(column: str) -> str:
    return f"substr({column} || '-99-99', 1, 10)"


def flags_sql(aggregate: str, codes: tuple[str, ...] | None = None) -> str:
    """Return the query; `aggregate` is the dialect's string_agg(x, sep) or group_concat."""
    local = " OR ".join(
        f"lower(c.procurement_method_details) LIKE '%{name}%'" for name in LOCAL_METHOD_NAMES
    )
    noncompetitive = (
        f"(c.procurement_method IN ('limited', 'direct') OR "
        f"(c.procurement_method IS NULL AND ({local})))"
    )
    reason = (
        "CASE WHEN c.procurement_method IS NOT NULL THEN 'procurement method ' || "
        "c.procurement_method || coalesce(' (' || c.procurement_method_details || ')', '') "
        "ELSE '''' || c.procurement_method_details || ''' is a local non-competitive procedure' END"
    )
    signed_first = _first("c.date_start")
    signed_last = _last("coalesce(c.date_end, c.date_start)")
    certainty = (
        "CASE WHEN c.date_start IS NULL THEN 'possibly' "
        f"WHEN m.date_start IS NOT NULL AND {_first('m.date_start')} > {signed_last} THEN 'no' "
        f"WHEN m.date_end IS NOT NULL AND {_last('m.date_end')} < {signed_first} THEN 'no' "
        f"WHEN m.date_start IS NOT NULL AND {_last('m.date_start')} < {signed_first} "
        f"AND (m.date_end IS NULL OR {_first('m.date_end')} > {signed_last}) THEN 'yes' "
        "ELSE 'possibly' END"
    )
    measure = f"j.code || ' ' || m.kind || ' (' || {_label('m.date_start', 'm.date_end')} || ')'"

    def measure_family(code: str, kinds: str) -> str:
        return (
            f"SELECT contract_id, '{code}' AS code, max(certainty) AS certainty, "
            f"{aggregate}(CASE WHEN certainty = 'yes' THEN item END, ', ') AS sure, "
            f"{aggregate}(CASE WHEN certainty = 'possibly' THEN item END, ', ') AS maybe "
            f"FROM (SELECT c.id AS contract_id, {certainty} AS certainty, {measure} AS item "
            "FROM contracts c JOIN measures m "
            f"ON m.vendor_id = c.vendor_id AND m.kind IN ({kinds}) "
            "JOIN jurisdictions j ON j.id = m.jurisdiction_id) pairs "
            "WHERE certainty <> 'no' GROUP BY contract_id"
        )

    families = {
        "PW-NONCOMPETITIVE": (
            f"SELECT c.id AS contract_id, 'PW-NONCOMPETITIVE' AS code, 'yes' AS certainty, "
            f"{reason} AS sure, NULL AS maybe FROM contracts c WHERE {noncompetitive}"
        ),
        "PW-REPEAT-NONCOMPETITIVE": (
            "SELECT c.id AS contract_id, 'PW-REPEAT-NONCOMPETITIVE' AS code, 'yes' AS certainty, "
            "g.awards || ' non-competitive awards: ' || g.dates AS sure, NULL AS maybe "
            "FROM contracts c JOIN (SELECT c.vendor_id, c.buyer_id, count(*) AS awards, "
            f"{aggregate}({_label('c.date_start', 'c.date_end')}, ', ') AS dates "
            f"FROM contracts c WHERE {noncompetitive} AND c.buyer_id IS NOT NULL "
            "GROUP BY c.vendor_id, c.buyer_id HAVING count(*) > 1) g "
            f"ON g.vendor_id = c.vendor_id AND g.buyer_id = c.buyer_id WHERE {noncompetitive}"
        ),
        "PW-PRICE-FINDING": (
            "SELECT f.contract_id, 'PW-PRICE-FINDING' AS code, 'yes' AS certainty, "
            f"{aggregate}(f.kind || ': ' || f.description, '; ') AS sure, NULL AS maybe "
            "FROM findings f WHERE lower(f.kind) IN ("
            + ", ".join(f"'{kind}'" for kind in sorted(PRICE_FINDING_KINDS))
            + ") GROUP BY f.contract_id"
        ),
        "PW-SIGNED-WHILE-BANNED": measure_family("PW-SIGNED-WHILE-BANNED", "'ban', 'restriction'"),
        "PW-SIGNED-WHILE-INVESTIGATED": measure_family(
            "PW-SIGNED-WHILE-INVESTIGATED", "'investigation'"
        ),
    }
    order = list(families)
    chosen = [families[code] for code in (codes or tuple(order))]
    rank = " ".join(f"WHEN '{code}' THEN {index}" for index, code in enumerate(order))
    return (
        "SELECT f.code, f.certainty, c.key AS contract, v.name AS vendor, b.name AS buyer, "
        "j.code AS country, c.date_start AS date, c.date_end, c.title, "
        "'signed ' || coalesce(f.sure, '') || coalesce('; possibly: ' || f.maybe, '') AS evidence "
        f"FROM ({' UNION ALL '.join(chosen)}) f "
        "JOIN contracts c ON c.id = f.contract_id JOIN vendors v ON v.id = c.vendor_id "
        "JOIN jurisdictions j ON j.id = c.jurisdiction_id LEFT JOIN buyers b ON b.id = c.buyer_id "
        f"ORDER BY c.date_start IS NULL, c.date_start, c.id, CASE f.code {rank} END"
    )
