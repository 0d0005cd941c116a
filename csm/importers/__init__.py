"""Files → records: CRM, support and survey exports (CSV) and calendars (.ics)."""
