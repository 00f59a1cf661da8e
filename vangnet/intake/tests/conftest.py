import re

import pytest

from vangnet.intake.forms import new_idempotency_key


@pytest.fixture
def form_data(region_utrecht, meldpunt):
    def make(**overrides):
        data = {
            "idempotency_key": new_idempotency_key(),
            "requested_kind": "report",
            "reporter_type": "bystander",
            "danger_now": "no",
            "violence_kinds": ["child_abuse"],
            "violence_duration": "over_1_year",
            "narrative": "De buurjongen van 9 heeft elke week blauwe plekken.",
            "children_in_household": "2",
            "municipality": str(region_utrecht.municipalities.get(code="GM0344").pk),
            "age_group": "25_plus",
            "anonymous": "yes",
            "person1_name": "Daan",
            "person1_age": "9",
            "person1_relation": "child",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return make


CODE_RE = re.compile(r'id="return-code"[^>]*>([0-9A-Z-]+)<')


def code_from(response) -> str:
    match = CODE_RE.search(response.content.decode())
    assert match, "the page should show a return code"
    return match.group(1)
