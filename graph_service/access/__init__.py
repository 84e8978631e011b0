"""Who calls and what they may read: API keys (`keys`) and the caller they stand for (`caller`)."""
