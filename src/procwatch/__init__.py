"""procwatch: public contracts and the measures other countries took against their vendors."""

__version__ = "0.1.0"
