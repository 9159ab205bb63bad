"""English second: the instrument's own English texts, Polo's translated ones."""

from __future__ import annotations

from tests.assessments.helpers import url


def test_the_profile_reads_the_instruments_english(done, as_editor):
    page = as_editor.get(url("profile", done.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page
    assert "Governance" in page and "Board" in page and "4. Level 4" in page
    assert "Gobernanza" not in page.split("<main", 1)[1]


def test_the_json_labels_follow_the_language(done, as_editor):
    data = as_editor.get(url("profile_json", done.pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert [area["label"] for area in data["areas"]] == ["Governance", "Advocacy"]
