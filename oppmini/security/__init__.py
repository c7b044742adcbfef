"""Account security a user can see and control: two-factor login, sessions, the activity log."""
