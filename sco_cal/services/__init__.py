"""The workflows a command runs, shared by commands and cron jobs: each reads the clock and the environment
only through its arguments."""
