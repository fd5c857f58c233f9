"""Local audio analysis: decode, features, storage runner, similarity (issue 5).

Only `decode` imports av. Everything else is numpy/scipy on float32 arrays.
"""
