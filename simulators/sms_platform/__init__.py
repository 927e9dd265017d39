"""What the bulk-SMS platform simulators (MFMS HPG, the FTP platform) share: simulated delivery."""
