"""What is due and when: reminder planning, the ledger that makes each reminder fire once, and the data of the
agenda and month views."""
