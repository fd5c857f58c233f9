"""The yearly recap ("Your year"): pure statistics (compute) and the story pages (story)."""
