"""The catalogue of deviations the conformance suites must catch.

Each entry is one small change of the kind a vendor could ship (see
mutant.py). ``ATS`` deviations (catalogue_ats.py) are written into the ATS
simulator, ``SERVER`` ones (catalogue_server.py) into the notification server,
``GSM`` ones (catalogue_gsm.py) into the GSM modem simulator.
``FTP`` ones (catalogue_ftp.py) into the FTP platform simulator, ``MFMS`` ones
(catalogue_mfms.py) into the MFMS HPG simulator, the SMS delivery model and the HPG codec,
``OKTELL`` ones (catalogue_oktell.py) into the Oktell PBX simulator and the Oktell codec.
The level is that of the statement the deviation breaks.
tests/mutation/test_catalogue.py checks that every entry still applies;
``python -m tests.mutation.campaign`` runs the suites against them.
"""

from __future__ import annotations

from tests.mutation.catalogue_ats import ATS
from tests.mutation.catalogue_ftp import FTP
from tests.mutation.catalogue_gsm import GSM
from tests.mutation.catalogue_mfms import MFMS
from tests.mutation.catalogue_oktell import OKTELL
from tests.mutation.catalogue_server import SERVER
from tests.mutation.mutant import Mutant

CATALOGUE: list[Mutant] = [*ATS, *SERVER, *GSM, *FTP, *MFMS, *OKTELL]
