"""The on-device hybrid recommender: pure functions over numpy arrays and dataclasses.

No database, no files, no Qt. The service layer (player/services/recommendations.py) loads
the data and calls these; the evaluator (evaluate.py) replays a listening log through them.
"""
