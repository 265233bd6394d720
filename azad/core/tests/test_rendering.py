"""The form renderer writes <select> exactly as Django's templates do, only faster."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from azad.core.places import REGION_CHOICES
from azad.core.rendering import FormRenderer

GROUPED = [
    ("", "—"),
    ("Cənub", [("lənkəran", "Lənkəran"), ("astara", 'Astara <& "quoted">')]),
    ("Şimal", [("quba", "Quba")]),
    ("x'y", mark_safe("<b>safe label</b>")),
]


class _Form(forms.Form):
    region = forms.ChoiceField(choices=REGION_CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, help_text="yardım")
    many = forms.MultipleChoiceField(choices=GROUPED, required=False)
    flag = forms.NullBooleanField(required=False)
    off = forms.ChoiceField(choices=[("1", "bir"), ("2", "iki")], disabled=True, required=False)
    attributes = forms.ChoiceField(
        choices=[(1, "bir"), (2, "iki")],
        widget=forms.Select(attrs={"data-x": 'a"b', "autofocus": True, "hidden": False}),
    )


class _RadioForm(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"region": REGION_CHOICES[3][0], "grouped": "astara", "many": ["quba", "lənkəran"], "flag": "true"},
        {"region": "nowhere", "grouped": "<script>", "many": ["x'y"], "attributes": "2", "flag": "false"},
    ],
)
def test_it_writes_every_select_exactly_as_djangos_templates(data):
    ours, django = FormRenderer(), DjangoTemplates()
    for name in _Form.base_fields:
        form = _Form(data) if data is not None else _Form(initial={"attributes": 2})
        form.renderer = django
        expected = str(form[name])
        form.renderer = ours
        assert str(form[name]) == expected, name


def test_it_leaves_other_widgets_to_django():
    form = _RadioForm({"choice": "b"})
    form.renderer = DjangoTemplates()
    expected = str(form["choice"])
    form.renderer = FormRenderer()
    assert str(form["choice"]) == expected
    assert 'value="b"' in expected and "checked" in expected


def test_it_is_the_projects_form_renderer(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
    finally:
        get_default_renderer.cache_clear()
