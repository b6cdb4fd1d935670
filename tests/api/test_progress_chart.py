# ruff: noqa: F811 - the fixtures imported from test_progress are named again as test arguments
"""GET /api/sessions/{id}/progress/chart.svg: the progress picture, an SVG made on the server."""

from .api_helpers import assert_error
from .test_progress import first_line, hears, play, progress, say, session  # noqa: F401 - fixtures too


def test_the_progress_picture_is_an_svg_with_the_missed_words(api, session, play, hears):
    hears("i will not go to the party")
    say(api, session, first_line(play))
    url = progress(api, session)["chart_url"]
    response = api.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and "Lines learnt, scene by scene" in svg and "Minutes practised" in svg
    assert "whatever, my, father, says" in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_the_progress_of_an_unknown_rehearsal_is_a_404(api):
    assert_error(api.get("/api/sessions/00000000-0000-0000-0000-000000000000/progress/chart.svg"), 404)
