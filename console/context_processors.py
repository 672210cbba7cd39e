from django.utils.functional import SimpleLazyObject

from console.roles import role_of


def console(request):
    def edition():
        from storage.edition import effective_edition

        return effective_edition()

    return {
        "edition": SimpleLazyObject(edition),
        "role": SimpleLazyObject(lambda: role_of(request.user) or ""),
    }
