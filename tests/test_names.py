"""Name normalisation (graph_service/domain/names.py): every variation class of issue 17 point 1."""

import pytest

from graph_service.domain.names import (
    core_name,
    enterprise_keys,
    fold,
    looks_like_pinyin,
    pinyin_keys,
    pinyin_query,
    region_short_forms,
)


@pytest.mark.parametrize(("a", "b"), [
    ("ＡＢＣ科技有限公司", "ABC科技有限公司"),  # full-width letters
    ("恒信建材（郴州）有限公司", "恒信建材(郴州)有限公司"),  # full-width brackets
    ("恒信 建材 有限公司", "恒信建材有限公司"),  # spaces, including U+3000
    ("恒信\u3000建材有限公司", "恒信建材有限公司"),
    ("阿卜杜·热合曼", "阿卜杜热合曼"),  # middle dots of every kind
    ("阿卜杜・热合曼", "阿卜杜•热合曼"),
    ("王建國", "王建国"),  # traditional and simplified
    ("恆信建材有限責任公司", "恒信建材有限责任公司"),
])
def test_fold_makes_variants_equal(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_what_carries_meaning():
    assert fold("恒信建材") != fold("恒兴建材")
    assert fold("恒信建材(郴州)") == "恒信建材(郴州)"


@pytest.mark.parametrize("name", [
    "恒信建材有限公司", "郴州市恒信建材有限公司", "湖南省郴州市恒信建材有限责任公司",
    "郴州恒信建材股份有限公司", "恒信建材（郴州）有限公司", "湖南恒信建材集团有限公司",
    "北湖区恒信建材分公司", "恆信建材有限公司",
])
def test_core_name_drops_forms_and_regions(name):
    assert core_name(name) == "恒信建材"


def test_core_name_keeps_a_short_name_whole():
    # Dropping 郴州 from 郴州有限公司 would leave nothing: the folded name is its own core.
    assert core_name("郴州有限公司") == "郴州"
    assert core_name("公司") == "公司"


def test_region_short_forms_need_two_characters():
    forms = region_short_forms(["郴州市", "城区", "广西壮族自治区"])
    assert {"郴州市", "郴州", "城区", "广西壮族自治区", "广西"} <= forms
    assert "城" not in forms


def test_enterprise_keys_hold_full_and_core_forms_once():
    keys = enterprise_keys(["郴州市恒信建材有限公司", "恒信建材有限公司"])
    assert keys == ["郴州市恒信建材有限公司", "恒信建材", "恒信建材有限公司"]


def test_pinyin_keys_spell_every_reading():
    assert pinyin_keys("王建国")[0] == "wangjianguo"
    assert pinyin_keys("王建國")[0] == "wangjianguo"
    assert {"shanxiongxin", "danxiongxin"} <= set(pinyin_keys("单雄信"))
    assert pinyin_keys("John Smith") == []
    assert len(pinyin_keys("长长长长长长长长")) <= 8


def test_pinyin_query():
    assert pinyin_query("Wang Jianguo") == "wangjianguo"
    assert pinyin_query("wang-jian-guo") == "wangjianguo"
    assert looks_like_pinyin("wang jianguo")
    assert not looks_like_pinyin("王建国")
    assert not looks_like_pinyin("  ")
