"""Pure Python core: dataclasses, errors, clock. Imports nothing outside the standard library."""
