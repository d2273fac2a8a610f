"""The charts drawn on the server: accessible SVG, scaled to round numbers, text escaped."""

from kithkin.web.charts import Series, bar_chart, line_chart, lying_bar_chart, nice_ceiling


def test_the_scale_rounds_up_to_one_two_or_five_times_a_power_of_ten():
    assert [nice_ceiling(v) for v in (0, 3, 7, 12, 40, 180, 1934)] == [1, 5, 10, 20, 50, 200, 2000]


def test_a_bar_chart_is_an_image_with_its_title_description_axes_and_a_legend():
    svg = bar_chart(
        title="Give & take",
        desc="Gave and got by month",
        labels=["Jan", "Feb"],
        series=[Series("gave", [3, 0]), Series("got", [1, None])],
        x_label="month",
        y_label="entries",
    )
    assert svg.startswith('<svg class="chart chart-bars"') and 'role="img"' in svg
    assert ">Give &amp; take</title>" in svg and ">Gave and got by month</desc>" in svg
    assert ">month</text>" in svg and ">entries</text>" in svg
    assert svg.count("<rect ") == 3  # no bar for a value that is not there
    assert "<title>Jan, gave: 3</title>" in svg
    assert '<ul class="chart-legend"' in svg and "swatch series-1" in svg


def test_stacked_bars_reach_the_sum_and_lying_bars_escape_their_names():
    svg = lying_bar_chart(
        title="t", desc="d", labels=["<script>"], series=[Series("a", [30]), Series("b", [20])], x_label="people"
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert ">50</text>" in svg  # the scale reaches the stack's total


def test_a_line_chart_has_a_dot_per_value_and_one_series_needs_no_legend():
    svg = line_chart(
        title="t", desc="d", labels=["a", "b", "c"], series=[Series("people", [1, 2, 3])], x_label="x", y_label="y"
    )
    assert svg.count("<circle ") == 3 and "<polyline" in svg
    assert "chart-legend" not in svg
