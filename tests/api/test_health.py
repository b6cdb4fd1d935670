"""GET /api/health."""

from .api_helpers import make_client


def test_without_a_sign_in_it_says_only_what_a_load_balancer_needs(db):
    response = make_client().get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}  # no version or engine set-up for strangers


def test_signed_in_it_reports_the_details(api):
    response = api.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["version"]
    assert isinstance(body["queue_depth"], int)


def test_it_lists_every_engine_with_its_availability(api):
    engines = {e["name"]: e for e in api.get("/api/health").json()["engines"]}
    assert set(engines) >= {"natural", "espeak", "chatterbox", "indextts2"}
    assert engines["espeak"]["available"] is True
    assert engines["natural"]["available"] is True and engines["natural"]["device"] == "cpu"
    for engine in engines.values():
        assert isinstance(engine["available"], bool)
        assert engine["available"] or engine["reason"]


def test_a_nearly_full_disk_makes_it_degraded(api, settings):
    settings.RUNTHRU_MIN_FREE_DISK_BYTES = 1 << 62  # more than any disk has free
    response = api.get("/api/health")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded" and response.json()["disk"] == "nearly full"
    assert make_client().get("/api/health").json() == {"status": "degraded"}
