"""The short play and MAYA's rehearsal the practice endpoints' tests share (conftest.py makes
`party` and `party_session` fixtures of them)."""

from scripts_app.services import script_create

PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight.

**DAD:** Then you can help me paint the fence.

**MAYA:** Fine. But I am choosing the colour.
"""


def party(db):
    return script_create(source=PLAY)


def party_session(api, party):
    return api.post("/api/sessions", {"script_id": party.pk, "user_role": "maya"}, format="json").json()


def ids(play):
    return [e["id"] for e in play.scenes[0]["elements"]]


def grade(api, session, line_id, body):
    return api.post(f"/api/sessions/{session['id']}/practice/{line_id}", body, format="json")
