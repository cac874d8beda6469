class ReadOnlyAdminMixin:
    """An admin of records: read (and acted on through actions that need only the view permission), never
    added, changed or deleted in the admin's own forms."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
