"""One revision per concern, named for why it exists."""
