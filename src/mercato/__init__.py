"""mercato: a self-hostable marketplace integration platform."""

__version__ = "0.1.0"
