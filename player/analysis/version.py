"""The version of the audio features. Raise it when what is computed changes: tracks analysed
with an older version are analysed again, incrementally. Kept apart from features.py so the
process that only schedules analysis need not import numpy, scipy and PyAV."""

FEATURE_VERSION = 2
