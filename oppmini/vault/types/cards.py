"""Payment cards: holder, brand, number, expiry and security code; the number is checked with Luhn."""

FIELDS = {"cardholder": 255, "brand": 64, "number": 32, "exp_month": 2, "exp_year": 4, "code": 4}
SECRETS = ("number", "code")
NUMBERS = ("exp_month", "exp_year")  # a client may send these as JSON integers
MIN_DIGITS, MAX_DIGITS = 8, 19  # a card number's length by ISO/IEC 7812
LUHN_WARNING = "the card number fails the Luhn check: look for a mistyped digit"

# Brand by the number's first digits (ISO/IEC 7812 issuer ranges), longest prefix first.
_BRANDS = (
    ("Amex", ("34", "37")),
    ("Diners Club", ("36", "38", "300", "301", "302", "303", "304", "305")),
    ("Discover", ("6011", "65", "644", "645", "646", "647", "648", "649")),
    ("JCB", ("35",)),
    ("Mastercard", ("51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27")),
    ("Maestro", ("50", "56", "57", "58", "6")),
    ("Visa", ("4",)),
)


def check(values):
    """The card's fields normalised (digits only, month 01-12, four-digit year), and its warnings."""
    typed = dict(values)
    warnings = []
    number = "".join(values["number"].split()).replace("-", "")
    if number:
        if not number.isascii() or not number.isdigit() or not MIN_DIGITS <= len(number) <= MAX_DIGITS:
            raise ValueError(f"field 'number' must be {MIN_DIGITS} to {MAX_DIGITS} digits (spaces and dashes aside)")
        if not luhn_valid(number):
            warnings.append(LUHN_WARNING)
    typed["number"] = number
    typed["exp_month"] = _month(values["exp_month"].strip())
    typed["exp_year"] = _year(values["exp_year"].strip())
    code = values["code"].strip()
    if code and not (code.isascii() and code.isdigit() and 3 <= len(code) <= 4):
        raise ValueError("field 'code' must be 3 or 4 digits")
    typed["code"] = code
    typed["brand"] = values["brand"].strip() or brand_of(number)
    return typed, warnings


def luhn_valid(number):
    """Whether a string of digits passes the Luhn checksum (ISO/IEC 7812-1)."""
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def brand_of(number):
    """The brand a card number's issuer range says, or "" when none is known."""
    for brand, prefixes in _BRANDS:
        if number.startswith(prefixes):
            return brand
    return ""


def _month(text):
    if not text:
        return ""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 12):
        raise ValueError("field 'exp_month' must be a month, 1 to 12")
    return f"{int(text):02d}"


def _year(text):
    if not text:
        return ""
    if not (text.isascii() and text.isdigit() and len(text) in (2, 4)):
        raise ValueError("field 'exp_year' must be a year of four digits (or two)")
    return text if len(text) == 4 else f"20{text}"
