"""Connections of kind "local": objects kept as files in a folder on the console's server.

`gateway` serves the OssGateway interface; `layout` maps keys to paths; `files` writes and reads them
(atomically, with a metadata sidecar); `listing` walks them in key order; `multipart` keeps uploads in
progress; `signing` signs the console URLs that `views` serve to browsers and services.
"""
