"""A family's admin as a parent finds it after an evening's use: the sample play with a
rehearsal, a few of its clips made, a generation under way and a script deleted last week."""

from django.contrib.auth.models import User
from django.utils import timezone

from scripts_app.services import script_create, script_soft_delete
from sessions_app.services import session_create
from sessions_app.signin import pin_set
from tts_app.clips import clips_make
from tts_app.models import GenerationJob
from tts_app.selectors import line_spec_for, spoken_lines

PARENT, PASSWORD = "parent", "a long parent password"
DELETED = "# The Doctors\n\n## Scene 1\n\n**NORA:** (happily) Good evening.\n\n**RANK:** Goodbye, Nora.\n"


def family_seed(sample_text: str):
    """(script, rehearsal, deleted script): the rehearsal is Sam's, as MAREN, with three clips made."""
    User.objects.create_superuser(PARENT, "parent@example.com", PASSWORD)
    pin_set(pin="24681357")
    script = script_create(source=sample_text)
    session = session_create(script=script, user_role="maren", name="Sam")
    lines = list(spoken_lines(script, "maren"))[:3]
    specs = [(line_spec_for(e, engine=session.tts_engine, voice_assignments=session.voice_assignments), e["id"])
             for e in lines]
    clips_make(specs, script_id=script.pk)
    GenerationJob.objects.create(script=script, session_id=session.pk, engine=session.tts_engine,
                                 user_role="maren", voice_assignments=session.voice_assignments,
                                 fingerprint="0" * 64, state=GenerationJob.State.RUNNING, total=40, made=12,
                                 started_at=timezone.now())
    deleted = script_create(source=DELETED)
    script_soft_delete(script=deleted)
    return script, session, deleted


def admin_signed_in(page, url: str):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", PARENT)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(url + "/admin/")
