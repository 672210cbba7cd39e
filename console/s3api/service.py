"""S3 operations on the service: ListBuckets (see console.s3api.dispatch.OPERATIONS).

A bucket is a connection the key may reach; its CreationDate is when the connection was made in the console.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse

from console.s3api.call import Call
from console.s3api.xmlout import xml_response
from storage.models import Connection


def owner_of(call: Call) -> dict[str, str]:
    """S3's Owner element: a stable 64-hex ID (as S3's canonical user IDs) and a name a person knows."""
    key = call.signed.key
    person = getattr(key, "owner", None)
    who = f"user:{person.pk}" if person else f"key:{key.access_key_id}"
    name = person.get_username() if person else key.name
    return {"ID": hashlib.sha256(who.encode()).hexdigest(), "DisplayName": name}


def list_buckets(call: Call) -> HttpResponse:
    """Every bucket the key may reach, in one answer (a key reaches few: max-buckets and tokens are not
    needed); `prefix` narrows them, as S3's does."""
    prefix = call.query.get("prefix", "")
    names = [name for name in call.principal.buckets() if name.startswith(prefix)]
    created = dict(Connection.objects.filter(name__in=names).values_list("name", "created_at"))
    buckets = [{"Name": name, "CreationDate": created.get(name)} for name in names]
    return xml_response("ListAllMyBucketsResult", {"Owner": owner_of(call), "Buckets": {"Bucket": buckets},
                                                   "Prefix": prefix or None})
