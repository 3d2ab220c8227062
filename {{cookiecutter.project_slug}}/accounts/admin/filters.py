"""The admin's yes/no filters, written so that both ORMs can run them."""

from django.contrib import admin


class BooleanFilter(admin.BooleanFieldListFilter):
    """Django's "Yes / No" filter of a boolean field, querying ``field__in=[value]``.

    For ``?email_verified__exact=1`` Django filters ``email_verified=True``, which Django 3.1
    writes as a bare ``WHERE "email_verified"``: djongo 1.3.7 cannot translate that SQL, and the
    changelist answered 500. ``__in`` it can; django-mongodb-backend answers both the same.
    """

    def queryset(self, request, queryset):
        value = self.used_parameters.get(self.lookup_kwarg)
        if isinstance(value, list | tuple):  # Django 5 keeps every value given; the last wins
            value = value[-1] if value else None
        if value is None:
            return super().queryset(request, queryset)
        wanted = str(value).lower() in ("1", "true", "yes")
        return queryset.filter(**{f"{self.field_path}__in": [wanted]})
