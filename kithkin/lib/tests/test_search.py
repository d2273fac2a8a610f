from hypothesis import given
from hypothesis import strategies as st

from kithkin.lib.search import fold, search_document, search_words


def test_folding_drops_case_accents_and_strokes():
    assert fold("  José   ÐORĐEVIĆ ") == "jose dordevic"
    assert fold("Łódź Straße Ørsted") == "lodz strasse orsted"
    assert fold("Σοφία") == "σοφια"


def test_a_document_joins_the_parts_that_have_text():
    assert search_document(["Ana Ruiz", None, "", "Acme", "ana@acme.example"]) == "ana ruiz | acme | ana@acme.example"


@given(st.text())
def test_every_word_typed_is_found_in_a_document_made_of_it(text):
    document = search_document([text])
    assert all(word in document for word in search_words(text))
