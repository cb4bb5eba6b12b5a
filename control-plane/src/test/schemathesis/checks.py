"""Aeon's checks for schemathesis: every refusal is a documented error that says what was wrong."""
import json

import schemathesis


@schemathesis.check
def refusals_are_documented_errors(ctx, response, case):
    """A 4xx is the control plane's {"code","message","field"} (but 414 and 431, the HTTP layer's size limits);
    a 400 names the field it refuses; a 501 is an RPC Aeon does not implement."""
    if response.status_code == 501:
        if b'"UNIMPLEMENTED"' not in response.content:
            raise AssertionError(f"501 that is not UNIMPLEMENTED: {response.content[:200]!r}")
        return None
    if not 400 <= response.status_code < 500:
        return None
    if response.status_code in (414, 431):
        # URI or headers over the HTTP server's limits: refused by Vert.x before any request exists, so no
        # handler (and no JSON body) is involved; the refusal itself is the right answer.
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{response.status_code} without a JSON error body: {response.content[:200]!r}")
    if not isinstance(body, dict) or not body.get("code") or not body.get("message"):
        raise AssertionError(f"{response.status_code} body is not {{code, message, field}}: {body!r}")
    if response.status_code == 400 and not body.get("field"):
        raise AssertionError(f"400 {body.get('code')} names no field: {body.get('message')!r}")
    return None
