"""The web pages for legal staff (`iop serve` serves them at /): see `pages`."""
