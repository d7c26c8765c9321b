"""plainbid: plain-language and proportionality checks for public-sector tender packs."""

__version__ = "0.1.0"
