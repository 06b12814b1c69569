"""Where things are in an index folder, and how they are written so no reader sees half.

Layout of an index folder::

    DIR/whoosh/      the Whoosh index, the index of record (:mod:`search.index`)
    DIR/accel/       the search accelerator derived from it (:mod:`search.catalog`)
    DIR/write.lock   held by the indexing run (:func:`search.index.exclusive`)

Files and folders are written beside their final name, flushed, and renamed into place
(:func:`write_file`, :func:`write_directory`); a run killed half-way leaves hidden
``.NAME.tmp-…`` or ``.NAME.old-…`` entries, which :func:`remove_leftovers` deletes. This
module imports nothing heavy: searching reads the layout without importing Whoosh.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import IndexNotFound

WHOOSH_DIR = "whoosh"
ACCEL_DIR = "accel"
LOCK_FILE = "write.lock"
DEFAULT_INDEX_ENV = "UNRES_INDEX"
INDEX_NAME = "MAIN"
_TOC_RE = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")
_LEFTOVER_RE = re.compile(r"^\..+\.(tmp|old)-")


@dataclass(frozen=True)
class IndexPaths:
    root: Path

    @property
    def whoosh(self) -> Path:
        return self.root / WHOOSH_DIR

    @property
    def accel(self) -> Path:
        return self.root / ACCEL_DIR

    @property
    def lock(self) -> Path:
        return self.root / LOCK_FILE

    def generation(self) -> int:
        """The Whoosh generation on disk, read from the TOC file names (no whoosh import)."""
        try:
            names = os.listdir(self.whoosh)
        except FileNotFoundError:
            return -1
        found = [int(m.group(1)) for m in map(_TOC_RE.match, names) if m]
        return max(found, default=-1)

    def exists(self) -> bool:
        return self.generation() >= 0


def whoosh_storage(paths: IndexPaths):
    """Whoosh's file storage without memory maps: reading every stored field through maps
    made the mapped files count as resident memory (350 MB for 100,000 paragraphs)."""
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(paths.whoosh), supports_mmap=False)


def open_whoosh(paths: IndexPaths):
    """The Whoosh index at ``paths`` (for reading, or for a writer); IndexNotFound if there
    is none."""
    if not paths.exists():
        raise IndexNotFound(f"no index in {paths.root} (run 'unres index' first)")
    return whoosh_storage(paths).open_index(INDEX_NAME)


def default_index_dir() -> Path:
    """$UNRES_INDEX, else the user's data folder ($XDG_DATA_HOME/unres/index)."""
    configured = os.environ.get(DEFAULT_INDEX_ENV)
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "unres" / "index"


def _temporary(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def write_file(path: Path, fill: Callable) -> None:
    """Write ``path`` atomically: ``fill(stream)`` writes a temporary file beside it, which
    is flushed to disk and renamed over ``path``."""
    tmp = _temporary(path, "tmp")
    try:
        with open(tmp, "wb") as stream:
            fill(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_directory(directory: Path, fill: Callable[[Path], None]) -> None:
    """Write ``directory`` atomically: ``fill(tmp)`` fills a fresh folder beside it, which
    is then renamed into place.

    POSIX cannot rename a folder over a non-empty one, so an existing ``directory`` is first
    renamed aside and deleted after the swap: for that instant the path is missing. Readers
    that opened files of the old folder keep them.
    """
    tmp = _temporary(directory, "tmp")
    tmp.mkdir(parents=True)
    try:
        fill(tmp)
        if directory.exists():
            old = _temporary(directory, "old")
            os.replace(directory, old)
            os.replace(tmp, directory)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_leftovers(*folders: Path) -> None:
    """Delete the temporary files and folders a killed writer left in ``folders``."""
    for folder in folders:
        for name in os.listdir(folder) if folder.is_dir() else ():
            if _LEFTOVER_RE.match(name):
                path = folder / name
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
