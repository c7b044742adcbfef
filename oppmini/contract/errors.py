"""The API's error family and the exact strings the OpenPassPhrase v1 contract fixes."""

# Authentication (api-v1.md > Authentication errors).
AUTH_REQUIRED = "Authorization Required"
NO_TOKEN = "Request does not contain an access token"
INVALID_JWT_HEADER = "Invalid JWT header"
TOKEN_SPACES = "Token contains spaces"
INVALID_TOKEN = "Invalid token"
TOKEN_EXPIRED = "Signature has expired"
INVALID_JWT = "Invalid JWT"
NO_SUCH_TOKEN_USER = "User does not exist"
TOO_MANY_ATTEMPTS = "Too many attempts"
TOKEN_REVOKED = "Token has been revoked"

# Request shape (api-v1.md > Order of checks).
BAD_REQUEST = "Bad Request"
MISSING_CONTENT_TYPE = "Missing Content-Type"
INVALID_CONTENT_TYPE = "Invalid Content-Type"
PHRASE_MISSING = "Passphrase header missing!"
PHRASE_INCORRECT = "Incorrect passphrase supplied!"
MISSING_PAYLOAD = "Missing payload!"
INVALID_CREDENTIALS = "Invalid credentials"

# Accounts (api-v1.md > /v1/user).
SIGNUP_DISABLED = "User registration is disabled"
PHRASE_TOO_SHORT = "Passphrase must be at least 6 characters long!"
USER_EXISTS = "User already exists!"
PASSWORD_INCORRECT = "Incorrect password supplied!"
NOTHING_TO_UPDATE = "at least one of: [--new_username, --new_password] is required!"
# Extension (sharing): deleting a user who shares collections re-seals them, which takes their passphrase.
PHRASE_NEEDED_TO_LEAVE = "Passphrase needed to leave shared collections!"
# Extension: one rule for names on every backend (MariaDB refused a longer one with a 500).
INVALID_USERNAME = "Invalid username!"
USERNAME_TOO_LONG = "is longer than {limit} characters"
USERNAME_CONTROL = "contains a control character"
USERNAME_NOT_TEXT = "is not valid Unicode text"
USERNAME_INVISIBLE = "contains {code_point}, an invisible or direction-changing character"

# Two-factor login (extensions.md §4).
TWO_FACTOR_REQUIRED = "Two-factor code required"
TWO_FACTOR_INVALID = "Invalid two-factor code"
TWO_FACTOR_ALREADY_ON = "Two-factor login is already on"
TWO_FACTOR_NOT_STARTED = "Two-factor login is not being set up: PUT /v1/2fa first"
TWO_FACTOR_OFF = "Two-factor login is off"

# Security keys and passkeys (extensions.md §4): the second factor through WebAuthn.
WEBAUTHN_UNAVAILABLE = "Security keys unavailable"
WEBAUTHN_UNAVAILABLE_DETAIL = (
    "This server has no public_url set: security keys and passkeys need the address people open the page at."
)
WEBAUTHN_REGISTRATION_FAILED = "Security key not registered"
WEBAUTHN_REGISTRATION_DETAIL = (
    "The key's answer is not one to the registration this session asked for (asked again, timed out, "
    "or for another address); ask again with PUT /v1/webauthn."
)
WEBAUTHN_ALREADY_REGISTERED = "This security key is already registered."

# Categories (api-v1.md > /v1/categories).
EMPTY_CATEGORY_NAME = "Empty category name in list!"
INVALID_CATEGORY_NAME = "Invalid category name in list!"
MISSING_CATEGORY_ID = "Missing category id in list!"
EMPTY_CATEGORY_ID = "Empty category id in list!"
MISSING_CATEGORY_NAME = "Missing category name in list!"
CATEGORY_UPDATE_FAILED = "Unable to update categories in the database!"
EMPTY_CATEGORY_ID_LIST = "Empty category id list!"
INVALID_CASCADE = "Invalid cascade value!"
INVALID_CATEGORY_SORT = "Invalid category sort_id in list!"  # extension: sort_id in rows

# Items (api-v1.md > /v1/items).
INVALID_ITEM_DATA = "Invalid item data in list!"
ITEM_ADD_FAILED = "Unable to add new items to the database!"
MISSING_ITEM_ID = "Missing item id in list!"
EMPTY_ITEM_ID = "Empty item id in list!"
ITEM_UPDATE_FAILED = "Unable to update items in the database!"
TOO_MANY_ROWS = "Too many rows in request!"  # extension: config max_rows

