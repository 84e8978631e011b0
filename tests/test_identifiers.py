"""Identifier validation against the worked examples of domain.md 7.1 and 7.2."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from graph_service.identifiers import (
    Checked,
    IdentifierError,
    normalize_id,
    organization_code_check_char,
    person_id_reference,
    upgrade_resident_id_15,
    validate_person_id,
    validate_region_code,
    validate_resident_id,
    validate_uscc,
)
from graph_service.regions import region_table

VALID_USCC = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91431002MA4L0C5B8T",
    "91431081MA4PXX8T5J",
    "12431000431002120C",
    "51431000MJ0D123448",
    "N24310215E2M7A3KX9",
    "Y14310005E2M7A3KXN",
]


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_uscc_examples_pass_without_warning(code):
    checked = validate_uscc(code)
    assert checked.value == code
    assert checked.warnings == ()


@pytest.mark.parametrize("code", ["N24310215E2M7A3KX9", "Y14310005E2M7A3KXN"])
def test_authority_codes_stdnum_rejects_are_accepted(code):
    # The reason for an own validator: python-stdnum refuses letters in the first 8 characters.
    assert not stdnum_uscc.is_valid(code)
    assert validate_uscc(code).details["authority"] == code[0]


def test_uscc_details():
    d = validate_uscc("91431002MA4L0C5B8T").details
    assert d["authority"] == "9"
    assert d["org_type_name"] == "enterprise"
    assert d["region_code"] == "431002"
    assert d["region_name"] == "北湖区"
    assert d["organization_code"] == "MA4L0C5B-8"
    assert validate_uscc("12431000431002120C").details["org_type_name"] == "public institution"


def test_uscc_wrong_check_names_expected_character():
    with pytest.raises(IdentifierError) as err:
        validate_uscc("91431002MA4L0C5B8A")
    assert err.value.expected == "T"
    assert str(err.value) == "check character should be 'T', got 'A'"


def test_uscc_textbook_example_is_invalid():
    with pytest.raises(IdentifierError) as err:
        validate_uscc("91350100M000100Y4Z")
    assert err.value.expected == "3"


@pytest.mark.parametrize("raw, reason", [
    ("91431002MA4L0C5B8", "18 characters expected, got 17"),
    ("", "identifier is empty"),
    ("9143I002MA4L0C5B8T", "character 'I' at position 5 is not allowed in a USCC"),
    ("91431002MA4L0C5O8T", "character 'O' at position 16 is not allowed in a USCC"),
    ("B1431002MA4L0C5B8T", "registration authority code 'B' (position 1) is not defined by GB 32100"),
    ("914310A2MA4L0C5B8T", "region part '4310A2' (positions 3-8) must be 6 digits"),
])
def test_uscc_malformed(raw, reason):
    with pytest.raises(IdentifierError) as err:
        validate_uscc(raw)
    assert str(err.value) == reason
    assert err.value.expected is None


def test_uscc_bad_embedded_organisation_code_is_only_a_warning():
    first17 = "91431002MA4L0C5B9"  # organisation-code check 9 instead of 8
    from graph_service.identifiers import uscc_check_char

    code = first17 + uscc_check_char(first17)
    checked = validate_uscc(code)
    assert organization_code_check_char("MA4L0C5B") == "8"
    assert len(checked.warnings) == 1 and "GB 11714 gives '8'" in checked.warnings[0]


def test_uscc_unknown_region_part_is_a_warning():
    from graph_service.identifiers import uscc_check_char

    first17 = "91439999MA4L0C5B8"
    checked = validate_uscc(first17 + uscc_check_char(first17))
    assert checked.warnings == ("region part 439999 (positions 3-8) is not in the GB/T 2260 table",)


def test_full_width_input_is_normalised():
    assert normalize_id("  ９１４３１００２ＭＡ４Ｌ０Ｃ５Ｂ８ｔ\u3000") == "91431002MA4L0C5B8T"
    assert validate_uscc("９１４３１００２ＭＡ４Ｌ０Ｃ５Ｂ８Ｔ").value == "91431002MA4L0C5B8T"
    assert validate_resident_id(" １１０１０５１９４９１２３１００２ｘ ").value == "11010519491231002X"


@pytest.mark.parametrize("rid, birth, sex", [
    ("11010519491231002X", dt.date(1949, 12, 31), "female"),
    ("431002200003151235", dt.date(2000, 3, 15), "male"),
    ("431081199501010021", dt.date(1995, 1, 1), "female"),
    ("431003200108082340", dt.date(2001, 8, 8), "female"),
    ("432801198001010015", dt.date(1980, 1, 1), "male"),
])
def test_valid_resident_ids(rid, birth, sex):
    checked = validate_resident_id(rid)
    assert checked == Checked(rid, (), checked.details)
    assert checked.details["birth_date"] == birth
    assert checked.details["sex"] == sex
    assert checked.details["region_code"] == rid[:6]


def test_standard_example_from_1880_is_valid():
    # 440524 潮阳县 is listed from 1983 only: the ID stays valid, the address code draws a warning.
    checked = validate_resident_id("440524188001010014")
    assert checked.details["birth_date"] == dt.date(1880, 1, 1)
    assert len(checked.warnings) == 1


def test_retired_address_code_is_valid():
    checked = validate_resident_id("432801198001010015")
    assert checked.details["region_name"] == "郴州市"
    assert checked.warnings == ()


def test_address_code_newer_than_birth_is_a_warning_not_an_error():
    # python-stdnum rejects it: 431002 dates from 1994.
    assert not stdnum_ric.is_valid("431002198503151231")
    checked = validate_resident_id("431002198503151231")
    assert checked.value == "431002198503151231"
    assert len(checked.warnings) == 1
    assert "431002" in checked.warnings[0] and "1985" in checked.warnings[0]


def test_unknown_address_code_is_a_warning():
    from graph_service.identifiers import ric_check_char

    first17 = "43109919850315123"
    checked = validate_resident_id(first17 + ric_check_char(first17))
    assert checked.warnings == ("address code 431099 (positions 1-6) is not in the GB/T 2260 table",)


def test_resident_id_wrong_check():
    with pytest.raises(IdentifierError) as err:
        validate_resident_id("431002198503151232")
    assert err.value.expected == "1"
    assert str(err.value) == "check character should be '1', got '2'"


def _with_check(first17: str) -> str:
    from graph_service.identifiers import ric_check_char

    return first17 + ric_check_char(first17)


@pytest.mark.parametrize("rid, reason", [
    ("431002851315123", "birth date '19851315' (positions 7-12 of the first-generation 15-digit ID, century 19) "
                        "is not a real date"),
    ("43100285031512X", "character 'X' at position 15 is not allowed in a first-generation 15-digit citizen ID "
                        "(digits only, no check character)"),
    ("43100219850315123", "18 characters expected, got 17"),
    ("4310021985031512X1", "character 'X' at position 17 is not allowed in a citizen ID "
                           "(digits only; X only as the check character)"),
    (_with_check("43100219850230123"), "birth date '19850230' (positions 7-14) is not a real date"),
])
def test_resident_id_malformed(rid, reason):
    with pytest.raises(IdentifierError) as err:
        validate_resident_id(rid)
    assert str(err.value) == reason


def test_birth_date_in_the_future_is_an_error():
    rid = _with_check("43100220300101123")
    with pytest.raises(IdentifierError, match="in the future"):
        validate_resident_id(rid, today=dt.date(2025, 6, 1))
    assert validate_resident_id(rid, today=dt.date(2030, 1, 1)).details["birth_date"] == dt.date(2030, 1, 1)


def test_person_id_types():
    assert validate_person_id("431002200003151235").details["sex"] == "male"
    assert validate_person_id(" e12345678 ", "passport") == Checked("E12345678", (), {"id_type": "passport"})
    assert validate_person_id("ＨＫ－Ａ１２３", "other").value == "HK-A123"
    with pytest.raises(IdentifierError, match="identifier is empty"):
        validate_person_id("   ", "passport")
    with pytest.raises(IdentifierError, match="at most 40 characters expected, got 41"):
        validate_person_id("A" * 41, "other")
    with pytest.raises(IdentifierError, match="control character U\\+0007 at position 2"):
        validate_person_id("A\x07B", "passport")
    with pytest.raises(IdentifierError, match="id_type must be one of"):
        validate_person_id("E123", "driving_licence")
    with pytest.raises(IdentifierError, match="check character"):
        validate_person_id("431002198503151232", "resident_id")


def test_region_codes():
    assert validate_region_code("431002").details["name"] == "北湖区"
    retired = validate_region_code(" ４３２８０１ ")
    assert retired.value == "432801" and retired.details["retired"] is True
    with pytest.raises(IdentifierError, match="must be 6 digits"):
        validate_region_code("4310")
    with pytest.raises(IdentifierError, match="431099 is not in the GB/T 2260 table"):
        validate_region_code("431099")


def test_region_code_from_a_bundle_table():
    table = region_table().with_extra([{"code": "431099", "name": "测试区", "parent_code": "431000", "level": ""}])
    assert validate_region_code("431099", table).details["parent_code"] == "431000"
    assert validate_uscc("91431002MA4L0C5B8T", table).details["region_name"] == "北湖区"


@pytest.mark.parametrize("id_15, id_18", [
    ("110105491231002", "11010519491231002X"),  # the standard example of GB 11643, in its first form
    ("431002850315123", "431002198503151231"),
    ("432801800101001", "432801198001010015"),
])
def test_first_generation_ids_are_upgraded(id_15, id_18):
    assert upgrade_resident_id_15(id_15) == id_18
    assert stdnum_ric.calc_check_digit(id_18) == id_18[-1]
    checked = validate_resident_id(id_15)
    assert checked.value == id_18
    assert checked.details["id_15"] == id_15
    assert checked.details["birth_date"] == dt.date(int(id_18[6:10]), int(id_18[10:12]), int(id_18[12:14]))
    assert validate_person_id(" " + id_15.replace("1", "１") + " ").value == id_18
    assert person_id_reference(id_15) == id_18
    assert "id_15" not in validate_resident_id(id_18).details


def test_person_id_reference_leaves_other_ids():
    assert person_id_reference(" e1234567 ") == "E1234567"
    assert person_id_reference("431002198503151231") == "431002198503151231"
    with pytest.raises(IdentifierError, match="is not a real date"):
        person_id_reference("431002850230123")
