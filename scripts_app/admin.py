from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from runthru_site.errors import UserError

from .documents import DocumentRejected, read_document
from .models import Script
from .originals import download_name, original_path, original_remove, original_store
from .parsing import UNTITLED
from .services import (
    UPLOAD_ACCEPT,
    UPLOAD_IN_WORDS,
    clean_aliases,
    is_document,
    script_delete,
    script_from_upload,
    script_restore,
    script_soft_delete,
    script_validate,
    title_from_filename,
    upload_format,
)

_CONTENT_TYPES = {"pdf": "application/pdf",
                  "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "odt": "application/vnd.oasis.opendocument.text", "fdx": "application/xml"}


class DeletedFilter(admin.SimpleListFilter):
    """The list shows the library; deleted scripts wait under "Deleted", to be brought back."""

    title = "where"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", "Deleted (can be brought back)")]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=["deleted"]),
               "display": "In the library"}
        yield from list(super().choices(changelist))[1:]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(deleted_at=None)
        return queryset.filter(deleted_at=None)


def when_text(moment, *, day_only: bool = False) -> str:
    """"8 December 2026, 21:30" in the computer's time zone."""
    if moment is None:
        return "Not yet"
    return date_format(timezone.localtime(moment), "j F Y" if day_only else "j F Y, H:i")


def delete_each(model_admin, request, queryset, delete, done: str) -> None:
    """Every app's admin deletes alike: each selected thing through its app's service (so its files and
    undo go with it), then the parent hears how many went (`done` is like "Deleted {count} voice(s).")."""
    count = 0
    for obj in queryset:
        delete(obj)
        count += 1
    model_admin.message_user(request, done.format(count=count))


UNDO_NOTE = (f"A deleted script can be brought back for {settings.RUNTHRU_UNDO_DAYS} days: "
             "choose \"Deleted\" on the right, tick it, and pick \"Bring back\".")


