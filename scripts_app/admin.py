from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from runthru_site.errors import UserError

from .models import Script
from .parsing import UNTITLED
from .services import (
    clean_aliases,
    script_delete,
    script_from_upload,
    script_restore,
    script_soft_delete,
    script_validate,
    title_from_filename,
)


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


UNDO_NOTE = (f"A deleted script can be brought back for {settings.RUNTHRU_UNDO_DAYS} days: "
             "choose \"Deleted\" on the right, tick it, and pick \"Bring back\".")


class ScriptAdminForm(forms.ModelForm):
    upload = forms.FileField(
        required=False, help_text="Or upload a .md, .txt or .fountain file instead of pasting the text."
    )
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
        if upload:
            try:
                data["markdown_source"], detected = script_from_upload(upload)
            except UserError as exc:
                raise ValidationError(exc.message) from None
            if (data.get("format") or "auto") == "auto":
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
    list_display = ["title", "character_count", "line_count", "warning_count", "updated_at", "deleted_at"]
    list_filter = [DeletedFilter]
    search_fields = ["title"]
    readonly_fields = ["structure", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "format", "upload", "markdown_source", "same_person"]}),
        ("What RunThru understood", {"fields": ["structure", "created_at", "updated_at"]}),
    ]
    actions = ["delete_with_audio", "restore", "delete_for_good"]

    @admin.display(description="Characters")
    def character_count(self, obj: Script) -> int:
        return len(obj.characters)

    @admin.display(description="Lines")
    def line_count(self, obj: Script) -> int:
        return obj.line_count

    @admin.display(description="Worth checking")
    def warning_count(self, obj: Script) -> int:
        return len(obj.warnings_for_parents)

    @admin.display(description="Scenes, characters and warnings")
    def structure(self, obj: Script) -> str:
        if not obj.pk:
            return "Saved scripts show their scenes and characters here."
        return render_to_string("admin/scripts_app/structure.html", {"script": obj})

    def delete_model(self, request, obj):
        script_soft_delete(script=obj)
        self.message_user(request, f"{UNDO_NOTE}")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            script_soft_delete(script=obj)

    @admin.action(description="Delete selected scripts (they can be brought back for a while)")
    def delete_with_audio(self, request, queryset):
        count = queryset.count()
        self.delete_queryset(request, queryset)
        self.message_user(request, f"Deleted {count} script(s). {UNDO_NOTE}")

    @admin.action(description="Bring back the selected deleted scripts")
    def restore(self, request, queryset):
        for obj in queryset:
            script_restore(script=obj)
        self.message_user(request, f"Brought back {queryset.count()} script(s), with their rehearsals and audio.")

    @admin.action(description="Delete the selected scripts for good, with their audio (cannot be undone)")
    def delete_for_good(self, request, queryset):
        count = queryset.count()
        for obj in queryset:
            script_delete(script=obj)
        self.message_user(request, f"Deleted {count} script(s) and their audio for good.")
