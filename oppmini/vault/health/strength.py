"""The weak check: zxcvbn's score (0-4) of a password, with the item's own words as its user inputs."""

from urllib.parse import urlsplit

# Scores 0-2 are guessable within about 10^8 guesses (zxcvbn's scale): an
# offline attack on a leaked hash gets through that in seconds.
WEAK_BELOW = 3
# zxcvbn's cost grows with the length; past this many characters a password is
# judged by its start, which already scores 4 for anything not made of patterns.
# zxcvbn itself refuses more than 72 unless told its limit.
MEASURED_LENGTH = 100


def item_words(item):
    """The item's name, username, account and site host: what a person is likely to build a password from."""
    words = [item["name"], item["username"], item["account"]]
    host = urlsplit(item["url"].strip()).hostname if "//" in item["url"] else item["url"].strip()
    if host:
        words.append(host)
        words.extend(part for part in host.split(".") if len(part) > 2)
    return [word for word in words if word.strip()]


def weakness(password, words):
    """{"score", "warning", "suggestions"} when `password` scores under WEAK_BELOW; None when it is strong enough."""
    # Imported at the first estimate, not at start: its word lists hold 12 MiB of every serving
    # process's memory, and most processes never make a health report.
    from zxcvbn import zxcvbn

    measured = zxcvbn(password[:MEASURED_LENGTH], user_inputs=words, max_length=MEASURED_LENGTH)
    if measured["score"] >= WEAK_BELOW:
        return None
    feedback = measured["feedback"]
    return {"score": measured["score"], "warning": feedback["warning"], "suggestions": list(feedback["suggestions"])}


def is_finding(value):
    """Whether `value` has the shape weakness gives for a weak password (a kept one is checked before use)."""
    return (
        isinstance(value, dict)
        and set(value) == {"score", "warning", "suggestions"}
        and type(value["score"]) is int
        and 0 <= value["score"] < WEAK_BELOW
        and isinstance(value["warning"], str)
        and isinstance(value["suggestions"], list)
        and all(isinstance(suggestion, str) for suggestion in value["suggestions"])
    )
