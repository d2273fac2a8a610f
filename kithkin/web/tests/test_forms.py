"""Every web form speaks plainly: Kithkin's words for its errors, never Django's, each beside its
field, and the cursor on the first field to fix."""

import copy
import importlib
import pkgutil
import re

import pytest
from django import forms

import kithkin.web
from kithkin.web.forms import Form, PlainWords, plain, speak_plainly

DJANGO_WORDING = re.compile(
    r"This field is required|Enter a valid|Select a valid choice|is not one of the available choices"
    r"|Ensure this value|Enter a whole number|Enter a number|The submitted file"
)


def web_forms():
    for module in pkgutil.walk_packages(kithkin.web.__path__, "kithkin.web."):
        if ".tests" not in module.name:
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("kithkin.web.") and ".tests" not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda form: f"{form.__module__}.{form.__qualname__}")


def test_every_form_of_the_web_face_speaks_plainly():
    found = web_forms()
    assert len(found) > 30
    assert [f"{form.__module__}.{form.__qualname__}" for form in found if not issubclass(form, PlainWords)] == []


class Everything(Form):
    name = forms.CharField(max_length=5)
    who = forms.CharField(error_messages={"required": "Say who."})
    on = forms.DateField(required=False)
    kind = forms.ChoiceField(choices=[("coffee", "Coffee")], required=False)
    person = forms.TypedChoiceField(coerce=int, choices=[(1, "Ana")], required=False)
    days = forms.IntegerField(min_value=1, max_value=365, required=False)
    email = forms.EmailField(required=False)
    link = forms.URLField(required=False, assume_scheme="https")
    agreed = forms.BooleanField(required=False)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)
    ids = forms.MultipleChoiceField(choices=[("1", "one")], required=False)


def errors_of(**data):
    form = Everything(data)
    assert not form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def test_django_wording_is_replaced_by_plain_words():
    errors = errors_of(
        name="Ana Ruiz",
        on="the 32nd",
        kind="brunch",
        person="7",
        days="0",
        email="ana@",
        link="not a link",
        ids=["9"],
    )
    assert errors == {
        "name": "Keep it to 5 characters or fewer (this has 8).",
        "who": "Say who.",
        "on": "That isn't a date Kithkin can read: try 11 Dec 2026.",
        "kind": "Pick one of the options.",
        "person": "Pick one of the options.",
        "days": "Use a number no smaller than 1.",
        "email": "That doesn't look like an email address: try ana@example.com.",
        "link": "That doesn't look like a web address: try example.com.",
        "ids": "Pick one of the options.",
    }
    assert errors_of(days="400", who="x")["days"] == "Use a number no bigger than 365."
    assert errors_of(days="lots", who="x")["days"] == "Type a whole number, like 30."
    assert errors_of(who="x")["name"] == "Please fill this in."


def test_a_date_is_read_the_way_the_message_suggests():
    for text in ("11 Dec 2026", "Fri 11 Dec 2026", "2026-12-11", "11 December 2026"):
        form = Everything({"name": "Ana", "who": "x", "on": text})
        assert form.is_valid(), text
        assert str(form.cleaned_data["on"]) == "2026-12-11"


def test_no_web_form_error_is_in_djangos_words():
    for form_class in web_forms():
        # The declared fields: building each form needs its own arguments.
        for name, declared in getattr(form_class, "base_fields", {}).items():
            field = copy.deepcopy(declared)
            speak_plainly(field)
            for code, message in field.error_messages.items():
                assert not DJANGO_WORDING.search(str(message)), (form_class, name, code, message)


def test_the_first_field_in_error_gets_the_cursor_and_no_other():
    form = Everything({"name": "Ana", "who": "", "days": "0", "secret": "x"})
    form.fields["name"].widget.attrs["autofocus"] = True
    assert not form.is_valid()
    assert form.first_error_name == "who"
    assert re.search(r"<input [^>]*name=\"who\"[^>]*autofocus", str(form["who"]))
    assert "autofocus" not in str(form["name"]) and "autofocus" not in str(form["days"])
    assert 'aria-invalid="true"' in str(form["days"]) and 'aria-describedby="id_days_error"' in str(form["days"])


def test_an_untouched_form_keeps_its_own_autofocus():
    form = Everything()
    form.fields["name"].widget.attrs["autofocus"] = True
    assert "autofocus" in str(form["name"]) and form.first_error_name is None


def test_the_error_sits_beside_its_field_in_the_field_partial():
    form = Everything({"name": "Ana Ruiz", "who": "x"})
    form.is_valid()
    html = form["name"].as_field_group()
    assert (
        '<small class="field-error" id="id_name_error">Keep it to 5 characters or fewer (this has 8).</small>' in html
    )
    assert html.index("<input") < html.index("field-error")


@pytest.mark.parametrize(
    ("said", "written"),
    [
        (
            "unknown time zone 'Mars'; use a name like Europe/Madrid",
            "Unknown time zone 'Mars'; use a name like Europe/Madrid.",
        ),
        ("empty.csv: the file is empty", "empty.csv: the file is empty."),
        ("'Funday' is not a day of the week", "'Funday' is not a day of the week."),
        ("Already a sentence.", "Already a sentence."),
    ],
)
def test_a_services_message_is_shown_as_a_sentence(said, written):
    assert plain(said) == written
