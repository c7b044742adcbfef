"""Writers of the caller's vault as an export file (extensions.md §2): one module per format.

Each module offers `write(categories, items) -> bytes`, from fetchall's
shapes (categories in id order, items in id order with `category_id`), and
its file's EXTENSION and MEDIA_TYPE. An export is NOT encrypted: every
password is in it in the clear.
"""

from . import bitwarden_csv, bitwarden_json, native

WRITERS = {native.FORMAT: native, bitwarden_json.FORMAT: bitwarden_json, bitwarden_csv.FORMAT: bitwarden_csv}
NAMES = tuple(WRITERS)
DEFAULT = native.FORMAT
