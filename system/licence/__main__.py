"""``python -m nabat.system.licence``: show a licence file, or print its signature.

python -m nabat.system.licence show FILE   validate FILE and print what it allows
python -m nabat.system.licence sign FILE   print ``signature = "..."`` for FILE,
                                      keyed by NABAT_LICENCE_KEY
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nabat.system.licence.fileformat import load_licence, read_fields
from nabat.system.licence.signing import KEY_ENV, SIGNATURE_FIELD, LicenceError, key_from_env, sign


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nabat.system.licence", description=__doc__)
    parser.add_argument("action", choices=("show", "sign"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.action == "show":
            print(load_licence(args.file).describe())
            return 0
        key = key_from_env()
        if key is None:
            print(f"{KEY_ENV} is not set: nothing to sign with", file=sys.stderr)
            return 2
        print(f'{SIGNATURE_FIELD} = "{sign(read_fields(args.file), key)}"')
        return 0
    except LicenceError as e:
        print(e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
