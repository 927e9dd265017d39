"""First-start and every-start preparation of a server's data directory.

``prepare`` creates the directory, opens (creating and migrating) the
store, creates or reuses the self-signed certificate, loads the licence and,
when no user exists yet, creates the administrator ``admin`` with the
password from ``NABAT_ADMIN_PASSWORD`` or a generated one (returned so the
caller can print it once; it is never logged).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nabat.system.licence import Licence, load_licence
from nabat.system.protocol import Rights, User
from nabat.system.store import Store
from nabat.system.tls import CertificatePaths, ensure_server_certificate

ADMIN_LOGIN = "admin"
ADMIN_PASSWORD_ENV = "NABAT_ADMIN_PASSWORD"


@dataclass(slots=True)
class Prepared:
    store: Store
    certificate: CertificatePaths
    licence: Licence
    admin_created: bool = False
    generated_password: str | None = field(default=None, repr=False)


def prepare(
    data_dir: Path,
    *,
    host: str | None,
    licence_path: Path | None,
    environ: Mapping[str, str] | None = None,
) -> Prepared:
    env = os.environ if environ is None else environ
    licence = load_licence(licence_path, environ=env)
    data_dir.mkdir(parents=True, exist_ok=True)
    certificate = ensure_server_certificate(data_dir, host)
    store = Store.open(data_dir)
    prepared = Prepared(store, certificate, licence)
    try:
        if store.users.count() == 0:
            password = env.get(ADMIN_PASSWORD_ENV) or None
            if password is None:
                password = prepared.generated_password = secrets.token_urlsafe(12)
            store.users.add(User(login=ADMIN_LOGIN, password=password,
                                 rights=Rights.ADMINISTRATOR, name="Administrator"))  # fmt: skip
            prepared.admin_created = True
    except BaseException:
        store.close()
        raise
    return prepared