# Richer items (extensions.md section 1).
NOT_FOUND = "Not Found"
NO_TOTP_SECRET = "Item has no TOTP secret!"
RESTORE_FAILED = "Unable to restore items!"
MISSING_SEARCH_QUERY = "Missing search query!"
# A POST row's if_revision older than the item: 409 CONFLICT, the description
# starting with ITEM_CHANGED and naming the row.
CONFLICT = "Conflict"
ITEM_CHANGED = "Item changed since it was read!"

# Matching logins to a page (browser.md section 1).
INVALID_PAGE_URL = "Invalid page URL!"

# Sharing (extensions.md section 3).
NEEDS_MANAGER = "A collection needs a manager!"
UNKNOWN_USER = "Unknown user!"
NO_KEY_PAIR = "User has not unlocked a vault since sharing was enabled!"
NOT_ALLOWED = "Not allowed in this collection!"
TOO_MANY_COLLECTIONS = "Too many collections!"

# Attachments (extensions.md section 8).
QUOTA_EXCEEDED = "Quota exceeded!"
LENGTH_REQUIRED = "Length Required"

# Password generation (api-v1.md > /v1/items), descriptions in the order checked.
INVALID_GENOPTS = "Invalid password generation options!"
GENOPTS_MIN_LENGTH = "For sanity's sake, minimum word length must be a number in the range between 5 and 15."
GENOPTS_MAX_LENGTH = "For sanity's sake, maximum word length must be a number in the range between 5 and 20."
GENOPTS_MIN_OVER_MAX = "Minimum length cannot be larger than maximum length."
GENOPTS_NUM_CHARS = "For sanity's sake, numChars must be between 8 and 100 characters."
# Extension: the words mode.
GENOPTS_NUM_WORDS = "For sanity's sake, numwords must be between 4 and 20."
WORDLIST_UNAVAILABLE = "Word list unavailable"

# Limits (extension).
PAYLOAD_TOO_LARGE = "Payload Too Large"
WRITESET_TOO_LARGE = (
    "The change is larger than the database cluster replicates in one transaction (its wsrep_max_ws_size); "
    "nothing was saved: send it in smaller parts"
)
PATH_NOT_UTF8 = "The path is not valid UTF-8"
QUERY_NOT_UTF8 = "The query string is not valid UTF-8"

# Imports (extensions.md §2); the description says where reading failed, never a value.
UNKNOWN_IMPORT_FORMAT = "Unknown import format!"
IMPORT_UNREADABLE = "Unable to read the import file!"
IMPORT_ENCRYPTED = "Encrypted exports are not supported!"
UNKNOWN_EXPORT_FORMAT = "Unknown export format!"

# Server side.
DECRYPT_FAILED = "Unable to decrypt data!"
DATABASE_UNAVAILABLE = "Database unavailable"
SCHEMA_NOT_CURRENT = "Database not ready"
SCHEMA_NOT_CURRENT_DETAIL = "Its schema is not the one this server expects; see the server's log"
SERVER_BUSY = "Server busy"
SERVER_BUSY_DETAIL = "Too many passphrase checks at once; try again shortly."
METRICS_TOKEN = "GET /metrics needs the header Authorization: Bearer <metrics_token>"
METRICS_UNAVAILABLE = "Metrics unavailable"
METRICS_ONE_PROCESS = (
    "This WSGI host runs several processes and {variable} names no folder they share, "
    "so this process alone cannot report the server's figures"
)


class ApiError(Exception):
    """An answer to the client: HTTP status, error message and description."""

    def __init__(self, status, error, description="", headers=None, extra=None):
        super().__init__(error)
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers or {}
        self.extra = extra or {}  # keys an extension adds to the body, e.g. the factors a login may use

    def body(self):
        return {
            **self.extra,
            "status_code": self.status,
            "error": self.error,
            "description": self.description,
        }


class ImportRefused(ApiError):
    """An import file the importers will not read: always a 400, one of the three import strings."""

    def __init__(self, error, description):
        super().__init__(400, error, description)


def bad_request(error, description=""):
    return ApiError(400, error, description)


def required_missing(name):
    return bad_request(f"Required payload object '{name}' is missing!")


def not_list(name):
    return bad_request(f"'{name}' object should be in list form!")


def not_single(name):
    return bad_request(f"'{name}' object should not be in list form!")


def input_empty(name):
    return bad_request(f"Input '{name}' parameter is empty!")


def invalid_username(name, fault):
    return bad_request(INVALID_USERNAME, f"'{name}' {fault}.")


def username_taken(username):
    return bad_request(f"Username: '{username}' already exists!")


def invalid_token(why):
    return ApiError(401, INVALID_TOKEN, why)
