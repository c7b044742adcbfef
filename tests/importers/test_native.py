"""oppmini-json, the format the export will write: read back whole, strictly, categories kept apart by index."""

import json

import pytest

from oppmini.contract.errors import IMPORT_UNREADABLE, ApiError
from oppmini.transfer import importers

SECRET = "hunter2-secret"


def document(**changes):
    base = {
        "format": "oppmini-json",
        "version": 1,
        "categories": [{"name": "Home", "sort_id": 2}, {"name": "Home", "sort_id": 1}],
        "items": [
            {
                "name": "bank",
                "url": "https://bank.example",
                "account": "1234",
                "username": "jo",
                "password": SECRET,
                "blob": "line 1\r\nline 2",
                "category": 1,
                "sort_id": 7,
                "totp": "JBSWY3DPEHPK3PXP",
                "favorite": True,
                "fields": [{"name": "pin", "value": "0000", "hidden": True}, {"name": "memo", "value": "x"}],
            },
            {"name": "bare"},
        ],
    }
    return json.dumps(base | changes).encode()


def test_every_field_and_both_equal_named_categories_come_back():
    reading = importers.read(document())
    assert reading.format == "oppmini-json"
    assert reading.categories == [("Home", 2), ("Home", 1)]
    full, bare = reading.entries
    assert (full.name, full.url, full.account, full.username, full.password, full.notes) == (
        "bank",
        "https://bank.example",
        "1234",
        "jo",
        SECRET,
        "line 1\r\nline 2",
    )  # verbatim: lossless
    assert (full.category, full.folder, full.sort_id, full.totp, full.favorite) == (
        1,
        "Home",
        7,
        "JBSWY3DPEHPK3PXP",
        True,
    )
    assert full.fields == [("pin", "0000", True), ("memo", "x", False)]
    assert (bare.name, bare.password, bare.category, bare.sort_id, bare.fields, bare.favorite) == (
        "bare",
        "",
        None,
        None,
        [],
        False,
    )


def test_it_is_recognised_as_itself_and_not_as_bitwarden():
    source = importers.Source(document())
    assert [each.name for each in importers.FORMATS if each.recognise(source)] == ["oppmini-json"]


@pytest.mark.parametrize(
    "changes, description",
    [
        ({"version": 2}, "'version' is not 1: a newer oppmini wrote it, or it was edited"),
        ({"version": True}, "'version' is not 1: a newer oppmini wrote it, or it was edited"),
        ({"categories": {"Home": 1}}, "'categories' is not a list"),
        ({"categories": [{"name": 5}]}, "category 1: not an object with a text 'name'"),
        ({"categories": [{"name": "a", "sort_id": "1"}]}, "category 1: 'sort_id' is not an integer"),
        ({"items": [{"password": ["hunter2-secret"]}]}, "entry 1: 'password' is not text"),
        ({"items": [{}, {"category": 2}]}, "entry 2: 'category' names no category of the file"),
        ({"items": [{"category": True}]}, "entry 1: 'category' is not an integer"),
        ({"items": [{"favorite": "yes"}]}, "entry 1: 'favorite' is not true or false"),
        (
            {"items": [{"fields": [{"name": "a", "value": SECRET, "hidden": "no"}]}]},
            "entry 1: a custom field is not an object with a true or false 'hidden'",
        ),
        ({"items": ["hunter2-secret"]}, "entry 1: not an object"),
    ],
)
def test_a_wrong_shape_is_refused_naming_the_place_never_the_value(changes, description):
    with pytest.raises(ApiError) as caught:
        importers.read(document(**changes), "oppmini-json")
    assert (caught.value.error, caught.value.description) == (IMPORT_UNREADABLE, description)


def test_an_untitled_item_keeps_its_empty_name_as_exported():
    reading = importers.read(document(items=[{"name": "", "url": "https://a.example"}]))
    assert ([entry.name for entry in reading.entries], reading.warnings) == ([""], [])
