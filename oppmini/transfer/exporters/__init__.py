"""Writers of the caller's vault as an export file (extensions.md §2): one module per format.

Each module offers `write(categories, items, collections=None) -> bytes`,
from fetchall's shapes (categories in id order, items in id order with
`category_id` and `collection_id`), and its file's EXTENSION and MEDIA_TYPE;
and `changes(categories, items, collections=None) -> [(item, reason)]`, the
items its file would give back other than they are (what every item loses
alike, say sort order in Bitwarden's formats, the README says once).
`collections` ([{"id", "name"}], GET /v1/export?include_collections=true)
names the shared collections whose items are among `items`; without it the
file is the personal vault's alone, as before sharing. An export is NOT
encrypted: every password is in it in the clear.
"""

from . import bitwarden_csv, bitwarden_json, native

WRITERS = {native.FORMAT: native, bitwarden_json.FORMAT: bitwarden_json, bitwarden_csv.FORMAT: bitwarden_csv}
NAMES = tuple(WRITERS)
DEFAULT = native.FORMAT
