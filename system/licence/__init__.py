"""The licence file that stands in for the HASP dongle (spec-ruling 13).

``load_licence(path)`` gives a ``Licence``; ``Licence.hasp_info()`` is the
LOGIN reply's HASP line and ``Licence.check_start(...)`` raises
``StartRefused`` (ERR_NOHASP, ERR_NOHASPFORSTART, ERR_NOGSM). See
docs/licence.md.
"""

from nabat.system.licence.fileformat import (
    FORMAT_VERSION,
    LicenceFileError,
    load_licence,
    parse_licence,
)
from nabat.system.licence.model import Licence, StartRefused
from nabat.system.licence.signing import KEY_ENV, LicenceError, key_from_env, sign

__all__ = [
    "FORMAT_VERSION",
    "KEY_ENV",
    "Licence",
    "LicenceError",
    "LicenceFileError",
    "StartRefused",
    "key_from_env",
    "load_licence",
    "parse_licence",
    "sign",
]
