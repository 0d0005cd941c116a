"""`csm mcp`: the book in the CSM's AI assistant over the Model Context Protocol (imported by that command only)."""
