"""Conformance suite of the FTP/FTPS bulk-SMS platform (ftp-sms-platform.ru.txt).

``nabat.conformance.ftp_platform.suite.SUITE`` is the suite; importing
``nabat.conformance.ftp_platform.cases`` registers every case. Run it with
``nabat conformance ftp --target HOST:PORT --login L --password W [--tls]`` or
``pytest -p nabat.conformance.plugin --pyargs nabat.conformance.ftp_platform
--target HOST:PORT ...``. The package never imports system/ or simulators/: it
talks FTP through Python's ftplib (client.py) and builds its own archives with
zipfile and csv (archives.py).
"""
