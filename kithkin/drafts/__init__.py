"""The message each follow-up drafts (a thank-you, a check-in, closing the loop, a congratulation,
the introducer's report-back, a rekindle opener), from the person's data and templates the user
can edit in Settings. No models: the templates live on ``accounts.Profile``."""
