"""The library's errors: each one line a user can act on, all under :class:`UnresError`.

The command line (and the web server) catch ``UnresError`` and print its message as it is;
anything else is a bug. Modules define their own precise subclasses (``ParseError``,
``QueryError``, ``CatalogError``…); the two about the index folder as a whole live here,
because readers and writers both raise them.
"""


class UnresError(Exception):
    """An error whose message, one line, says what went wrong and how to fix it."""


class IndexNotFound(UnresError, LookupError):
    """There is no index in the folder given."""


class IndexLocked(UnresError, RuntimeError):
    """Another process is writing to the index."""


class IndexOfAnotherVersion(UnresError):
    """The folder holds an index written by another version of unres, with another layout."""


class NotInIndex(UnresError, LookupError):
    """A resolution asked for by number is not in the index."""
