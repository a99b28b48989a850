import json

from tests.conftest import Procwatch


def test_jurisdictions(procwatch: Procwatch) -> None:
    result = procwatch("jurisdictions", "--format", "json")
    assert result.exit_code == 0
    records = {r["code"]: r for r in json.loads(result.stdout)}
    assert records["EU"]["kind"] == "union"
    assert len(records["EU"]["members"]) == 27
    assert records["PL"]["part_of"] == ["EU"]
    assert records["GE"]["contracts"] == 3
    assert records["GE"]["part_of"] == []
