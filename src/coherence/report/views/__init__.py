"""What each report contains, built from assessment objects only; no format here."""
