"""The questionnaire: the profile as a spreadsheet for ministries, and back (`import`)."""
