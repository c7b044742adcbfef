"""Handlers of /v1/invitations: the caller's pending invitations to collections (extensions.md section 3)."""

from ...contract import errors
from ...contract.errors import bad_request
from ...contract.payload import list_field
from ...sharing import events, invitations
from ...vault.rows import as_id, cap_rows
from . import SUCCESS


def list_invitations(call):
    """GET: the caller's pending invitations (token only: nothing is opened)."""
    return {**SUCCESS, "invitations": invitations.mine(call)}


def answer_invitations(call):
    """POST {"accept": [ids], "decline": [ids]}: each of the caller's invitations accepted (a membership) or
    declined (gone); all or none, 404 naming an id that is not theirs."""
    payload = call.payload()
    if not set(payload) & {"accept", "decline"}:
        raise bad_request(errors.BAD_REQUEST, "Send 'accept', 'decline' or both: lists of invitation ids.")
    accept = list_field(payload, "accept", required=False) or []
    decline = list_field(payload, "decline", required=False) or []
    cap_rows(call, "accept", accept + decline)
    answered = set()
    for sent, accepting in [(value, True) for value in accept] + [(value, False) for value in decline]:
        invitation_id = as_id(sent)
        if invitation_id is None:
            raise invitations.not_found(sent)
        if invitation_id in answered:
            raise bad_request(errors.BAD_REQUEST, f"Invitation {invitation_id} is named twice.")
        answered.add(invitation_id)
        invitations.answer(call, invitation_id, accepting)
    events.notes(call).write()
    return {**SUCCESS, "invitations": invitations.mine(call)}
