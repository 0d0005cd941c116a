"""Sources: where the morning's exports and calendars come from (a file, a glob, a folder, a URL), how they are
shown with their secrets masked, fetched, and synced into the book through the importers."""
