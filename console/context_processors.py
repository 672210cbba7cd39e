from django.utils.functional import SimpleLazyObject

from console.access import rules


def console(request):
    def edition():
        from storage.edition import effective_edition

        return effective_edition()

    return {
        "edition": SimpleLazyObject(edition),
        # The strongest role the person holds anywhere: what the navigation offers them.
        "role": SimpleLazyObject(lambda: rules.strongest(request.user) or ""),
    }
