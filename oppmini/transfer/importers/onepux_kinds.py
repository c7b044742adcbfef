"""1PUX items beyond logins: which section fields of a card, an identity or a wireless router are whose.

A field named here goes to the item type's own field (card, identity, wifi)
or to the entry itself (a router's password); every other section field
stays a custom field, as a login's do.
"""

from .entry import text

CARD, NOTE, IDENTITY, DOCUMENT, ROUTER = "002", "003", "004", "006", "109"
# 1PUX category: our item type.
TYPES = {CARD: "card", NOTE: "note", IDENTITY: "identity", DOCUMENT: "note", ROUTER: "wifi"}
# Section field id: our typed field.
CARD_FIELDS = {"cardholder": "cardholder", "type": "brand", "ccnum": "number", "cvv": "code"}
IDENTITY_FIELDS = {
    "firstname": "first_name",
    "initial": "middle_name",
    "lastname": "last_name",
    "company": "company",
    "email": "email",
    "defphone": "phone",
    "homephone": "phone",
    "cellphone": "phone",
    "busphone": "phone",
}
ROUTER_FIELDS = {"network_name": "ssid", "name": "ssid", "wireless_security": "security"}
FIELDS = {CARD: CARD_FIELDS, IDENTITY: IDENTITY_FIELDS, ROUTER: ROUTER_FIELDS}
# 1Password's card types (creditCardType) by the brand names items use.
BRANDS = {
    "mc": "Mastercard",
    "visa": "Visa",
    "amex": "Amex",
    "discover": "Discover",
    "diners": "Diners Club",
    "jcb": "JCB",
    "maestro": "Maestro",
    "unionpay": "UnionPay",
}
# A router's wireless_security menu by our wifi security names.
SECURITY = {"none": "none", "wep": "wep", "wpa": "wpa", "wpa2p": "wpa2", "wpa2e": "wpa2", "wpa3p": "wpa3"}
ROUTER_PASSWORDS = ("wireless_password", "password")  # the first that is not empty is the item's password
ADDRESS = {"street": "address1", "city": "city", "state": "state", "zip": "postcode", "country": "country"}


def read_field(entry, category, field_id, kind, content, where):
    """True when the section field was taken into the entry's type; False leaves it a custom field."""
    if not isinstance(field_id, str):
        return False
    if category == ROUTER and field_id in ROUTER_PASSWORDS:
        value = text(content, where, kind)
        if value and not entry.password:
            entry.password = value
        return True
    if category == IDENTITY and kind == "address" and isinstance(content, dict):
        for theirs, ours in ADDRESS.items():
            entry.typed[ours] = entry.typed.get(ours) or text(content.get(theirs), where, theirs)
        return True
    if category == CARD and kind == "monthYear" and field_id == "expiry":
        year_month = text(content, where, kind)
        if len(year_month) == 6 and year_month.isdigit():
            entry.typed["exp_year"], entry.typed["exp_month"] = year_month[:4], year_month[4:]
            return True
        return False
    ours = FIELDS.get(category, {}).get(field_id)
    if ours is None or isinstance(content, dict | list):
        return False
    value = text(content, where, kind)
    if ours == "brand":
        value = BRANDS.get(value, value)
    elif ours == "security":
        value = SECURITY.get(value, "")
    if not entry.typed.get(ours):  # the first phone that is set, a network name before a base station's
        entry.typed[ours] = value
    return True
