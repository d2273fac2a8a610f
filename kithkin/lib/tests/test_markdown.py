from kithkin.lib.markdown import render_markdown


def test_markdown_renders_emphasis_lists_and_links() -> None:
    html = render_markdown("**Ana** likes\n\n- trail running\n- [fintech](https://example.com)")
    assert "<strong>Ana</strong>" in html
    assert "<li>trail running</li>" in html
    assert 'href="https://example.com"' in html
    assert "noopener" in html


def test_a_script_tag_in_a_note_renders_as_harmless_text() -> None:
    html = render_markdown("hi <script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_a_javascript_link_is_not_a_link() -> None:
    for text in ("[click](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "<a href='javascript:alert(1)'>x</a>"):
        html = render_markdown(text)
        assert 'href="javascript' not in html.lower()
        assert '<a href="javascript' not in html


def test_empty_note_renders_nothing() -> None:
    assert render_markdown("") == ""
