"""FTP/FTPS bulk-SMS platform simulator (docs/ftp-platform-simulator.md)."""
