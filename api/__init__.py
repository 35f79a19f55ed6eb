"""The JSON API ``/api/v1`` (issue 6): public reads, token-authenticated writes, OpenAPI document.

- ``api.models``: per-user API tokens (only a SHA-256 of each secret is stored);
- ``api.tokens``: create, revoke and authenticate tokens (services, no Flask);
- ``api.spec``: the one OpenAPI declaration, and the request checks derived from it;
- ``api.problems``: errors as ``application/problem+json`` (RFC 9457);
- ``api.views``: the blueprint ``bp`` (``/api/v1``); ``api.token_views``: the ``/account/tokens`` page.
"""
