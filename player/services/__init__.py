"""Services: long-lived objects that combine repositories and pure logic (layer 3)."""
