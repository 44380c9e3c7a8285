"""Vietnamese text rules: they live in :mod:`units.text` (storage uses them too, and storage does not
import the pipeline); the stages import them from here as before."""

from units.text import clean, digits, fold, letters_or_digits, nfc, upper_share

__all__ = ["clean", "digits", "fold", "letters_or_digits", "nfc", "upper_share"]