class ScriptAdminForm(forms.ModelForm):
    upload = forms.FileField(
        required=False, help_text=f"Or upload {UPLOAD_IN_WORDS} instead of pasting the text.",
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )
    document = None  # (Extraction, bytes, kind, name) or DocumentRejected, read before the admin's transaction
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty to use the script's own title.")
    same_person = forms.CharField(
        label="One person, two names", required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "DOCTOR RANK = RANK"}),
        help_text="One pair a line: the name on the left is read as the name on the right, so both are one "
                  "character with one voice. To keep two names apart that RunThru joined by itself, write the "
                  "name = the same name.",
    )

    class Meta:
        model = Script
        fields = ["title", "format", "markdown_source"]
        labels = {"format": "Written as", "markdown_source": "The script's text"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["markdown_source"].required = False
        if self.instance.pk:
            self.initial["same_person"] = "\n".join(f"{k} = {v}" for k, v in (self.instance.aliases or {}).items())

    def clean_same_person(self) -> dict:
        pairs = {}
        for number, line in enumerate(self.cleaned_data.get("same_person", "").splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, main = line.partition("=")
            if not sep or not name.strip() or not main.strip():
                raise ValidationError(f"Line {number}: write it like DOCTOR RANK = RANK.")
            pairs[name.strip()] = main.strip()
        return pairs

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        self.original = None
        if upload:
            try:
                if is_document(upload_format(upload.name)):
                    if not isinstance(self.document, tuple):
                        raise self.document or UserError("Upload the file again, please.")
                    found, raw, kind, name = self.document
                    data["markdown_source"], detected = found.markdown, "markdown"
                    self.original = (raw, kind, name)
                else:
                    data["markdown_source"], detected = script_from_upload(upload)
            except UserError as exc:
                raise ValidationError(exc.message) from None
            if (data.get("format") or "auto") == "auto" or self.original:
                data["format"] = detected
        if not data.get("markdown_source"):
            raise ValidationError("Paste the script text or upload a file.")
        try:
            data["aliases"] = clean_aliases(data.get("same_person") or {})
            parsed = script_validate(
                source=data["markdown_source"], fmt=data.get("format") or "auto", aliases=data["aliases"]
            )
        except UserError as exc:
            raise ValidationError(exc.message) from None
        if not data.get("title"):
            data["title"] = parsed["title"]
            if parsed["title"] == UNTITLED and upload:
                data["title"] = title_from_filename(upload.name) or UNTITLED
        self.instance.markdown_source = data["markdown_source"]
        self.instance.aliases = data["aliases"]
        return data


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    form = ScriptAdminForm
    list_display = ["title", "character_total", "line_total", "warning_total", "last_changed"]
    list_filter = [DeletedFilter]
    search_fields = ["title"]
    readonly_fields = ["original", "structure", "added", "last_changed"]
    fieldsets = [
        (None, {"fields": ["title", "format", "upload", "original", "markdown_source", "same_person"]}),
        ("What RunThru understood", {"fields": ["structure", "added", "last_changed"]}),
    ]
    actions = ["delete_with_audio", "restore", "delete_for_good"]

    # -- the PDF or Word file a script was read from -------------------------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Django's admin validates inside a transaction; a document takes seconds to read in a
        # worker process, so it is read here, before that transaction opens.
        request.runthru_document = None
        upload = request.FILES.get("upload") if request.method == "POST" else None
        if upload is not None:
            try:
                kind = upload_format(upload.name)
            except UserError:
                kind = ""  # the form says why
            if is_document(kind):
                raw = upload.read()
                upload.seek(0)
                try:
                    request.runthru_document = (read_document(raw, kind), raw, kind, upload.name)
                except DocumentRejected as exc:
                    request.runthru_document = exc
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.document = getattr(request, "runthru_document", None)  # a new class per request
        return form

    def save_model(self, request, obj, form, change):
        replaced = ""
        if getattr(form, "original", None):
            raw, kind, name = form.original
            replaced = obj.original_file if change else ""
            obj.original_file, obj.original_name = original_store(raw, kind), name.rsplit("/", 1)[-1][:255]
        if change:
            obj.version += 1  # a device still showing the old text is told to reload before it saves
        super().save_model(request, obj, form, change)
        if replaced and replaced != obj.original_file:
            transaction.on_commit(lambda: original_remove(replaced))

    def get_urls(self):
        own = [path("<int:script_id>/original/", self.admin_site.admin_view(self.original_download),
                    name="scripts_app_script_original")]
        return own + super().get_urls()

    def original_download(self, request, script_id: int):
        script = Script.objects.filter(pk=script_id).first()
        if script is None or not self.has_view_permission(request, script):
            raise PermissionDenied if script is not None else Http404
        stored = original_path(script.original_file)
        if stored is None or not stored.exists():
            raise Http404("This script has no original file.")
        kind = script.original_file.rsplit(".", 1)[-1]
        return FileResponse(stored.open("rb"), as_attachment=True, content_type=_CONTENT_TYPES[kind],
                            filename=download_name(script.original_name, script.original_file))

    @admin.display(description="Original file")
    def original(self, obj: Script) -> str:
        if not obj.pk or not obj.original_file:
            return "Typed or uploaded as text."
        url = reverse("admin:scripts_app_script_original", args=[obj.pk])
        return format_html('<a href="{}">Download {}</a>', url, download_name(obj.original_name, obj.original_file))

    def get_queryset(self, request):
        # the list shows counts; a page that needs the text or parsed JSON loads it when read
        return super().get_queryset(request).defer("parsed_json", "markdown_source")

    def changelist_view(self, request, extra_context=None):
        title = "Deleted scripts you can bring back" if request.GET.get("deleted") == "yes" else "Scripts"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return [*shown, "deleted_when"] if request.GET.get("deleted") == "yes" else shown

    @admin.display(description="Added", ordering="created_at")
    def added(self, obj: Script) -> str:
        return when_text(obj.created_at)

    @admin.display(description="Last changed", ordering="updated_at")
    def last_changed(self, obj: Script) -> str:
        return when_text(obj.updated_at)

    @admin.display(description="Deleted", ordering="deleted_at")
    def deleted_when(self, obj: Script) -> str:
        if obj.deleted_at is None:
            return "No"
        until = obj.deleted_at + timedelta(days=settings.RUNTHRU_UNDO_DAYS)
        day = when_text(obj.deleted_at, day_only=True)
        return f"{day}; can be brought back until {when_text(until, day_only=True)}"

    @admin.display(description="Characters", ordering="character_count")
    def character_total(self, obj: Script) -> int:
        return obj.character_count

    @admin.display(description="Lines", ordering="line_count")
    def line_total(self, obj: Script) -> int:
        return obj.line_count

    @admin.display(description="Worth checking", ordering="warning_count")
    def warning_total(self, obj: Script) -> int:
        return obj.warning_count

    @admin.display(description="Scenes, characters and warnings")
    def structure(self, obj: Script) -> str:
        if not obj.pk:
            return "Saved scripts show their scenes and characters here."
        return render_to_string("admin/scripts_app/structure.html", {"script": obj})

    def get_deleted_objects(self, objs, request):
        # Deleting a script here hides it, with everything of it, until it is brought back or its time is up.
        shown = [f"{script}, with its rehearsals and audio: you can bring it back for "
                 f"{settings.RUNTHRU_UNDO_DAYS} days" for script in objs]
        return shown, {"scripts": len(shown)}, set(), []

    def delete_model(self, request, obj):
        script_soft_delete(script=obj)
        self.message_user(request, f"{UNDO_NOTE}")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            script_soft_delete(script=obj)

    def get_actions(self, request):
        # One delete a view: the library's can be undone; only what is already deleted can go for good.
        actions = super().get_actions(request)
        hidden = ["delete_with_audio"] if request.GET.get("deleted") == "yes" else ["restore", "delete_for_good"]
        return {name: action for name, action in actions.items() if name not in hidden}

    @admin.action(description=f"Delete the selected scripts, with their rehearsals and audio "
                              f"(you can bring them back for {settings.RUNTHRU_UNDO_DAYS} days)")
    def delete_with_audio(self, request, queryset):
        count = queryset.count()
        self.delete_queryset(request, queryset)
        self.message_user(request, f"Deleted {count} script(s). {UNDO_NOTE}")

    @admin.action(description="Bring back the selected scripts, with their rehearsals and audio")
    def restore(self, request, queryset):
        for obj in queryset:
            script_restore(script=obj)
        self.message_user(request, f"Brought back {queryset.count()} script(s), with their rehearsals and audio.")

    @admin.action(description="Delete the selected scripts for good, with their rehearsals and audio "
                              "(this cannot be undone)")
    def delete_for_good(self, request, queryset):
        delete_each(self, request, queryset, lambda s: script_delete(script=s),
                    "Deleted {count} script(s) and their audio for good.")
