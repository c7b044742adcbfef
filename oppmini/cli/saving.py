"""Files that opp writes from an answer as it arrives: an export, an attachment.

Such a file holds secrets in the clear and can be hundreds of MiB, so it is
neither held in memory nor left half written. Its bytes go to a temporary
file beside it, readable by the owner only, which takes the file's name once
the answer came whole: a refused request, a dropped connection or a full disk
leave nothing behind, and a file already there as it was.
"""

import os
import tempfile

from .errors import UsageError


class SavedFile:
    """Use `with SavedFile(path) as saved:` and hand `saved.open` to Client.save, which calls it with
    the name the answer offers once the answer begins; `path` None takes that name. With `exclusive`
    an existing file is never replaced."""

    def __init__(self, path, exclusive=False, fallback="download"):
        self.given, self.exclusive, self.fallback = path, exclusive, fallback
        self.path = self._temporary = self._file = None

    def open(self, offered):
        self.path = self.given or os.path.basename(offered) or self.fallback
        if self.exclusive and os.path.lexists(self.path):
            raise _exists(self.path)
        folder = os.path.dirname(self.path) or "."
        try:
            handle, self._temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(self.path)}.")
        except OSError as error:
            raise UsageError(f"cannot write {self.path}: {error.strerror}") from None
        self._file = os.fdopen(handle, "wb")
        return self._file

    def __enter__(self):
        return self

    def __exit__(self, failure, *_):
        if self._file is None:
            return
        try:
            self._file.close()
            if failure is None:
                self._take_name()
        finally:
            if os.path.lexists(self._temporary):
                os.unlink(self._temporary)

    def _take_name(self):
        try:
            if self.exclusive:
                os.link(self._temporary, self.path)  # fails, rather than replace, should one have appeared
            else:
                os.replace(self._temporary, self.path)
        except FileExistsError:
            raise _exists(self.path) from None
        except OSError as error:
            raise UsageError(f"cannot write {self.path}: {error.strerror}") from None


def _exists(path):
    return UsageError(f"{path} exists; give another name with -o FILE")
