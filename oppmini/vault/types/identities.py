"""Identities for forms: names, address, contact and document numbers (those are secrets)."""

FIELDS = {
    "title": 32,
    "first_name": 255,
    "middle_name": 255,
    "last_name": 255,
    "company": 255,
    "address1": 255,
    "address2": 255,
    "address3": 255,
    "city": 255,
    "state": 255,
    "postcode": 32,
    "country": 255,
    "phone": 64,
    "email": 255,
    "ssn": 64,
    "passport_number": 64,
    "license_number": 64,
}
SECRETS = ("ssn", "passport_number", "license_number")
_PHONE_CHARACTERS = set("0123456789 +-()./")


def check(values):
    """The identity's fields, trimmed; 400 words for an email or a phone that cannot be one."""
    typed = {name: value.strip() for name, value in values.items()}
    email = typed["email"]
    if email:
        local, at, domain = email.rpartition("@")
        if not at or not local or "." not in domain or any(c.isspace() for c in email):
            raise ValueError("field 'email' must be an address such as name@example.org")
    phone = typed["phone"]
    if phone and (not set(phone) <= _PHONE_CHARACTERS or not any(c.isdigit() for c in phone)):
        raise ValueError("field 'phone' may hold only digits, spaces and + - ( ) . /")
    return typed, []
