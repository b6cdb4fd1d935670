"""GET /api/health."""

from .api_helpers import make_client


def test_it_reports_health_without_a_sign_in(db):
    response = make_client().get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["version"]
    assert isinstance(body["queue_depth"], int)


def test_it_lists_every_engine_with_its_availability(db):
    engines = {e["name"]: e for e in make_client().get("/api/health").json()["engines"]}
    assert set(engines) >= {"natural", "espeak", "chatterbox", "indextts2"}
    assert engines["espeak"]["available"] is True
    assert engines["natural"]["available"] is True and engines["natural"]["device"] == "cpu"
    for engine in engines.values():
        assert isinstance(engine["available"], bool)
        assert engine["available"] or engine["reason"]
