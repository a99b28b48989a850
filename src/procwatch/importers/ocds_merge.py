"""Combine the releases of one contracting process into its current state (OCDS merging)."""

from __future__ import annotations

from typing import Any

from procwatch.errors import InvalidInputError

# The merge rules of the OCDS 1.1.5 release schema, as ocdsmerge.get_merge_rules() derives
# them. ocdsmerge would otherwise download the schema at run time; a test checks this table
# against the official schema file.
MERGE_RULES: dict[tuple[str, ...], str] = {
    ("date",): "omitWhenMerged",
    ("id",): "omitWhenMerged",
    ("tag",): "omitWhenMerged",
    ("awards", "amendment", "changes"): "wholeListMerge",
    ("awards", "amendments", "changes"): "wholeListMerge",
    ("awards", "items", "additionalClassifications"): "wholeListMerge",
    ("awards", "suppliers", "additionalIdentifiers"): "wholeListMerge",
    ("buyer", "additionalIdentifiers"): "wholeListMerge",
    ("contracts", "amendment", "changes"): "wholeListMerge",
    ("contracts", "amendments", "changes"): "wholeListMerge",
    ("contracts", "implementation", "transactions", "payee", "additionalIdentifiers"): (
        "wholeListMerge"
    ),
    ("contracts", "implementation", "transactions", "payer", "additionalIdentifiers"): (
        "wholeListMerge"
    ),
    ("contracts", "items", "additionalClassifications"): "wholeListMerge",
    ("contracts", "relatedProcesses", "relationship"): "wholeListMerge",
    ("parties", "additionalIdentifiers"): "wholeListMerge",
    ("parties", "roles"): "wholeListMerge",
    ("relatedProcesses", "relationship"): "wholeListMerge",
    ("tender", "additionalProcurementCategories"): "wholeListMerge",
    ("tender", "amendment", "changes"): "wholeListMerge",
    ("tender", "amendments", "changes"): "wholeListMerge",
    ("tender", "items", "additionalClassifications"): "wholeListMerge",
    ("tender", "procuringEntity", "additionalIdentifiers"): "wholeListMerge",
    ("tender", "submissionMethod"): "wholeListMerge",
    ("tender", "tenderers", "additionalIdentifiers"): "wholeListMerge",
}


def compile_releases(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the compiled release of one process's releases (oldest to newest by date)."""
    if len(releases) == 1:
        return releases[0]
    import warnings

    from ocdsmerge import Merger
    from ocdsmerge.exceptions import OCDSMergeError, OCDSMergeWarning

    try:
        with warnings.catch_warnings():
            # Two objects of an array with the same id are merged into one, as the standard says.
            warnings.simplefilter("ignore", OCDSMergeWarning)
            compiled: dict[str, Any] = Merger(merge_rules=MERGE_RULES).create_compiled_release(
                releases
            )
            return compiled
    except OCDSMergeError as error:
        raise InvalidInputError(f"its releases cannot be merged: {error}") from None
