"""Web framework integrations: ``workos_authkit.integrations.starlette`` (FastAPI too, extra
``[starlette]``) and ``workos_authkit.integrations.django`` (extra ``[django]``).

Both follow ``@workos/authkit-session``'s conventions (``workos_authkit.integrations.common``), so a
Python backend and a JavaScript front end can share one sealed ``wos-session`` cookie.
"""
