"""The library: scanning folders into the database and watching them for changes."""
