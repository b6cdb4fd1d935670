"""What every app's admin does alike when a parent picks things in a list and acts on them."""


def delete_each(model_admin, request, queryset, delete, done: str) -> None:
    """Delete each selected thing through its app's service (so files and undo go with it), then tell
    the parent how many went: `done` is like "Deleted {count} voice(s)."."""
    count = 0
    for obj in queryset:
        delete(obj)
        count += 1
    model_admin.message_user(request, done.format(count=count))
